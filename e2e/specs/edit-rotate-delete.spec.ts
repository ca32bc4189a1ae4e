import { test, expect } from '../fixtures/harness.js';
import { credentialList, details, dialog, listedNames, prepareVault, toast, unlockWithPassword } from '../fixtures/ui.js';

test.use({
  harnessOptions: {
    keychain: false,
    prepare: prepareVault(
      { name: 'mail-login', type: 'password', value: 'First-Passw0rd-value!', flags: ['--provider', 'fastmail', '--field', 'username=me@example.com'] },
      { name: 'keep-me', type: 'secret', value: 'kept' },
    ),
  },
});

test.beforeEach(async ({ app: page }) => {
  await unlockWithPassword(page);
  await credentialList(page).getByRole('option', { name: 'mail-login' }).click();
  await expect(details(page).getByRole('heading', { name: 'mail-login' })).toBeVisible();
});

test('edits metadata and fields', async ({ app: page }) => {
  await details(page).getByRole('button', { name: 'Edit' }).click();
  const form = dialog(page, 'Edit credential');
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue('mail-login');
  await expect(form.getByLabel('Username')).toHaveValue('me@example.com');
  await form.getByLabel('Name', { exact: true }).fill('mail (personal)');
  await form.getByLabel('Username').fill('me@fastmail.com');
  await form.getByLabel('Tags').fill('personal, email');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form).toBeHidden();
  await expect(toast(page, 'Changes saved.')).toBeVisible();

  const panel = details(page);
  await expect(panel.getByRole('heading', { name: 'mail (personal)' })).toBeVisible();
  await expect(panel.getByText('me@fastmail.com')).toBeVisible();
  await expect(panel.getByRole('list', { name: 'Tags' })).toContainText('email');
  await expect.poll(() => listedNames(page)).toEqual(['keep-me', 'mail (personal)']);
});

test('rotates with a pasted value and with a generated one; history keeps the old values', async ({ app: page }) => {
  const panel = details(page);
  await panel.getByRole('button', { name: 'Rotate' }).click();
  let rotate = dialog(page, /Rotate/);
  await rotate.getByLabel('New password').fill('Second-Passw0rd-value!');
  await rotate.getByRole('button', { name: 'Rotate' }).click();
  await expect(rotate).toBeHidden();
  await expect(toast(page, 'Rotated: version 2 is now current.')).toBeVisible();

  await panel.getByRole('button', { name: 'Rotate' }).click();
  rotate = dialog(page, /Rotate/);
  await rotate.getByRole('radio', { name: 'Generate' }).check();
  await expect(rotate.getByText('Keyward will generate a 20-character password.')).toBeVisible();
  await rotate.getByRole('button', { name: 'Rotate' }).click();
  await expect(rotate).toBeHidden();

  const versions = panel.getByRole('list', { name: 'Versions' }).getByRole('listitem');
  await expect(versions).toHaveCount(3);
  await expect(versions.nth(0)).toContainText('Version 3');
  await expect(versions.nth(0)).toContainText('Current');
  await expect(versions.nth(0)).toContainText('Generated');
  await expect(versions.nth(1)).toContainText('Previous');
  await expect(versions.nth(2)).toContainText('Older');

  await panel.getByRole('button', { name: 'Reveal version 1' }).click();
  await expect(panel.getByTestId('version-1-value')).toHaveText('First-Passw0rd-value!');
  await panel.getByRole('button', { name: 'Reveal version 2' }).click();
  await expect(panel.getByTestId('version-2-value')).toHaveText('Second-Passw0rd-value!');
  await expect(panel.getByTestId('version-1-value')).toHaveCount(0);
  await panel.getByRole('button', { name: 'Reveal value' }).click();
  await expect(panel.getByTestId('secret-value')).toHaveText(/^.{20}$/);
});

test('a weak pasted password is refused by policy until "Store anyway"', async ({ app: page }) => {
  await details(page).getByRole('button', { name: 'Rotate' }).click();
  const rotate = dialog(page, /Rotate/);
  await rotate.getByLabel('New password').fill('short');
  await rotate.getByRole('button', { name: 'Rotate' }).click();
  await expect(rotate.getByText(/does not meet your password policy/)).toContainText('This password does not meet your password policy: it must be at least 12 characters (it has 5)');
  await expect(rotate).not.toContainText('--force');
  await rotate.getByRole('button', { name: 'Store anyway' }).click();
  await expect(rotate).toBeHidden();
  await expect(details(page).getByRole('list', { name: 'Versions' }).getByRole('listitem')).toHaveCount(2);
});

test('rotating to the identical current value is refused in the app\'s words, unless stored anyway', async ({ app: page }) => {
  await details(page).getByRole('button', { name: 'Rotate' }).click();
  const rotate = dialog(page, /Rotate/);
  await rotate.getByLabel('New password').fill('First-Passw0rd-value!');
  await rotate.getByRole('button', { name: 'Rotate' }).click();
  await expect(rotate.getByText('This is the same as the current password: rotating to it would change nothing.', { exact: false })).toBeVisible();
  await expect(rotate).not.toContainText('--force');
  await expect(details(page).getByRole('list', { name: 'Versions' }).getByRole('listitem')).toHaveCount(1);
  await rotate.getByLabel('New password').fill('   ');
  await rotate.getByRole('button', { name: 'Rotate' }).click();
  await expect(rotate.getByText('The value is only whitespace: paste the real value.')).toBeVisible();
  await rotate.getByLabel('New password').fill('First-Passw0rd-value!');
  await rotate.getByRole('button', { name: 'Rotate' }).click();
  await rotate.getByRole('button', { name: 'Store anyway' }).click();
  await expect(rotate).toBeHidden();
  await expect(details(page).getByRole('list', { name: 'Versions' }).getByRole('listitem')).toHaveCount(2);
});

test('Escape on Rotate, Edit and Delete returns focus to the button that opened each', async ({ app: page }) => {
  const panel = details(page);
  for (const [button, name] of [
    ['Rotate', /Rotate/],
    ['Edit', 'Edit credential'],
  ] as const) {
    const opener = panel.getByRole('button', { name: button, exact: true });
    await opener.click();
    await expect(dialog(page, name)).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog(page)).toHaveCount(0);
    await expect(opener).toBeFocused();
  }
  const del = panel.getByRole('button', { name: 'Delete' });
  await del.click();
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  await expect(del).toBeFocused();
});

test('Escape on an edited "Edit credential" asks before discarding the changes', async ({ app: page }) => {
  await details(page).getByRole('button', { name: 'Edit' }).click();
  const form = dialog(page, 'Edit credential');
  await form.getByLabel('Username').fill('changed@example.com');
  await page.keyboard.press('Escape');
  const ask = page.getByRole('alertdialog', { name: 'Discard your changes?' });
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(form.getByLabel('Username')).toHaveValue('changed@example.com');
  await page.keyboard.press('Escape');
  await page.getByRole('alertdialog', { name: 'Discard your changes?' }).getByRole('button', { name: 'Discard' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(details(page).getByText('me@example.com')).toBeVisible();
});

test.describe('a key its provider issues', () => {
  test.use({
    harnessOptions: {
      keychain: false,
      prepare: prepareVault(
        { name: 'mail-login', type: 'password', value: 'First-Passw0rd-value!' },
        { name: 'stripe-live', type: 'api_key', value: `sk_live_${'a1B2c3D4e5'.repeat(3)}`, flags: ['--provider', 'stripe'] },
      ),
    },
  });

  test('Rotate offers no "Generate" for a Stripe key and says to paste the one Stripe issues', async ({ app: page }) => {
    await credentialList(page).getByRole('option', { name: 'stripe-live' }).click();
    await details(page).getByRole('button', { name: 'Rotate' }).click();
    const rotate = dialog(page, /Rotate/);
    await expect(rotate.getByRole('radio', { name: 'Generate' })).toHaveCount(0);
    await expect(rotate.getByText('stripe issues these keys: create the new one at stripe, then paste it here.')).toBeVisible();
    await expect(rotate.getByLabel('New secret key')).toBeVisible();
  });
});

test('deactivates and activates', async ({ app: page }) => {
  const panel = details(page);
  await panel.getByRole('button', { name: 'Deactivate' }).click();
  await expect(toast(page, 'Credential deactivated.')).toBeVisible();
  await expect(credentialList(page).getByRole('option', { name: 'mail-login' })).toContainText('Inactive');
  await panel.getByRole('button', { name: 'Activate' }).click();
  await expect(toast(page, 'Credential activated.')).toBeVisible();
  await expect(credentialList(page).getByRole('option', { name: 'mail-login' })).not.toContainText('Inactive');
});

test('deletes after a confirmation; Cancel keeps it', async ({ app: page }) => {
  const panel = details(page);
  await panel.getByRole('button', { name: 'Delete' }).click();
  let confirm = page.getByRole('alertdialog', { name: 'Delete “mail-login”?' });
  await expect(confirm).toBeVisible();
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect.poll(() => listedNames(page)).toEqual(['keep-me', 'mail-login']);

  await panel.getByRole('button', { name: 'Delete' }).click();
  confirm = page.getByRole('alertdialog', { name: 'Delete “mail-login”?' });
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(confirm).toBeHidden();
  await expect(toast(page, 'Deleted “mail-login”.')).toBeVisible();
  await expect.poll(() => listedNames(page)).toEqual(['keep-me']);
  await expect(details(page).getByText('Select a credential to see its details.')).toBeVisible();
});
