/**
 * No secret value — nor a master password — appears in clear (or hex, base64,
 * UTF-16) in any file Keyward writes, in the stdout/stderr of any command
 * other than `get`, or in any error message or audit event. Every value here
 * is random and distinctive, so finding it anywhere means it leaked.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryAuditSink } from '../core/audit/audit-sink.js';
import { KeywardError, toErrorInfo } from '../core/errors.js';
import { createTestVault, distinctiveSecret, strongPassword, testService } from './helpers/builders.js';
import { CliVault, type CliOptions, type CliResult } from './helpers/cli.js';
import { useTempDirs } from './helpers/temp-dirs.js';
import { findInAnyEncoding } from './helpers/vault-file.js';

const tempDir = useTempDirs();

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('the CLI and the files it writes', () => {
  it('leak no value or password through files, non-get output or errors', async () => {
    const dir = await tempDir();
    const masterPassword = distinctiveSecret('master');
    const cli = new CliVault(dir, masterPassword);
    const wrongPassword = distinctiveSecret('wrong');
    const newPassword = distinctiveSecret('newmaster');
    const secrets = new Map<string, string>();
    const secret = (label: string, value = distinctiveSecret(label)) => (secrets.set(label, value), value);

    const outputs: { label: string; result: CliResult }[] = [];
    const getOutputs: { name: string; result: CliResult }[] = [];
    const run = async (label: string, args: string[], options: CliOptions = {}, expected = 0) => {
      const result = await cli.run(args, options);
      expect(result.code, `${label}: ${result.stderr}`).toBe(expected);
      outputs.push({ label, result });
      return result;
    };
    const get = async (name: string, options: CliOptions = {}) => {
      const result = await cli.run(['get', name, '--json'], options);
      expect(result.code, result.stderr).toBe(0);
      getOutputs.push({ name, result });
      return (JSON.parse(result.stdout) as { value: string }).value;
    };

    await run('init', ['init', '--kdf-iterations', '100000']);
    await run('add api key', ['add', 'gh', '--type', 'api_key', '--provider', 'GitHub', '--field', 'keyId=public-id', '--tag', 'ci'], { stdin: `${secret('api')}\n` });
    await run('add password', ['add', 'mail', '--type', 'password', '--field', 'username=me@example.com'], { stdin: secret('pw', strongPassword()) });
    await run('add generated', ['add', 'gen', '--type', 'secret', '--generate', '--json']);
    await run('add multi-line', ['add', 'pem', '--type', 'secret'], { stdin: `-----BEGIN-----\n${secret('pem')}\n-----END-----\n` });
    await run('list', ['list']);
    await run('list json', ['list', '--json']);
    await run('show', ['show', 'gh']);
    await run('show json', ['show', 'gh', '--json']);
    await run('rotate', ['rotate', 'gh', '--json'], { stdin: secret('api-rotated') });
    await run('rotate generated', ['rotate', 'mail', '--generate']);
    await run('history', ['history', 'gh', '--json']);
    await run('deactivate', ['deactivate', 'gh', '--json']);
    await run('backups', ['backups', '--json']);
    // Failures with a value on stdin: the value must not come back in the error.
    await run('add existing', ['add', 'gh', '--type', 'api_key'], { stdin: secret('dup') }, 8);
    await run('policy refusal', ['add', 'weak', '--type', 'password'], { stdin: secret('weak', distinctiveSecret('weak').toLowerCase().replace(/-/g, '')) }, 7);
    await run('policy refusal on rotate', ['rotate', 'mail'], { stdin: secret('weak2', `x${Date.now()}`) }, 7);
    await run('rotate missing', ['rotate', 'nope'], { stdin: secret('missing') }, 4);
    await run('bad type', ['add', 'bad', '--type', 'nope'], { stdin: secret('badtype') }, 2);
    await run('too large', ['add', 'big', '--type', 'secret'], { stdin: secret('big', `${distinctiveSecret('big')}${'x'.repeat(1024 * 1024)}`) }, 2);
    await run('wrong password with value', ['add', 'late', '--type', 'secret'], { password: wrongPassword, stdin: secret('late') }, 3);
    await run('passwd', ['passwd'], { env: { KEYWARD_NEW_PASSWORD: newPassword } });

    // `get` is the one command that prints a value: exactly the one asked for, on stdout only.
    const withNew = { password: newPassword };
    expect(await get('gh', withNew)).toBe(secrets.get('api-rotated'));
    secret('generated', await get('gen', withNew));
    secret('generated-pw', await get('mail', withNew));
    expect(await get('pem', withNew)).toBe(`-----BEGIN-----\n${secrets.get('pem')}\n-----END-----`);
    for (const { result } of getOutputs) expect(result.stderr).toBe('');

    const needles: [string, string][] = [
      ...[...secrets].map(([label, value]) => [`value "${label}"`, value.length > 200 ? value.slice(0, 60) : value] as [string, string]),
      ['master password', masterPassword],
      ['wrong password', wrongPassword],
      ['new master password', newPassword],
    ];

    for (const { label, result } of outputs)
      for (const [what, needle] of needles) {
        expect(result.stdout.includes(needle), `${what} in stdout of ${label}`).toBe(false);
        expect(result.stderr.includes(needle), `${what} in stderr of ${label}`).toBe(false);
      }
    const passwords = needles.slice(-3);
    for (const { name, result } of getOutputs) {
      for (const [what, needle] of needles) expect(result.stderr.includes(needle), `${what} in stderr of get ${name}`).toBe(false);
      for (const [what, needle] of passwords) expect(result.stdout.includes(needle), `${what} in stdout of get ${name}`).toBe(false);
    }

    const files = await filesUnder(dir);
    expect(files.length).toBeGreaterThan(3); // the vault, backups, the lockout counter
    for (const file of files) {
      const bytes = await readFile(file);
      for (const [what, needle] of needles) expect(findInAnyEncoding(bytes, needle), `${what} in ${file}`).toBeNull();
    }
  });
});

describe('errors and audit events in process', () => {
  it('never carry the value, whatever fails', async () => {
    const v = await createTestVault(await tempDir());
    const audit = new MemoryAuditSink();
    const svc = testService(v.session, { audit });
    const value = distinctiveSecret('value');
    await svc.add({ name: 'k', type: 'secret' }, { value });
    const weak = distinctiveSecret('weak').toLowerCase().replace(/-/g, '');
    const failures = await Promise.all([
      svc.add({ name: 'k', type: 'secret' }, { value }).catch((e: unknown) => e),
      svc.add({ name: 'p', type: 'password' }, { value: weak }).catch((e: unknown) => e),
      svc.rotate('missing', { value }).catch((e: unknown) => e),
      svc.add({ name: 'x', type: 'secret', expiresAt: 'never' }, { value }).catch((e: unknown) => e),
      svc.add({ name: '', type: 'secret' }, { value }).catch((e: unknown) => e),
      svc.add({ name: 'big', type: 'secret' }, { value: value + 'x'.repeat(1024 * 1024) }).catch((e: unknown) => e),
    ]);
    for (const err of failures) {
      expect(err).toBeInstanceOf(KeywardError);
      const shown = JSON.stringify(toErrorInfo(err)) + String((err as Error).stack);
      expect(shown).not.toContain(value);
      expect(shown).not.toContain(weak);
    }
    const events = JSON.stringify(audit.events);
    expect(events).not.toContain(value);
    expect(events).not.toContain(weak);
    // Unknown errors are never passed on as they are: their text may quote data.
    expect(toErrorInfo(new Error(`JSON parse error near "${value}"`))).toEqual({
      code: 'INTERNAL',
      message: 'Internal error: nothing was changed. Please report this.',
    });
    v.session.lock();
  });
});
