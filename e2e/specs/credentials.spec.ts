import { test, expect, createVaultWithCli } from '../fixtures/harness.js';
import { addCredential, credentialList, details, dialog, fillCredentialForm, unlockWithPassword } from '../fixtures/ui.js';

test.use({ harnessOptions: { keychain: false, prepare: createVaultWithCli } });

test.beforeEach(async ({ app: page }) => {
  await unlockWithPassword(page);
});

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test('adds an API key with its fields, tags and an expiry', async ({ app: page }) => {
  await addCredential(page, {
    type: 'API key',
    name: 'stripe/prod',
    provider: 'stripe',
    tags: 'prod, payments',
    description: 'Checkout service',
    fields: { 'Key ID': 'pk_live_123', Scopes: 'charges,refunds' },
    expires: inDays(3),
    value: 'sk_live_abc123',
  });
  const panel = details(page);
  await expect(panel.getByRole('heading', { name: 'stripe/prod' })).toBeVisible();
  await expect(panel.getByText('pk_live_123')).toBeVisible();
  await expect(panel.getByText('charges, refunds')).toBeVisible();
  await expect(panel.getByRole('list', { name: 'Tags' })).toContainText('payments');
  await expect(panel.getByText('Expires in 3 days')).toBeVisible();
  await expect(credentialList(page).getByRole('option', { name: 'stripe/prod' })).toContainText('Expires in 3 days');
  await expect(panel.getByRole('button', { name: 'Copy Key ID' })).toBeVisible();
  await panel.getByRole('button', { name: 'Reveal value' }).click();
  await expect(panel.getByTestId('secret-value')).toHaveText('sk_live_abc123');
});

test('adds a password: a policy refusal is shown inline and "Store anyway" keeps it', async ({ app: page }) => {
  await page.getByRole('button', { name: 'New credential' }).click();
  const form = await fillCredentialForm(page, {
    type: 'Password',
    name: 'github (work)',
    fields: { Username: 'dev@example.com', URL: 'https://github.com/login' },
    value: 'hunter2',
  });
  await form.getByRole('button', { name: 'Add credential' }).click();
  await expect(form.getByText(/Refused by policy: the value must be at least 12 characters/)).toBeVisible();
  await form.getByRole('button', { name: 'Store anyway' }).click();
  await expect(form).toBeHidden();
  const panel = details(page);
  await expect(panel.getByRole('heading', { name: 'github (work)' })).toBeVisible();
  await expect(panel.getByText('dev@example.com')).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Copy Username' })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Copy URL' })).toBeVisible();
});

test('adds a token with a choice field; tokens cannot be generated', async ({ app: page }) => {
  await page.getByRole('button', { name: 'New credential' }).click();
  const form = await fillCredentialForm(page, {
    type: 'Token',
    name: 'ci deploy token',
    provider: 'github',
    choices: { 'Token type': 'personal_access' },
    fields: { Scopes: 'repo, read:org' },
    value: 'ghp_exampletoken',
  });
  await expect(form.getByRole('button', { name: 'Generate' })).toHaveCount(0);
  await expect(form.getByText('Issued by the provider')).toBeVisible();
  await form.getByRole('button', { name: 'Add credential' }).click();
  await expect(form).toBeHidden();
  await expect(details(page).getByText('personal_access')).toBeVisible();
});

test('adds a generated secret', async ({ app: page }) => {
  await addCredential(page, { type: 'Secret', name: 'session-signing-key', generate: true, description: 'HMAC for cookies' });
  const panel = details(page);
  await expect(panel.getByRole('list', { name: 'Versions' })).toContainText('Generated');
  await panel.getByRole('button', { name: 'Reveal value' }).click();
  // 32 random bytes, base64url: 43 characters.
  await expect(panel.getByTestId('secret-value')).toHaveText(/^[A-Za-z0-9_-]{43}$/);
});

test('errors from main appear under the field they concern', async ({ app: page }) => {
  await addCredential(page, { type: 'Secret', name: 'taken', value: 'v' });

  await page.getByRole('button', { name: 'New credential' }).click();
  const form = await fillCredentialForm(page, { type: 'Password', name: 'bad url', fields: { URL: 'not a url' }, value: 'Str0ng-enough-Passw0rd!' });
  await form.getByRole('button', { name: 'Add credential' }).click();
  await expect(form.getByText('URL must be an http(s) URL')).toBeVisible();
  await expect(form.getByLabel('URL', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  await form.getByLabel('URL', { exact: true }).fill('https://example.com');
  await form.getByLabel('Name', { exact: true }).fill('taken');
  await form.getByRole('button', { name: 'Add credential' }).click();
  await expect(form.getByText('A credential named "taken" already exists.')).toBeVisible();
  await expect(form.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog(page)).toHaveCount(0);
});
