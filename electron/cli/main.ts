/**
 * keyward — the command-line interface to a Keyward vault.
 * Secrets never come from argv: values from stdin, passwords from
 * KEYWARD_PASSWORD, --password-file or a no-echo prompt on the terminal.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ErrorInfo } from '../../shared/errors.js';
import { MASTER_PASSWORD_MINIMUM } from '../../shared/master-password.js';
import { requireMasterPassword } from '../core/policy/master-password.js';
import { SAME_VALUE_RULE } from '../core/service/refusals.js';
import { parseArgs } from 'node:util';
import { realVaultDeps, serviceFor } from '../core/composition.js';
import { fail, KeywardError, toErrorInfo } from '../core/errors.js';
import type { VaultService } from '../core/service/vault-service.js';
import { defaultVaultPath } from '../core/vault/vault-paths.js';
import { createVault, probeVault, restoreBackupFile, unlockVault, type VaultDeps, type VaultSession } from '../core/vault/vault-session.js';
import { addCommand, describe, editCommand, emit, historyTable, listCommand, rotateCommand, type Flags, type Output } from './commands.js';
import { checkCommand, generateCommand, healthCommand } from './analysis-commands.js';
import {
  dueCommand,
  markRotatedCommand,
  policyCommand,
  policyForCommand,
  promoteCommand,
  rollbackCommand,
  rotatorCommand,
  runRotatorCommand,
  snoozeCommand,
} from './rotation-commands.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { printTable, promptHidden, safeText } from './terminal.js';

const USAGE = `Usage: keyward [global options] <command> [arguments]

Commands:
  init [--kdf-iterations N] [--allow-weak-password]
                                   create a vault (N ≥ 100000; default 600000); the master password
                                   needs ${MASTER_PASSWORD_MINIMUM.length}+ characters and a "${MASTER_PASSWORD_MINIMUM.scoreLabel}" rating unless allowed
  add NAME --type T [options]      store a credential; value on stdin, or --generate
        --provider P --description D --tag X (repeatable) --field KEY=VALUE (repeatable)
        --expires YYYY-MM-DD --generate --force
  get NAME [--version N]           print the value (current version by default)
  list [--search Q] [--type T] [--provider P] [--tag X] [--active|--inactive]
  show NAME                        metadata, never the value
  history NAME                     versions and their stages
  rotate NAME [--generate] [--force]   new value from stdin (or generated); old one kept. The same
                                   value as the current one is refused (exit 7) unless --force;
                                   --generate is refused (exit 2) where the provider issues the key
  edit NAME [--name N] [--provider P] [--description D] [--tag X]... [--field K=V]... [--expires D]
  deactivate NAME | activate NAME | rm NAME
  backups                          list backups, newest first
  restore-backup [FILE]            restore FILE, or the newest intact backup
  passwd [--allow-weak-password]   change the master password (the same minimum as init)
  keychain on|off                  keep (or stop keeping) the vault key in the OS keychain
  due [--within DAYS]              what is overdue or due (default window: each reminder lead time)
  policy-for NAME [--interval-days N] [--max-age-days N] [--lead-days N] [--expires DATE|none]
  policy [--type T | --provider P] [--interval-days N] [--max-age-days N] [--lead-days N]
  rotator set NAME --create CMD [--test CMD] [--revoke CMD] [--timeout S] [--yes]
  rotator show|clear|dry-run NAME  the rotator, its recent runs; dry-run creates nothing
  rotate NAME --run-rotator        run the rotator: create → set → test → finish → revoke
  promote NAME --version N [--force]   make a kept version current (--force: even if it breaks policy)
  rollback NAME                    make the previous version current again
  snooze NAME [--days N]           no reminders for NAME for N days (default 1)
  mark-rotated NAME                "rotated at the provider": restart its rotation clock
  rotate-vault-key                 new vault key; every value re-encrypted (asks for the password)
  health                           every credential's findings and risk, and the vault's health score
  check NAME                       one credential's findings and risk
  generate [options]               print a new value (no vault needed); with no options, a password
                                   that satisfies the active policy
        --kind password|passphrase|api
        password:   --length N --no-lower --no-upper --no-digits --no-symbols --exclude-look-alikes
        passphrase: --words N --separator S --capitalize --include-number
        api:        --bytes N --encoding hex|base64url|base62 --prefix P

Credential types: api_key, password, token, secret
Names are trimmed; one that differs from an existing name only in case is refused (exit 8).
A value of only whitespace is refused (exit 2). A URL field without a scheme is stored as https://….

Global options:
  --vault FILE         vault file (default: $KEYWARD_VAULT or the per-user data folder)
  --password-file F    read the master password from F (else $KEYWARD_PASSWORD, else a prompt)
  --no-keychain        never touch the OS keychain
  --json               machine-readable output
  -h, --help           this help

Exit codes: 0 ok, 1 other error, 2 usage, 3 authentication failed or locked out, 4 no such
credential, 5 vault corrupted/tampered/unreadable, 6 vault busy, 7 refused by policy, 8 already exists.`;

const OPTIONS = {
  vault: { type: 'string' },
  'password-file': { type: 'string' },
  'new-password-file': { type: 'string' },
  'no-keychain': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'kdf-iterations': { type: 'string' },
  type: { type: 'string' },
  provider: { type: 'string' },
  description: { type: 'string' },
  tag: { type: 'string', multiple: true },
  field: { type: 'string', multiple: true },
  expires: { type: 'string' },
  generate: { type: 'boolean' },
  force: { type: 'boolean' },
  version: { type: 'string' },
  search: { type: 'string' },
  active: { type: 'boolean' },
  inactive: { type: 'boolean' },
  name: { type: 'string' },
  kind: { type: 'string' },
  length: { type: 'string' },
  'no-lower': { type: 'boolean' },
  'no-upper': { type: 'boolean' },
  'no-digits': { type: 'boolean' },
  'no-symbols': { type: 'boolean' },
  'exclude-look-alikes': { type: 'boolean' },
  words: { type: 'string' },
  separator: { type: 'string' },
  capitalize: { type: 'boolean' },
  'include-number': { type: 'boolean' },
  bytes: { type: 'string' },
  encoding: { type: 'string' },
  prefix: { type: 'string' },
  within: { type: 'string' },
  'interval-days': { type: 'string' },
  'max-age-days': { type: 'string' },
  'lead-days': { type: 'string' },
  create: { type: 'string' },
  test: { type: 'string' },
  revoke: { type: 'string' },
  timeout: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  'run-rotator': { type: 'boolean' },
  days: { type: 'string' },
  'allow-weak-password': { type: 'boolean' },
} as const;

const GLOBAL = ['vault', 'password-file', 'no-keychain', 'json', 'help'];
const COMMANDS: Record<string, { args: [number, number]; options: string[] }> = {
  init: { args: [0, 0], options: ['kdf-iterations', 'allow-weak-password'] },
  add: { args: [1, 1], options: ['type', 'provider', 'description', 'tag', 'field', 'expires', 'generate', 'force'] },
  get: { args: [1, 1], options: ['version'] },
  list: { args: [0, 0], options: ['search', 'type', 'provider', 'tag', 'active', 'inactive'] },
  show: { args: [1, 1], options: [] },
  history: { args: [1, 1], options: [] },
  rotate: { args: [1, 1], options: ['generate', 'force', 'run-rotator'] },
  edit: { args: [1, 1], options: ['name', 'provider', 'description', 'tag', 'field', 'expires'] },
  deactivate: { args: [1, 1], options: [] },
  activate: { args: [1, 1], options: [] },
  rm: { args: [1, 1], options: [] },
  backups: { args: [0, 0], options: [] },
  'restore-backup': { args: [0, 1], options: [] },
  passwd: { args: [0, 0], options: ['new-password-file', 'kdf-iterations', 'allow-weak-password'] },
  keychain: { args: [1, 1], options: [] },
  due: { args: [0, 0], options: ['within'] },
  'policy-for': { args: [1, 1], options: ['interval-days', 'max-age-days', 'lead-days', 'expires'] },
  policy: { args: [0, 0], options: ['type', 'provider', 'interval-days', 'max-age-days', 'lead-days'] },
  rotator: { args: [2, 2], options: ['create', 'test', 'revoke', 'timeout', 'yes'] },
  rollback: { args: [1, 1], options: [] },
  promote: { args: [1, 1], options: ['version', 'force'] },
  snooze: { args: [1, 1], options: ['days'] },
  'mark-rotated': { args: [1, 1], options: [] },
  'rotate-vault-key': { args: [0, 0], options: [] },
  health: { args: [0, 0], options: [] },
  check: { args: [1, 1], options: [] },
  generate: {
    args: [0, 0],
    options: ['kind', 'length', 'no-lower', 'no-upper', 'no-digits', 'no-symbols', 'exclude-look-alikes', 'words', 'separator', 'capitalize', 'include-number', 'bytes', 'encoding', 'prefix', 'force'],
  },
};

function stripNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

function readPasswordFile(path: string): string {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    throw fail.badRequest(`Cannot read the password file ${path}.`);
  }
  // Like ssh with a private key: a master password that other users can read is no secret.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw fail.badRequest(`The password file ${path} can be read by other users; run "chmod 600 ${path}" and try again.`);
  try {
    return stripNewline(readFileSync(path, 'utf8'));
  } catch {
    throw fail.badRequest(`Cannot read the password file ${path}.`);
  }
}

async function askNewPassword(flags: Flags, envName: string, fileFlag: string): Promise<string> {
  if (flags[fileFlag]) return readPasswordFile(flags[fileFlag] as string);
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  const first = await promptHidden('New master password: ');
  const second = await promptHidden('Repeat it: ');
  if (first !== second) throw fail.badRequest('The two passwords differ; nothing was changed.');
  return first;
}

function explicitPassword(flags: Flags): string | null {
  if (flags['password-file']) return readPasswordFile(flags['password-file'] as string);
  return process.env.KEYWARD_PASSWORD || null;
}

/** The unlocked session, and the master password when one was used (commands that re-authenticate reuse it). */
interface Unlocked {
  session: VaultSession;
  password: string | null;
}

async function unlock(path: string, flags: Flags, deps: VaultDeps, o: Output): Promise<Unlocked> {
  const given = explicitPassword(flags);
  if (given !== null) return { session: await unlockVault(path, { password: given }, deps), password: given };
  const probe = await probeVault(path, deps);
  if (probe.keychain && !flags['no-keychain']) {
    try {
      return { session: await unlockVault(path, { keychain: true }, deps), password: null };
    } catch (err) {
      if (!(err instanceof KeywardError) || (err.code !== 'KEYCHAIN_UNAVAILABLE' && err.code !== 'AUTH_FAILED')) throw err;
      o.err(`keyward: note: ${err.message}`);
    }
  }
  const password = await promptHidden('Master password: ');
  return { session: await unlockVault(path, { password }, deps), password };
}

export async function main(argv: string[]): Promise<number> {
  const o: Output = { json: false, out: (t) => process.stdout.write(t + '\n'), err: (t) => process.stderr.write(t + '\n') };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    o.err(`keyward: ${safeText((err as Error).message.split('\n')[0] ?? 'invalid arguments')}\nRun "keyward --help" for usage.`);
    return EXIT.usage;
  }
  const flags = parsed.values as Flags;
  o.json = Boolean(flags.json);
  const [command, ...args] = parsed.positionals;
  if (flags.help || !command) {
    (command || flags.help ? o.out : o.err)(USAGE);
    return command || flags.help ? EXIT.ok : EXIT.usage;
  }
  const spec = COMMANDS[command];
  if (!spec) {
    o.err(`keyward: unknown command "${safeText(command)}". Run "keyward --help".`);
    return EXIT.usage;
  }
  const stray = Object.keys(flags).filter((k) => flags[k] !== undefined && !GLOBAL.includes(k) && !spec.options.includes(k));
  if (stray.length) {
    o.err(`keyward: ${command} does not take --${stray[0]}. Run "keyward --help".`);
    return EXIT.usage;
  }
  if (args.length < spec.args[0] || args.length > spec.args[1]) {
    o.err(`keyward: ${command} takes ${spec.args[0] === spec.args[1] ? spec.args[0] : `${spec.args[0]}–${spec.args[1]}`} argument(s). Run "keyward --help".`);
    return EXIT.usage;
  }
  try {
    await run(command, args, flags, o);
    return EXIT.ok;
  } catch (err) {
    const info = toErrorInfo(err);
    // One line, no stack trace: messages are built from names and numbers only, never values.
    o.err(`keyward: ${safeText(cliMessage(info))}`);
    return exitCodeFor(info.code);
  }
}

/** The core's refusals say what is wrong; the CLI adds how to override them here, in its own terms. */
function cliMessage(info: ErrorInfo): string {
  // The core names the backup; how to restore it from a terminal is the CLI's to say (the app has its own button).
  if (info.code === 'CORRUPTED' && info.backups?.length) return `${info.message} Restore it with "keyward restore-backup".`;
  if (info.code !== 'POLICY' || !info.violations?.length) return info.message;
  const same = info.violations.length === 1 && info.violations[0]!.rule === SAME_VALUE_RULE;
  const what = same
    ? 'Refused: the new value is the same as the current value'
    : `Refused by policy: the value ${info.violations.map((v) => `${v.message} [${v.rule}]`).join('; ')}`;
  return `${what}. Use --force to store it anyway.`;
}

/** The master password minimum, unless --allow-weak-password; a weak one that was allowed is recorded in the audit log. */
function checkNewMasterPassword(password: string, flags: Flags): { weak: boolean } {
  return requireMasterPassword(password, Boolean(flags['allow-weak-password']), 'Choose a longer one, or pass --allow-weak-password to use it anyway.');
}

async function recordWeakMasterPassword(session: VaultSession): Promise<void> {
  await serviceFor(session, 'cli').run('vault.weakMasterPasswordAllowed', undefined, () => undefined);
}

async function run(command: string, args: string[], flags: Flags, o: Output): Promise<void> {
  const path = (flags.vault as string | undefined) ?? defaultVaultPath();
  const deps = realVaultDeps({ useKeychain: !flags['no-keychain'] });

  if (command === 'init') {
    const iterations = flags['kdf-iterations'] === undefined ? undefined : Number(flags['kdf-iterations']);
    if (iterations !== undefined && !Number.isInteger(iterations)) throw fail.badRequest('--kdf-iterations takes a whole number.');
    const password = explicitPassword(flags) ?? (await askNewPassword(flags, 'KEYWARD_PASSWORD', 'password-file'));
    // Over an existing vault there is nothing to create: createVault refuses with EXISTS, whatever the password.
    const { weak } = existsSync(path) ? { weak: false } : checkNewMasterPassword(password, flags);
    const session = await createVault(path, { password, kdfIterations: iterations, useKeychain: !flags['no-keychain'] }, deps);
    if (weak) await recordWeakMasterPassword(session);
    if (session.keychainNote) o.err(`keyward: note: ${session.keychainNote}`);
    emit(o, session.info, () => `Created vault ${session.info.path}${session.info.keychainEnabled ? ' (key also kept in the OS keychain)' : ''}.`);
    session.lock();
    return;
  }
  if (command === 'generate') return generateCommand(flags, o);
  if (command === 'restore-backup') {
    const restored = await restoreBackupFile(path, args[0], deps);
    emit(o, { restored }, () => `Restored ${restored}. The replaced file was kept in the backups folder.`);
    return;
  }

  const { session, password } = await unlock(path, flags, deps, o);
  const svc = serviceFor(session, 'cli');
  const masterPassword = async () => password ?? (await promptHidden('Master password: '));
  try {
    await dispatch(command, args, flags, o, svc, session, masterPassword, async () => serviceFor((await unlock(path, flags, deps, o)).session, 'cli'));
  } finally {
    session.lock();
  }
}

async function dispatch(
  command: string,
  args: string[],
  flags: Flags,
  o: Output,
  svc: VaultService,
  session: VaultSession,
  masterPassword: () => Promise<string>,
  /** A fresh unlock, for writing a rotator's rescued value when this session can no longer write. */
  reopen: () => Promise<VaultService>,
) {
  const name = args[0]!;
  const promptValue = () => promptHidden(`Value for "${safeText(name)}": `);
  switch (command) {
    case 'add':
      return addCommand(svc, name, flags, o, promptValue);
    case 'get': {
      const version = flags.version === undefined ? undefined : Number(flags.version);
      if (version !== undefined && !Number.isInteger(version)) throw fail.badRequest('--version takes a whole number.');
      const value = await svc.reveal(name, version);
      // The one place a value is printed, by request; it goes to stdout only.
      return emit(o, { name, value }, () => value);
    }
    case 'list':
      return listCommand(svc, flags, o);
    case 'show': {
      const detail = await svc.show(name);
      return emit(o, detail, () => describe(detail));
    }
    case 'history': {
      const detail = await svc.show(name);
      return emit(o, detail.versions, () => historyTable(detail));
    }
    case 'rotate':
      if (flags['run-rotator']) {
        if (flags.generate || flags.force) throw fail.badRequest('--run-rotator takes its value from the rotator: drop --generate/--force.');
        return runRotatorCommand(svc, name, o, reopen);
      }
      return rotateCommand(svc, name, flags, o, promptValue);
    case 'due':
      return dueCommand(svc, session, flags, o);
    case 'policy-for':
      return policyForCommand(svc, name, flags, o);
    case 'policy':
      return policyCommand(svc, flags, o);
    case 'rotator':
      return rotatorCommand(svc, args, flags, o);
    case 'rollback':
      return rollbackCommand(svc, name, o);
    case 'promote':
      return promoteCommand(svc, name, flags, o);
    case 'snooze':
      return snoozeCommand(svc, name, flags, o);
    case 'mark-rotated':
      return markRotatedCommand(svc, name, o);
    case 'rotate-vault-key': {
      const password = await masterPassword();
      await svc.run('vault.rotateKey', undefined, () => session.rotateVaultKey(password));
      return emit(o, { rotated: true, keyCreatedAt: session.keyCreatedAt }, () => 'The vault key was replaced and every value re-encrypted under the new key.');
    }
    case 'edit':
      return editCommand(svc, name, flags, o);
    case 'deactivate':
    case 'activate': {
      const detail = await svc.setActive(name, command === 'activate');
      return emit(o, detail, () => `"${safeText(detail.name)}" is now ${detail.active ? 'active' : 'inactive'}.`);
    }
    case 'rm': {
      const removed = await svc.remove(name);
      return emit(o, removed, () => `Removed "${safeText(removed.name)}" (recoverable from backups).`);
    }
    case 'backups': {
      const list = await session.backupStore.list();
      return emit(o, list, () => (list.length ? printTable(list.map((b) => [b.file, b.createdAt, String(b.sizeBytes), b.intact === false ? 'DAMAGED (not restorable)' : 'intact']), ['FILE', 'CREATED', 'BYTES', 'STATE']) : 'No backups yet.'));
    }
    case 'passwd': {
      const current = explicitPassword(flags) ?? (await promptHidden('Current master password: '));
      const next = await askNewPassword(flags, 'KEYWARD_NEW_PASSWORD', 'new-password-file');
      const iterations = flags['kdf-iterations'] === undefined ? undefined : Number(flags['kdf-iterations']);
      const { weak } = checkNewMasterPassword(next, flags);
      await session.changePassword(current, next, iterations);
      if (weak) await recordWeakMasterPassword(session);
      return emit(o, { changed: true }, () => 'Master password changed.');
    }
    case 'health':
      return healthCommand(svc, o);
    case 'check':
      return checkCommand(svc, name, o);
    case 'keychain': {
      if (name !== 'on' && name !== 'off') throw fail.badRequest('keychain takes "on" or "off".');
      if (flags['no-keychain']) throw fail.badRequest('keychain on/off cannot be combined with --no-keychain.');
      // Turning it on stores the key where it unlocks without a password: the password is checked again.
      const note = await session.setKeychainEnabled(name === 'on', name === 'on' ? await masterPassword() : undefined);
      if (note.keychainNote) o.err(`keyward: note: ${note.keychainNote}`);
      return emit(o, { keychain: name === 'on' }, () => `The vault key is ${name === 'on' ? 'now kept' : 'no longer kept'} in the OS keychain.`);
    }
  }
}
