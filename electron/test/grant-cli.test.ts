/**
 * Grants from the command line (issue 13; docs/grants.md): the owner makes,
 * lists, shows, suspends and revokes them; a program with only KEYWARD_TOKEN
 * (no password, no keychain) runs with exactly the secrets its grant covers —
 * only the commands it allows, never handed a value as a runner, refused out
 * of scope (exit 4) and once revoked (exit 3) — and every use lands in the
 * audit trail under the grant's name.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GrantView, NewGrant } from '../../shared/grants.js';
import { CliVault } from './helpers/cli.js';

const STRIPE = 'sk_live_GrantCli0123456789abcdef';
const BANK = 'bank-Secret-Value-0123456789';

describe('keyward grant and KEYWARD_TOKEN', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-grant-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = new CliVault(dir);
  const asToken = (token: string, args: string[]) => cli.run(args, { password: null, env: { KEYWARD_TOKEN: token } });
  let ready: Promise<void> | null = null;
  const setup = () =>
    (ready ??= (async () => {
      await cli.init();
      await cli.add('stripe-prod', STRIPE, 'api_key', ['--provider', 'Stripe', '--tag', 'production']);
      await cli.add('bank', BANK, 'secret');
    })());

  it('makes a grant, shows its token once, and never again', async () => {
    await setup();
    const made = await cli.json<NewGrant>(['grant', 'add', 'deploy', '--role', 'runner', '--scope', 'tag:production', '--allow-command', 'sh -c', '--expires', '2099-01-01']);
    expect(made.token).toMatch(/^kwg_/);
    expect(made.grant).toMatchObject({ name: 'deploy', role: 'runner', scopes: ['tag:production'], allowCommands: [['sh', '-c']], expiresAt: '2099-01-01T23:59:59.999Z', covers: 1 });
    const list = await cli.expectOk(['grant', 'list']);
    expect(list.stdout).toMatch(/^deploy\s+runner\s+1 credential/m);
    const listed = await cli.json<GrantView[]>(['grant', 'list']);
    expect(JSON.stringify(listed)).not.toContain(made.token);
    expect((await cli.expectOk(['grant', 'show', 'deploy'])).stdout).not.toContain(made.token);
    // Nothing beside the vault holds the token.
    for (const f of await readdir(dir, { recursive: true })) {
      const bytes = await readFile(join(dir, f)).catch(() => null);
      if (bytes) expect(bytes.includes(Buffer.from(made.token)), f).toBe(false);
    }
  });

  it('runs an allowed command with the secrets in scope, by the token alone; refuses the rest', async () => {
    await setup();
    const { token } = await cli.json<NewGrant>(['grant', 'add', 'runner', '--role', 'runner', '--scope', 'provider:stripe', '--allow-command', 'sh -c']);
    const ok = await asToken(token, ['run', '--env', 'KEY=stripe-prod', '--', 'sh', '-c', 'echo "key $KEY"; env | grep -c ^KEYWARD_ || true; exit 7']);
    expect(ok.code).toBe(7);
    expect(ok.stdout).toBe('key <concealed:stripe-prod>\n0\n');
    // Out of scope: exit 4 before anything runs; another command: refused; a value: a runner never gets one.
    const out = await asToken(token, ['run', '--env', 'KEY=bank', '--', 'sh', '-c', 'echo started']);
    expect([out.code, out.stdout]).toEqual([4, '']);
    expect(out.stderr).toMatch(/bank names no credential that the grant "runner" covers/);
    const other = await asToken(token, ['run', '--env', 'KEY=stripe-prod', '--', 'env']);
    expect([other.code, other.stdout]).toEqual([1, '']);
    expect(other.stderr).toMatch(/may run only commands starting with "sh -c"/);
    const value = await asToken(token, ['env', 'stripe-prod']);
    expect(value.code).toBe(1);
    expect(value.stdout).not.toContain(STRIPE);
  });

  it('a reader receives values in scope (env, inject); the grant’s uses are in the trail under its name', async () => {
    await setup();
    const { token } = await cli.json<NewGrant>(['grant', 'add', 'reader', '--role', 'reader', '--scope', 'name:stripe-*']);
    const env = await asToken(token, ['env', 'KEY=stripe-prod']);
    expect([env.code, env.stdout.trim()]).toEqual([0, `export KEY='${STRIPE}'`]);
    const records = await cli.json<{ actor: string; action: string; credential?: string; locked?: boolean }[]>(['audit', '--actor', 'grant:reader']);
    expect(records.map((r) => [r.action, r.credential, r.locked])).toEqual([['reveal', 'stripe-prod', true]]);
    expect((await cli.json<GrantView>(['grant', 'show', 'reader'])).uses).toBe(1);
  });

  it('suspended and revoked grants open nothing (exit 3); bad input is refused with what is allowed', async () => {
    await setup();
    const { token } = await cli.json<NewGrant>(['grant', 'add', 'temp', '--role', 'reader']);
    await cli.expectOk(['grant', 'suspend', 'temp']);
    expect((await asToken(token, ['env', 'bank'])).code).toBe(3);
    await cli.expectOk(['grant', 'resume', 'temp']);
    expect((await asToken(token, ['env', 'bank'])).code).toBe(0);
    await cli.expectOk(['grant', 'revoke', 'temp']);
    const revoked = await asToken(token, ['env', 'bank']);
    expect(revoked.code).toBe(3);
    expect(revoked.stderr).toMatch(/revoked/);
    expect((await asToken('kwg_not-a-token', ['env', 'bank'])).code).toBe(3);

    const bad = await cli.run(['grant', 'add', 'x', '--role', 'owner']);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/viewer, runner, reader, rotator or admin/)]);
    expect((await cli.run(['grant', 'add', 'x', '--role', 'reader', '--scope', 'colour:red'])).code).toBe(2);
    expect((await cli.run(['grant', 'add', 'x', '--role', 'reader', '--expires', 'tomorrow'])).code).toBe(2);
    expect((await cli.run(['grant', 'add', 'deploy', '--role', 'reader'])).code).toBe(8);
    expect((await cli.run(['grant', 'revoke', 'nobody'])).code).toBe(4);
    expect((await cli.run(['grant', 'list', '--role', 'reader'])).code).toBe(2);
  });
});
