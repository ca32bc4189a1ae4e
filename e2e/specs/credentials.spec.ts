import { test, expect, createVaultWithCli } from '../fixtures/harness.js';
import { addCredential, credentialList, credentialRow, details, dialog, fillCredentialForm, unlockWithPassword } from '../fixtures/ui.js';

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
  await expect(panel.getByText('Expires in 3 days', { exact: true })).toBeVisible();
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
  // The app's own words and its own button, not the CLI's ("Use --force … [min_length]").
  const refusal = form.getByText(/does not meet your password policy/);
  await expect(refusal).toContainText('This password does not meet your password policy: it must be at least 12 characters (it has 7)');
  await expect(refusal).toContainText('You can store it anyway; Health will keep flagging it.');
  await expect(form).not.toContainText('--force');
  await expect(form).not.toContainText('[min_length]');
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

  // Cancel is a deliberate choice: it discards without a second question.
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog(page)).toHaveCount(0);
});

test('Escape on a filled "New credential" asks before discarding the typed secret', async ({ app: page }) => {
  const opener = page.getByRole('button', { name: 'New credential' });
  await opener.click();
  const form = await fillCredentialForm(page, { type: 'Secret', name: 'half-typed', value: 'typed-secret-value' });
  await page.keyboard.press('Escape');
  const ask = page.getByRole('alertdialog', { name: 'Discard this new credential?' });
  await expect(ask).toBeVisible();
  await expect(ask.getByRole('button', { name: 'Keep editing' })).toBeFocused();
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(ask).toBeHidden();
  await expect(form.getByLabel('Secret', { exact: true })).toHaveValue('typed-secret-value');
  // The close button asks too; Discard closes, and focus returns to what opened the form.
  await form.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('alertdialog', { name: 'Discard this new credential?' }).getByRole('button', { name: 'Discard' }).click();
  await expect(dialog(page)).toHaveCount(0);
  await expect(opener).toBeFocused();
  // An untouched form closes at once.
  await opener.click();
  await expect(dialog(page, 'New credential')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog(page)).toHaveCount(0);
  await expect(opener).toBeFocused();
});

test('a value of only spaces is refused; leading or trailing whitespace is warned about before saving', async ({ app: page }) => {
  await page.getByRole('button', { name: 'New credential' }).click();
  const form = await fillCredentialForm(page, { type: 'Secret', name: 'spaces', value: '      ' });
  await expect(form.getByText('The value is only spaces — paste the real value.')).toBeVisible();
  await form.getByRole('button', { name: 'Add credential' }).click();
  await expect(form.getByText('The value is only whitespace: paste the real value.')).toBeVisible();
  await expect(dialog(page, 'New credential')).toBeVisible();

  await form.getByLabel('Secret', { exact: true }).fill(' padded-value ');
  await expect(form.getByText('The value starts and ends with whitespace (a space), which is usually a copy-and-paste accident.')).toBeVisible();
  await form.getByLabel('Secret', { exact: true }).fill('clean-value');
  await expect(form.getByText(/starts|ends with whitespace/)).toHaveCount(0);
  await form.getByRole('button', { name: 'Add credential' }).click();
  await expect(form).toBeHidden();
});

test('a password URL typed as "github.com/login" is accepted and stored as https://github.com/login', async ({ app: page }) => {
  await addCredential(page, { type: 'Password', name: 'gh', fields: { URL: 'github.com/login' }, value: 'Str0ng-enough-Passw0rd!' });
  await expect(details(page).getByText('https://github.com/login', { exact: true }).first()).toBeVisible();
});

test('a provider that issues its keys is not offered Generate: the form says to paste its key or set a rotator', async ({ app: page }) => {
  await page.getByRole('button', { name: 'New credential' }).click();
  const form = dialog(page, 'New credential');
  await form.getByLabel('Credential type').selectOption({ label: 'API key' });
  const generate = form.getByRole('button', { name: 'Generate', exact: true });
  await form.getByLabel('Provider').fill('acme');
  await generate.click();
  await expect(form.getByText(/Keyward will generate/)).toBeVisible();

  // Stripe mints its keys: a random string would be no Stripe key (the core refuses to make one).
  await form.getByLabel('Provider').fill('Stripe');
  await expect(form.getByText(/Keyward will generate/)).toHaveCount(0);
  await expect(generate).toHaveCount(0);
  await expect(form.getByText('Stripe issues these keys: paste the key from Stripe, or set a rotator.')).toBeVisible();
  await expect(form.getByLabel('Secret key', { exact: true })).toBeVisible();

  await form.getByLabel('Provider').fill('acme');
  await expect(generate).toBeVisible();
  await expect(form.getByText(/issues these keys/)).toHaveCount(0);
});

test('whitespace at the ends of a value is warned about once, not also as a finding', async ({ app: page }) => {
  await page.getByRole('button', { name: 'New credential' }).click();
  const form = await fillCredentialForm(page, { type: 'Secret', name: 'padded', value: ' padded-value-3f9a7c2e ' });
  await expect(form.getByText('The value starts and ends with whitespace (a space), which is usually a copy-and-paste accident.')).toBeVisible();
  // The value check has answered (the meter shows its estimate): only then would a duplicate finding appear.
  await expect(form.getByText(/bits of randomness/)).toBeVisible();
  await expect(form.getByText(/whitespace/)).toHaveCount(1);
});

test('names are trimmed, and one equal to an existing name ignoring case is refused under the name field', async ({ app: page }) => {
  await addCredential(page, { type: 'Secret', name: 'stripe-prod', value: 'v1' });
  await page.getByRole('button', { name: 'New credential' }).click();
  const form = await fillCredentialForm(page, { type: 'Secret', name: ' STRIPE-PROD ', value: 'v2' });
  await form.getByRole('button', { name: 'Add credential' }).click();
  await expect(form.getByText(/A credential named "stripe-prod" already exists; names that differ only in case are not allowed/)).toBeVisible();
  await expect(form.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Name', { exact: true }).fill('  stripe-test  ');
  await form.getByRole('button', { name: 'Add credential' }).click();
  await expect(form).toBeHidden();
  await expect(credentialRow(page, 'stripe-test')).toBeVisible();
});

test('a past expiry date warns as it is entered and the credential is called expired', async ({ app: page }) => {
  await page.getByRole('button', { name: 'New credential' }).click();
  const form = await fillCredentialForm(page, { type: 'API key', name: 'old-key', value: 'some-old-api-key-value', expires: inDays(-62) });
  await expect(form.getByText('This date is in the past: the key will be shown as expired.')).toBeVisible();
  await form.getByLabel('Expires on').fill(inDays(30));
  await expect(form.getByText(/This date is in the past/)).toHaveCount(0);
  await form.getByLabel('Expires on').fill(inDays(-62));
  await form.getByRole('button', { name: 'Add credential' }).click();
  await expect(form).toBeHidden();
  await expect(credentialList(page).getByRole('option', { name: 'old-key' })).toContainText('Expired');
  // The detail and the Rotation screen call it expired too, not "rotation overdue".
  await credentialList(page).getByRole('option', { name: 'old-key' }).click();
  await expect(page.getByTestId('rotation-due')).toHaveText(/^Expired 6[12] days ago/);
  await page.getByRole('button', { name: /^Rotation/ }).click();
  await expect(page.getByText(/expired 6[12] days ago · Expiry date/)).toBeVisible();
  await expect(page.getByText(/overdue by 6[12] days/)).toHaveCount(0);
});
