/**
 * Screenshots of the backup screens in both themes, for people to look at
 * (e2e/artifacts/screens/NAME-light.png and NAME-dark.png): the damaged-vault
 * screen, and Settings ▸ Backups with a preview, a damaged file and a restore confirmation.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, inBothThemes } from '../fixtures/harness.js';
import { dialog, prepareVault, unlockWithPassword } from '../fixtures/ui.js';

test.use({ harnessOptions: { keychain: false, prepare: prepareVault({ name: 'first', type: 'secret', value: 'one' }, { name: 'second', type: 'secret', value: 'two' }) } });

test('damaged vault screen', async ({ app: page, harness }) => {
  await expect(page.getByRole('heading', { name: 'Unlock Keyward' })).toBeVisible();
  const bytes = readFileSync(harness.vaultPath);
  bytes[bytes.length - 40]! ^= 0xff;
  writeFileSync(harness.vaultPath, bytes);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Restore newest backup' })).toBeVisible();
  await inBothThemes(page, 'backups-tamper');
});

test('settings backups', async ({ app: page, harness }) => {
  writeFileSync(join(`${harness.vaultPath}.backups`, '2026-01-01T00-00-00-000Z.g00000009.keyward'), Buffer.from('KEYWARD damaged bytes, not a vault'));
  await unlockWithPassword(page);
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = dialog(page, 'Settings');
  const newest = settings.getByRole('list', { name: 'Backups' }).getByRole('listitem').first();
  await newest.getByRole('button', { name: /^Preview backup/ }).click();
  await expect(newest).toContainText('Holds 1 credential');
  await newest.scrollIntoViewIfNeeded();
  await inBothThemes(page, 'backups-settings');
  await settings.getByRole('list', { name: 'Damaged files' }).scrollIntoViewIfNeeded();
  await inBothThemes(page, 'backups-damaged');
  await newest.getByRole('button', { name: /^Restore backup/ }).click();
  await expect(page.getByRole('alertdialog', { name: 'Restore this backup?' })).toContainText('Restoring it would');
  await inBothThemes(page, 'backups-restore-confirm');
});
