import { test, expect } from '../fixtures/harness.js';
import { credentialList, details, listedNames, prepareVault, unlockWithPassword } from '../fixtures/ui.js';

test.use({ harnessOptions: { keychain: false, prepare: prepareVault({ name: 'existing', type: 'secret', value: 'v1' }) } });

test('changes made with the CLI while the app is open show up in the list and the open detail', async ({ app: page, harness }) => {
  await unlockWithPassword(page);
  await credentialList(page).getByRole('option', { name: 'existing' }).click();
  await expect(details(page).getByRole('heading', { name: 'existing' })).toBeVisible();

  let r = harness.cli(['add', 'from-cli', '--type', 'api_key', '--provider', 'stripe'], { input: 'sk_from_cli' });
  expect(r.status, r.stderr).toBe(0);
  await expect.poll(() => listedNames(page)).toEqual(['existing', 'from-cli']);
  // The selection survives the reload.
  await expect(credentialList(page).getByRole('option', { name: 'existing' })).toHaveAttribute('aria-selected', 'true');

  r = harness.cli(['rotate', 'existing'], { input: 'v2' });
  expect(r.status, r.stderr).toBe(0);
  await expect(details(page).getByRole('list', { name: 'Versions' }).getByRole('listitem')).toHaveCount(2);

  r = harness.cli(['rm', 'existing']);
  expect(r.status, r.stderr).toBe(0);
  await expect.poll(() => listedNames(page)).toEqual(['from-cli']);
  await expect(details(page).getByText('Select a credential to see its details.')).toBeVisible();
});
