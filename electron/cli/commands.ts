/**
 * The `keyward` commands. Each is a small function over the core's services;
 * parsing, password handling and output live in main.ts and terminal.ts.
 */
import { CREDENTIAL_TYPE_IDS, isCredentialTypeId } from '../../shared/credential-types/index.js';
import type { CredentialDetail, CredentialSummary, ListFilter, ValueSource } from '../../shared/domain.js';
import { fail } from '../core/errors.js';
import type { VaultService } from '../core/service/vault-service.js';
import { printTable, readStdinValue, safeText } from './terminal.js';

export type Flags = Record<string, string | boolean | string[] | undefined>;

export interface Output {
  json: boolean;
  out(text: string): void;
  err(text: string): void;
}

export function emit(o: Output, data: unknown, human: () => string): void {
  o.out(o.json ? JSON.stringify(data, null, 2) : human());
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

export function parseFields(flags: Flags): Record<string, string> | undefined {
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

/** The new value: generated, or read from stdin. Never from argv. */
async function valueSource(flags: Flags, promptValue: () => Promise<string>): Promise<ValueSource> {
  if (flags.generate) return { generate: true };
  const value = process.stdin.isTTY ? await promptValue() : await readStdinValue();
  if (value === '') throw fail.badRequest('No value given: pipe it on stdin (echo VALUE | keyward …) or use --generate.');
  return { value };
}

export async function addCommand(svc: VaultService, name: string, flags: Flags, o: Output, promptValue: () => Promise<string>) {
  const type = String(flags.type ?? '');
  if (!isCredentialTypeId(type)) throw fail.badRequest(`--type must be one of: ${CREDENTIAL_TYPE_IDS.join(', ')}.`);
  const source = await valueSource(flags, promptValue);
  const detail = await svc.add(
    {
      name,
      type,
      provider: flags.provider as string | undefined,
      description: flags.description as string | undefined,
      tags: flags.tag as string[] | undefined,
      fields: parseFields(flags),
      expiresAt: flags.expires as string | undefined,
    },
    source,
    { force: Boolean(flags.force) },
  );
  emit(o, detail, () => `Added "${safeText(detail.name)}" (${detail.type}, version 1).`);
}

export async function rotateCommand(svc: VaultService, name: string, flags: Flags, o: Output, promptValue: () => Promise<string>) {
  const source = await valueSource(flags, promptValue);
  const detail = await svc.rotate(name, source, { force: Boolean(flags.force) });
  emit(o, detail, () => `Rotated "${safeText(detail.name)}": version ${detail.currentVersion} is now current; the old value is kept in history.`);
}

export async function editCommand(svc: VaultService, name: string, flags: Flags, o: Output) {
  const patch = {
    ...(flags.name !== undefined ? { name: flags.name as string } : {}),
    ...(flags.provider !== undefined ? { provider: flags.provider as string } : {}),
    ...(flags.description !== undefined ? { description: flags.description as string } : {}),
    ...(flags.tag !== undefined ? { tags: flags.tag as string[] } : {}),
    ...(flags.field !== undefined ? { fields: parseFields(flags) } : {}),
    ...(flags.expires !== undefined ? { expiresAt: flags.expires as string } : {}),
  };
  if (Object.keys(patch).length === 0) throw fail.badRequest('Nothing to change: give --name, --provider, --description, --tag, --field or --expires.');
  const detail = await svc.update(name, patch);
  emit(o, detail, () => `Updated "${safeText(detail.name)}".`);
}

export async function listCommand(svc: VaultService, flags: Flags, o: Output) {
  const filter: ListFilter = {};
  if (flags.search) filter.query = flags.search as string;
  if (flags.type) {
    if (!isCredentialTypeId(flags.type as string)) throw fail.badRequest(`--type must be one of: ${CREDENTIAL_TYPE_IDS.join(', ')}.`);
    filter.type = flags.type as ListFilter['type'];
  }
  if (flags.provider) filter.provider = flags.provider as string;
  if (flags.tag) filter.tag = (flags.tag as string[])[0];
  if (flags.active) filter.active = true;
  if (flags.inactive) filter.active = false;
  const items = await svc.list(filter);
  emit(o, items, () => (items.length ? summaryTable(items) : 'No credentials.'));
}

function summaryTable(items: CredentialSummary[]): string {
  return printTable(
    items.map((c) => [c.name, c.type, c.provider || '—', c.active ? 'yes' : 'no', day(c.createdAt), day(c.updatedAt), day(c.lastRotatedAt), day(c.expiresAt)]),
    ['NAME', 'TYPE', 'PROVIDER', 'ACTIVE', 'CREATED', 'UPDATED', 'ROTATED', 'EXPIRES'],
  );
}

export function describe(d: CredentialDetail): string {
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

export function historyTable(d: CredentialDetail): string {
  return printTable(
    d.versions.map((v) => [String(v.version), v.stage, v.origin, v.createdAt, v.note ?? '']),
    ['VERSION', 'STAGE', 'ORIGIN', 'CREATED', 'NOTE'],
  );
}
