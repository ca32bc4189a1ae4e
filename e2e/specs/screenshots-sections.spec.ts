/** Screenshots of the Health, Rotation and Generator screens in both themes (e2e/artifacts/screens). */
import { test, expect, inBothThemes } from '../fixtures/harness.js';
import { credentialList, dialog, unlockWithPassword } from '../fixtures/ui.js';
import { cliOk, inDays, MALFORMED_GITHUB_TOKEN, openSection, prepareHealthVault } from '../fixtures/sections.js';

test.use({
  harnessOptions: {
    keychain: false,
    prepare: (h) => {
      prepareHealthVault(h);
      cliOk(h, ['add', 'soon-key', '--type', 'api_key', '--provider', 'github', '--expires', inDays(3)], 'key-0123456789abcdefghijklmnop');
    },
  },
});

test('health, rotation, generator, badges', async ({ app: page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await unlockWithPassword(page);
  await openSection(page, 'Health');
  await expect(page.getByTestId('health-score')).toBeVisible();
  await inBothThemes(page, 'health');

  await openSection(page, 'Vault');
  await expect(credentialList(page).getByRole('option', { name: 'weak-login' })).toContainText('Weak');
  await inBothThemes(page, 'vault-badges');
  await credentialList(page).getByRole('option', { name: 'stripe-payments' }).click();
  await expect(page.getByRole('region', { name: 'Findings' }).getByRole('listitem').first()).toContainText('Test key');
  await inBothThemes(page, 'detail-findings');

  await openSection(page, 'Rotation');
  await expect(page.getByRole('region', { name: 'Overdue' })).toBeVisible();
  await inBothThemes(page, 'rotation');
  await page.getByRole('button', { name: 'Manage rotation of shared-one' }).click();
  const rotator = page.getByRole('region', { name: 'Rotator' });
  await rotator.getByLabel('Create command').fill('cat >/dev/null; echo new-$(date +%s%N)');
  await rotator.getByLabel('Test command (optional)').fill('grep -q new-');
  await rotator.getByLabel('Master password').fill('Correct-Horse-Battery-9');
  await rotator.getByRole('button', { name: 'Save rotator' }).click();
  await rotator.getByRole('button', { name: 'Dry run' }).click();
  await rotator.getByRole('button', { name: 'Run rotator' }).click();
  await expect(rotator.getByRole('listitem', { name: 'Finish: done' })).toBeVisible();
  await page.getByRole('main').evaluate((el) => el.scrollTo(0, 400));
  await inBothThemes(page, 'rotation-rotator');

  await openSection(page, 'Generator');
  await expect(page.getByTestId('generated-value')).toHaveText(/.{20}/);
  await inBothThemes(page, 'generator');

  await openSection(page, 'Vault');
  await page.getByRole('button', { name: 'New credential' }).click();
  const form = dialog(page, 'New credential');
  await form.getByLabel('Credential type').selectOption({ label: 'Password' });
  await form.getByLabel('Password', { exact: true }).fill('Tr0ub4dor&3');
  await expect(form.getByText(/Strength:/)).toBeVisible();
  await inBothThemes(page, 'add-form-meter');
  await form.getByLabel('Credential type').selectOption({ label: 'API key' });
  await form.getByLabel('Provider').fill('github');
  await form.getByLabel('Secret key', { exact: true }).fill(MALFORMED_GITHUB_TOKEN);
  await expect(form.getByRole('list', { name: 'Problems with this value' })).toContainText('Invalid format');
  await inBothThemes(page, 'add-form-problems');
  await form.getByLabel('Credential type').selectOption({ label: 'Password' });
  await form.getByRole('button', { name: 'Generator…' }).click();
  await expect(dialog(page, 'Generate a value').getByTestId('generated-value')).toHaveText(/.{20}/);
  await inBothThemes(page, 'inline-generator');
});
