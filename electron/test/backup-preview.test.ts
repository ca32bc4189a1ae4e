/**
 * Previewing backups without replacing the live vault: what each holds, what a
 * restore would lose, damaged files kept apart, and — after a vault key
 * rotation — opening a backup with the master password that was current when
 * it was written, under the same lockout as every password check.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FREE_ATTEMPTS } from '../core/vault/lockout.js';
import { changesBetween } from '../core/vault/backup-contents.js';
import { inspectBackupsWithPassword, restoreBackupFile, unlockVault } from '../core/vault/vault-session.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { createTestVault, distinctiveSecret } from './helpers/builders.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs();

async function vaultWith(...names: string[]) {
  const v = await createTestVault(await tempDir());
  const ids: Record<string, string> = {};
  for (const name of names) ids[name] = (await v.service.add({ name, type: 'secret' }, { value: distinctiveSecret(name) })).id;
  return { ...v, ids, paths: vaultPaths(v.path) };
}

describe('changesBetween', () => {
  it('counts added, removed and changed credentials by name, ignoring re-encryption', async () => {
    const v = await vaultWith('alpha', 'bravo');
    const before = structuredClone(v.session.state);
    await v.service.add({ name: 'charlie', type: 'secret' }, { value: distinctiveSecret('charlie') });
    await v.service.update(v.ids.alpha!, { description: 'now described' });
    await v.service.remove(v.ids.bravo!);
    const after = structuredClone(v.session.state);
    expect(changesBetween(before, after)).toEqual({
      added: 1,
      removed: 1,
      changed: 1,
      names: { added: ['charlie'], removed: ['bravo'], changed: ['alpha'] },
    });
    await v.session.rotateVaultKey(v.password);
    expect(changesBetween(after, v.session.state)).toMatchObject({ added: 0, removed: 0, changed: 0 });
    v.session.lock();
  });
});

describe('damaged files in the backups folder', () => {
  it('are listed as not intact, never restored as if intact, and take no backup\'s place when pruning', async () => {
    const v = await vaultWith('alpha');
    const [newest] = await v.session.backupStore.list();
    const damagedPath = join(v.paths.backupsDir, newest!.file);
    const bytes = await readFile(damagedPath);
    // A hard link shares bytes with nothing now (the vault was replaced since), so damage a copy in place.
    bytes[bytes.length - 40]! ^= 0x01;
    await writeFile(damagedPath, bytes);

    const listed = await v.session.backupStore.list();
    expect(listed.find((b) => b.file === newest!.file)).toMatchObject({ intact: false });
    expect(listed.filter((b) => b.file !== newest!.file).every((b) => b.intact === true)).toBe(true);
    expect((await v.session.backupStore.listIntact()).map((b) => b.file)).not.toContain(newest!.file);
    await expect(restoreBackupFile(v.path, newest!.file, v.deps)).rejects.toMatchObject({ code: 'CORRUPTED' });

    // A damaged file newer than every backup (the damaged vault a restore set aside) takes no slot.
    const setAside = '2026-01-01T00-00-00-000Z.g00000099.keyward';
    await writeFile(join(v.paths.backupsDir, setAside), Buffer.from('damaged'));
    await v.session.transact((body) => {
      body.settings.backupsToKeep = 1;
    });
    await v.service.add({ name: 'bravo', type: 'secret' }, { value: distinctiveSecret('bravo') });
    const left = await v.session.backupStore.list();
    expect(left.map((b) => [b.generation, b.intact])).toEqual([
      [99, false],
      [3, true],
    ]);
    v.session.lock();
  });
});

describe('previewing a backup', () => {
  it('says what a restore of the newest backup would lose: the last change', async () => {
    const v = await vaultWith('alpha');
    await v.service.add({ name: 'bravo', type: 'secret' }, { value: distinctiveSecret('bravo') });
    const [newest] = await v.session.backupStore.listIntact();
    const opened = await v.session.openBackup(newest!.file);
    expect(opened.openedWith).toBe('vault-key');
    expect(opened.body.credentials.map((c) => c.name)).toEqual(['alpha']);
    expect(changesBetween(opened.body, v.session.state)).toMatchObject({ added: 1, names: { added: ['bravo'] } });
    v.session.lock();
  });

  it('after a key rotation, opens an older backup with the password current when it was written, leaving the live vault alone', async () => {
    const v = await vaultWith('alpha');
    const newPassword = `${v.password}-changed`;
    await v.session.changePassword(v.password, newPassword);
    await v.session.rotateVaultKey(newPassword);
    const backups = await v.session.backupStore.listIntact();
    // The newest backup is the file just before the rotation (new password, old key);
    // the oldest ones were written under the first password.
    const beforeRotation = backups[0]!;
    const firstPassword = backups.at(-1)!;
    const live = await readFile(v.path);

    await expect(v.session.openBackup(beforeRotation.file)).rejects.toMatchObject({ code: 'AUTH_FAILED', extra: { field: 'password' } });
    const withCurrent = await v.session.openBackup(beforeRotation.file, newPassword);
    expect(withCurrent.openedWith).toBe('current-password');
    expect(withCurrent.body.credentials.map((c) => c.name)).toEqual(['alpha']);

    await expect(v.session.openBackup(firstPassword.file, newPassword)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    const withEarlier = await v.session.openBackup(firstPassword.file, v.password);
    expect(withEarlier.openedWith).toBe('earlier-password');

    expect((await readFile(v.path)).equals(live)).toBe(true);
    expect(v.session.state.credentials.map((c) => c.name)).toEqual(['alpha']);
    v.session.lock();
  });

  it('counts wrong passwords under the same lockout as unlock', async () => {
    const v = await vaultWith('alpha');
    await v.session.rotateVaultKey(v.password);
    const [beforeRotation] = await v.session.backupStore.listIntact();
    for (let i = 0; i < FREE_ATTEMPTS; i++)
      await expect(v.session.openBackup(beforeRotation!.file, 'not-the-password')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await expect(v.session.verifyPassword(v.password)).rejects.toMatchObject({ code: 'LOCKED_OUT' });
    await expect(v.session.openBackup(beforeRotation!.file, v.password)).rejects.toMatchObject({ code: 'LOCKED_OUT' });
    v.session.lock();
  });
});

describe('inspecting backups while the vault cannot be opened', () => {
  it('shows what each backup holds with one counted password check, writing nothing', async () => {
    const v = await vaultWith('alpha', 'bravo');
    v.session.lock();
    const damaged = await readFile(v.path);
    damaged[damaged.length - 50]! ^= 0x01;
    await writeFile(v.path, damaged);
    const before = await readdir(v.paths.backupsDir);

    await expect(inspectBackupsWithPassword(v.path, 'not-the-password', v.deps)).rejects.toMatchObject({ code: 'AUTH_FAILED', extra: { field: 'password' } });
    const listed = await inspectBackupsWithPassword(v.path, v.password, v.deps);
    expect(listed.map((b) => [b.generation, b.credentialCount])).toEqual([
      [2, 1],
      [1, 0],
    ]);
    expect(listed[0]!.changesFromPrevious).toMatchObject({ added: 1, names: { added: ['alpha'] } });
    expect(await readdir(v.paths.backupsDir)).toEqual(before);
    expect((await readFile(v.path)).equals(damaged)).toBe(true);

    for (let i = 1; i < FREE_ATTEMPTS; i++) await expect(inspectBackupsWithPassword(v.path, 'wrong', v.deps)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await expect(inspectBackupsWithPassword(v.path, v.password, v.deps)).rejects.toMatchObject({ code: 'LOCKED_OUT' });
  });

  it('backups under an earlier master password keep no count', async () => {
    const v = await vaultWith('alpha');
    const newPassword = `${v.password}-changed`;
    await v.session.changePassword(v.password, newPassword);
    await v.service.add({ name: 'bravo', type: 'secret' }, { value: distinctiveSecret('bravo') });
    v.session.lock();
    const listed = await inspectBackupsWithPassword(v.path, newPassword, v.deps);
    expect(listed[0]!.credentialCount).toBe(1); // written under the new password
    expect(listed.at(-1)!.credentialCount).toBeUndefined(); // the vault as created, under the first password
  });
});

describe('restoring a backup from before a key rotation', () => {
  it('restores the file and says the session must unlock again, rather than failing half-way', async () => {
    const v = await vaultWith('alpha');
    await v.session.rotateVaultKey(v.password);
    await v.service.add({ name: 'bravo', type: 'secret' }, { value: distinctiveSecret('bravo') });
    const beforeRotation = (await v.session.backupStore.listIntact()).find((b) => b.generation === 2)!;
    expect(await v.session.restoreBackup(beforeRotation.file)).toBe('needs-unlock');
    v.session.lock();
    const reopened = await unlockVault(v.path, { password: v.password }, v.deps);
    expect(reopened.state.credentials.map((c) => c.name)).toEqual(['alpha']);
    reopened.lock();
  });
});
