/**
 * Secret references for programs (issue 13; docs/env.md): `keyward env`
 * prints export lines that a real POSIX shell (dash, and bash) reads back
 * byte for byte whatever the value holds, and `keyward inject` fills a
 * config file created for the user alone. A reference to nothing is refused
 * (exit 4) before any value is read; every value read is recorded.
 */
import { spawnSync } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { candidates, parseReference, shellQuote, variableFor } from '../core/env/references.js';
import { CliVault } from './helpers/cli.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs();

/** Values a careless quoting would let a shell run, split, expand or cut. */
const HOSTILE = [
  "it's",
  "'",
  "''\\''",
  '$(touch /tmp/keyward-pwned)',
  '`id`',
  '${HOME}',
  '$HOME and $1',
  'a b\tc',
  'line one\nline two\n',
  '\\\\n\\x41',
  '"double" and \\"escaped\\"',
  '; rm -rf / #',
  '-n',
  '*',
  '~',
  'émoji 🔑 and ü',
  '!event !! history',
  'ends with a backslash \\',
];

/** What /bin/sh and bash read back from `lines`, each variable's value by name (printed with printf, NUL-separated). */
function evaluate(shell: string, lines: string, names: string[]): string[] {
  const script = `eval "$(cat)"\n${names.map((n) => `printf '%s\\0' "$${n}"`).join('\n')}`;
  const r = spawnSync(shell, ['-c', script], { input: lines, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\0').slice(0, names.length);
}

describe('references and quoting', () => {
  it('single-quotes any value so that a shell reads it back exactly (dash and bash)', () => {
    const names = HOSTILE.map((_, i) => `V${i}`);
    const lines = HOSTILE.map((v, i) => `export V${i}=${shellQuote(v)}`).join('\n');
    for (const shell of ['/bin/sh', 'bash']) expect(evaluate(shell, lines, names)).toEqual(HOSTILE);
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });

  it('reads kw:// references: the whole path as a name, or the last part as a field; names variables after them', () => {
    expect(candidates(parseReference('kw://stripe/prod/keyId'))).toEqual([{ name: 'stripe/prod/keyId' }, { name: 'stripe/prod', field: 'keyId' }]);
    expect(candidates(parseReference('kw://a%2Fb'))).toEqual([{ name: 'a/b' }]);
    expect(candidates(parseReference('plain name'))).toEqual([{ name: 'plain name' }]);
    expect(() => parseReference('kw://')).toThrow(/names no credential/);
    expect(() => parseReference('kw://bad%zz')).toThrow(/not a valid reference/);
    expect(variableFor(parseReference('stripe-prod'))).toBe('STRIPE_PROD');
    expect(variableFor(parseReference('2fa/backup codes'))).toBe('_2FA_BACKUP_CODES');
  });
});

describe('keyward env and inject', () => {
  // One vault for these tests (adding each hostile value is a CLI run of its own), in a folder of its own.
  let shared: Promise<CliVault> | null = null;
  let sharedDir: string | null = null;
  afterAll(() => sharedDir && rmSync(sharedDir, { recursive: true, force: true }));
  const vault = () => (shared ??= makeVault());
  async function makeVault() {
    sharedDir = mkdtempSync(join(tmpdir(), 'keyward-env-test-'));
    const cli = new CliVault(sharedDir);
    await cli.init();
    for (const [i, value] of HOSTILE.entries()) await cli.run(['add', `hostile-${i}`, '--type', 'secret'], { stdin: value });
    await cli.add('db/prod', 'Xk9!pg-password-for-prod', 'password', ['--field', 'username=app', '--force']);
    return cli;
  }

  it('env: export lines a shell evaluates exactly, VAR=REF and kw://NAME/FIELD too; each value read is recorded', async () => {
    const cli = await vault();
    const stored = await Promise.all(HOSTILE.map(async (_, i) => (await cli.expectOk(['get', `hostile-${i}`])).stdout));
    const r = await cli.expectOk(['env', ...HOSTILE.map((_, i) => `V${i}=hostile-${i}`), 'DB_USER=kw://db/prod/username', 'kw://db/prod']);
    const names = [...HOSTILE.map((_, i) => `V${i}`), 'DB_USER', 'DB_PROD'];
    // (get prints the value and a newline, which the CLI drops from what a pipe gave it on add when it ends in one.)
    const expected = [...stored.map((s) => s.slice(0, -1)), 'app', 'Xk9!pg-password-for-prod'];
    for (const shell of ['/bin/sh', 'bash']) expect(evaluate(shell, r.stdout, names)).toEqual(expected);
    const reads = await cli.json<{ action: string; credential?: string }[]>(['audit', '--action', 'reveal', '--credential', 'db/prod']);
    expect(reads.length).toBeGreaterThanOrEqual(1);
  });

  it('env refuses before reading anything: a reference to nothing (exit 4), a field it does not have, a KEYWARD_* or repeated variable (exit 2)', async () => {
    const cli = await vault();
    const before = (await cli.json<unknown[]>(['audit', '--action', 'reveal'])).length;
    const missing = await cli.run(['env', 'hostile-0', 'kw://nothing-here']);
    expect(missing.code).toBe(4);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/kw:\/\/nothing-here names no credential/);
    expect((await cli.run(['env', 'kw://db/prod/password'])).code).toBe(4);
    const own = await cli.run(['env', 'KEYWARD_PASSWORD=hostile-0']);
    expect(own.code).toBe(2);
    expect(own.stderr).toMatch(/KEYWARD_\* are Keyward's own/);
    expect((await cli.run(['env', 'A=hostile-0', 'A=hostile-1'])).code).toBe(2);
    expect((await cli.run(['env', '1BAD=hostile-0'])).code).toBe(2);
    // Nothing was read by any of them (the audit trail's reveals are as before, plus none).
    expect((await cli.json<unknown[]>(['audit', '--action', 'reveal'])).length).toBe(before);
  });

  it('inject fills {{ kw://… }} in a template into a file only the user can read, and never over a file unless --force', async () => {
    const cli = await vault();
    const dir = await tempDir();
    const template = join(dir, 'app.env.tpl');
    await writeFile(template, 'DATABASE_URL=postgres://{{ kw://db/prod/username }}:{{kw://db/prod}}@db:5432/app\nAGAIN={{ kw://db/prod }}\nLEFT={{ not a reference }}\n');
    const out = join(dir, 'app.env');
    const r = await cli.expectOk(['inject', '--in', template, '--out', out]);
    expect(r.stdout).toMatch(/3 references filled from 2 credential values/);
    expect(await readFile(out, 'utf8')).toBe('DATABASE_URL=postgres://app:Xk9!pg-password-for-prod@db:5432/app\nAGAIN=Xk9!pg-password-for-prod\nLEFT={{ not a reference }}\n');
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const again = await cli.run(['inject', '--in', template, '--out', out]);
    expect(again.code).toBe(8);
    expect(again.stderr).toMatch(/exists; nothing was written\. Use --force/);
    await cli.expectOk(['inject', '--in', template, '--out', out, '--force']);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    // A reference to nothing: exit 4, and no file.
    await writeFile(template, 'X={{ kw://gone }}\n');
    const none = await cli.run(['inject', '--in', template, '--out', join(dir, 'other.env')]);
    expect(none.code).toBe(4);
    await expect(stat(join(dir, 'other.env'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
