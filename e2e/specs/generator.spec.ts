/** The generator screen (each kind, options shape the output, policy errors inline) and the inline generator in the add form. */
import { test, expect } from '../fixtures/harness.js';
import { dialog, prepareVault, unlockWithPassword } from '../fixtures/ui.js';
import { openSection } from '../fixtures/sections.js';

test.use({ harnessOptions: { keychain: false, prepare: prepareVault({ name: 'existing', type: 'secret', value: 'x-0123456789abcdefghij' }) } });

test('each kind, and options change the shape of the output', async ({ app: page }) => {
  await unlockWithPassword(page);
  await openSection(page, 'Generator');
  const value = page.getByTestId('generated-value');
  const entropy = page.getByTestId('generated-entropy');

  // Password: the default is 20 characters; 32 when asked; digits only without letters and symbols is refused.
  await expect(value).toHaveText(/^.{20}$/);
  await expect(entropy).toContainText('bits of entropy');
  await page.getByLabel('Length (characters)').fill('32');
  await expect(value).toHaveText(/^.{32}$/);
  const first = await value.textContent();
  await page.getByRole('button', { name: 'Regenerate' }).click();
  await expect(value).not.toHaveText(first ?? '');
  await expect(value).toHaveText(/^.{32}$/);

  // Policy error inline when symbols are off.
  await page.getByLabel('Symbols (!#%…)').uncheck();
  await expect(page.getByRole('alert')).toContainText('The active policy requires special characters');
  await expect(value).toHaveText('');
  await page.getByRole('button', { name: 'Generate anyway' }).click();
  await expect(value).toHaveText(/^[A-Za-z0-9]{32}$/);
  await page.getByLabel('Symbols (!#%…)').check();

  // Passphrase: words joined by the separator.
  await page.getByRole('radiogroup', { name: 'Kind of value' }).getByText('Passphrase').click();
  await expect(page.getByRole('radio', { name: 'Passphrase' })).toBeChecked();
  await expect(value).toHaveText(/^[a-z]+(-[a-z]+){5}$/);
  await page.getByLabel('Words (words)').fill('4');
  await page.getByLabel('Separator').fill('.');
  await page.getByLabel('Capitalize words').check();
  await expect(value).toHaveText(/^[A-Z][a-z]*(\.[A-Z][a-z]*){3}$/);

  // API secret: hex of N bytes with a prefix.
  await page.getByRole('radiogroup', { name: 'Kind of value' }).getByText('API secret').click();
  await page.getByLabel('Encoding').selectOption('hex');
  await page.getByLabel('Random bytes').fill('16');
  await page.getByLabel('Prefix').fill('sk_live_');
  await expect(value).toHaveText(/^sk_live_[0-9a-f]{32}$/);
  await expect(entropy).toContainText('128 bits');
  await page.getByLabel('Random bytes').fill('8');
  await expect(page.getByLabel('Random bytes')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/16.*256/).first()).toBeVisible();
});

test('the inline generator fills the value in the add form', async ({ app: page }) => {
  await unlockWithPassword(page);
  await page.getByRole('button', { name: 'New credential' }).click();
  const form = dialog(page, 'New credential');
  await form.getByLabel('Credential type').selectOption({ label: 'Password' });
  await form.getByRole('button', { name: 'Generator…' }).click();
  const gen = dialog(page, 'Generate a value');
  await expect(gen.getByTestId('generated-value')).toHaveText(/^.{20}$/);
  const generated = (await gen.getByTestId('generated-value').textContent()) ?? '';
  await gen.getByRole('button', { name: 'Use this value' }).click();
  await expect(gen).toBeHidden();
  await expect(form.getByLabel('Password', { exact: true })).toHaveValue(generated);
  await expect(form.getByText(/Strength: (Strong|Very strong)/)).toBeVisible();
});
