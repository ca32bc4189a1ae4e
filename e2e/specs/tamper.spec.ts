import { readFileSync, writeFileSync } from 'node:fs';
import { test, expect } from '../fixtures/harness.js';
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
  await expect(page.getByLabel('Master password')).toHaveCount(0);
  await expect(alert.getByRole('radio')).toHaveCount(2);

  await alert.getByRole('button', { name: 'Restore newest backup' }).click();
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
