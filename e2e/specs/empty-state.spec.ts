/**
 * The empty vault: each credential type shown there starts "New credential"
 * with that type chosen (they look like buttons, so they are buttons).
 */
import { test, expect } from '../fixtures/harness.js';
import { createVaultWithCli } from '../fixtures/harness.js';
import { dialog, unlockWithPassword } from '../fixtures/ui.js';

test.use({ harnessOptions: { keychain: false, prepare: (h) => createVaultWithCli(h) } });

test('the type tiles of the empty state start a new credential of that type', async ({ app: page }) => {
  await unlockWithPassword(page);
  await expect(page.getByRole('heading', { name: 'No credentials yet' })).toBeVisible();
  await page.getByRole('button', { name: 'New Token' }).click();
  const form = dialog(page, 'New credential');
  await expect(form.getByLabel('Credential type')).toHaveValue('token');
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(form).toBeHidden();
  await page.getByRole('button', { name: 'New Password' }).click();
  await expect(dialog(page, 'New credential').getByLabel('Credential type')).toHaveValue('password');
});
