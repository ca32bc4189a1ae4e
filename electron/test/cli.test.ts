/**
 * The `keyward` CLI as users and scripts run it: a real child process on the
 * built bundle, real vault files, the documented exit codes, --json output,
 * values only on stdin, and hard names.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CredentialDetail, CredentialSummary, VaultInfo, VersionInfo } from '../../shared/domain.js';
import { LIMITS } from '../../shared/domain.js';
import { distinctiveSecret, strongPassword, TEST_KDF_ITERATIONS } from './helpers/builders.js';
import { safeText } from '../cli/terminal.js';
import { CliVault, runCli } from './helpers/cli.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs();
const sharedDir = useTempDirs('keyward-test-shared-', 'all');

async function freshVault(): Promise<CliVault> {
  const cli = new CliVault(await tempDir());
  await cli.init();
  return cli;
}

/** Every error is one line on stderr, prefixed, with no stack trace. */
function expectOneLineError(stderr: string, message?: RegExp) {
  const lines = stderr.trimEnd().split('\n');
  expect(lines.filter((l) => !l.startsWith('keyward: note:'))).toHaveLength(1);
  expect(stderr).toMatch(/^keyward: /);
  expect(stderr).not.toMatch(/\n\s+at |Error:|node:internal/);
  if (message) expect(stderr).toMatch(message);
}

describe('usage', () => {
  it('--help prints the usage and exit codes on stdout (exit 0); no command prints it on stderr (exit 2)', async () => {
    const help = await runCli(null, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: keyward/);
    expect(help.stdout).toMatch(/Exit codes: 0 ok, 1 other error, 2 usage, 3 authentication/);
    const none = await runCli(null, []);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Usage: keyward/);
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['list', '--bogus'], /Unknown option '--bogus'/],
    [['list', '--generate'], /list does not take --generate/],
    [['get'], /get takes 1 argument/],
    [['get', 'a', 'b'], /get takes 1 argument/],
    [['rm'], /rm takes 1 argument/],
    [['restore-backup', 'a', 'b'], /restore-backup takes 0–1 argument/],
    [['init', '--kdf-iterations'], /argument missing|--kdf-iterations/],
  ])('%j → exit 2 before touching any vault', async (args, message) => {
    const dir = await tempDir();
    const r = await runCli(join(dir, 'v.keyward'), args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('invalid values → exit 2 with a message naming the problem', async () => {
    const dir = await tempDir();
    const fresh = new CliVault(dir);
    for (const [args, message] of [
      [['init', '--kdf-iterations', '99999'], /KDF iterations must be between 100000 and 50000000/],
      [['init', '--kdf-iterations', 'lots'], /--kdf-iterations takes a whole number/],
    ] as const) {
      const r = await fresh.run([...args]);
      expect(r.code).toBe(2);
      expectOneLineError(r.stderr, message);
    }
    await fresh.init();
    const cases: [string[], string, RegExp][] = [
      [['add', 'x'], 'v', /--type must be one of: api_key, password, token, secret/],
      [['add', 'x', '--type', 'secret'], '', /No value given: pipe it on stdin/],
      [['add', 'x', '--type', 'secret', '--field', 'novalue'], 'v', /--field takes KEY=VALUE/],
      [['add', 'x', '--type', 'secret', '--expires', 'soon'], 'v', /"soon" is not a date/],
      [['add', 'x', '--type', 'token', '--generate'], '', /cannot generate/],
      [['get', 'x', '--version', 'two'], '', /--version takes a whole number/],
      [['keychain', 'maybe'], '', /keychain takes "on" or "off"/],
      [['edit', 'x'], '', /Nothing to change/],
    ];
    for (const [args, stdin, message] of cases) {
      const r = await fresh.run(args, { stdin });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expectOneLineError(r.stderr, message);
    }
  });

  it('without any password source and no terminal → exit 2 saying how to give one', async () => {
    const cli = await freshVault();
    const r = await cli.run(['list'], { password: null });
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /No terminal to ask on: set KEYWARD_PASSWORD or pass --password-file FILE/);
  });

  it('--password-file works (one trailing newline dropped); an unreadable one is exit 2', async () => {
    const cli = await freshVault();
    const file = join(cli.dir, 'pw.txt');
    await writeFile(file, `${cli.password}\n`, { mode: 0o600 });
    expect((await cli.run(['list', '--password-file', file], { password: null })).code).toBe(0);
    const missing = await cli.run(['list', '--password-file', join(cli.dir, 'nope')], { password: null });
    expect(missing.code).toBe(2);
    expectOneLineError(missing.stderr, /Cannot read the password file/);
  });

  it.runIf(process.platform !== 'win32')('a --password-file others can read is refused with the chmod to run, and nothing is opened', async () => {
    const cli = await freshVault();
    const file = join(cli.dir, 'pw-open.txt');
    await writeFile(file, `${cli.password}\n`);
    await chmod(file, 0o644);
    const r = await cli.run(['list', '--password-file', file], { password: null });
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, new RegExp(`can be read by other users; run "chmod 600 ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
    await chmod(file, 0o600);
    expect((await cli.run(['list', '--password-file', file], { password: null })).code).toBe(0);
  });

  it('KEYWARD_VAULT chooses the vault when --vault is absent', async () => {
    const cli = await freshVault();
    const r = await runCli(null, ['list', '--json'], { password: cli.password, env: { KEYWARD_VAULT: cli.path } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});

describe('a session with every command', () => {
  it('init, add, get, list, show, history, rotate, edit, deactivate, activate, rm, backups', async () => {
    const cli = new CliVault(await tempDir());
    const info = await cli.json<VaultInfo>(['init', '--kdf-iterations', String(TEST_KDF_ITERATIONS)]);
    expect(info).toMatchObject({ path: cli.path, kdfIterations: TEST_KDF_ITERATIONS, credentialCount: 0, keychainEnabled: false });

    const v1 = distinctiveSecret('gh1');
    const added = await cli.add('github', v1, 'api_key', [
      '--provider', 'GitHub', '--description', 'CI deploy key', '--tag', 'ci', '--tag', 'prod',
      '--field', 'keyId=key-123', '--field', 'scopes=repo, workflow', '--expires', '2027-06-30',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe('Added "github" (api_key, version 1).\n');
    await cli.expectOk(['add', 'mail', '--type', 'password', '--field', 'username=me@example.com', '--field', 'url=https://mail.example.com'], { stdin: strongPassword() });
    await cli.expectOk(['add', 'gen', '--type', 'secret', '--generate']);

    expect((await cli.expectOk(['get', 'github'])).stdout).toBe(`${v1}\n`);
    expect((await cli.expectOk(['get', 'gen'])).stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);

    const list = await cli.json<CredentialSummary[]>(['list']);
    expect(list.map((c) => [c.name, c.type, c.provider, c.active])).toEqual([
      ['github', 'api_key', 'GitHub', true],
      ['mail', 'password', '', true],
      ['gen', 'secret', '', true],
    ]);
    expect(list[0]).toMatchObject({ tags: ['ci', 'prod'], expiresAt: '2027-06-30T00:00:00.000Z', lastRotatedAt: null, currentVersion: 1 });
    const table = (await cli.expectOk(['list'])).stdout.split('\n');
    expect(table[0]).toMatch(/^NAME\s+TYPE\s+PROVIDER\s+ACTIVE\s+CREATED\s+UPDATED\s+ROTATED\s+EXPIRES$/);
    expect(table[1]).toMatch(/^github\s+api_key\s+GitHub\s+yes\s+\d{4}-\d{2}-\d{2}\s+\d{4}-\d{2}-\d{2}\s+—\s+2027-06-30$/);
    expect((await cli.json<CredentialSummary[]>(['list', '--search', 'deploy'])).map((c) => c.name)).toEqual(['github']);

    const show = await cli.expectOk(['show', 'github']);
    expect(show.stdout).toMatch(/^Name:\s+github$/m);
    expect(show.stdout).toMatch(/^keyId:\s+key-123$/m);
    expect(show.stdout).toMatch(/^Versions:\s+1 \(current: 1\)$/m);
    expect(show.stdout).not.toContain(v1);

    const v2 = distinctiveSecret('gh2');
    expect((await cli.expectOk(['rotate', 'github'], { stdin: `${v2}\n` })).stdout).toMatch(/version 2 is now current; the old value is kept in history/);
    await cli.expectOk(['rotate', 'github'], { stdin: distinctiveSecret('gh3') });
    // GitHub issues its keys, so Keyward does not generate one (see "what a value may be"); a pasted one it is.
    await cli.expectOk(['rotate', 'github'], { stdin: distinctiveSecret('gh4') });
    const history = await cli.json<VersionInfo[]>(['history', 'github']);
    expect(history.map((h) => [h.version, h.stage, h.origin])).toEqual([
      [4, 'current', 'manual'],
      [3, 'previous', 'manual'],
      [2, 'history', 'manual'],
      [1, 'history', 'initial'],
    ]);
    expect((await cli.expectOk(['get', 'github', '--version', '1'])).stdout).toBe(`${v1}\n`);

    expect((await cli.expectOk(['deactivate', 'mail'])).stdout).toBe('"mail" is now inactive.\n');
    expect((await cli.json<CredentialSummary[]>(['list', '--inactive'])).map((c) => c.name)).toEqual(['mail']);
    expect((await cli.expectOk(['activate', 'mail'])).stdout).toBe('"mail" is now active.\n');

    await cli.expectOk(['edit', 'gen', '--name', 'generated', '--description', 'made here', '--tag', 'x']);
    expect(await cli.json<CredentialDetail>(['show', 'generated'])).toMatchObject({ description: 'made here', tags: ['x'] });

    expect((await cli.expectOk(['rm', 'generated'])).stdout).toBe('Removed "generated" (recoverable from backups).\n');
    const gone = await cli.run(['get', 'generated']);
    expect(gone.code).toBe(4);
    expectOneLineError(gone.stderr, /No credential named "generated"/);

    const backups = await cli.json<{ file: string; createdAt: string; sizeBytes: number }[]>(['backups']);
    expect(backups).toHaveLength(10);
    expect(backups[0]!.file > backups[1]!.file).toBe(true);
  });

  it('values come from stdin: one trailing newline (LF or CRLF) is dropped, everything else kept', async () => {
    const cli = await freshVault();
    const cases: [string, string, string][] = [
      ['echoed', 'plain\n', 'plain'],
      ['crlf', 'plain\r\n', 'plain'],
      ['two newlines', 'keep-one\n\n', 'keep-one\n'],
      ['multi-line', '-----BEGIN KEY-----\nabc\n-----END KEY-----\n', '-----BEGIN KEY-----\nabc\n-----END KEY-----'],
    ];
    for (const [name, stdin] of cases) await cli.expectOk(['add', name, '--type', 'secret'], { stdin });
    for (const [name, , stored] of cases) {
      expect(await cli.json<{ value: string }>(['get', name]).then((r) => r.value), name).toBe(stored);
    }
    expect((await cli.expectOk(['get', 'two newlines'])).stdout).toBe('keep-one\n\n');
  });
});

describe('exit codes', () => {
  it('4 for a credential that does not exist, whatever the command', async () => {
    const cli = await freshVault();
    for (const args of [['get', 'nope'], ['rotate', 'nope'], ['deactivate', 'nope'], ['rm', 'nope']]) {
      const r = await cli.run(args, { stdin: 'value' });
      expect(r.code, args.join(' ')).toBe(4);
      expectOneLineError(r.stderr, /No credential named "nope"/);
    }
    const noVersion = await cli.run(['get', 'nope', '--version', '2']);
    expect(noVersion.code).toBe(4);
  });

  it('4 when there is no vault at the path', async () => {
    const r = await runCli(join(await tempDir(), 'none.keyward'), ['list'], { password: 'x' });
    expect(r.code).toBe(4);
    expectOneLineError(r.stderr, /No vault at .*keyward init/);
  });

  it('7 when policy refuses a value, 0 with --force; rotation is checked too', async () => {
    const cli = await freshVault();
    const weak = `weak${Date.now()}`;
    const refused = await cli.add('site', weak, 'password');
    expect(refused.code).toBe(7);
    expectOneLineError(refused.stderr, /Refused by policy: the value must .*\[require_uppercase\].*Use --force/);
    expect(refused.stderr).not.toContain(weak);
    expect(await cli.json<CredentialSummary[]>(['list'])).toEqual([]);
    expect((await cli.add('site', weak, 'password', ['--force'])).code).toBe(0);
    expect((await cli.expectOk(['get', 'site'])).stdout).toBe(`${weak}\n`);
    expect((await cli.run(['rotate', 'site'], { stdin: 'short' })).code).toBe(7);
    expect((await cli.run(['rotate', 'site', '--force'], { stdin: 'short' })).code).toBe(0);
  });

  it('8 for add of an existing name and init over an existing vault, which are left untouched', async () => {
    const cli = await freshVault();
    const value = distinctiveSecret();
    await cli.expectOk(['add', 'dup', '--type', 'secret'], { stdin: value });
    const before = await readFile(cli.path);
    const again = await cli.add('dup', 'other value', 'secret');
    expect(again.code).toBe(8);
    expectOneLineError(again.stderr, /A credential named "dup" already exists/);
    const reinit = await cli.run(['init', '--kdf-iterations', String(TEST_KDF_ITERATIONS)], { password: 'another password' });
    expect(reinit.code).toBe(8);
    expectOneLineError(reinit.stderr, /A vault already exists at .* it was left untouched/);
    expect((await readFile(cli.path)).equals(before)).toBe(true);
    expect((await cli.expectOk(['get', 'dup'])).stdout).toBe(`${value}\n`);
  });

  it('3 for a wrong password, with a clear message', async () => {
    const cli = await freshVault();
    const r = await cli.run(['list'], { password: 'not it' });
    expect(r.code).toBe(3);
    expectOneLineError(r.stderr, /^keyward: Wrong master password\. 4 more attempts before attempts are delayed\.$/m);
  });

  it('1 for an unexpected failure, as one generic line without a stack trace', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'a-folder.keyward'));
    const r = await runCli(join(dir, 'a-folder.keyward'), ['list'], { password: 'x' });
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr, /Internal error: nothing was changed/);
  });
});

describe('names that are hard to carry', () => {
  const names: [string, string][] = [
    ['unicode', 'Ключ 🔑 clé — 鍵 \u202eevil\u202c'],
    ['newlines and escapes', 'line one\nline two\r\n\ttab \u001b[31mred\u001b[0m'],
    ['10,000 characters', `é\n🔑${'n'.repeat(LIMITS.nameLength - 5)}`],
  ];
  let cli: CliVault;
  const values = new Map<string, string>();

  beforeAll(async () => {
    cli = new CliVault(await sharedDir());
    await cli.init();
    for (const [, name] of names) {
      values.set(name, distinctiveSecret());
      await cli.expectOk(['add', name, '--type', 'secret'], { stdin: values.get(name)! });
    }
  });

  it('list --json returns each name exactly', async () => {
    expect((await cli.json<CredentialSummary[]>(['list'])).map((c) => c.name)).toEqual(names.map(([, n]) => n));
  });

  it.each(names)('%s: get by name returns the value', async (_label, name) => {
    expect((await cli.expectOk(['get', name])).stdout).toBe(`${values.get(name)!}\n`);
  });

  it('human output escapes control characters, so a name cannot forge lines or colours', async () => {
    const table = (await cli.expectOk(['list'])).stdout;
    expect(table.split('\n').filter(Boolean)).toHaveLength(1 + names.length);
    for (const raw of ['\u001b', '\r', '\u202e']) expect(table).not.toContain(raw);
    expect(table).toContain('line one\\nline two\\r\\n\\ttab \\u001b[31mred');
    const rm = await cli.expectOk(['rm', names[1]![1]]);
    expect(rm.stdout).toBe('Removed "line one\\nline two\\r\\n\\ttab \\u001b[31mred\\u001b[0m" (recoverable from backups).\n');
  });

  it('a name of 10,001 characters is refused (exit 2)', async () => {
    const r = await cli.add('n'.repeat(LIMITS.nameLength + 1), 'v');
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /The name is longer than 10000 characters/);
  });
});

/** Meets the master password minimum (12+ characters, rated Strong or better). */
const STRONG_MASTER = 'Tundra-Violin-Cobalt-42';

describe('passwd', () => {
  it('changes the master password: the old one fails (exit 3), the new one opens', async () => {
    const cli = await freshVault();
    await cli.expectOk(['add', 'a', '--type', 'secret'], { stdin: 'value-a' });
    const r = await cli.run(['passwd'], { env: { KEYWARD_NEW_PASSWORD: STRONG_MASTER } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Master password changed.\n');
    expect((await cli.run(['list'])).code).toBe(3);
    expect((await cli.run(['get', 'a'], { password: STRONG_MASTER })).stdout).toBe('value-a\n');
  });

  it('refuses iterations below the floor (exit 2) instead of writing a vault that cannot be opened', async () => {
    const cli = await freshVault();
    const before = await readFile(cli.path);
    const r = await cli.run(['passwd', '--kdf-iterations', '50000'], { env: { KEYWARD_NEW_PASSWORD: STRONG_MASTER } });
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /KDF iterations must be between 100000 and 50000000/);
    const nan = await cli.run(['passwd', '--kdf-iterations', 'many'], { env: { KEYWARD_NEW_PASSWORD: STRONG_MASTER } });
    expect(nan.code).toBe(2);
    expect((await readFile(cli.path)).equals(before)).toBe(true);
    expect((await cli.run(['list'])).code).toBe(0);
  });
});

describe('the master password minimum (init and passwd)', () => {
  it('a weak master password is refused (exit 2) with the rule and the override; --allow-weak-password accepts it', async () => {
    const dir = await tempDir();
    const weak = new CliVault(dir, 'Summer2024!');
    const refused = await weak.run(['init', '--kdf-iterations', String(TEST_KDF_ITERATIONS)]);
    expect(refused.code).toBe(2);
    expectOneLineError(refused.stderr, /master password must be at least 12 characters \(it has 11\).*--allow-weak-password/);
    expect(existsSync(weak.path)).toBe(false);
    const guessable = new CliVault(dir, 'password1234', 'b.keyward');
    const easy = await guessable.run(['init', '--kdf-iterations', String(TEST_KDF_ITERATIONS)]);
    expect(easy.code).toBe(2);
    expectOneLineError(easy.stderr, /too easy to guess: it must be rated “Strong” or better/);
    await weak.init(['--allow-weak-password']);
    expect((await weak.run(['list'])).code).toBe(0);
  });

  it('passwd applies the same minimum: a weak new password leaves the old one working', async () => {
    const cli = await freshVault();
    const r = await cli.run(['passwd'], { env: { KEYWARD_NEW_PASSWORD: 'Summer2024!' } });
    expect(r.code).toBe(2);
    expectOneLineError(r.stderr, /at least 12 characters.*--allow-weak-password/);
    expect((await cli.run(['list'])).code).toBe(0);
    expect((await cli.run(['passwd', '--allow-weak-password'], { env: { KEYWARD_NEW_PASSWORD: 'Summer2024!' } })).code).toBe(0);
    expect((await cli.run(['list'], { password: 'Summer2024!' })).code).toBe(0);
  });
});

describe('what a value may be', () => {
  it('rotating to the identical current value is refused (exit 7) unless --force; the version stays', async () => {
    const cli = await freshVault();
    const value = distinctiveSecret();
    await cli.add('same', value);
    const r = await cli.run(['rotate', 'same'], { stdin: `${value}\n` });
    expect(r.code).toBe(7);
    expectOneLineError(r.stderr, /same as the current value.*--force/);
    expect(r.stderr).not.toContain(value);
    const after = await cli.json<CredentialDetail>(['show', 'same']);
    expect(after.currentVersion).toBe(1);
    expect(after.lastRotatedAt).toBeNull();
    expect((await cli.run(['rotate', 'same', '--force'], { stdin: `${value}\n` })).code).toBe(0);
    expect((await cli.json<CredentialDetail>(['show', 'same'])).currentVersion).toBe(2);
  });

  it('a value of only whitespace is refused (exit 2) on add and rotate, and nothing is stored', async () => {
    const cli = await freshVault();
    const add = await cli.add('blank', '      ');
    expect(add.code).toBe(2);
    expectOneLineError(add.stderr, /only whitespace/);
    expect(await cli.json<CredentialSummary[]>(['list'])).toEqual([]);
    await cli.add('real', 'a-real-value-123');
    const rotate = await cli.run(['rotate', 'real'], { stdin: ' \t  \n' });
    expect(rotate.code).toBe(2);
    expectOneLineError(rotate.stderr, /only whitespace/);
    expect((await cli.expectOk(['get', 'real'])).stdout).toBe('a-real-value-123\n');
  });

  it('--generate is refused (exit 2) where the provider issues the key, pointing to paste or a rotator', async () => {
    const cli = await freshVault();
    const add = await cli.run(['add', 'stripe-live', '--type', 'api_key', '--provider', 'stripe', '--generate']);
    expect(add.code).toBe(2);
    expectOneLineError(add.stderr, /issued by stripe.*paste it, or set a rotator/);
    expect(await cli.json<CredentialSummary[]>(['list'])).toEqual([]);
    await cli.add('stripe-live', `sk_live_${'a1B2c3D4e5'.repeat(3)}`, 'api_key', ['--provider', 'stripe']);
    const rotate = await cli.run(['rotate', 'stripe-live', '--generate']);
    expect(rotate.code).toBe(2);
    expectOneLineError(rotate.stderr, /issued by stripe/);
    // A key of the user's own service (no known provider format) can still be generated.
    await cli.expectOk(['add', 'internal', '--type', 'api_key', '--provider', 'acme', '--generate']);
  });

  it('a URL without a scheme is stored as https://…', async () => {
    const cli = await freshVault();
    await cli.add('gh', strongPassword(), 'password', ['--field', 'url=github.com/login', '--field', 'username=me']);
    expect((await cli.json<CredentialDetail>(['show', 'gh'])).fields.url).toBe('https://github.com/login');
    await cli.expectOk(['edit', 'gh', '--field', 'url=gitlab.com']);
    expect((await cli.json<CredentialDetail>(['show', 'gh'])).fields.url).toBe('https://gitlab.com');
    const bad = await cli.run(['edit', 'gh', '--field', 'url=ftp://example.com']);
    expect(bad.code).toBe(2);
    expectOneLineError(bad.stderr, /must be an http\(s\) URL/);
  });
});

describe('names are trimmed and unique ignoring case', () => {
  it('" stripe-prod " is stored trimmed; "STRIPE-PROD" is refused (exit 8) naming the existing one, on add and edit', async () => {
    const cli = await freshVault();
    await cli.add(' stripe-prod ', 'v1-value');
    expect((await cli.json<CredentialSummary[]>(['list'])).map((c) => c.name)).toEqual(['stripe-prod']);
    expect((await cli.expectOk(['get', 'stripe-prod'])).stdout).toBe('v1-value\n');
    const upper = await cli.add('STRIPE-PROD', 'v2-value');
    expect(upper.code).toBe(8);
    expectOneLineError(upper.stderr, /A credential named "stripe-prod" already exists; names that differ only in case/);
    await cli.add('other', 'v3-value');
    const rename = await cli.run(['edit', 'other', '--name', ' Stripe-Prod']);
    expect(rename.code).toBe(8);
    expectOneLineError(rename.stderr, /"stripe-prod" already exists/);
    // Renaming a credential to a case variant of its own name is fine.
    await cli.expectOk(['edit', 'stripe-prod', '--name', 'Stripe-Prod']);
    expect((await cli.json<CredentialSummary[]>(['list'])).map((c) => c.name).sort()).toEqual(['Stripe-Prod', 'other']);
  });
});

describe('safeText (what every untrusted string passes before reaching a terminal)', () => {
  it('escapes C0/C1 controls, line separators and bidi controls, and leaves other text alone', () => {
    expect(safeText('a\nb\tc\rd\u0000e\u001b[2Jf\u009bg\u2028h')).toBe('a\\nb\\tc\\rd\\u0000e\\u001b[2Jf\\u009bg\\u2028h');
    expect(safeText('pay\u202egnp.exe')).toBe('pay\\u202egnp.exe');
    expect(safeText('\u2066\u2067\u2068\u2069\u200e\u200f\u061c')).toBe('\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c');
    expect(safeText('Ключ 🔑 clé — 鍵 ✓')).toBe('Ключ 🔑 clé — 鍵 ✓');
  });
});
