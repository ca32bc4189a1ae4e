import { readFileSync, writeFileSync } from 'node:fs';
import { test, expect, MASTER_PASSWORD } from '../fixtures/harness.js';
import { listedNames, prepareVault, toast, unlockWithPassword } from '../fixtures/ui.js';

// Two saves after init: the newest backup holds "first" (the state before "second" was added).
test.use({ harnessOptions: { keychain: false, prepare: prepareVault({ name: 'first', type: 'secret', value: 'one' }, { name: 'second', type: 'secret', value: 'two' }) } });

test('a tampered vault file is reported on the unlock screen and the newest backup can be restored', async ({ app: page, harness }) => {
  await expect(page.getByRole('heading', { name: 'Unlock Keyward' })).toBeVisible();
  const bytes = readFileSync(harness.vaultPath);
  bytes[bytes.length - 50]! ^= 0x01;
  writeFileSync(harness.vaultPath, bytes);
  await page.reload();

  const alert = page.getByRole('alert').filter({ hasText: 'This vault file is damaged or was tampered with' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('corrupted or tampered');
  // No unlock form: the file cannot be opened.
  await expect(page.getByRole('button', { name: 'Unlock', exact: true })).toHaveCount(0);
  await expect(alert.getByRole('radio')).toHaveCount(2);
  // An app user gets the app's button, not a terminal command, and no promise that nothing is lost.
  await expect(alert).not.toContainText('keyward restore-backup');
  await expect(alert).not.toContainText('loses nothing');
  // Each backup to the second, with its generation: two saves in one minute must not look the same.
  await expect(alert.getByRole('radio', { name: /generation 2/ })).toHaveAccessibleName(/\d{1,2}:\d{2}:\d{2}.* · generation 2 · /);
  await expect(alert.getByRole('radio', { name: /generation 1/ })).toBeVisible();
  // Restoring the newest backup undoes the last save ("second" was added by it): the screen says so.
  const restoreNewest = alert.getByRole('button', { name: 'Restore newest backup' });
  await expect(restoreNewest).toHaveAccessibleDescription(/It undoes the last save — the one that wrote the damaged file/);
  await alert.getByRole('radio', { name: /generation 1/ }).check();
  await expect(alert).toContainText('It undoes the last 2 saves, including the one that wrote the damaged file');

  await restoreNewest.click();
  await expect(toast(page, /Backup restored/)).toBeVisible();
  await expect(alert).toHaveCount(0);
  await unlockWithPassword(page);
  await expect.poll(() => listedNames(page)).toEqual(['first']);
});

test('a wrong password on a file damaged after the page loaded also offers the backups', async ({ app: page, harness }) => {
  await expect(page.getByRole('heading', { name: 'Unlock Keyward' })).toBeVisible();
  const bytes = readFileSync(harness.vaultPath);
  bytes[bytes.length - 50]! ^= 0x01;
  writeFileSync(harness.vaultPath, bytes);
  // No reload: the unlock attempt itself finds the damage.
  await page.getByLabel('Master password').fill('whatever-password');
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'This vault file is damaged or was tampered with' });
  await expect(alert).toBeVisible();
  await alert.getByRole('radio').nth(1).check();
  await alert.getByRole('button', { name: 'Restore selected backup' }).click();
  await expect(toast(page, /Backup restored/)).toBeVisible();
  await unlockWithPassword(page);
  // The older backup is the vault as created: empty.
  await expect(page.getByRole('heading', { name: 'No credentials yet' })).toBeVisible();
});

test('the master password shows what each backup holds, without touching the damaged file', async ({ app: page, harness }) => {
  await expect(page.getByRole('heading', { name: 'Unlock Keyward' })).toBeVisible();
  const bytes = readFileSync(harness.vaultPath);
  bytes[bytes.length - 50]! ^= 0x01;
  writeFileSync(harness.vaultPath, bytes);
  await page.reload();
  const alert = page.getByRole('alert').filter({ hasText: 'This vault file is damaged or was tampered with' });
  const password = alert.getByLabel('Master password, to see what each backup holds');
  await password.fill('Not-The-Password-1');
  await alert.getByRole('button', { name: 'Show contents' }).click();
  await expect(alert.getByText(/^Wrong master password\./)).toBeVisible();
  await password.fill(MASTER_PASSWORD);
  await alert.getByRole('button', { name: 'Show contents' }).click();
  await expect(alert.getByRole('radio', { name: /generation 2 · .* · 1 credential$/ })).toBeVisible();
  await expect(alert.getByRole('radio', { name: /generation 1 · .* · 0 credentials$/ })).toBeVisible();
  await expect(alert.getByRole('button', { name: 'Restore newest backup' })).toHaveAccessibleDescription(/From the backup before: 1 added \(first\)\./);
  expect(readFileSync(harness.vaultPath).equals(bytes)).toBe(true);
});
