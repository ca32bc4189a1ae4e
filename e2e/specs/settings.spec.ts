import { test, expect } from '../fixtures/harness.js';
import { dialog, listedNames, prepareVault, toast, unlockWithPassword } from '../fixtures/ui.js';

test.use({ harnessOptions: { keychain: false, prepare: prepareVault({ name: 'alpha', type: 'secret', value: 'a' }, { name: 'bravo', type: 'secret', value: 'b' }) } });

test.beforeEach(async ({ app: page }) => {
  await unlockWithPassword(page);
  await page.getByRole('button', { name: 'Settings' }).click();
});

test('saves the auto-lock and clipboard timers, and checks their ranges', async ({ app: page }) => {
  let settings = dialog(page, 'Settings');
  await expect(settings.getByLabel('Auto-lock after (minutes)')).toHaveValue('5');
  await expect(settings.getByLabel('Clear clipboard after (seconds)')).toHaveValue('30');

  await settings.getByLabel('Clear clipboard after (seconds)').fill('2');
  await settings.getByRole('button', { name: 'Save timers' }).click();
  await expect(settings.getByText('Enter whole seconds from 5 to 600.')).toBeVisible();

  await settings.getByLabel('Auto-lock after (minutes)').fill('12');
  await settings.getByLabel('Clear clipboard after (seconds)').fill('15');
  await settings.getByRole('button', { name: 'Save timers' }).click();
  await expect(toast(page, 'Settings saved.')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(settings).toBeHidden();

  await page.getByRole('button', { name: 'Settings' }).click();
  settings = dialog(page, 'Settings');
  await expect(settings.getByLabel('Auto-lock after (minutes)')).toHaveValue('12');
  await expect(settings.getByLabel('Clear clipboard after (seconds)')).toHaveValue('15');
});

test('the keychain option says why it is unavailable', async ({ app: page }) => {
  const settings = dialog(page, 'Settings');
  await expect(settings.getByLabel('Keep the vault key in the OS keychain')).toBeDisabled();
  await expect(settings.getByText(/Not available:/)).toBeVisible();
});

test('changes the master password; a wrong current password is reported inline', async ({ app: page }) => {
  const settings = dialog(page, 'Settings');
  const newPassword = 'Quiet-Lantern-Orbit-42';
  await settings.getByLabel('Current master password').fill('Wrong-Current-Password-1');
  await settings.getByLabel('New master password', { exact: true }).fill(newPassword);
  await expect(settings.getByText('Strength: Very strong')).toBeVisible();
  await settings.getByLabel('Confirm new master password').fill(newPassword);
  await settings.getByRole('button', { name: 'Change master password' }).click();
  await expect(settings.getByText('The current master password is wrong.')).toBeVisible();
  await expect(settings.getByLabel('Current master password')).toHaveAttribute('aria-invalid', 'true');

  await settings.getByLabel('Current master password').fill('Correct-Horse-Battery-9');
  await settings.getByRole('button', { name: 'Change master password' }).click();
  await expect(toast(page, 'Master password changed.')).toBeVisible();

  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await unlockWithPassword(page, newPassword);
});

test('previews a backup and restores it after a confirmation', async ({ app: page }) => {
  const settings = dialog(page, 'Settings');
  const backups = settings.getByRole('list', { name: 'Backups' }).getByRole('listitem');
  await expect(backups).toHaveCount(2);

  await backups.first().getByRole('button', { name: /^Preview backup/ }).click();
  await expect(backups.first()).toContainText('Holds 1 credential');
  await expect(backups.first()).toContainText('alpha');

  await backups.first().getByRole('button', { name: /^Restore backup/ }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Restore this backup?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(settings).toBeVisible();

  await backups.first().getByRole('button', { name: /^Restore backup/ }).click();
  await page.getByRole('alertdialog', { name: 'Restore this backup?' }).getByRole('button', { name: 'Restore backup' }).click();
  await expect(toast(page, /Restored the backup/)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect.poll(() => listedNames(page)).toEqual(['alpha']);
});
