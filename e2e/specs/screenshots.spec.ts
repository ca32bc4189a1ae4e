/**
 * Screenshots of every screen in both themes, for people to look at
 * (e2e/artifacts/screens/NAME-light.png and NAME-dark.png).
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { test, expect, createVaultWithCli, inDesktopSession, MASTER_PASSWORD, inBothThemes } from '../fixtures/harness.js';
import { credentialList, details, dialog, prepareVault, searchBox, seedVault, unlockWithPassword } from '../fixtures/ui.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const LONG_NAME =
  'payments-platform/production/eu-west-1/stripe-restricted-key-for-the-nightly-reconciliation-job-that-nobody-remembers-owning-but-everyone-depends-on';

test.describe('screenshots', () => {
  test.describe('first run', () => {
    test('onboarding', async ({ app: page }) => {
      await page.getByLabel('Master password', { exact: true }).fill('Tr0ub4dor&3');
      await expect(page.getByText('Strength: Weak')).toBeVisible();
      await inBothThemes(page, 'onboarding');
    });
  });

  test.describe('locked', () => {
    test.use({ harnessOptions: { keychain: false, prepare: prepareVault({ name: 'first', type: 'secret', value: 'one' }, { name: 'second', type: 'secret', value: 'two' }) } });
    test('unlock, wrong password, tampered file', async ({ app: page, harness }) => {
      await expect(page.getByRole('heading', { name: 'Unlock Keyward' })).toBeVisible();
      await inBothThemes(page, 'unlock');
      await page.getByLabel('Master password').fill('not the password');
      await page.getByRole('button', { name: 'Unlock', exact: true }).click();
      await expect(page.getByText(/Wrong master password/)).toBeVisible();
      await inBothThemes(page, 'unlock-error');
      const bytes = readFileSync(harness.vaultPath);
      bytes[bytes.length - 40]! ^= 0xff;
      writeFileSync(harness.vaultPath, bytes);
      await page.reload();
      await expect(page.getByRole('button', { name: 'Restore newest backup' })).toBeVisible();
      await inBothThemes(page, 'tamper');
    });
  });

  test.describe('keychain', () => {
    test.skip(!inDesktopSession, 'The keychain button needs a real Secret Service: run under scripts/with-desktop-session.sh.');
    test.use({
      harnessOptions: {
        keychain: true,
        prepare: (h) => {
          h.cli(['init', '--kdf-iterations', '100000']);
        },
      },
    });
    test('unlock with the keychain', async ({ app: page }) => {
      await expect(page.getByRole('button', { name: 'Unlock with keychain' })).toBeVisible();
      await inBothThemes(page, 'unlock-keychain');
    });
  });

  test.describe('empty vault', () => {
    test.use({ harnessOptions: { keychain: false, prepare: createVaultWithCli } });
    test('vault with no credentials', async ({ app: page }) => {
      await unlockWithPassword(page);
      await expect(page.getByRole('heading', { name: 'No credentials yet' })).toBeVisible();
      await inBothThemes(page, 'vault-empty');
    });
  });

  test.describe('vault with credentials', () => {
    test.use({
      harnessOptions: {
        keychain: false,
        prepare: (h) => {
          prepareVault(
            { name: 'stripe-live/payments', type: 'api_key', value: 'sk_live_51HqLyjWDarjtT1zdp7dcXYZabc', flags: ['--provider', 'stripe', '--tag', 'prod', '--tag', 'payments', '--field', 'keyId=pk_live_51HqLyj', '--field', 'scopes=charges, refunds', '--expires', inDays(4), '--description', 'Used by the checkout service and the nightly payouts job.'] },
            { name: 'github (work)', type: 'password', value: 'Gh-Example-Passw0rd!', flags: ['--provider', 'github', '--field', 'username=dev@example.com', '--field', 'url=https://github.com/login', '--tag', 'work'] },
            { name: 'GitHub Actions deploy token', type: 'token', value: 'ghp_exampletoken1234567890', flags: ['--provider', 'github', '--field', 'tokenType=personal_access', '--tag', 'ci', '--expires', inDays(-3)] },
            { name: LONG_NAME, type: 'api_key', value: 'rk_live_example', flags: ['--provider', 'stripe', '--tag', 'prod'] },
            { name: 'session-signing-secret', type: 'secret', flags: ['--tag', 'prod', '--description', 'HMAC key for session cookies.'] },
            { name: 'legacy-mailer', type: 'api_key', value: 'SG.legacy.example', flags: ['--provider', 'sendgrid'] },
          )(h);
          h.cli(['deactivate', 'legacy-mailer']);
          h.cli(['rotate', 'stripe-live/payments'], { input: 'sk_live_51HqLyjWDarjtT1zdp7dcNEWVALUE' });
        },
      },
    });

    test('list, detail, forms and dialogs', async ({ app: page }) => {
      await unlockWithPassword(page);
      const list = credentialList(page);
      await list.getByRole('option', { name: 'stripe-live/payments' }).click();
      await expect(details(page).getByRole('heading', { name: 'stripe-live/payments' })).toBeVisible();
      await expect(details(page).getByRole('list', { name: 'Versions' }).getByRole('listitem')).toHaveCount(2);
      await inBothThemes(page, 'vault-items');

      await list.getByRole('option', { name: LONG_NAME }).click();
      await expect(details(page).getByRole('heading', { name: LONG_NAME })).toBeVisible();
      await inBothThemes(page, 'detail-long-name');

      await list.getByRole('option', { name: 'stripe-live/payments' }).click();
      await details(page).getByRole('button', { name: 'Reveal value' }).click();
      await expect(details(page).getByTestId('secret-value')).toHaveText('sk_live_51HqLyjWDarjtT1zdp7dcNEWVALUE');
      await details(page).getByRole('button', { name: 'Copy Key ID' }).click().catch(() => undefined);
      await inBothThemes(page, 'detail-revealed');
      await details(page).getByRole('button', { name: 'Hide value' }).click();

      await page.getByRole('button', { name: 'New credential' }).click();
      await dialog(page, 'New credential').getByLabel('Name', { exact: true }).fill('openai/prod');
      await inBothThemes(page, 'add-form');
      // A typed name makes the form dirty: Escape asks before throwing it away.
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Discard', exact: true }).click();
      await expect(dialog(page, 'New credential')).toBeHidden();

      await details(page).getByRole('button', { name: 'Rotate' }).click();
      await expect(dialog(page, /Rotate/)).toBeVisible();
      await inBothThemes(page, 'rotate-dialog');
      await page.keyboard.press('Escape');

      await details(page).getByRole('button', { name: 'Delete' }).click();
      await expect(page.getByRole('alertdialog')).toBeVisible();
      await inBothThemes(page, 'delete-confirm');
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Settings' }).click();
      await expect(dialog(page, 'Settings').getByRole('list', { name: 'Backups' })).toBeVisible();
      await inBothThemes(page, 'settings');
      await page.keyboard.press('Escape');

      await searchBox(page).fill('zzz-nothing');
      await expect(page.getByRole('heading', { name: 'No matching credentials' })).toBeVisible();
      await inBothThemes(page, 'vault-no-results');
    });
  });

  test.describe('10k credentials', () => {
    test.use({ harnessOptions: { keychain: false, prepare: seedVault(10_000) } });
    test('the large list', async ({ app: page }) => {
      await unlockWithPassword(page, MASTER_PASSWORD);
      await expect(credentialList(page).getByRole('option').first()).toBeVisible({ timeout: 20_000 });
      await credentialList(page).getByRole('option').nth(2).click();
      await inBothThemes(page, 'list-10k');
    });
  });
});
