/**
 * A running session never silently adopts an older copy of its vault file
 * (issue 8, item 9): a lower generation than it has already seen is refused
 * with OLDER_COPY, the session keeps its state and writes nothing, and the user
 * chooses — keep the session's state (written back) or reopen the file as it is.
 * A restore the user asked for is not an older copy.
 */
import { copyFile, readFile, rename } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { KeywardEvent } from '../../shared/ipc/contract.js';
import { AppController } from '../app/app-controller.js';
import type { ClipboardPort } from '../app/clipboard-guard.js';
import { MemoryAuditSink } from '../core/audit/audit-sink.js';
import { KeywardError } from '../core/errors.js';
import { unlockVault } from '../core/vault/vault-session.js';
import { createTestVault, testDeps, testPassword, testService, TEST_KDF_ITERATIONS } from './helpers/builders.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs();

/** Puts an older copy in place the way a sync tool or a restore by hand does: a new file renamed over the vault. */
async function replaceWith(path: string, copy: string): Promise<void> {
  await copyFile(copy, `${path}.incoming`);
  await rename(`${path}.incoming`, path);
}

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'ok';
  } catch (err) {
    if (err instanceof KeywardError) return err.code;
    throw err;
  }
}

describe('an older copy of the vault file', () => {
  it('is refused by refresh and by every write; the session keeps its state and the file is left as it is', async () => {
    const dir = await tempDir();
    const v = await createTestVault(dir);
    await v.service.add({ name: 'first', type: 'secret' }, { value: 'one' });
    const older = `${dir}/older.keyward`;
    await copyFile(v.path, older);
    await v.service.add({ name: 'second', type: 'secret' }, { value: 'two' });

    await replaceWith(v.path, older);
    const olderBytes = await readFile(v.path);
    const err = await v.session.refresh().catch((e: unknown) => e as KeywardError);
    expect(err).toBeInstanceOf(KeywardError);
    expect((err as KeywardError).code).toBe('OLDER_COPY');
    expect((err as KeywardError).message).toMatch(/older copy \(generation \d+; this session has already seen generation \d+\)/);
    expect(v.session.state.credentials.map((c) => c.name)).toEqual(['first', 'second']);

    expect(await codeOf(v.service.add({ name: 'third', type: 'secret' }, { value: 'three' }))).toBe('OLDER_COPY');
    expect((await readFile(v.path)).equals(olderBytes)).toBe(true);
    expect(v.session.state.credentials.map((c) => c.name)).toEqual(['first', 'second']);
  });

  it('"keep what Keyward shows" writes the session state back with a generation above every one seen', async () => {
    const dir = await tempDir();
    const v = await createTestVault(dir);
    await v.service.add({ name: 'first', type: 'secret' }, { value: 'one' });
    const older = `${dir}/older.keyward`;
    await copyFile(v.path, older);
    await v.service.add({ name: 'second', type: 'secret' }, { value: 'two' });
    const seen = v.session.info.generation;
    await replaceWith(v.path, older);

    await v.session.keepSessionState();
    expect(v.session.info.generation).toBeGreaterThan(seen);
    const reopened = await unlockVault(v.path, { password: v.password }, testDeps());
    expect(reopened.state.credentials.map((c) => c.name)).toEqual(['first', 'second']);
    reopened.lock();
    // Writes work again.
    await v.service.add({ name: 'third', type: 'secret' }, { value: 'three' });
  });

  it('a backup restored on purpose is adopted and saved as the newest generation', async () => {
    const dir = await tempDir();
    const v = await createTestVault(dir);
    await v.service.add({ name: 'first', type: 'secret' }, { value: 'one' });
    await v.service.add({ name: 'second', type: 'secret' }, { value: 'two' });
    const seen = v.session.info.generation;
    const backups = await v.session.backupStore.listIntact();
    const withFirstOnly = backups.find((b) => b.generation === seen - 1) ?? backups[0]!;
    await v.session.restoreBackup(withFirstOnly.file);
    expect(v.session.state.credentials.map((c) => c.name)).toEqual(['first']);
    expect(v.session.info.generation).toBeGreaterThan(seen);
    expect(await v.session.refresh()).toBe(false);
  });

  it('in the app: the unlocked state says so, and the user keeps the newer state or reopens the file', async () => {
    const dir = await tempDir();
    const path = `${dir}/vault.keyward`;
    const password = testPassword();
    const clipboard: ClipboardPort = { writeSecret: async () => undefined, readText: async () => '', clear: async () => undefined };
    const events: KeywardEvent[] = [];
    const audit = new MemoryAuditSink();
    const app = new AppController({ vaultPath: path, deps: testDeps(), clipboard, actor: 'test', audit, emit: (e) => events.push(e) });
    await app.create(password, false, TEST_KDF_ITERATIONS);
    await app.services.credentials.add({ name: 'first', type: 'secret' }, { value: 'one' });
    const older = `${dir}/older.keyward`;
    await copyFile(path, older);
    await app.services.credentials.add({ name: 'second', type: 'secret' }, { value: 'two' });

    await replaceWith(path, older);
    expect(await app.refreshFromDisk()).toBe(false);
    const state = await app.state();
    expect(state.phase).toBe('unlocked');
    expect(state.olderCopy?.message).toMatch(/older copy/);
    expect(audit.events.some((e) => e.action === 'vault.olderCopySeen')).toBe(true);
    expect((await app.credentials.list()).map((c) => c.name)).toEqual(['first', 'second']);

    const kept = await app.keepSessionState();
    expect(kept.olderCopy).toBeNull();
    const check = await unlockVault(path, { password }, testDeps());
    expect(check.state.credentials).toHaveLength(2);
    check.lock();

    // Reopen instead: the next unlock reads the file as it is on disk.
    await replaceWith(path, older);
    await app.refreshFromDisk();
    const locked = await app.reopen();
    expect(locked.phase).toBe('locked');
    expect(locked.lastLock?.reason).toBe('reopen');
    await app.unlock({ method: 'password', password });
    expect((await app.credentials.list()).map((c) => c.name)).toEqual(['first']);
    await app.shutdown();
  });

  it('another process saving a newer generation is adopted as before', async () => {
    const v = await createTestVault(await tempDir());
    const other = await unlockVault(v.path, { password: v.password }, testDeps());
    await testService(other).add({ name: 'from-elsewhere', type: 'secret' }, { value: 'x' });
    other.lock();
    expect(await v.session.refresh()).toBe(true);
    expect(v.session.state.credentials.map((c) => c.name)).toEqual(['from-elsewhere']);
  });
});
