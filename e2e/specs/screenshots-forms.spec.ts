/**
 * Screenshots of the forms' refusals and warnings in both themes, for people
 * to look at (e2e/artifacts/screens/forms-*.png): the master password minimum,
 * the discard question, whitespace and past-date warnings, and the Rotate
 * dialog's refusals in the app's own words.
 */
import { test, expect, inBothThemes } from '../fixtures/harness.js';
import { credentialList, details, dialog, fillCredentialForm, prepareVault, unlockWithPassword } from '../fixtures/ui.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test.describe('first run', () => {
  test('the master password minimum and its explicit override', async ({ app: page }) => {
    await inBothThemes(page, 'forms-onboarding-rule');
    await page.getByLabel('Master password', { exact: true }).fill('summersummer2024');
    await page.getByLabel('Confirm master password').fill('summersummer2024');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect(page.getByLabel('Use this weak master password anyway')).toBeVisible();
    await inBothThemes(page, 'forms-onboarding-refused');
  });
});

test.describe('forms', () => {
  test.use({
    harnessOptions: {
      keychain: false,
      prepare: prepareVault(
        { name: 'mail-login', type: 'password', value: 'First-Passw0rd-value!' },
        { name: 'stripe-live', type: 'api_key', value: `sk_live_${'a1B2c3D4e5'.repeat(3)}`, flags: ['--provider', 'stripe'] },
      ),
    },
  });

  test('new credential warnings, the discard question, and Rotate refusals', async ({ app: page }) => {
    await unlockWithPassword(page);
    await page.getByRole('button', { name: 'New credential' }).click();
    const form = await fillCredentialForm(page, { type: 'API key', name: 'old-key', value: ' padded-key ', expires: inDays(-62) });
    await expect(form.getByText(/in the past/)).toBeVisible();
    await inBothThemes(page, 'forms-new-warnings');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('alertdialog', { name: 'Discard this new credential?' })).toBeVisible();
    await inBothThemes(page, 'forms-discard');
    await page.getByRole('button', { name: 'Discard' }).click();

    await credentialList(page).getByRole('option', { name: 'mail-login' }).click();
    await details(page).getByRole('button', { name: 'Rotate' }).click();
    let rotate = dialog(page, /Rotate/);
    await rotate.getByLabel('New password').fill('short');
    await rotate.getByRole('button', { name: 'Rotate' }).click();
    await expect(rotate.getByText(/does not meet your password policy/)).toBeVisible();
    await inBothThemes(page, 'forms-rotate-policy');
    await rotate.getByLabel('New password').fill('First-Passw0rd-value!');
    await rotate.getByRole('button', { name: 'Rotate' }).click();
    await expect(rotate.getByText(/same as the current password/)).toBeVisible();
    await inBothThemes(page, 'forms-rotate-same');
    await page.keyboard.press('Escape');

    await credentialList(page).getByRole('option', { name: 'stripe-live' }).click();
    await details(page).getByRole('button', { name: 'Rotate' }).click();
    rotate = dialog(page, /Rotate/);
    await expect(rotate.getByText(/stripe issues these keys/)).toBeVisible();
    await inBothThemes(page, 'forms-rotate-issued');
  });
});
