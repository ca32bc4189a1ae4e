import { test, expect } from '../fixtures/harness.js';
import { credentialList, details, listedNames, prepareVault, rowName, searchBox, unlockWithPassword } from '../fixtures/ui.js';

test.use({
  harnessOptions: {
    keychain: false,
    prepare: (h) => {
      prepareVault(
        { name: 'stripe-live', type: 'api_key', value: 'sk_live_1', flags: ['--provider', 'stripe', '--tag', 'prod', '--description', 'checkout service'] },
        { name: 'stripe-test', type: 'api_key', value: 'sk_test_1', flags: ['--provider', 'stripe', '--tag', 'staging'] },
        { name: 'github-deploy', type: 'token', value: 'ghp_1', flags: ['--provider', 'github', '--tag', 'prod', '--tag', 'ci'] },
        { name: 'mail-login', type: 'password', value: 'Mail-Passw0rd-long!', flags: ['--provider', 'fastmail'] },
        { name: 'old-webhook-secret', type: 'secret', value: 'whsec_1', flags: ['--tag', 'prod'] },
      )(h);
      h.cli(['deactivate', 'old-webhook-secret']);
    },
  },
});

const names = (page: import('@playwright/test').Page) => credentialList(page).getByRole('option');

test('search matches name, provider, description and tags; Escape clears it', async ({ app: page }) => {
  await unlockWithPassword(page);
  await expect(names(page)).toHaveCount(5);

  await searchBox(page).fill('stripe');
  await expect(names(page)).toHaveCount(2);
  await searchBox(page).fill('CHECKOUT');
  await expect(names(page)).toHaveCount(1);
  await expect(names(page).first()).toHaveAccessibleName(rowName('stripe-live'));
  await searchBox(page).fill('ci');
  await expect.poll(() => listedNames(page)).toEqual(['github-deploy']);
  await expect(page.getByText('1 of 5')).toBeVisible();

  await searchBox(page).fill('no-such-thing');
  await expect(page.getByRole('heading', { name: 'No matching credentials' })).toBeVisible();
  await searchBox(page).press('Escape');
  await expect(searchBox(page)).toHaveValue('');
  await expect(names(page)).toHaveCount(5);
});

test('filters by type, provider, tag and status, and clears them', async ({ app: page }) => {
  await unlockWithPassword(page);
  const filters = page.getByRole('group', { name: 'Filters' });

  await filters.getByLabel('Type').selectOption({ label: 'API key' });
  await expect.poll(() => listedNames(page)).toEqual(['stripe-live', 'stripe-test']);
  await filters.getByLabel('Type').selectOption({ label: 'All types' });

  await filters.getByLabel('Provider').selectOption('github');
  await expect.poll(() => listedNames(page)).toEqual(['github-deploy']);
  await filters.getByLabel('Provider').selectOption({ label: 'All providers' });

  await filters.getByLabel('Tag').selectOption('prod');
  await expect.poll(() => listedNames(page)).toEqual(['github-deploy', 'old-webhook-secret', 'stripe-live']);

  await filters.getByRole('radio', { name: 'Active', exact: true }).click();
  await expect.poll(() => listedNames(page)).toEqual(['github-deploy', 'stripe-live']);
  await filters.getByRole('radio', { name: 'Inactive' }).click();
  await expect.poll(() => listedNames(page)).toEqual(['old-webhook-secret']);
  await expect(names(page).first()).toContainText('Inactive');

  await searchBox(page).fill('stripe');
  await expect(page.getByRole('heading', { name: 'No matching credentials' })).toBeVisible();
  await page.getByRole('button', { name: 'Clear search and filters' }).click();
  await expect(names(page)).toHaveCount(5);
  await expect(filters.getByRole('radio', { name: 'All', exact: true })).toHaveAttribute('aria-checked', 'true');
});

test('a search or filter that hides the open credential closes its details too', async ({ app: page }) => {
  await unlockWithPassword(page);
  await credentialList(page).getByRole('option', { name: 'mail-login' }).click();
  await expect(details(page).getByRole('heading', { name: 'mail-login' })).toBeVisible();

  // Still listed: the details stay.
  await searchBox(page).fill('mail');
  await expect.poll(() => listedNames(page)).toEqual(['mail-login']);
  await expect(details(page).getByRole('heading', { name: 'mail-login' })).toBeVisible();

  // Hidden by the search: the pane no longer shows (or acts on) what the list hides.
  await searchBox(page).fill('stripe');
  await expect.poll(() => listedNames(page)).toEqual(['stripe-live', 'stripe-test']);
  await expect(details(page).getByRole('heading', { name: 'mail-login' })).toHaveCount(0);
  await expect(details(page).getByText('Select a credential to see its details.')).toBeVisible();
  await expect(credentialList(page).getByRole('option', { selected: true })).toHaveCount(0);

  // Hidden by a filter: the same.
  await searchBox(page).fill('');
  await credentialList(page).getByRole('option', { name: 'github-deploy' }).click();
  await expect(details(page).getByRole('heading', { name: 'github-deploy' })).toBeVisible();
  await page.getByRole('group', { name: 'Filters' }).getByLabel('Type').selectOption({ label: 'API key' });
  await expect.poll(() => listedNames(page)).toEqual(['stripe-live', 'stripe-test']);
  await expect(details(page).getByRole('heading', { name: 'github-deploy' })).toHaveCount(0);
});
