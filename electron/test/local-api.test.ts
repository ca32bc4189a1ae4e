/**
 * The local API (issue 13; docs/local-api.md), served as the app serves it —
 * the same application layer on a real Unix socket — and used by the real CLI:
 * missing, wrong, revoked and expired tokens; requests out of scope and out of
 * role; "ask" grants approved or declined; the trail and incidents only while
 * unlocked; every use recorded at once under the grant's name; and a socket
 * (or its folder) that is not this user's alone refused by the client.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { chmod, chown, mkdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveLocalApi } from '../app/local-api-server.js';
import { LocalApi } from '../core/api/local-api.js';
import { CliSessions } from '../core/api/cli-sessions.js';
import { QUIET_AFTER_DECLINE_MS } from '../core/api/approval-throttle.js';
import { systemClock } from '../core/ports/clock.js';
import { localApiSocketPath } from '../core/api/socket-path.js';
import { proofFor, SERVER_KEY_BYTES, serverKeyPath } from '../core/api/server-proof.js';
import { openCore } from '../core/composition.js';
import type { ApprovalRequest } from '../core/grants/grant-access.js';
import { FakeClock } from '../core/ports/clock.js';
import type { UnlockedVault } from '../core/service/vault-lifecycle.js';
import { checkSocketOwner, connectLocalApi } from '../cli/local-api-client.js';
import { distinctiveSecret, strongPassword, TEST_KDF_ITERATIONS, testDeps } from './helpers/builders.js';
import { cliEnv, runCli } from './helpers/cli.js';
import { builtCli } from './helpers/paths.js';
import { spawn } from 'node:child_process';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs();

async function servedVault() {
  const dir = await tempDir();
  const path = join(dir, 'vault.keyward');
  const runtime = join(dir, 'run');
  const password = strongPassword() + strongPassword();
  const clock = new FakeClock(new Date('2026-12-01T10:00:00Z'));
  const core = openCore({ actor: 'test', deps: testDeps({ clock, stateDir: join(dir, 'state') }) });
  const lifecycle = core.vault(path);
  let vault: UnlockedVault | null = await lifecycle.create({ password, useKeychain: false, kdfIterations: TEST_KDF_ITERATIONS, weakPasswordHint: '' });
  const values = { prod: distinctiveSecret('prod'), bank: distinctiveSecret('bank') };
  await vault.credentials.add({ name: 'stripe-prod', type: 'api_key', provider: 'Stripe', tags: ['production'] }, { value: values.prod });
  await vault.credentials.add({ name: 'bank', type: 'secret' }, { value: values.bank });
  const asked: ApprovalRequest[] = [];
  let allow = true;
  const api = new LocalApi({ lifecycle: () => lifecycle, vault: () => vault, clock, approve: async (r) => (asked.push(r), allow) });
  const socket = localApiSocketPath(path, { KEYWARD_RUNTIME_DIR: runtime });
  const server = await serveLocalApi(api, socket);
  return {
    dir,
    path,
    lifecycle,
    runtime,
    socket,
    clock,
    values,
    asked,
    setAllow: (a: boolean) => (allow = a),
    vault: () => vault!,
    lock: async () => {
      await vault!.lock('command-end');
      vault = null;
    },
    close: () => server.close(),
  };
}

/** A vault created in a temporary folder by a process playing the app (actor "app"), with where its socket goes. */
async function appVault() {
  const dir = await tempDir();
  const path = join(dir, 'vault.keyward');
  const password = strongPassword() + strongPassword();
  const lifecycle = openCore({ actor: 'app', deps: testDeps({ stateDir: join(dir, 'state') }) }).vault(path);
  const vault = await lifecycle.create({ password, useKeychain: false, kdfIterations: TEST_KDF_ITERATIONS, weakPasswordHint: '' });
  return { dir, path, runtime: join(dir, 'run'), password, lifecycle, vault };
}

/** A shell script run in a session of its own (as a terminal's shell is), without KEYWARD_PASSWORD. */
function inOneSession(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('sh', ['-c', script], { env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const failure = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code: string }) => e.code);

describe('the local API', () => {
  it('answers what a grant allows over a 0600 socket in a 0700 folder; refuses bad, wrong and out-of-scope requests', async () => {
    const s = await servedVault();
    try {
      expect((await stat(s.runtime)).mode & 0o777).toBe(0o700);
      expect((await stat(s.socket)).mode & 0o777).toBe(0o600);
      const { token } = await s.vault().grants.add({ name: 'prod-reader', role: 'reader', scopes: ['tag:production'] });
      const { token: viewerToken } = await s.vault().grants.add({ name: 'dash', role: 'viewer' });

      const client = (await connectLocalApi(s.socket, token))!;
      expect(await client.call('whoami')).toMatchObject({ grant: 'prod-reader', role: 'reader', scopes: ['tag:production'] });
      expect(((await client.call('list')) as { name: string }[]).map((c) => c.name)).toEqual(['stripe-prod']);
      expect(await client.call('get', { name: 'stripe-prod' })).toEqual({ value: s.values.prod });
      expect(await failure(client.call('get', { name: 'bank' }))).toBe('NOT_FOUND');
      expect(await failure(client.call('get', {}))).toBe('BAD_REQUEST');
      expect(await failure(client.call('nonsense' as 'get', {}))).toBe('BAD_REQUEST');
      expect(await client.call('health')).toMatchObject({ credentials: 1 });
      client.close();

      const viewer = (await connectLocalApi(s.socket, viewerToken))!;
      expect(await failure(viewer.call('get', { name: 'bank' }))).toBe('FORBIDDEN');
      expect(await failure(viewer.call('resolve', { names: ['bank'], purpose: 'run', command: ['sh'] }))).toBe('FORBIDDEN');
      viewer.close();
      for (const bad of ['', 'kwg_nope', viewerToken.slice(0, -1) + (viewerToken.endsWith('A') ? 'B' : 'A')]) {
        const c = (await connectLocalApi(s.socket, bad || 'x'))!;
        expect(await failure(c.call('list'))).toMatch(/^(AUTH_FAILED|BAD_REQUEST)$/);
        c.close();
      }

      // Every use is in the trail at once, under the grant's name (the app holds the vault key).
      const records = await s.vault().auditRecords({ actor: 'grant:prod-reader' });
      expect(records.filter((r) => r.action === 'reveal').map((r) => [r.credential, r.outcome, r.locked ?? false])).toEqual([['stripe-prod', 'success', false]]);
    } finally {
      await s.close();
    }
  });

  it('an admin grant changes credentials in its scope through the app, recorded as the grant; never outside it, nor out of a rule, nor while locked', async () => {
    const s = await servedVault();
    try {
      await s.vault().addPolicyRule({ name: 'stripe-names', scopes: ['name:stripe-*'], settings: { rotate_every_days: 14 } });
      const { token } = await s.vault().grants.add({ name: 'ops', role: 'admin', scopes: ['tag:production'] });
      const { token: readerToken } = await s.vault().grants.add({ name: 'reader', role: 'reader' });
      const ops = (await connectLocalApi(s.socket, token, s.path))!;
      const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code: string }) => e.code);

      const made = (await ops.call('add', { name: 'deploy-key', type: 'api_key', tags: ['production'], value: 'dk_live_MadeByTheGrant0123456789' })) as { name: string; currentVersion: number };
      expect(made).toMatchObject({ name: 'deploy-key', currentVersion: 1 });
      expect(JSON.stringify(made)).not.toContain('dk_live_');
      expect(await s.vault().credentials.reveal('deploy-key')).toBe('dk_live_MadeByTheGrant0123456789');
      // Outside its scope: a new one refused, an existing one as absent, an edit that would leave it refused.
      expect(await code(ops.call('add', { name: 'test-key', type: 'api_key', tags: ['test'], value: 'tk_0123456789abcdef0123' }))).toBe('FORBIDDEN');
      expect((await s.vault().credentials.list()).map((c) => c.name)).not.toContain('test-key');
      expect(await code(ops.call('remove', { name: 'bank' }))).toBe('NOT_FOUND');
      expect(await code(ops.call('edit', { name: 'deploy-key', patch: { tags: ['test'] } }))).toBe('FORBIDDEN');
      await ops.call('edit', { name: 'deploy-key', patch: { description: 'CI deploys' } });
      expect((await s.vault().credentials.show('deploy-key')).description).toBe('CI deploys');
      // Out of a custom rule's scope: the owner's alone.
      const leaving = await ops.call('edit', { name: 'stripe-prod', patch: { name: 'live-key' } }).then(() => null, (e: { code: string; message: string }) => e);
      expect(leaving).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/out of the rule "stripe-names".*Only the vault's owner can/) });
      expect((await s.vault().credentials.list()).map((c) => c.name)).toContain('stripe-prod');
      // A new value, given or generated; the old one kept in history.
      expect(await ops.call('set_value', { name: 'deploy-key', value: 'dk_live_SecondValue0123456789ab' })).toMatchObject({ currentVersion: 2 });
      expect(await ops.call('set_value', { name: 'deploy-key', generate: true })).toMatchObject({ currentVersion: 3 });
      expect(await code(ops.call('set_value', { name: 'deploy-key' }))).toBe('BAD_REQUEST');
      expect(await ops.call('remove', { name: 'deploy-key' })).toMatchObject({ name: 'deploy-key' });
      ops.close();
      // A reader may read, never change.
      const reader = (await connectLocalApi(s.socket, readerToken, s.path))!;
      expect(await code(reader.call('add', { name: 'x', type: 'secret', tags: ['production'], value: 'x-0123456789abcdef' }))).toBe('FORBIDDEN');
      reader.close();
      // Recorded under the grant's name by the app.
      const byOps = (await s.vault().auditRecords({ actor: 'grant:ops' })).map((r) => `${r.action}:${r.outcome}`);
      expect(byOps).toEqual(expect.arrayContaining(['add:success', 'update:success', 'rotate:success', 'remove:success']));

      // The CLI with the token: add and rm through the app.
      const env = { KEYWARD_TOKEN: token, KEYWARD_RUNTIME_DIR: s.runtime };
      const add = await runCli(s.path, ['add', 'cli-key', '--type', 'api_key', '--tag', 'production'], { password: null, env, stdin: 'ck_live_FromTheCli0123456789abc\n' });
      expect([add.code, add.stdout], add.stderr).toEqual([0, 'Added "cli-key" (api_key, version 1).\n']);
      expect(await s.vault().credentials.reveal('cli-key')).toBe('ck_live_FromTheCli0123456789abc');
      const rm = await runCli(s.path, ['rm', 'cli-key'], { password: null, env });
      expect([rm.code, rm.stdout], rm.stderr).toEqual([0, 'Removed "cli-key" (recoverable from backups).\n']);
      // Locked: refused, saying why.
      await s.lock();
      const locked = (await connectLocalApi(s.socket, token, s.path))!;
      expect(await code(locked.call('remove', { name: 'stripe-prod' }))).toBe('VAULT_LOCKED');
      locked.close();
    } finally {
      await s.close();
    }
  });

  it('bounds what one connection may hold: requests waiting past the limit are answered BUSY at once; an idle connection is closed', async () => {
    const s = await servedVault();
    await s.close();
    const { token } = await s.vault().grants.add({ name: 'busy', role: 'viewer' });
    const socket = localApiSocketPath(s.path, { KEYWARD_RUNTIME_DIR: join(s.runtime, 'bounded') });
    const server = await serveLocalApi(new LocalApi({ lifecycle: () => s.lifecycle, vault: () => s.vault(), clock: s.clock }), socket, { idleMs: 300, maxWaiting: 2 });
    try {
      const client = (await connectLocalApi(socket, token))!;
      const answers = await Promise.all(Array.from({ length: 40 }, () => client.call('whoami').then(() => 'ok', (e: { code: string }) => e.code)));
      expect(answers.filter((a) => a === 'ok').length).toBeGreaterThanOrEqual(2);
      expect(answers.filter((a) => a === 'BUSY').length).toBeGreaterThan(0);
      expect(answers.every((a) => a === 'ok' || a === 'BUSY')).toBe(true);
      // Answered: room again on the same connection.
      expect(await client.call('whoami')).toMatchObject({ grant: 'busy' });
      // Left idle past the limit: closed by the app.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await client.call('whoami').then(() => 'ok', (e: { code: string }) => e.code)).toBe('BUSY');
      client.close();
    } finally {
      await server.close();
    }
  });

  it('revoked and expired grants open nothing; the trail and incidents are read only while unlocked', async () => {
    const s = await servedVault();
    try {
      const a = await s.vault().grants.add({ name: 'a', role: 'reader', expiresAt: '2026-12-02' });
      const b = await s.vault().grants.add({ name: 'b', role: 'viewer' });
      const ca = (await connectLocalApi(s.socket, a.token))!;
      const cb = (await connectLocalApi(s.socket, b.token))!;
      expect(await failure(ca.call('list'))).toBe('ok');
      s.clock.set(new Date('2026-12-03T00:00:00Z'));
      expect(await failure(ca.call('get', { name: 'bank' }))).toBe('AUTH_FAILED');
      expect(((await cb.call('audit', { limit: 50 })) as unknown[]).length).toBeGreaterThan(0);
      expect(await cb.call('incidents')).toEqual([]);
      await s.vault().grants.revoke('b');
      expect(await failure(cb.call('list'))).toBe('AUTH_FAILED');
      const c = await s.vault().grants.add({ name: 'c', role: 'viewer' });
      await s.lock();
      const cc = (await connectLocalApi(s.socket, c.token))!;
      expect(await failure(cc.call('list'))).toBe('ok');
      expect(await failure(cc.call('audit'))).toBe('VAULT_LOCKED');
      for (const x of [ca, cb, cc]) x.close();
    } finally {
      await s.close();
    }
  });

  it('"ask me each time": one approval for all the values a command needs, declined or given; values from the vault, never the file', async () => {
    const s = await servedVault();
    try {
      const { token } = await s.vault().grants.add({ name: 'asker', role: 'runner', ask: true, allowCommands: ['sh -c'] });
      const client = (await connectLocalApi(s.socket, token))!;
      s.setAllow(false);
      expect(await failure(client.call('resolve', { names: ['stripe-prod', 'bank'], purpose: 'run', command: ['sh', '-c', 'true'] }))).toBe('FORBIDDEN');
      s.setAllow(true);
      // Declined moments ago: refused without asking (a program retrying gets refusals, not dialogs).
      expect(await failure(client.call('resolve', { names: ['stripe-prod', 'bank'], purpose: 'run', command: ['sh', '-c', 'true'] }))).toBe('FORBIDDEN');
      expect(s.asked).toHaveLength(1);
      s.clock.advance(QUIET_AFTER_DECLINE_MS);
      expect(await client.call('resolve', { names: ['stripe-prod', 'bank'], purpose: 'run', command: ['sh', '-c', 'true'] })).toEqual({ values: [s.values.prod, s.values.bank] });
      expect(s.asked.map((r) => [r.grant, r.purpose, r.credentials, r.command])).toEqual([
        ['asker', 'run', ['stripe-prod', 'bank'], ['sh', '-c', 'true']],
        ['asker', 'run', ['stripe-prod', 'bank'], ['sh', '-c', 'true']],
      ]);
      expect(s.asked[0]!.program?.pid).toBe(process.pid);
      // A command the grant does not allow is refused before anyone is asked.
      expect(await failure(client.call('resolve', { names: ['bank'], purpose: 'run', command: ['env'] }))).toBe('FORBIDDEN');
      expect(s.asked).toHaveLength(2);
      // Locked, the app has no values to give: refused, still without asking.
      client.close();
      await s.lock();
      const again = (await connectLocalApi(s.socket, token))!;
      expect(await failure(again.call('resolve', { names: ['bank'], purpose: 'run', command: ['sh', '-c', 'true'] }))).toBe('FORBIDDEN');
      again.close();
    } finally {
      await s.close();
    }
  });

  it('the CLI uses the running app for a token: run through the API, recorded at once', async () => {
    const s = await servedVault();
    try {
      const { token } = await s.vault().grants.add({ name: 'ci', role: 'runner', allowCommands: ['sh -c'] });
      const r = await runCli(s.path, ['run', '--env', 'K=stripe-prod', '--', 'sh', '-c', 'echo "k=$K"'], { env: { KEYWARD_TOKEN: token, KEYWARD_RUNTIME_DIR: s.runtime } });
      expect([r.code, r.stdout], r.stderr).toEqual([0, 'k=<concealed:stripe-prod>\n']);
      // Not pending: the app chained it as it happened.
      const reveal = (await s.vault().auditRecords({ actor: 'grant:ci' })).filter((x) => x.action === 'reveal.run');
      expect(reveal.map((x) => [x.credential, x.locked ?? false])).toEqual([['stripe-prod', false]]);
    } finally {
      await s.close();
    }
  });

  it('the client refuses a socket in a folder others may enter, or one another user owns; a dead socket is no app', async () => {
    const dir = await tempDir();
    const folder = join(dir, 'run');
    await mkdir(folder, { mode: 0o700 });
    const path = join(folder, 'api-0000000000000000.sock');
    expect(await checkSocketOwner(path)).toBe('absent');
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      expect(await checkSocketOwner(path)).toBe('ok');
      await chmod(folder, 0o755);
      await expect(connectLocalApi(path, 'kwg_x')).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/other users may enter/) });
      await chmod(folder, 0o700);
      if (process.getuid?.() === 0) {
        // As root (CI containers), the socket can be given to another user: it must not be used.
        await chown(path, 65534, 65534);
        await expect(connectLocalApi(path, 'kwg_x')).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/belongs to another user \(uid 65534\)/) });
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    // Left behind by a process that ended: no app answers, so the CLI opens the grant's file instead.
    const stale = join(folder, 'api-1111111111111111.sock');
    const gone = createServer(() => undefined);
    await new Promise<void>((resolve) => gone.listen(stale, resolve));
    await new Promise<void>((resolve) => {
      // Closing unlinks it; put a plain socket file back the way a crash leaves one.
      gone.close(() => resolve());
    });
    expect(await connectLocalApi(stale, 'kwg_x')).toBeNull();
  });

  it('a client that verifies the server sends no token to a process that cannot prove it holds the user\'s server key', async () => {
    // What every client does on Windows, where a pipe's owner cannot be checked and anyone may create its name first.
    const s = await servedVault();
    const token = (await s.vault().grants.add({ name: 'ci', role: 'viewer' })).token;
    const keyFile = serverKeyPath(s.socket);
    const key = readFileSync(keyFile);
    try {
      expect(key.length).toBe(SERVER_KEY_BYTES);
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
      // The app proves itself, then serves as ever.
      const client = (await connectLocalApi(s.socket, token, s.path, { verifyServer: true }))!;
      expect(await client.call('whoami')).toMatchObject({ grant: 'ci' });
      client.close();
    } finally {
      await s.close();
    }

    // An impostor in the app's place (in the same folder, so the same key file is the one to prove): answers what it
    // can, and keeps every byte it is sent.
    const impostorPath = join(dirname(s.socket), 'api-impostor.sock');
    const impostor = async (answerWith: (challenge: string) => unknown) => {
      const received: string[] = [];
      const server = createServer((socket) => {
        socket.setEncoding('utf8');
        socket.on('data', (line: string) => {
          received.push(line);
          const request = JSON.parse(line.split('\n')[0]!) as { id: number; params: { challenge: string } };
          const proof = answerWith(request.params.challenge);
          if (proof !== undefined) socket.write(`${JSON.stringify({ v: 1, id: request.id, ok: true, result: { proof } })}\n`);
        });
      });
      await new Promise<void>((resolve) => server.listen(impostorPath, resolve));
      return { received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    };
    const forgeries: [string, (challenge: string) => unknown][] = [
      ['a proof under another key', (challenge) => proofFor(Buffer.alloc(SERVER_KEY_BYTES, 7), challenge)],
      ['the proof of another challenge', () => proofFor(key, 'a'.repeat(64))],
      ['no proof at all', () => null],
    ];
    for (const [what, forge] of forgeries) {
      const fake = await impostor(forge);
      try {
        await expect(connectLocalApi(impostorPath, token, s.path, { verifyServer: true }), what).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/could not prove it is your Keyward app: nothing was sent/) });
        expect(fake.received.join(''), what).not.toContain(token);
        expect(fake.received.join(''), what).toContain('server.proof');
      } finally {
        await fake.close();
      }
    }
    // Nor to one that answers with the real proof of the key, once the user's key file is not theirs alone.
    const honest = await impostor((challenge) => proofFor(key, challenge));
    try {
      await chmod(keyFile, 0o644);
      await expect(connectLocalApi(impostorPath, token, s.path, { verifyServer: true })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/no server key of yours/) });
      expect(honest.received).toEqual([]);
    } finally {
      await honest.close();
    }
    // The app replaces a key others could have read when it next serves.
    const againPath = join(dirname(s.socket), 'api-again.sock');
    const again = await serveLocalApi(new LocalApi({ lifecycle: () => s.lifecycle, vault: () => s.vault(), clock: systemClock }), againPath);
    try {
      expect(readFileSync(keyFile).equals(key)).toBe(false);
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
      const client = (await connectLocalApi(againPath, token, s.path, { verifyServer: true }))!;
      expect(await client.call('whoami')).toMatchObject({ grant: 'ci' });
      client.close();
    } finally {
      await again.close();
    }
  });

  it('an app serving another vault on the socket a path names refuses, reads nothing and asks no one; the CLI opens its own file', async () => {
    // A socket's name is only a hash of the vault's path: two paths may name one socket (by chance, or crafted).
    const served = await servedVault();
    const dir = await tempDir();
    const other = join(dir, 'other.keyward');
    const password = strongPassword() + strongPassword();
    const core = openCore({ actor: 'app', deps: testDeps({ stateDir: join(dir, 'state') }) });
    const mine = await core.vault(other).create({ password, useKeychain: false, kdfIterations: TEST_KDF_ITERATIONS, weakPasswordHint: '' });
    await mine.credentials.add({ name: 'stripe-prod', type: 'api_key' }, { value: 'sk_live_MineNotTheApps0123456' });
    await mine.lock('command-end');
    const asked: string[] = [];
    const sessions = new CliSessions({ clock: systemClock, minutes: () => 15, approve: async (r) => (asked.push(r.terminal), true) });
    const runtime = join(dir, 'run');
    const server = await serveLocalApi(new LocalApi({ lifecycle: () => served.lifecycle, vault: () => served.vault(), clock: systemClock, cli: sessions }), localApiSocketPath(other, { KEYWARD_RUNTIME_DIR: runtime }));
    try {
      const { token } = await served.vault().grants.add({ name: 'reader', role: 'reader' });
      // Naming the vault it means, a client is refused by an app serving another; naming none, it is answered (as before).
      const named = (await connectLocalApi(localApiSocketPath(other, { KEYWARD_RUNTIME_DIR: runtime }), token, other))!;
      expect(await failure(named.call('get', { name: 'stripe-prod' }))).toBe('FORBIDDEN');
      expect(await failure(named.call('cli.open', { terminal: 'x' }))).toBe('FORBIDDEN');
      named.close();
      const unnamed = (await connectLocalApi(localApiSocketPath(other, { KEYWARD_RUNTIME_DIR: runtime }), token))!;
      expect(await unnamed.call('get', { name: 'stripe-prod' })).toEqual({ value: served.values.prod });
      unnamed.close();
      expect(asked).toEqual([]);

      // keyward get on the other file: never the app's value, no approval asked; the CLI opens its own file.
      const got = await runCli(other, ['get', 'stripe-prod'], { password: null, env: { KEYWARD_RUNTIME_DIR: runtime } });
      expect(got.stdout).not.toContain(served.values.prod);
      expect([got.code, got.stderr]).toEqual([2, expect.stringMatching(/No terminal to ask on/)]);
      expect(asked).toEqual([]);
      const withPassword = await runCli(other, ['get', 'stripe-prod'], { password, env: { KEYWARD_RUNTIME_DIR: runtime } });
      expect([withPassword.code, withPassword.stdout]).toEqual([0, 'sk_live_MineNotTheApps0123456\n']);
    } finally {
      await server.close();
      await served.close();
    }
  });

  it('answers as long as what was asked for: a list and a value each longer than a request may be arrive whole', async () => {
    const s = await servedVault();
    try {
      const description = 'd'.repeat(4000);
      for (let i = 0; i < 300; i++) await s.vault().credentials.add({ name: `svc-${i}`, type: 'secret', description }, { value: `value-${i}-0123456789abcdef` });
      // A value of 1 Mi characters that JSON escapes to twice as many (each one a quote).
      const quoted = '"'.repeat(1024 * 1024);
      await s.vault().credentials.add({ name: 'quoted', type: 'secret' }, { value: quoted });
      const { token } = await s.vault().grants.add({ name: 'all', role: 'reader' });
      const client = (await connectLocalApi(s.socket, token, s.path))!;
      const listed = (await client.call('list')) as { name: string; description: string }[];
      expect(listed).toHaveLength(303);
      expect(listed.filter((c) => c.description === description)).toHaveLength(300);
      expect(((await client.call('get', { name: 'quoted' })) as { value: string }).value).toBe(quoted);
      client.close();
    } finally {
      await s.close();
    }
  });

  it('the CLI through the app answers show, history, env, inject and run too, recorded by the app as the CLI, judged by the custom rules', async () => {
    const { dir, path, runtime, password, lifecycle, vault } = await appVault();
    await vault.credentials.add({ name: 'stripe-prod', type: 'api_key', tags: ['production'], fields: { keyId: 'AKIA-IN-THE-APP' } }, { value: 'sk_live_ThroughTheApp0123456' });
    await vault.credentials.add({ name: 'db', type: 'api_key' }, { value: 'pg_pass_ThroughTheApp0123456' });
    await vault.addPolicyRule({ name: 'prod', scopes: ['tag:production'], settings: { no_plaintext_export: true } });
    await vault.setPolicy('cli_integration_minutes', 15, password);
    const asked: string[] = [];
    const sessions = new CliSessions({ clock: systemClock, minutes: () => 15, approve: async (r) => (asked.push(r.terminal), true) });
    const server = await serveLocalApi(new LocalApi({ lifecycle: () => lifecycle, vault: () => vault, clock: systemClock, cli: sessions }), localApiSocketPath(path, { KEYWARD_RUNTIME_DIR: runtime }));
    const template = join(dir, 'app.conf.tmpl');
    writeFileSync(template, 'db={{ kw://db }}\nkey={{ kw://stripe-prod/keyId }}\n');
    const cli = `"${process.execPath}" "${builtCli()}" --vault "${path}" --no-keychain`;
    try {
      // One terminal: asked once; no password anywhere (none is in the environment, and there is no terminal to ask on).
      const shell = await inOneSession(
        [
          `${cli} show stripe-prod`,
          `${cli} history db`,
          `${cli} env db`,
          `${cli} inject --in "${template}" --out "${join(dir, 'app.conf')}"`,
          `${cli} run --env DB=db -- sh -c 'printf "%s\\n" "$DB" > "${join(dir, 'ran')}"'`,
          // Never exported in plain text: the app does not hand it over, even "to run a program" (the CLI on the other
          // end only says so); keyward run then opens the file itself, and here there is no password to open it with.
          `${cli} run --env KEY=stripe-prod -- sh -c 'echo "$KEY"'; echo "run-prod-exit=$?"`,
          `${cli} env stripe-prod; echo "env-exit=$?"`,
          `${cli} env no-such-thing; echo "missing-exit=$?"`,
        ].join('; '),
        { KEYWARD_RUNTIME_DIR: runtime },
      );
      expect(asked).toHaveLength(1);
      expect(shell.stdout).toMatch(/stripe-prod/);
      expect(shell.stdout).toMatch(/AKIA-IN-THE-APP/);
      expect(shell.stdout).toContain("export DB='pg_pass_ThroughTheApp0123456'");
      expect(shell.stdout).toMatch(/env-exit=7/);
      expect(shell.stdout).toMatch(/run-prod-exit=2/);
      expect(shell.stdout).toMatch(/missing-exit=4/);
      expect(shell.stdout).not.toContain('sk_live_ThroughTheApp0123456');
      // Only the run of the never-exported value opened the file (and had no password to open it with).
      expect(shell.stderr.match(/No terminal to ask on/g)).toHaveLength(1);
      expect(readFileSync(join(dir, 'app.conf'), 'utf8')).toBe('db=pg_pass_ThroughTheApp0123456\nkey=AKIA-IN-THE-APP\n');
      expect(readFileSync(join(dir, 'ran'), 'utf8')).toBe('pg_pass_ThroughTheApp0123456\n');
      // Recorded by the app, as the CLI's: the reveals (env, inject, run) and the refusals.
      const reveals = (await vault.auditRecords({ action: 'reveal' })).map((r) => [r.actor, r.credential, r.outcome]);
      expect(reveals).toEqual([
        ['cli', 'db', 'success'],
        ['cli', 'db', 'success'],
        ['cli', 'db', 'success'],
        ['cli', 'stripe-prod', 'failure'],
        ['cli', 'stripe-prod', 'failure'],
      ]);
      // The fields the references were looked up in (metadata handed to the CLI): one list per command that resolves any.
      const lists = (await vault.auditRecords({ action: 'list' })).filter((r) => r.actor === 'cli');
      expect(lists).toHaveLength(6);
    } finally {
      await server.close();
      await vault.lock('command-end');
    }
  });

  it('the CLI through the app: off by default; once on, a terminal the user approved gets values without a password, until the app locks', async () => {
    const made = await appVault();
    const { dir, path, runtime, password, lifecycle } = made;
    let vault: UnlockedVault | null = made.vault;
    await vault.credentials.add({ name: 'stripe-prod', type: 'api_key' }, { value: 'sk_live_ThroughTheApp0123456' });
    const asked: string[] = [];
    let allow = true;
    // The sessions' own clock: moved past the quiet after a decline below.
    const clock = new FakeClock(new Date());
    const sessions = new CliSessions({ clock, minutes: () => (vault && !vault.isLocked ? (vault.state.settings.cliIntegrationMinutes ?? 0) : null), approve: async (r) => (asked.push(r.terminal), allow) });
    const server = await serveLocalApi(new LocalApi({ lifecycle: () => lifecycle, vault: () => vault, clock: systemClock, cli: sessions }), localApiSocketPath(path, { KEYWARD_RUNTIME_DIR: runtime }));
    const get = () => runCli(path, ['get', 'stripe-prod'], { password: null, env: { KEYWARD_RUNTIME_DIR: runtime } });
    try {
      // Off (the default): the CLI opens the file itself, and without a password (or a terminal to ask on) it cannot.
      const off = await get();
      expect([off.code, off.stderr]).toEqual([2, expect.stringMatching(/No terminal to ask on/)]);
      expect(asked).toEqual([]);
      await vault.setPolicy('cli_integration_minutes', 15, password);
      // Declined: the same; and for a while, not asked again (a program retrying gets refusals, not dialogs).
      allow = false;
      expect((await get()).code).toBe(2);
      allow = true;
      expect((await get()).code).toBe(2);
      expect(asked).toHaveLength(1);
      clock.advance(QUIET_AFTER_DECLINE_MS);
      // Two commands from one terminal session (a shell running them one after the other): asked once.
      const both = await inOneSession(`"${process.execPath}" "${builtCli()}" --vault "${path}" --no-keychain get stripe-prod; "${process.execPath}" "${builtCli()}" --vault "${path}" --no-keychain get stripe-prod`, { KEYWARD_RUNTIME_DIR: runtime });
      expect([both.code, both.stdout], both.stderr).toEqual([0, 'sk_live_ThroughTheApp0123456\nsk_live_ThroughTheApp0123456\n']);
      // Asked twice in all (declined once, allowed once): the session is remembered for this terminal.
      expect(asked).toHaveLength(2);
      expect(asked[1]).toMatch(/^(session \d+|the shell with process id \d+)/);
      // A terminal with a saved session when the app locks opens the file instead (review M4): the same shell, before and after.
      const cli = `"${process.execPath}" "${builtCli()}" --vault "${path}" --no-keychain`;
      const flag = join(dir, 'locked');
      const stale = inOneSession(`${cli} get stripe-prod; while [ ! -f "${flag}" ]; do sleep 0.05; done; ${cli} get stripe-prod`, { KEYWARD_RUNTIME_DIR: runtime });
      const list = await runCli(path, ['list'], { password: null, env: { KEYWARD_RUNTIME_DIR: runtime } });
      expect(list.stdout).toMatch(/stripe-prod/);
      // (The waiting shell's first get runs beside the list: its approval may come a moment later.)
      await expect.poll(() => asked.length).toBe(4);
      // Recorded as the CLI's, through the app (the two above, and the waiting shell's first).
      await expect.poll(async () => (await vault!.auditRecords({ action: 'reveal' })).length).toBe(3);
      expect((await vault.auditRecords({ action: 'reveal' })).map((r) => r.actor)).toEqual(['cli', 'cli', 'cli']);
      expect((await vault.auditRecords({ action: 'list' })).at(-1)?.actor).toBe('cli');
      // Locking the app ends the session at once.
      sessions.clear();
      await vault.lock('command-end');
      vault = null;
      expect((await get()).code).toBe(2);
      writeFileSync(flag, '');
      const after = await stale;
      expect([after.code, after.stdout]).toEqual([2, 'sk_live_ThroughTheApp0123456\n']);
      expect(after.stderr).toMatch(/No terminal to ask on/);
    } finally {
      await server.close();
    }
  });
});
