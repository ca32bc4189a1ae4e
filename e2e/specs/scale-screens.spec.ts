/**
 * Screenshots (both themes) of what issue 9's items 0, 14–16 and 21 changed:
 * Rotation at 10k (first page and "Show more"), a card marked rotated with
 * its Undo toast, an inactive credential's note with the Undo toast, and the
 * empty vault's type buttons. Written to e2e/artifacts/screens/.
 */
import { test, expect, createVaultWithCli, inBothThemes } from '../fixtures/harness.js';
import { credentialList, details, prepareVault, seedVault, toast, unlockWithPassword } from '../fixtures/ui.js';
import { cliOk, openSection } from '../fixtures/sections.js';

test.describe('at 10k', () => {
  test.use({ harnessOptions: { keychain: false, prepare: seedVault(10_000) } });
  test('rotation, first page and its end', async ({ app: page }) => {
    await unlockWithPassword(page);
    await openSection(page, 'Rotation');
    const upcoming = page.getByRole('region', { name: 'Upcoming', exact: true });
    await expect(upcoming.getByRole('listitem').first()).toBeVisible();
    await inBothThemes(page, 'rotation-10k');
    await upcoming.getByRole('button', { name: /^Show \d+ more/ }).scrollIntoViewIfNeeded();
    await inBothThemes(page, 'rotation-10k-show-more');
  });
});

test.describe('small vault', () => {
  test.use({
    harnessOptions: {
      keychain: false,
      prepare: (h) => {
        prepareVault({ name: 'mail-login', type: 'password', value: 'First-Passw0rd-value!' }, { name: 'keep-me', type: 'secret', value: 'kept-0123456789abcdefghij' })(h);
        cliOk(h, ['policy-for', 'keep-me', '--interval-days', '1']);
      },
    },
  });
  test('marked rotated with Undo; inactive with Undo', async ({ app: page }) => {
    await unlockWithPassword(page);
    await openSection(page, 'Rotation');
    await page.getByRole('region', { name: 'Due soon', exact: true }).getByRole('button', { name: 'Mark rotated at provider' }).click();
    await expect(toast(page, /as rotated at the provider/)).toBeVisible();
    await inBothThemes(page, 'rotation-marked-undo');
    await openSection(page, 'Vault');
    await credentialList(page).getByRole('option', { name: 'mail-login' }).click();
    await details(page).getByRole('button', { name: 'Deactivate' }).click();
    await expect(toast(page, 'Credential deactivated.')).toBeVisible();
    await inBothThemes(page, 'detail-inactive-undo');
  });
});

test.describe('empty', () => {
  test.use({ harnessOptions: { keychain: false, prepare: (h) => createVaultWithCli(h) } });
  test('empty vault', async ({ app: page }) => {
    await unlockWithPassword(page);
    await page.getByRole('button', { name: 'New Token' }).hover();
    await inBothThemes(page, 'empty-vault-types');
  });
});
