/**
 * Several writers at once — sessions in one process, save loops in two
 * processes, many CLIs — lose no update; a writer kept out longer than 5 s
 * fails with "vault is busy" (exit 6) and changes nothing.
 */
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeFileSystem, type FileSystem } from '../core/ports/file-system.js';
import { unlockVault } from '../core/vault/vault-session.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { createTestVault, distinctiveSecret, testDeps, testService } from './helpers/builders.js';
import { CliVault } from './helpers/cli.js';
import { buildSaveLoopChild, runSaveLoop } from './helpers/save-loop.js';
import { valueFor } from './helpers/save-loop-child.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs();
const buildDir = useTempDirs('keyward-test-child-', 'all');
let childScript: string;

beforeAll(async () => {
  childScript = await buildSaveLoopChild(await buildDir());
});

describe('two sessions in one process', () => {
  it('each write lands on the latest state: interleaved adds from both are all kept', async () => {
    const v = await createTestVault(await tempDir());
    const other = await unlockVault(v.path, { password: v.password }, testDeps());
    const a = v.service;
    const b = testService(other);
    await a.add({ name: 'from-a', type: 'secret' }, { value: 'a' });
    // b has not seen from-a, yet its write must not drop it.
    await b.add({ name: 'from-b', type: 'secret' }, { value: 'b' });
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).add({ name: `n${i}`, type: 'secret' }, { value: `v${i}` })),
    );
    await v.session.refresh();
    expect((await a.list()).map((c) => c.name).sort()).toEqual(['from-a', 'from-b', ...Array.from({ length: 10 }, (_, i) => `n${i}`)].sort());
    expect(await a.reveal('from-b')).toBe('b');
    // A rotation from one and an edit from the other both survive.
    await a.rotate('from-b', { value: 'b2' });
    await b.update('from-b', { description: 'edited by b' });
    await v.session.refresh();
    expect(await a.show('from-b')).toMatchObject({ currentVersion: 2, description: 'edited by b' });
    other.lock();
    v.session.lock();
  });

  it('a save that lands while another session is unlocking is not lost by that session\'s next save', async () => {
    const v = await createTestVault(await tempDir());
    let interfered = false;
    // Another writer saves right after this unlock has read the file (during its KDF, in real life).
    const fs: FileSystem = {
      ...nodeFileSystem,
      readFile: async (path) => {
        const data = await nodeFileSystem.readFile(path);
        if (!interfered && path === v.path) {
          interfered = true;
          await v.service.add({ name: 'saved-during-unlock', type: 'secret' }, { value: 'first' });
        }
        return data;
      },
    };
    const late = await unlockVault(v.path, { password: v.password }, testDeps({ fs }));
    expect(interfered).toBe(true);
    await testService(late).add({ name: 'saved-after', type: 'secret' }, { value: 'second' });
    late.lock();
    v.session.lock();
    const check = await unlockVault(v.path, { password: v.password }, testDeps());
    expect(check.state.credentials.map((c) => c.name).sort()).toEqual(['saved-after', 'saved-during-unlock']);
    check.lock();
  });

  it('two sessions adding the same name: exactly one wins, the other gets EXISTS', async () => {
    const v = await createTestVault(await tempDir());
    const other = await unlockVault(v.path, { password: v.password }, testDeps());
    const results = await Promise.allSettled([
      v.service.add({ name: 'same', type: 'secret' }, { value: 'a' }),
      testService(other).add({ name: 'same', type: 'secret' }, { value: 'b' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'EXISTS' } });
    other.lock();
    v.session.lock();
  });
});

describe('two processes writing at once', () => {
  it('two save loops racing for the lock: every acknowledged write of both is there', async () => {
    const v = await createTestVault(await tempDir());
    v.session.lock();
    const [a, b] = await Promise.all([
      runSaveLoop(childScript, v.path, v.password, 'a', { killAfterAcks: 15 }),
      runSaveLoop(childScript, v.path, v.password, 'b', { killAfterAcks: 15 }),
    ]);
    expect(a.stderr + b.stderr).toBe('');
    expect(a.acknowledged.length).toBeGreaterThanOrEqual(15);
    expect(b.acknowledged.length).toBeGreaterThanOrEqual(15);
    const session = await unlockVault(v.path, { password: v.password }, testDeps());
    const byName = new Map(session.state.credentials.map((c) => [c.name, c]));
    for (const name of [...a.acknowledged, ...b.acknowledged]) {
      expect(byName.has(name), name).toBe(true);
      expect(session.openValue(byName.get(name)!.id, 1, byName.get(name)!.versions[0]!)).toBe(valueFor(name));
    }
    session.lock();
  });

  it('many CLI adds at once: all succeed and all are present', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    const values = Array.from({ length: 6 }, (_, i) => [`parallel-${i}`, distinctiveSecret(`p${i}`)] as const);
    const results = await Promise.all(values.map(([name, value]) => cli.add(name, value)));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const listed = (await cli.json<{ name: string }[]>(['list'])).map((c) => c.name).sort();
    expect(listed).toEqual(values.map(([name]) => name).sort());
    for (const [name, value] of [values[0]!, values[5]!]) expect((await cli.expectOk(['get', name])).stdout).toBe(`${value}\n`);
  });

  it('many CLI adds of one name at once: exactly one succeeds, the rest exit 8', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => cli.add('contested', `value-${i}`)));
    expect(results.map((r) => r.code).sort()).toEqual([0, 8, 8, 8]);
    const winner = results.findIndex((r) => r.code === 0);
    expect((await cli.expectOk(['get', 'contested'])).stdout).toBe(`value-${winner}\n`);
  });
});

describe('a writer kept out by a held lock', () => {
  it('waits 5 s, then fails with "vault is busy" (exit 6), changing nothing; gets in when the holder lets go; takes over a dead holder\'s lock', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    const before = await readFile(cli.path);
    const lockFile = vaultPaths(cli.path).lock;
    // Held by this (live) test process.
    const held = JSON.stringify({ pid: process.pid, host: hostname(), token: 'held-by-test' });
    await writeFile(lockFile, held);
    const started = Date.now();
    const blocked = await cli.add('blocked', 'value');
    expect(blocked.code).toBe(6);
    expect(blocked.stderr).toBe('keyward: The vault is busy: another Keyward process is writing to it. Try again in a moment.\n');
    // It did wait (a floor, not a speed claim): the timeout is 5 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
    expect((await readFile(cli.path)).equals(before)).toBe(true);
    expect(await readFile(lockFile, 'utf8')).toBe(held);
    // Readers are not writers: they are not blocked.
    expect((await cli.run(['list'])).code).toBe(0);

    // Let go within the 5 s: the waiting writer gets in.
    const pending = cli.add('patient', 'value');
    await new Promise((r) => setTimeout(r, 1_000));
    await unlink(lockFile);
    const patient = await pending;
    expect(patient.code, patient.stderr).toBe(0);

    // A lock left by a process that died while holding it (SIGKILL) is taken over.
    await writeFile(lockFile, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), token: 'dead' }));
    const afterCrash = await cli.add('after-crash', 'value');
    expect(afterCrash.code, afterCrash.stderr).toBe(0);
    await expect(readFile(lockFile)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await cli.json<{ name: string }[]>(['list'])).map((c) => c.name)).toEqual(['patient', 'after-crash']);
  });
});
