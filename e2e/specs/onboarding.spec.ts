import { test, expect, MASTER_PASSWORD } from '../fixtures/harness.js';
import { errorToast, searchBox, toast } from '../fixtures/ui.js';

test.describe('first run', () => {
  test('creates a vault with strength feedback and confirmation', async ({ app: page }) => {
    await expect(page.getByRole('heading', { name: 'Welcome to Keyward' })).toBeVisible();
    const password = page.getByLabel('Master password', { exact: true });
    await password.fill('password');
    await expect(page.getByText('Strength: Very weak')).toBeVisible();
    await expect(page.getByText('This is a heavily used password.')).toBeVisible();

    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect(page.getByText('The master password must be at least 12 characters (it has 8).')).toBeVisible();

    await password.fill(MASTER_PASSWORD);
    await expect(page.getByText('Strength: Very strong')).toBeVisible();
    await page.getByLabel('Confirm master password').fill(`${MASTER_PASSWORD}x`);
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect(page.getByText('The passwords do not match.')).toBeVisible();

    await page.getByLabel('Confirm master password').fill(MASTER_PASSWORD);
    // The harness runs without a keychain: the option says why it is unavailable.
    await expect(page.getByLabel('Also keep the key in the OS keychain')).toBeDisabled();
    await page.getByRole('button', { name: 'Create vault' }).click();

    await expect(searchBox(page)).toBeVisible({ timeout: 15_000 });
    await expect(toast(page, 'Your vault is ready.')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'No credentials yet' })).toBeVisible();
  });

  test('the master password minimum is stated before typing, "Summer2024!" is refused, and a weak one takes an explicit choice', async ({ app: page }) => {
    const password = page.getByLabel('Master password', { exact: true });
    // Said before anyone types, and tied to the field for screen readers.
    await expect(password).toHaveAccessibleDescription(/At least 12 characters and rated “Strong” or better\./);
    await expect(page.getByLabel('Use this weak master password anyway')).toHaveCount(0);
    await password.fill('Summer2024!');
    await expect(page.getByText(/Strength: /)).toBeVisible();
    await page.getByLabel('Confirm master password').fill('Summer2024!');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect(page.getByText('The master password must be at least 12 characters (it has 11).')).toBeVisible();
    await password.fill('summersummer2024');
    await page.getByLabel('Confirm master password').fill('summersummer2024');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect(page.getByText('The master password is too easy to guess: it must be rated “Strong” or better.')).toBeVisible();
    await expect(searchBox(page)).toHaveCount(0);
    // The override is explicit and comes with what it means.
    await page.getByLabel('Use this weak master password anyway').check();
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect(searchBox(page)).toBeVisible({ timeout: 15_000 });
  });

  test('"Open another vault file…" reports that the harness cannot show a file dialog', async ({ app: page }) => {
    await page.getByRole('button', { name: 'Open another vault file…' }).click();
    await expect(errorToast(page, 'Choosing another vault file is not available here.')).toBeVisible();
  });
});
