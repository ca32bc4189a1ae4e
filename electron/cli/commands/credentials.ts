/** `keyward add`, `get`, `list`, `show`, `history`, `rotate`, `edit`, `deactivate`, `activate`, `rm`. */
import { CREDENTIAL_TYPE_IDS, isCredentialTypeId, type CredentialTypeId } from '../../../shared/credential-types/index.js';
import type { CredentialDetail, CredentialPatch, CredentialSummary, ListFilter, NewCredential, ValueSource } from '../../../shared/domain.js';
import { fail, KeywardError } from '../../core/errors.js';
import { emit, type Flags, type Output } from '../output.js';
import { printTable, promptHidden, readStdinValue, safeText } from '../terminal.js';
import { runRotatorCommand } from './run-rotator.js';
import type { AppInvocation, CommandFamily, CommandSpec, OptionSpecs, PasswordInvocation, UnlockedInvocation } from './spec.js';

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

function parseFields(flags: Flags): Record<string, string> | undefined {
  const raw = flags.field as string[] | undefined;
  if (!raw?.length) return undefined;
  const fields: Record<string, string> = {};
  for (const pair of raw) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw fail.badRequest(`--field takes KEY=VALUE (got "${safeText(pair.slice(0, 40))}").`);
    fields[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return fields;
}

/** How long `rotate --run-rotator` by token waits for the app: three steps of at most an hour each, and an approval. */
const ROTATOR_ANSWER_TIMEOUT_MS = (3 * 3600 + 300) * 1000;

/** The new value: generated, or read from stdin (asked for on a terminal). Never from argv. */
async function valueSource(name: string, flags: Flags): Promise<ValueSource> {
  if (flags.generate) return { generate: true };
  const value = process.stdin.isTTY ? await promptHidden(`Value for "${safeText(name)}": `) : await readStdinValue();
  if (value === '') throw fail.badRequest('No value given: pipe it on stdin (echo VALUE | keyward …) or use --generate.');
  return { value };
}

function requireType(type: string): asserts type is CredentialTypeId {
  if (!isCredentialTypeId(type)) throw fail.badRequest(`--type must be one of: ${CREDENTIAL_TYPE_IDS.join(', ')}.`);
}

/** The credential `add` describes, from its options. */
function newCredential(name: string, flags: Flags): NewCredential {
  const type = String(flags.type ?? '');
  requireType(type);
  return {
    name,
    type,
    provider: flags.provider as string | undefined,
    description: flags.description as string | undefined,
    tags: flags.tag as string[] | undefined,
    fields: parseFields(flags),
    expiresAt: flags.expires as string | undefined,
  };
}

const added = (o: Output, detail: CredentialDetail) => emit(o, detail, () => `Added "${safeText(detail.name)}" (${detail.type}, version 1).`);
const rotated = (o: Output, detail: CredentialDetail) => emit(o, detail, () => `Rotated "${safeText(detail.name)}": version ${detail.currentVersion} is now current; the old value is kept in history.`);
const updated = (o: Output, detail: CredentialDetail) => emit(o, detail, () => `Updated "${safeText(detail.name)}".`);
const removed = (o: Output, gone: { name: string }) => emit(o, gone, () => `Removed "${safeText(gone.name)}" (recoverable from backups).`);

/** Without a value in the request, what a grant's change carries: the value, or generate. */
const sourceParams = (source: ValueSource) => ('generate' in source ? { generate: true as const } : { value: source.value });

async function add({ svc, args: [name], flags, o }: UnlockedInvocation) {
  const input = newCredential(name!, flags);
  added(o, await svc.add(input, await valueSource(name!, flags), { force: Boolean(flags.force) }));
}

async function get({ svc, args: [name], flags, o }: UnlockedInvocation) {
  const version = flags.version === undefined ? undefined : Number(flags.version);
  if (version !== undefined && !Number.isInteger(version)) throw fail.badRequest('--version takes a whole number.');
  const value = await svc.reveal(name!, version, 'export');
  // The one place a value is printed, by request; it goes to stdout only.
  emit(o, { name, value }, () => value);
}

function listFilter(flags: UnlockedInvocation['flags']): ListFilter {
  const filter: ListFilter = {};
  if (flags.search) filter.query = flags.search as string;
  if (flags.type) {
    const type = flags.type as string;
    requireType(type);
    filter.type = type;
  }
  if (flags.provider) filter.provider = flags.provider as string;
  if (flags.tag) filter.tag = (flags.tag as string[])[0];
  if (flags.active) filter.active = true;
  if (flags.inactive) filter.active = false;
  return filter;
}

async function list({ svc, flags, o }: UnlockedInvocation) {
  const items = await svc.list(listFilter(flags));
  emit(o, items, () => (items.length ? summaryTable(items) : 'No credentials.'));
}

const showDetail = (o: Output, detail: CredentialDetail) => emit(o, detail, () => describe(detail));
const showHistory = (o: Output, detail: CredentialDetail) => emit(o, detail.versions, () => historyTable(detail));

async function show({ svc, args: [name], o }: UnlockedInvocation) {
  showDetail(o, await svc.show(name!));
}

async function history({ svc, args: [name], o }: UnlockedInvocation) {
  showHistory(o, await svc.show(name!));
}

async function rotate(call: UnlockedInvocation) {
  const { svc, vault, args: [name], flags, o } = call;
  if (flags['run-rotator']) {
    if (flags.generate || flags.force) throw fail.badRequest('--run-rotator takes its value from the rotator: drop --generate/--force.');
    return runRotatorCommand(vault, name!, o, call.reopen);
  }
  rotated(o, await svc.rotate(name!, await valueSource(name!, flags), { force: Boolean(flags.force) }));
}

/** What `edit` changes, from its options; BAD_REQUEST when it changes nothing. */
function patchFrom(flags: Flags): CredentialPatch {
  const patch = {
    ...(flags.name !== undefined ? { name: flags.name as string } : {}),
    ...(flags.provider !== undefined ? { provider: flags.provider as string } : {}),
    ...(flags.description !== undefined ? { description: flags.description as string } : {}),
    ...(flags.tag !== undefined ? { tags: flags.tag as string[] } : {}),
    ...(flags.field !== undefined ? { fields: parseFields(flags) } : {}),
    ...(flags.expires !== undefined ? { expiresAt: flags.expires as string } : {}),
  };
  if (Object.keys(patch).length === 0) throw fail.badRequest('Nothing to change: give --name, --provider, --description, --tag, --field or --expires.');
  return patch;
}

/**
 * A change that loosens a custom rule for a credential (out of its scope, or
 * no longer reminded) is refused for want of the master password: confirmed
 * with the one given or typed to unlock, else asked.
 */
async function confirmingIfAsked<T>(masterPassword: () => Promise<string>, change: (options: { password?: string }) => Promise<T>): Promise<T> {
  try {
    return await change({});
  } catch (err) {
    if (!(err instanceof KeywardError && err.code === 'BAD_REQUEST' && err.extra.field === 'password')) throw err;
    return change({ password: await masterPassword() });
  }
}

async function edit({ svc, args: [name], flags, o, masterPassword }: PasswordInvocation) {
  const patch = patchFrom(flags);
  updated(o, await confirmingIfAsked(masterPassword, (options) => svc.update(name!, patch, options)));
}

function activeNow(o: Output, detail: CredentialDetail) {
  emit(o, detail, () => `"${safeText(detail.name)}" is now ${detail.active ? 'active' : 'inactive'}.`);
}

async function activate({ svc, args: [name], o }: UnlockedInvocation) {
  activeNow(o, await svc.setActive(name!, true));
}

async function deactivate({ svc, args: [name], o, masterPassword }: PasswordInvocation) {
  activeNow(o, await confirmingIfAsked(masterPassword, (options) => svc.setActive(name!, false, options)));
}

async function remove({ svc, args: [name], o }: UnlockedInvocation) {
  removed(o, await svc.remove(name!));
}

function summaryTable(items: CredentialSummary[]): string {
  return printTable(
    items.map((c) => [c.name, c.type, c.provider || '—', c.active ? 'yes' : 'no', day(c.createdAt), day(c.updatedAt), day(c.lastRotatedAt), day(c.expiresAt)]),
    ['NAME', 'TYPE', 'PROVIDER', 'ACTIVE', 'CREATED', 'UPDATED', 'ROTATED', 'EXPIRES'],
  );
}

function describe(d: CredentialDetail): string {
  const lines = [
    ['Name', d.name],
    ['Type', d.type],
    ['Provider', d.provider || '—'],
    ['Description', d.description || '—'],
    ['Tags', d.tags.join(', ') || '—'],
    ['Active', d.active ? 'yes' : 'no'],
    ...Object.entries(d.fields).map(([k, v]) => [k, v]),
    ['Created', d.createdAt],
    ['Updated', d.updatedAt],
    ['Last rotated', d.lastRotatedAt ?? 'never'],
    ['Expires', d.expiresAt ?? 'never'],
    ['Versions', String(d.versions.length) + ` (current: ${d.currentVersion})`],
  ];
  return lines.map(([k, v]) => `${(k + ':').padEnd(14)}${safeText(v!)}`).join('\n');
}

function historyTable(d: CredentialDetail): string {
  return printTable(
    d.versions.map((v) => [String(v.version), v.stage, v.origin, v.createdAt, v.note ?? '']),
    ['VERSION', 'STAGE', 'ORIGIN', 'CREATED', 'NOTE'],
  );
}

const METADATA: OptionSpecs = {
  provider: { type: 'string', value: 'P' },
  description: { type: 'string', value: 'D' },
  tag: { type: 'string', value: 'X', multiple: true },
  field: { type: 'string', value: 'KEY=VALUE', multiple: true },
  expires: { type: 'string', value: 'YYYY-MM-DD' },
};

/**
 * A command on one credential. One that only shows its metadata (`shown`)
 * is answered by the running app when it can (the CLI through the app);
 * a change always opens the vault file.
 */
const onOneCredential = (name: string, summary: string, run: (call: UnlockedInvocation) => Promise<void>, shown?: (o: Output, detail: CredentialDetail) => void): CommandSpec => ({
  name,
  args: ['NAME'],
  options: {},
  summary,
  needs: 'vault',
  run,
  ...(shown ? { viaApp: async ({ app, args: [ref], o }: AppInvocation) => shown(o, (await app.call('cli.show', { name: ref! })) as CredentialDetail) } : {}),
});

export const credentialCommands: CommandFamily = {
  title: 'Credentials',
  commands: [
    {
      name: 'add',
      args: ['NAME'],
      options: { type: { type: 'string', value: 'T' }, ...METADATA, generate: { type: 'boolean' }, force: { type: 'boolean' } },
      synopsis: 'add NAME --type T [options]',
      summary: 'store a credential; value on stdin, or --generate',
      needs: 'vault',
      run: add,
      byToken: async ({ api, args: [name], flags, o }) => {
        const input = newCredential(name!, flags);
        const source = await valueSource(name!, flags);
        added(o, (await api.call('add', { ...input, ...sourceParams(source), ...(flags.force ? { force: true } : {}) })) as CredentialDetail);
      },
    },
    {
      name: 'get',
      args: ['NAME'],
      options: { version: { type: 'string', value: 'N' } },
      summary: 'print the value (current version by default)',
      needs: 'vault',
      run: get,
      viaApp: async ({ app, args: [name], flags, o }) => {
        const version = flags.version === undefined ? undefined : Number(flags.version);
        if (version !== undefined && !Number.isInteger(version)) throw fail.badRequest('--version takes a whole number.');
        const { value } = (await app.call('cli.get', { name, ...(version !== undefined ? { version } : {}) })) as { value: string };
        emit(o, { name, value }, () => value);
      },
    },
    {
      name: 'list',
      args: [],
      options: {
        search: { type: 'string', value: 'Q' },
        type: { type: 'string', value: 'T' },
        provider: { type: 'string', value: 'P' },
        tag: { type: 'string', value: 'X', multiple: true },
        active: { type: 'boolean' },
        inactive: { type: 'boolean' },
      },
      synopsis: 'list [--search Q] [--type T] [--provider P] [--tag X] [--active|--inactive]',
      summary: 'names, types and dates; never a value',
      needs: 'vault',
      run: list,
      viaApp: async ({ app, flags, o }) => {
        const items = (await app.call('cli.list', { ...listFilter(flags) })) as CredentialSummary[];
        emit(o, items, () => (items.length ? summaryTable(items) : 'No credentials.'));
      },
    },
    onOneCredential('show', 'metadata, never the value', show, showDetail),
    onOneCredential('history', 'versions and their stages', history, showHistory),
    {
      name: 'rotate',
      args: ['NAME'],
      options: { generate: { type: 'boolean' }, force: { type: 'boolean' }, 'run-rotator': { type: 'boolean' } },
      synopsis: 'rotate NAME [--generate] [--force]',
      summary:
        'new value from stdin (or generated); old one kept. The same value as the current one is refused (exit 7) unless --force; ' +
        '--generate is refused (exit 2) where the provider issues the key',
      alsoAs: [{ synopsis: 'rotate NAME --run-rotator', summary: 'run the rotator: create → set → test → finish → revoke (with KEYWARD_TOKEN: a rotator grant\'s, by the running app)' }],
      needs: 'vault',
      run: rotate,
      byToken: async ({ api, args: [name], flags, o }) => {
        if (!flags['run-rotator']) {
          // A new value from an admin grant (the app refuses other roles).
          const source = await valueSource(name!, flags);
          return rotated(o, (await api.call('set_value', { name: name!, ...sourceParams(source), ...(flags.force ? { force: true } : {}) })) as CredentialDetail);
        }
        if (flags.generate || flags.force) throw fail.badRequest('--run-rotator takes its value from the rotator: drop --generate/--force.');
        // A rotator's steps may each run for up to an hour: the app answers when they are done.
        const done = (await api.call('rotate', { name: name! }, { timeoutMs: ROTATOR_ANSWER_TIMEOUT_MS })) as { name: string; currentVersion: number; revokeFailed: boolean };
        if (done.revokeFailed) o.err('keyward: warning: the new value is current, but revoking the old one failed (recorded); revoke it at the provider.');
        emit(o, done, () => `Rotated "${safeText(done.name)}" with its rotator: version ${done.currentVersion} is now current.`);
      },
    },
    {
      name: 'edit',
      args: ['NAME'],
      options: { name: { type: 'string', value: 'N' }, ...METADATA },
      synopsis: 'edit NAME [options]',
      summary: 'change its name or metadata',
      needs: 'password',
      run: edit,
      byToken: async ({ api, args: [name], flags, o }) => updated(o, (await api.call('edit', { name: name!, patch: patchFrom(flags) })) as CredentialDetail),
    },
    { name: 'deactivate', args: ['NAME'], options: {}, summary: 'mark it as not in use: never rotated or reminded, still readable', needs: 'password', run: deactivate },
    onOneCredential('activate', 'mark it as in use again', activate),
    {
      ...onOneCredential('rm', 'remove it (recoverable from backups)', remove),
      byToken: async ({ api, args: [name], o }) => removed(o, (await api.call('remove', { name: name! })) as { name: string }),
    },
  ],
};
