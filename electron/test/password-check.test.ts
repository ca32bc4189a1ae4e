/**
 * The one password check (issue 8, items 1 and 2): every check runs against
 * the file as it is on disk, under the attempts lock, counting every failure;
 * every write of key material derives from the header re-read under the write
 * lock. Each case here was reproduced against the code before the fix.
 */
import { describe, expect, it } from 'vitest';
import type { KeywardEvent } from '../../shared/ipc/contract.js';
import { AppController } from '../app/app-controller.js';
import type { ClipboardPort } from '../app/clipboard-guard.js';
import { MemoryAuditSink } from '../core/audit/audit-sink.js';
import { KeywardError } from '../core/errors.js';
import { FakeClock } from '../core/ports/clock.js';
import { MemoryKeychain } from '../core/keychain/keychain.js';
import { Lockout } from '../core/vault/lockout.js';
import { unlockVault, type VaultSession } from '../core/vault/vault-session.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { createDispatcher } from '../ipc/dispatcher.js';
import { handlersFor } from '../ipc/handlers/index.js';
import { createTestVault, testDeps, testPassword, TEST_KDF_ITERATIONS } from './helpers/builders.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs();

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'ok';
  } catch (err) {
    if (err instanceof KeywardError) return err.code;
    throw err;
  }
}

/** Opens the vault from scratch with `password` and reads every value: proves the file is usable with it. */
async function opensWith(path: string, password: string): Promise<boolean> {
  let session: VaultSession;
  try {
    session = await unlockVault(path, { password }, testDeps());
  } catch (err) {
    if (err instanceof KeywardError && err.code === 'AUTH_FAILED') return false;
    throw err;
  }
  try {
    const { testService } = await import('./helpers/builders.js');
    const svc = testService(session);
    for (const c of await svc.list()) await svc.reveal(c.id);
    return true;
  } finally {
    session.lock();
  }
}

describe('a password replaced by another process', () => {
  it('vault key rotation with the old password is refused, and the new password still opens every value', async () => {
    const v = await createTestVault(await tempDir());
    await v.service.add({ name: 'api', type: 'secret' }, { value: 'value-before-rotation' });
    // Another process (a CLI, a second window) changes the master password.
    const other = await unlockVault(v.path, { password: v.password }, testDeps());
    const replaced = testPassword();
    await other.changePassword(v.password, replaced);
    other.lock();

    // The first session still holds the old header in memory.
    expect(await codeOf(v.session.rotateVaultKey(v.password))).toBe('AUTH_FAILED');
    expect(await opensWith(v.path, replaced)).toBe(true);

    // With the password the file really has, rotation works and that password keeps opening the vault.
    await v.session.rotateVaultKey(replaced);
    expect(await opensWith(v.path, replaced)).toBe(true);
    expect(await opensWith(v.path, v.password)).toBe(false);
    expect(await v.service.reveal('api')).toBe('value-before-rotation');
  });

  it('re-authentication (rotator configuration, settings) refuses the replaced password', async () => {
    const v = await createTestVault(await tempDir());
    const other = await unlockVault(v.path, { password: v.password }, testDeps());
    const replaced = testPassword();
    await other.changePassword(v.password, replaced);
    other.lock();
    expect(await codeOf(v.session.verifyPassword(v.password))).toBe('AUTH_FAILED');
    expect(await codeOf(v.session.verifyPassword(replaced))).toBe('ok');
  });

  it('a password change with the replaced password is refused and loses nothing', async () => {
    const v = await createTestVault(await tempDir());
    const other = await unlockVault(v.path, { password: v.password }, testDeps());
    const replaced = testPassword();
    await other.changePassword(v.password, replaced);
    other.lock();
    const third = testPassword();
    expect(await codeOf(v.session.changePassword(v.password, third))).toBe('AUTH_FAILED');
    expect(await opensWith(v.path, replaced)).toBe(true);
    expect(await opensWith(v.path, third)).toBe(false);
  });

  it('turning the keychain on needs the master password, checked against the file on disk', async () => {
    const keychain = new MemoryKeychain();
    const v = await createTestVault(await tempDir(), { deps: { keychain } });
    expect(await codeOf(v.session.setKeychainEnabled(true))).toBe('BAD_REQUEST');
    expect(await codeOf(v.session.setKeychainEnabled(true, 'not-the-password'))).toBe('AUTH_FAILED');
    expect(v.session.info.keychainEnabled).toBe(false);
    expect(keychain.entries.size).toBe(0);
    await v.session.setKeychainEnabled(true, v.password);
    expect(v.session.info.keychainEnabled).toBe(true);
    // Turning it off weakens nothing: no password needed.
    await v.session.setKeychainEnabled(false);
    expect(v.session.info.keychainEnabled).toBe(false);
  });
});

describe('parallel password checks (one counter, one lock)', () => {
  it('every failure is counted, whichever re-authenticating operation makes it, and the right password is then refused', async () => {
    const v = await createTestVault(await tempDir(), { deps: { clock: new FakeClock() } });
    const guesses = 24;
    const attempts = Array.from({ length: guesses }, (_, i) => {
      const wrong = `wrong-${i}`;
      switch (i % 4) {
        case 0:
          return codeOf(v.session.verifyPassword(wrong));
        case 1:
          return codeOf(v.session.changePassword(wrong, testPassword()));
        case 2:
          return codeOf(v.session.rotateVaultKey(wrong));
        default:
          return codeOf(unlockVault(v.path, { password: wrong }, v.deps));
      }
    });
    const codes = await Promise.all(attempts);
    // Five are free and each is counted; every later one meets the lockout.
    expect(codes.filter((c) => c === 'AUTH_FAILED')).toHaveLength(5);
    expect(codes.filter((c) => c === 'LOCKED_OUT')).toHaveLength(guesses - 5);
    expect(await new Lockout(v.deps.fs, v.deps.clock, vaultPaths(v.path).lockout).failures()).toBe(5);
    expect(await codeOf(v.session.verifyPassword(v.password))).toBe('LOCKED_OUT');
  });

  it('200 parallel guesses through the IPC dispatcher are each counted; the right guess among them does not get through', async () => {
    const dir = await tempDir();
    const path = `${dir}/vault.keyward`;
    const password = testPassword();
    const clipboard: ClipboardPort = { writeSecret: async () => undefined, readText: async () => '', clear: async () => undefined };
    const events: KeywardEvent[] = [];
    // Frozen time: the 5 s delay after the fifth failure must not end while the guesses queue up.
    const clock = new FakeClock();
    const app = new AppController({ vaultPath: path, deps: testDeps({ clock }), clipboard, actor: 'test', audit: new MemoryAuditSink(), emit: (e) => events.push(e) });
    await app.create(password, false, TEST_KDF_ITERATIONS);
    const added = await app.services.credentials.add({ name: 'target', type: 'secret' }, { value: 'x-value' });
    const origin = 'http://127.0.0.1:1';
    const dispatch = createDispatcher(handlersFor(app), origin);
    const sender = { url: `${origin}/index.html`, isMainFrame: true };
    const request = (pw: string) => ({ id: added.id, create: '/bin/true', password: pw });
    const calls = Array.from({ length: 199 }, (_, i) => dispatch(sender, 'rotation.setRotator', request(`guess-${i}`)));
    const codes = (await Promise.all(calls)).map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes.filter((c) => c === 'AUTH_FAILED')).toHaveLength(5);
    expect(codes.filter((c) => c === 'LOCKED_OUT')).toHaveLength(194);
    expect(await new Lockout(testDeps().fs, clock, vaultPaths(path).lockout).failures()).toBe(5);
    // The 200th, right guess meets the lockout like any other.
    const right = await dispatch(sender, 'rotation.setRotator', request(password));
    expect(right.ok ? 'ok' : right.error.code).toBe('LOCKED_OUT');
    await app.shutdown();
  }, 60_000);
});
