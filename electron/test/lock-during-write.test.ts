/**
 * A lock (idle, suspend, the user) can land while a write that touches key
 * material is waiting on the password check. The lock wipes the keys in
 * place; the write must then be refused, never carried out with zeroed keys
 * (which wrote an empty body under a zero key: a vault nobody could open).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryKeychain } from '../core/keychain/keychain.js';
import { nodeFileSystem, type FileSystem } from '../core/ports/file-system.js';
import { unlockVault, type VaultSession } from '../core/vault/vault-session.js';
import { createTestVault, testDeps } from './helpers/builders.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keyward-lock-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A file system that locks `session()` the moment the password check reads the lockout file. */
function lockingDuringPasswordCheck(session: () => VaultSession | null): FileSystem {
  return {
    ...nodeFileSystem,
    readFile: async (path) => {
      if (path.endsWith('.lockout')) session()?.lock();
      return nodeFileSystem.readFile(path);
    },
  };
}

describe('a lock during a write that touches key material', () => {
  it.each([
    ['a password change', (s: VaultSession, pw: string) => s.changePassword(pw, 'Another-Master-Password-42!')],
    ['turning the keychain on', (s: VaultSession, pw: string) => s.setKeychainEnabled(true, pw)],
    ['a vault key rotation', (s: VaultSession, pw: string) => s.rotateVaultKey(pw)],
  ])('%s is refused as locked, and the vault still opens with every value', async (_what, write) => {
    let target: VaultSession | null = null;
    const keychain = new MemoryKeychain();
    const v = await createTestVault(dir, { deps: { keychain } });
    await v.service.add({ name: 'kept', type: 'secret' }, { value: 'kept-value' });
    v.session.lock();
    const session = await unlockVault(v.path, { password: v.password }, testDeps({ keychain, fs: lockingDuringPasswordCheck(() => target) }));
    target = session;
    await expect(write(session, v.password)).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
    const reopened = await unlockVault(v.path, { password: v.password }, testDeps({ keychain }));
    const c = reopened.state.credentials[0]!;
    expect(reopened.openValue(c.id, 1, c.versions[0]!)).toBe('kept-value');
    reopened.lock();
    // No zeroed (or any) key was handed to the keychain.
    expect([...keychain.entries.values()].every((k) => Buffer.from(k, 'base64').some((b) => b !== 0))).toBe(true);
  });
});
