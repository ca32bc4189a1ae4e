/**
 * A restored backup brings back credentials, never an older configuration
 * (issue 13): loosening the policy, removing a custom rule or weakening a
 * setting needs the master password, so a restore must not do it without one.
 * In place, today's settings, policy and rules stay, and a restore that takes
 * a credential out of a rule's scope asks for the password; restored while
 * locked, the next unlock takes them back from the copy the restore replaced.
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCore } from '../core/composition.js';
import { policyValues } from '../core/policy/security-policy.js';
import { FakeClock } from '../core/ports/clock.js';
import { distinctiveSecret, strongPassword, TEST_KDF_ITERATIONS, testDeps } from './helpers/builders.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs();

async function vaultWithBackup(options: { useKeychain?: boolean } = {}) {
  const dir = await tempDir();
  const path = join(dir, 'vault.keyward');
  const password = strongPassword() + strongPassword();
  const clock = new FakeClock(new Date('2026-12-01T10:00:00Z'));
  const core = openCore({ actor: 'test', deps: testDeps({ clock, stateDir: join(dir, 'state') }) });
  const lifecycle = core.vault(path);
  const vault = await lifecycle.create({ password, useKeychain: options.useKeychain ?? false, kdfIterations: TEST_KDF_ITERATIONS, weakPasswordHint: '' });
  await vault.credentials.add({ name: 'db-prod', type: 'secret', tags: ['ops'] }, { value: distinctiveSecret('db') });
  await vault.credentials.add({ name: 'notes', type: 'secret' }, { value: distinctiveSecret('notes') });
  // The backup: no rule, the default policy and settings.
  await vault.credentials.add({ name: 'marker', type: 'secret' }, { value: distinctiveSecret('marker') });
  const backup = (await vault.listBackups()).find((b) => b.intact !== false && b.credentialCount === 2)!;
  expect(backup).toBeDefined();
  clock.advance(60_000);
  return { dir, path, password, clock, core, lifecycle, vault, backup };
}

/** Everything that needs the master password to loosen, tightened after the backup. */
async function tighten(vault: Awaited<ReturnType<typeof vaultWithBackup>>['vault']) {
  await vault.addPolicyRule({ name: 'no-export', scopes: ['name:notes'], settings: { no_plaintext_export: true } });
  await vault.setPolicy('min_length', 20);
  await vault.updateSettings({ autoLockMinutes: 1 });
}

function expectTightened(vault: Awaited<ReturnType<typeof vaultWithBackup>>['vault']) {
  expect((vault.state.policy?.rules ?? []).map((r) => r.name)).toEqual(['no-export']);
  expect(policyValues(vault.state).min_length).toBe(20);
  expect(vault.state.settings.autoLockMinutes).toBe(1);
}

describe('restoring a backup keeps today’s configuration', () => {
  it('in place: credentials come back, rules, policy and settings stay, and no AES-GCM count goes back', async () => {
    const { vault, backup } = await vaultWithBackup();
    await tighten(vault);
    const countsBefore = { ...vault.state.encryptions };

    expect(await vault.restoreBackup(backup.file)).toBe('restored');
    expect(vault.state.credentials.map((c) => c.name).sort()).toEqual(['db-prod', 'notes']);
    expectTightened(vault);
    // The rule still holds for the restored credential: its value is not exported in plain text.
    await expect(vault.credentials.reveal('notes', undefined, 'export')).rejects.toMatchObject({ code: 'POLICY' });
    expect(vault.state.encryptions.body).toBeGreaterThan(countsBefore.body);
    expect(vault.state.encryptions.secrets).toBeGreaterThanOrEqual(countsBefore.secrets);
  });

  it('in place: a restore that takes a credential out of a rule’s scope needs the master password', async () => {
    const { vault, backup, password } = await vaultWithBackup();
    // Tagged after the backup, and a rule on the tag: the backup's copy of db-prod is out of its scope.
    await vault.credentials.update('db-prod', { tags: ['ops', 'production'] });
    await vault.addPolicyRule({ name: 'prod', scopes: ['tag:production'], settings: { no_plaintext_export: true } });

    const refused = await vault.restoreBackup(backup.file).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'password' } });
    expect((refused as Error).message).toMatch(/"db-prod" \("prod"\)/);
    await expect(vault.restoreBackup(backup.file, 'not the password')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    // Nothing was restored by the refusals.
    expect(vault.state.credentials.map((c) => c.name).sort()).toEqual(['db-prod', 'marker', 'notes']);

    expect(await vault.restoreBackup(backup.file, password)).toBe('restored');
    expect(vault.state.credentials.find((c) => c.name === 'db-prod')!.tags).toEqual(['ops']);
    expect((vault.state.policy?.rules ?? []).map((r) => r.name)).toEqual(['prod']);
  });

  it('in place: a backup that leaves every rule as it is needs no password', async () => {
    const { vault, backup } = await vaultWithBackup();
    await vault.addPolicyRule({ name: 'ops', scopes: ['tag:ops'], settings: { rotate_every_days: 14 } });
    expect(await vault.restoreBackup(backup.file)).toBe('restored');
  });

  it('restored while locked: the next unlock takes the settings, policy and rules back from the replaced copy', async () => {
    const { vault, backup, lifecycle, core, path, password } = await vaultWithBackup();
    await tighten(vault);
    await vault.lock('command-end');

    await lifecycle.restoreBackup(backup.file);
    const reopened = await core.vault(path).unlock({ password });
    expect(reopened.state.credentials.map((c) => c.name).sort()).toEqual(['db-prod', 'notes']);
    expectTightened(reopened);
    // Once: a later unlock finds today's copy the newest and changes nothing.
    await reopened.lock('command-end');
    expectTightened(await core.vault(path).unlock({ password }));
  });

  it('a backup renamed to claim a newer generation is judged by its header, and passed over', async () => {
    const { vault, backup, lifecycle, core, path, password, dir } = await vaultWithBackup();
    await tighten(vault);
    await vault.lock('command-end');
    await lifecycle.restoreBackup(backup.file);
    // The old, loose copy again, under a name that says it is the newest of all.
    const backups = join(dir, 'vault.keyward.backups');
    await copyFile(join(backups, backup.file), join(backups, backup.file.replace(/\.g\d{8}\./, '.g99999999.')));
    expectTightened(await core.vault(path).unlock({ password }));
  });
  it('in place: a credential the backup holds inactive, under a rotation rule, needs the password too', async () => {
    const { vault, password, clock } = await vaultWithBackup();
    // db-prod deactivated; activating it again keeps a backup of the vault with it inactive; then a rotation rule.
    await vault.credentials.setActive('db-prod', false);
    clock.advance(60_000);
    await vault.credentials.setActive('db-prod', true);
    const backup = (await vault.listBackups())[0]!;
    clock.advance(60_000);
    await vault.addPolicyRule({ name: 'ops-rotation', scopes: ['tag:ops'], settings: { rotate_every_days: 14 } });
    clock.advance(60_000);
    await expect(vault.restoreBackup(backup.file)).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'password' }, message: expect.stringMatching(/"db-prod" \("ops-rotation"\)/) });
    expect(await vault.restoreBackup(backup.file, password)).toBe('restored');
    expect(vault.state.credentials.find((c) => c.name === 'db-prod')!.active).toBe(false);
  });

  it('in place: a backup made under an earlier vault key cannot be judged, so it needs the password', async () => {
    const { vault, password } = await vaultWithBackup();
    const before = (await vault.listBackups())[0]!;
    await vault.rotateVaultKey(password);
    await expect(vault.restoreBackup(before.file)).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'password' }, message: expect.stringMatching(/earlier vault key/) });
    expect(await vault.restoreBackup(before.file, password)).toBe('needs-unlock');
  });

  it('in place: judged again on the vault as it is under the write lock — a rule another process added meanwhile counts', async () => {
    const { vault, backup, core, path, password } = await vaultWithBackup();
    // Another process (its own session of the same file) tags db-prod and adds a rule on the tag; this session has not
    // read that yet, so its first look finds nothing to ask about.
    const other = await core.vault(path).unlock({ password });
    await other.credentials.update('db-prod', { tags: ['ops', 'production'] });
    await other.addPolicyRule({ name: 'prod', scopes: ['tag:production'], settings: { no_plaintext_export: true } });
    await expect(vault.restoreBackup(backup.file)).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'password' }, message: expect.stringMatching(/changed meanwhile/) });
    expect(vault.state.credentials.find((c) => c.name === 'db-prod')!.tags).toEqual(['ops', 'production']);
    await other.lock('command-end');
  });

  it('restored while locked: an older copy that takes a credential out of a rule opens only with the master password', async () => {
    const { vault, backup, lifecycle, core, path, password } = await vaultWithBackup({ useKeychain: true });
    await vault.credentials.update('db-prod', { tags: ['ops', 'production'] });
    await vault.addPolicyRule({ name: 'prod', scopes: ['tag:production'], settings: { no_plaintext_export: true } });
    await vault.lock('command-end');

    await lifecycle.restoreBackup(backup.file);
    // The keychain opens the vault without a password: not enough to accept that.
    await expect(core.vault(path).unlock({ keychain: true })).rejects.toMatchObject({ code: 'AUTH_FAILED', extra: { field: 'password' }, message: expect.stringMatching(/takes "db-prod" out of custom rules/) });
    const reopened = await core.vault(path).unlock({ password });
    expect(reopened.state.credentials.find((c) => c.name === 'db-prod')!.tags).toEqual(['ops']);
    expect((reopened.state.policy?.rules ?? []).map((r) => r.name)).toEqual(['prod']);
  });
});
