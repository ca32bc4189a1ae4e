/**
 * The durable audit trail (issue 12; docs/audit-format.md): every operation
 * chained and MACed beside the vault, nothing sensitive in clear, events while
 * locked folded in, fail closed, and every kind of tampering found and located.
 */
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trailHeadAccount } from '../core/audit/trail-head-mirror.js';
import { openCore } from '../core/composition.js';
import { MemoryKeychain } from '../core/keychain/keychain.js';
import { nodeFileSystem } from '../core/ports/file-system.js';
import type { UnlockedVault } from '../core/service/vault-lifecycle.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { distinctiveSecret, strongPassword, TEST_KDF_ITERATIONS, testDeps } from './helpers/builders.js';
import { CliVault } from './helpers/cli.js';
import { useTempDirs } from './helpers/temp-dirs.js';
import { findInAnyEncoding } from './helpers/vault-file.js';
import { buildSaveLoopChild, runSaveLoop } from './helpers/save-loop.js';

const tempDir = useTempDirs();

async function trailVault() {
  const dir = await tempDir();
  const path = join(dir, 'vault.keyward');
  const password = strongPassword() + strongPassword();
  const deps = testDeps({ stateDir: join(dir, 'state') });
  const core = openCore({ actor: 'test', deps });
  const vault = await core.vault(path).create({ password, useKeychain: false, kdfIterations: TEST_KDF_ITERATIONS, weakPasswordHint: '' });
  const secret = distinctiveSecret('trail');
  const { id } = await vault.credentials.add({ name: 'stripe-prod', type: 'api_key', description: 'the live key' }, { value: secret });
  await vault.credentials.reveal('stripe-prod');
  await vault.credentials.update(id, { description: 'changed' });
  await vault.credentials.list();
  const files = vaultPaths(path).audit;
  const reopen = () => core.vault(path).unlock({ password });
  return { dir, path, password, deps, core, vault, secret, id, files, reopen };
}

/** A vault that keeps its key in a (memory) keychain, with the core that opened it. */
async function keychainVault() {
  const dir = await tempDir();
  const path = join(dir, 'vault.keyward');
  const keychain = new MemoryKeychain();
  const core = openCore({ actor: 'test', deps: testDeps({ stateDir: join(dir, 'state'), keychain }) });
  const vault = await core.vault(path).create({ password: strongPassword() + strongPassword(), useKeychain: true, kdfIterations: TEST_KDF_ITERATIONS, weakPasswordHint: '' });
  return { dir, path, keychain, core, vault };
}

const lines = (log: Buffer) => log.toString('utf8').split('\n').filter(Boolean);

describe('the audit trail', () => {
  it('chains every operation beside the vault, with names sealed and ids keyed, never a value', async () => {
    const t = await trailVault();
    const entries = await t.vault.auditRecords();
    expect(entries.map((e) => e.action)).toEqual(['vault.create', 'add', 'reveal', 'update', 'list']);
    expect(entries.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(entries.filter((e) => e.credential).map((e) => e.credential)).toEqual(['stripe-prod', 'stripe-prod', 'stripe-prod']);
    // One keyed id per credential, the same in every record about it.
    expect(new Set(entries.filter((e) => e.credentialKey).map((e) => e.credentialKey)).size).toBe(1);
    const log = await readFile(t.files.log);
    expect(log.toString('utf8')).not.toContain('stripe-prod');
    expect(log.toString('utf8')).not.toContain(t.id);
    expect(findInAnyEncoding(log, t.secret)).toBeNull();
    expect(findInAnyEncoding(await readFile(t.files.head), t.secret)).toBeNull();
    expect(await t.vault.verifyAuditTrail()).toMatchObject({ intact: true, records: 6, problems: [] });
    await t.vault.lock('user');
  });

  it('keeps what happens while locked (a wrong password) aside, and chains it at the next unlock, marked', async () => {
    const t = await trailVault();
    await t.vault.lock('user');
    await expect(t.core.vault(t.path).unlock({ password: 'not the password' })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(lines(await readFile(t.files.pending))).toHaveLength(1);
    const vault = await t.reopen();
    const entries = await vault.auditRecords({ action: 'vault.' });
    expect(entries.slice(-3).map((e) => [e.action, e.outcome, e.locked ?? false])).toEqual([
      ['vault.lock.user', 'success', false],
      ['vault.unlock.password', 'failure', true],
      ['vault.unlock.password', 'success', false],
    ]);
    await expect(readFile(t.files.pending)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await vault.verifyAuditTrail()).intact).toBe(true);
    await vault.lock('user');
  });

  it('fails closed: when the trail cannot be written, a value is not handed out (AUDIT_UNAVAILABLE)', async () => {
    const t = await trailVault();
    // Something that cannot be appended to stands where the trail is.
    await rm(t.files.log);
    await mkdir(t.files.log);
    await expect(t.vault.credentials.reveal('stripe-prod')).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE', message: expect.stringMatching(/could not be written/) });
    await rm(t.files.log, { recursive: true });
    await t.vault.lock('user');
  });

  it('with fail-closed turned off (the password), an operation the trail cannot record goes on, is said, and is counted in the trail later', async () => {
    const dir = await tempDir();
    const path = join(dir, 'vault.keyward');
    const password = strongPassword() + strongPassword();
    // The real file system, with appends to the trail failing on demand as on a full disk.
    let diskFull = false;
    const fs: typeof nodeFileSystem = {
      ...nodeFileSystem,
      append: (file, data, options) => (diskFull && file === vaultPaths(path).audit.log ? Promise.reject(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' })) : nodeFileSystem.append(file, data, options)),
    };
    const told: string[] = [];
    const core = openCore({ actor: 'test', deps: testDeps({ fs, stateDir: join(dir, 'state'), lockTimeoutMs: 300 }), onUnrecorded: (_err, action) => told.push(action) });
    const vault = await core.vault(path).create({ password, useKeychain: false, kdfIterations: TEST_KDF_ITERATIONS, weakPasswordHint: '' });
    const secret = distinctiveSecret('fail-open');
    await vault.credentials.add({ name: 'stripe-prod', type: 'api_key' }, { value: secret });
    diskFull = true;
    await expect(vault.credentials.reveal('stripe-prod')).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    diskFull = false;
    await expect(vault.updateSettings({ auditFailClosed: false })).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'password' } });
    await vault.updateSettings({ auditFailClosed: false }, password);
    diskFull = true;
    expect(await vault.credentials.reveal('stripe-prod')).toBe(secret);
    expect(await vault.credentials.reveal('stripe-prod')).toBe(secret);
    expect(told).toEqual(['reveal', 'reveal']);
    // A change to what protects the vault always fails closed, whatever the setting says.
    await expect(vault.updateSettings({ clipboardClearSeconds: 10 })).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    await expect(vault.setPolicy('min_length', 14)).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    diskFull = false;
    // Nor is anything when the trail is there but held by another writer (its lock): only the storage failing is gone past.
    const lock = vaultPaths(path).audit.lock;
    await writeFile(lock, JSON.stringify({ pid: 1, host: 'another-machine', token: 'theirs', at: new Date().toISOString() }));
    await expect(vault.credentials.reveal('stripe-prod')).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    await rm(lock);
    expect(told).toEqual(['reveal', 'reveal']);
    await vault.credentials.list();
    const records = await vault.auditRecords();
    const at = records.findIndex((r) => r.action === 'audit.unrecorded');
    expect(records.slice(at, at + 2).map((r) => [r.action, r.outcome, r.code])).toEqual([
      ['audit.unrecorded', 'failure', 'AUDIT_UNAVAILABLE'],
      ['list', 'success', undefined],
    ]);
    // Read back as a person (and the Audit screen, and every export) sees it.
    expect(records[at]!.unrecorded).toMatchObject({ count: 2 });
    expect(records.filter((r) => r.action === 'audit.unrecorded')).toHaveLength(1);
    expect((await vault.verifyAuditTrail()).intact).toBe(true);
    await vault.lock('user');
  });

  it('the vault anchors the trail: a trail cut back with its head rewritten to match is still caught', async () => {
    const t = await trailVault();
    // A save after these records anchors the trail's head in the vault.
    await t.vault.credentials.add({ name: 'second', type: 'secret' }, { value: 'x' });
    await t.vault.lock('user');
    const log = lines(await readFile(t.files.log));
    const kept = log.slice(0, 3);
    await writeFile(t.files.log, kept.map((l) => `${l}\n`).join(''));
    const last = JSON.parse(kept.at(-1)!) as { seq: number; mac: string };
    await writeFile(t.files.head, JSON.stringify({ v: 1, seq: last.seq, mac: last.mac }));
    const vault = await t.reopen();
    const report = await vault.verifyAuditTrail();
    expect(report.intact).toBe(false);
    expect(report.problems.map((p) => p.kind)).toContain('truncated');
    await vault.lock('user');
  });
});

describe('the trail in harder cases (review of issue 12)', () => {
  it('a second unlock of the same vault, the first then locked, keeps chaining the open one (not as if locked)', async () => {
    const t = await trailVault();
    const lifecycle = t.core.vault(t.path);
    const first = await lifecycle.unlock({ password: t.password });
    const second = await lifecycle.unlock({ password: t.password });
    await first.lock('user');
    await second.credentials.reveal('stripe-prod');
    const last = (await second.auditRecords()).at(-1)!;
    expect(last).toMatchObject({ action: 'reveal', credential: 'stripe-prod' });
    expect(last.locked).toBeUndefined();
    await second.lock('user');
    await t.vault.lock('user');
  });

  it('mirrors its head in the keychain when the vault keeps its key there: the log and its head rolled back together are found', async () => {
    const { path, keychain, core, vault } = await keychainVault();
    await vault.credentials.add({ name: 'stripe-prod', type: 'api_key' }, { value: distinctiveSecret('mirror') });
    const { vaultId } = vault.info;
    await vault.lock('user');
    const files = vaultPaths(path).audit;
    const mirrored = () => JSON.parse(keychain.entries.get(trailHeadAccount(vaultId, path))!) as { seq: number; mac: string };
    const atFirstLock = mirrored();
    const [log, head] = [await readFile(files.log), await readFile(files.head)];
    expect(JSON.parse(head.toString())).toMatchObject(atFirstLock);
    // Reads only: the vault file itself does not change, so no older copy of it is involved.
    const again = await core.vault(path).unlock({ keychain: true });
    for (let i = 0; i < 3; i++) await again.credentials.reveal('stripe-prod');
    await again.lock('user');
    expect(mirrored().seq).toBeGreaterThan(atFirstLock.seq);
    // Rolled back together, consistently: every check of the files alone passes.
    await writeFile(files.log, log);
    await writeFile(files.head, head);
    const after = await core.vault(path).unlock({ keychain: true });
    const report = await after.verifyAuditTrail();
    expect(report.intact).toBe(false);
    expect(report.problems.map((p) => p.kind)).toContain('truncated');
    await after.lock('user');
    // The mirror never goes back, whatever the files say.
    expect(mirrored().seq).toBeGreaterThan(atFirstLock.seq);
  });

  it('a copy of the vault’s folder opened elsewhere keeps its own mirror: the original does not look cut back', async () => {
    const { dir, path, core, vault } = await keychainVault();
    await vault.credentials.add({ name: 'k', type: 'secret' }, { value: 'v' });
    await vault.lock('user');
    const copyDir = await tempDir();
    for (const f of await readdir(dir)) if (f.startsWith('vault.keyward') && !f.endsWith('backups')) await copyFile(join(dir, f), join(copyDir, f)).catch(() => undefined);
    const copy = await core.vault(join(copyDir, 'vault.keyward')).unlock({ keychain: true });
    for (let i = 0; i < 5; i++) await copy.credentials.reveal('k');
    await copy.lock('user');
    const original = await core.vault(path).unlock({ keychain: true });
    expect(await original.verifyAuditTrail()).toMatchObject({ intact: true, problems: [] });
    await original.lock('user');
  });

  it('without the key in the keychain, the head is not written there', async () => {
    const t = await trailVault();
    const keychain = t.deps.keychain as MemoryKeychain;
    const { vaultId } = t.vault.info;
    await t.vault.lock('user');
    expect(keychain.entries.has(trailHeadAccount(vaultId, t.path))).toBe(false);
  });

  it('a trail cut back is recorded once (audit.gap), not again by every writer after it', async () => {
    const t = await trailVault();
    await t.vault.lock('user');
    const log = lines(await readFile(t.files.log));
    await writeFile(t.files.log, log.slice(0, 3).map((l) => `${l}\n`).join(''));
    for (let i = 0; i < 3; i++) await (await t.reopen()).lock('user');
    const vault = await t.reopen();
    const gaps = (await vault.auditRecords({ action: 'audit.gap' })).length;
    expect(gaps).toBe(1);
    const report = await vault.verifyAuditTrail();
    expect(report.problems.map((p) => p.kind)).toEqual(['truncated']);
    await vault.lock('user');
  });

  it('a line rewritten with a repeated member (another reader would see another action) is found', async () => {
    const t = await trailVault();
    await t.vault.lock('user');
    const log = lines(await readFile(t.files.log));
    log[2] = log[2]!.replace('{', '{"action":"list",');
    await writeFile(t.files.log, log.map((l) => `${l}\n`).join(''));
    const vault = await t.reopen();
    expect((await vault.verifyAuditTrail()).problems[0]).toMatchObject({ kind: 'modified', line: 3 });
    await vault.lock('user');
  });

  it('a last record longer than the tail first read (a long sealed name) is found, and the next process appends after it', async () => {
    const t = await trailVault();
    const long = '名'.repeat(9_000);
    await t.vault.credentials.add({ name: long, type: 'secret' }, { value: 'v' });
    await t.vault.credentials.reveal(long);
    expect((await readFile(t.files.log)).length).toBeGreaterThan(40_000);
    // Another process (a fresh lifecycle) appends after it.
    const other = await t.core.vault(t.path).unlock({ password: t.password });
    await other.credentials.list();
    const report = await other.verifyAuditTrail();
    expect(report).toMatchObject({ intact: true });
    expect((await other.auditRecords({ credential: long })).map((e) => e.action)).toEqual(['add', 'reveal']);
    await other.lock('user');
    await t.vault.lock('user');
  });
});

describe('tampering with the trail is found and located', () => {
  type Case = [string, (files: ReturnType<typeof vaultPaths>['audit'], log: string[]) => Promise<void>, string, number?];
  const rewrite = async (path: string, log: string[]) => writeFile(path, log.map((l) => `${l}\n`).join(''));
  const cases: Case[] = [
    ['a record changed', (f, log) => rewrite(f.log, log.map((l, i) => (i === 2 ? l.replace('"reveal"', '"list"') : l))), 'modified', 3],
    ['a record deleted from the middle', (f, log) => rewrite(f.log, log.filter((_, i) => i !== 2)), 'out-of-order', 3],
    ['a record replayed (an earlier one copied in)', (f, log) => rewrite(f.log, [...log.slice(0, 4), log[1]!, ...log.slice(4)]), 'out-of-order', 5],
    ['two records swapped', (f, log) => rewrite(f.log, [log[0]!, log[2]!, log[1]!, ...log.slice(3)]), 'out-of-order', 2],
    ['the last records cut off at a record boundary', (f, log) => rewrite(f.log, log.slice(0, -2)), 'truncated'],
    ['the records removed', (f) => rm(f.log), 'missing-log'],
    ['the records emptied', (f) => writeFile(f.log, ''), 'missing-log'],
    ['the head removed', (f) => rm(f.head), 'missing-head'],
    ['the head pointed elsewhere', (f, log) => writeFile(f.head, JSON.stringify({ v: 1, seq: 1, mac: (JSON.parse(log[2]!) as { mac: string }).mac })), 'head-mismatch'],
  ];

  it.each(cases)('%s', async (_label, tamper, kind, line) => {
    const t = await trailVault();
    await t.vault.lock('user');
    const log = lines(await readFile(t.files.log));
    await tamper(t.files, log);
    const vault: UnlockedVault = await t.reopen();
    const report = await vault.verifyAuditTrail();
    expect(report.intact).toBe(false);
    const problem = report.problems.find((p) => p.kind === kind);
    expect(problem, JSON.stringify(report.problems)).toBeDefined();
    if (line !== undefined) expect(problem!.line, JSON.stringify(report.problems)).toBe(line);
    await vault.lock('user');
  });

  it('a record from another vault’s trail (another key) spliced in is found', async () => {
    const a = await trailVault();
    const b = await trailVault();
    await a.vault.lock('user');
    await b.vault.lock('user');
    const log = lines(await readFile(a.files.log));
    log[3] = lines(await readFile(b.files.log))[3]!;
    await writeFile(a.files.log, log.map((l) => `${l}\n`).join(''));
    const vault = await a.reopen();
    expect((await vault.verifyAuditTrail()).problems[0]).toMatchObject({ kind: 'modified', line: 4 });
    await vault.lock('user');
  });
});

describe('a completed operation’s record survives the process being killed', () => {
  it('every acknowledged add is in the trail after SIGKILL, and the trail verifies', async () => {
    const dir = await tempDir();
    const path = join(dir, 'vault.keyward');
    const password = strongPassword() + strongPassword();
    const core = openCore({ actor: 'test', deps: testDeps() });
    await (await core.vault(path).create({ password, useKeychain: false, kdfIterations: TEST_KDF_ITERATIONS, weakPasswordHint: '' })).lock('user');
    const script = await buildSaveLoopChild(dir);
    for (const killAfterAcks of [1, 4, 9]) {
      const run = await runSaveLoop(script, path, password, `k${killAfterAcks}`, { killAfterAcks, env: { KEYWARD_CHILD_THROUGH_LIFECYCLE: '1' } });
      expect(run.signal).toBe('SIGKILL');
      expect(run.acknowledged.length).toBeGreaterThanOrEqual(killAfterAcks);
      const vault = await core.vault(path).unlock({ password });
      const added = new Set((await vault.auditRecords({ action: 'add' })).map((e) => e.credential));
      for (const name of run.acknowledged) expect(added.has(name), `${name} acknowledged but not in the trail`).toBe(true);
      expect(await vault.verifyAuditTrail()).toMatchObject({ intact: true });
      await vault.lock('user');
    }
  });
});

describe('keyward audit', () => {
  it('lists the trail and verifies it: exit 0 when intact, exit 5 naming the line when a record was changed', async () => {
    const dir = await tempDir();
    const cli = new CliVault(dir);
    await cli.init();
    await cli.add('github-token', 'ghp_0123456789abcdefghijklmnopqrstuvwxyz', 'token');
    await cli.expectOk(['get', 'github-token']);
    const listed = await cli.run(['audit', '--credential', 'github-token', '--json']);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { action: string }[]).map((e) => e.action)).toEqual(['add', 'reveal']);
    const ok = await cli.run(['audit', 'verify']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/intact/);
    const path = vaultPaths(cli.path).audit.log;
    const log = lines(await readFile(path));
    log[2] = log[2]!.replace('"cli"', '"app"');
    await writeFile(path, log.map((l) => `${l}\n`).join(''));
    const bad = await cli.run(['audit', 'verify']);
    expect(bad.code).toBe(5);
    expect(bad.stdout).toMatch(/modified at line 3/);
  });

  it('keyward audit fail-closed: on by default; off, a get the trail cannot record still answers, with a warning; on again, exit 9', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    const value = distinctiveSecret('fail-closed-cli');
    await cli.add('k', value);
    expect(await cli.json<{ auditFailClosed: boolean }>(['audit', 'fail-closed'])).toEqual({ auditFailClosed: true });
    const both = await cli.run(['audit', 'fail-closed', '--on', '--off']);
    expect(both.code).toBe(2);
    expect(await cli.json<{ auditFailClosed: boolean }>(['audit', 'fail-closed', '--off'])).toEqual({ auditFailClosed: false });
    // Something that cannot be appended to stands where the trail is.
    const log = vaultPaths(cli.path).audit.log;
    await rm(log);
    await mkdir(log);
    const get = await cli.run(['get', 'k']);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(`${value}\n`);
    expect(get.stderr).toMatch(/^keyward: warning: reveal was not recorded in the audit trail \(EISDIR[^)]*\); it went on because/m);
    // Turned on again: saved, and from then on in force (its own record already cannot be written: exit 9).
    expect((await cli.run(['audit', 'fail-closed', '--on'])).code).toBe(9);
    const refused = await cli.run(['get', 'k']);
    expect(refused.code).toBe(9);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/The audit trail could not be written/);
  });

  it('keyward usage: reads per credential, by whom, and the never used; a renamed credential keeps its history', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    await cli.add('stripe-prod', 'sk_live_0123456789abcdefghijklmn', 'api_key');
    await cli.expectOk(['add', 'old-ftp', '--type', 'password'], { stdin: 'Hunter2!Hunter2!Hunter2\n' });
    await cli.expectOk(['get', 'stripe-prod']);
    await cli.expectOk(['edit', 'stripe-prod', '--name', 'stripe-live']);
    await cli.expectOk(['get', 'stripe-live']);
    const usage = await cli.json<{ credentials: { name: string; reads: number; byActor: Record<string, number> }[]; neverUsed: { name: string }[] }>(['usage']);
    expect(usage.credentials).toEqual([expect.objectContaining({ name: 'stripe-live', reads: 2, byActor: { cli: 2 } })]);
    expect(usage.neverUsed.map((c) => c.name)).toEqual(['old-ftp']);
    const text = await cli.expectOk(['usage']);
    expect(text.stdout).toMatch(/stripe-live\s+2\s+2\s+2\s+\d{4}-\d\d-\d\d\s+cli 2/);
    expect(text.stdout).toMatch(/Never used \(1\): old-ftp/);
    expect((await cli.expectOk(['usage', 'old-ftp'])).stdout).toMatch(/never read/);
    expect((await cli.run(['usage', 'nope'])).code).toBe(4);
  });

  it('refuses an option that belongs to another audit subcommand, and an unknown subcommand', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    const foreign = await cli.run(['audit', 'verify', '--limit', '3']);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/keyward audit verify does not take --limit/);
    const unknown = await cli.run(['audit', 'erase']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/audit takes "verify"/);
  });
});

describe('signed checkpoints (docs/audit-format.md §8)', () => {
  /** The three files an attacker rolls back together: what the chain alone cannot tell from the real thing. */
  async function snapshot(cli: CliVault) {
    const p = vaultPaths(cli.path);
    const files = [cli.path, p.audit.log, p.audit.head];
    const saved = await Promise.all(files.map((f) => readFile(f)));
    return () => Promise.all(files.map((f, i) => writeFile(f, saved[i]!)));
  }

  it('witnesses what the chain cannot: the vault, the log and its head rolled back together (CLI, exit 5)', async () => {
    const dir = await tempDir();
    const cli = new CliVault(dir);
    await cli.init();
    await cli.add('github-token', 'ghp_0123456789abcdefghijklmnopqrstuvwxyz', 'token');
    const rollBack = await snapshot(cli);
    await cli.expectOk(['get', 'github-token']);
    await cli.expectOk(['rm', 'github-token']);
    const witness = join(dir, 'checkpoint.txt');
    const made = await cli.json<{ size: number; verifierKey: string }>(['audit', 'checkpoint', '--out', witness]);
    expect(made.size).toBeGreaterThan(4);
    // A checkpoint already written is evidence: never overwritten.
    const again = await cli.run(['audit', 'checkpoint', '--out', witness]);
    expect(again.code).toBe(8);
    expect(again.stderr).toMatch(/already exists/);
    await cli.expectOk(['list']);
    expect((await cli.run(['audit', 'verify', '--against', witness])).code).toBe(0);

    await rollBack();
    // Consistent again, as far as the files alone can tell (the vault is an older copy, which this attacker says to accept).
    const alone = await cli.run(['audit', 'verify', '--accept-older']);
    expect(alone.code, alone.stdout + alone.stderr).toBe(0);
    const against = await cli.run(['audit', 'verify', '--accept-older', '--against', witness]);
    expect(against.code).toBe(5);
    expect(against.stdout).toMatch(/rolled-back: The trail holds \d+ record\(s\), but the checkpoint signed \d+/);

    // Filling the trail up again past the checkpoint's size does not make it hold the records it signed.
    for (let i = 0; i < made.size; i++) await cli.expectOk(['list', '--accept-older']);
    const refilled = await cli.run(['audit', 'verify', '--accept-older', '--against', witness]);
    expect(refilled.code).toBe(5);
    expect(refilled.stdout).toMatch(/rewritten: The trail's first \d+ record\(s\) are not the ones the checkpoint signed/);
  });

  it('is a C2SP signed note anyone can check with the printed verifier key; a changed, foreign or unreadable checkpoint is refused', async () => {
    const t = await trailVault();
    const made = await t.vault.auditCheckpoint();
    const [body, signatureLine] = made.text.split('\n\n') as [string, string];
    expect(body.split('\n').slice(0, 3)).toEqual([`keyward.audit/${t.vault.info.vaultId}`, String(made.size), made.root]);
    // Checked with nothing but the verifier key and Node's crypto, as signed-note tooling would.
    // name+keyid+key, split at the first two '+' only (base64 has '+' of its own).
    const [, name, keyIdHex, keyB64] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(made.verifierKey) as unknown as [string, string, string, string];
    const key = Buffer.from(keyB64, 'base64');
    expect(key[0]).toBe(0x01);
    const signature = Buffer.from(signatureLine.trim().split(' ')[2]!, 'base64');
    expect(signatureLine.startsWith(`\u2014 ${name} `)).toBe(true);
    expect(signature.subarray(0, 4).toString('hex')).toBe(keyIdHex);
    const publicKey = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key.subarray(1)]), format: 'der', type: 'spki' });
    expect(cryptoVerify(null, Buffer.from(`${body}\n`, 'utf8'), publicKey, signature.subarray(4))).toBe(true);

    expect(await t.vault.verifyAuditTrail(made.text)).toMatchObject({ intact: true });
    const bigger = made.text.replace(`\n${made.size}\n`, `\n${made.size - 1}\n`);
    expect((await t.vault.verifyAuditTrail(bigger)).problems).toEqual([expect.objectContaining({ kind: 'checkpoint', message: expect.stringMatching(/signature is not this vault's/) })]);
    const other = await trailVault();
    const foreign = await other.vault.auditCheckpoint();
    expect((await t.vault.verifyAuditTrail(foreign.text)).problems).toEqual([expect.objectContaining({ kind: 'checkpoint', message: expect.stringMatching(/another vault's trail/) })]);
    expect((await t.vault.verifyAuditTrail('hello\n')).problems).toEqual([expect.objectContaining({ kind: 'checkpoint', message: expect.stringMatching(/cannot be read/) })]);
    // A record changed under the checkpoint is found by the chain and by the checkpoint alike.
    const log = lines(await readFile(t.files.log));
    log[1] = log[1]!.replace('"test"', '"app"');
    await writeFile(t.files.log, log.map((l) => `${l}\n`).join(''));
    expect((await t.vault.verifyAuditTrail(made.text)).problems.map((p) => p.kind)).toEqual(['modified', 'rewritten']);
    expect((await t.vault.auditRecords({ action: 'audit.' })).map((e) => e.action)).toEqual(['audit.checkpoint', 'audit.verify', 'audit.verify', 'audit.verify', 'audit.verify', 'audit.verify']);
    // A trail that does not verify is not vouched for.
    await expect(t.vault.auditCheckpoint()).rejects.toMatchObject({ code: 'CORRUPTED', message: expect.stringMatching(/no checkpoint was signed/) });
    await t.vault.lock('user');
    await other.vault.lock('user');
  });
});
