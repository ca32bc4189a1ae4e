import { test, expect, createVaultWithCli, inDesktopSession, MASTER_PASSWORD } from '../fixtures/harness.js';
import { searchBox, unlockWithPassword } from '../fixtures/ui.js';

test.describe('lock and unlock with the master password', () => {
  test.use({ harnessOptions: { keychain: false, prepare: createVaultWithCli } });

  test('unlocks, locks with the Lock button, and forgets the view state', async ({ app: page }) => {
    await expect(page.getByRole('heading', { name: 'Unlock Keyward' })).toBeVisible();
    // No keychain here: no one-click button.
    await expect(page.getByRole('button', { name: 'Unlock with keychain' })).toHaveCount(0);
    await unlockWithPassword(page);
    await searchBox(page).fill('something');

    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Unlock Keyward' })).toBeVisible();
    await expect(searchBox(page)).toHaveCount(0);

    await unlockWithPassword(page);
    // The store was reset on lock: nothing of the previous session survives.
    await expect(searchBox(page)).toHaveValue('');
  });

  test('a wrong password is reported under the field, then the right one works', async ({ app: page }) => {
    const field = page.getByLabel('Master password');
    await field.fill('Not-The-Password-1');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await expect(page.getByText(/Wrong master password\. 4 more attempts/)).toBeVisible();
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveValue('');
    await expect(field).toBeFocused();

    await field.fill(MASTER_PASSWORD);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await expect(searchBox(page)).toBeVisible();
  });

  test('after five wrong passwords the screen counts down the lockout', async ({ app: page }) => {
    const field = page.getByLabel('Master password');
    for (let i = 0; i < 5; i++) {
      await field.fill(`wrong-${i}`);
      await page.getByRole('button', { name: 'Unlock', exact: true }).click();
      await expect(page.getByText(/Wrong master password/)).toBeVisible();
    }
    await field.fill('wrong-again');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await expect(page.getByText(/Too many wrong passwords\. Try again in \d s\./)).toBeVisible();
    await expect(page.getByRole('button', { name: /Locked for \d s/ })).toBeDisabled();
    // The countdown ends by itself and the form comes back.
    await expect(page.getByRole('button', { name: 'Unlock', exact: true })).toBeEnabled({ timeout: 10_000 });
    await unlockWithPassword(page);
  });
});

test.describe('unlock with the OS keychain', () => {
  test.skip(!inDesktopSession, 'Needs the private desktop session (a real Secret Service): run under scripts/with-desktop-session.sh.');
  test.use({
    harnessOptions: {
      keychain: true,
      prepare: (h) => {
        const r = h.cli(['init', '--kdf-iterations', '100000']);
        if (r.status !== 0) throw new Error(`keyward init failed: ${r.stderr}`);
      },
    },
  });

  test('one click unlocks a vault whose key is in the keychain', async ({ app: page }) => {
    const button = page.getByRole('button', { name: 'Unlock with keychain' });
    await expect(button).toBeVisible();
    await button.click();
    await expect(searchBox(page)).toBeVisible();
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await expect(button).toBeVisible();
  });
});
