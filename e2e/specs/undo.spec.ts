/**
 * Undo from the toast: delete, deactivate and "rotated at the provider" can
 * each be taken back from the notification that reports them; after a
 * delete, focus lands on the credential list, not the page body.
 */
import { test, expect } from '../fixtures/harness.js';
import { credentialList, details, listedNames, prepareVault, toast, unlockWithPassword } from '../fixtures/ui.js';
import { cliOk, openSection } from '../fixtures/sections.js';

test.use({
  harnessOptions: {
    keychain: false,
    prepare: (h) => {
      prepareVault(
        { name: 'mail-login', type: 'password', value: 'First-Passw0rd-value!', flags: ['--provider', 'fastmail', '--field', 'username=me@example.com'] },
        { name: 'keep-me', type: 'secret', value: 'kept-0123456789abcdefghij' },
      )(h);
      cliOk(h, ['policy-for', 'keep-me', '--interval-days', '1']);
    },
  },
});

test.beforeEach(async ({ app: page }) => {
  await unlockWithPassword(page);
});

test('a delete can be undone from its toast, and focus goes to the list', async ({ app: page, harness }) => {
  await credentialList(page).getByRole('option', { name: 'mail-login' }).click();
  await details(page).getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('alertdialog', { name: 'Delete “mail-login”?' }).getByRole('button', { name: 'Delete' }).click();
  const done = toast(page, 'Deleted “mail-login”.');
  await expect(done).toBeVisible();
  await expect.poll(() => listedNames(page)).toEqual(['keep-me']);
  await expect(credentialList(page)).toBeFocused();

  await done.getByRole('button', { name: 'Undo' }).click();
  await expect(toast(page, 'Restored “mail-login”.')).toBeVisible();
  await expect.poll(() => listedNames(page)).toEqual(['keep-me', 'mail-login']);
  await expect(details(page).getByRole('heading', { name: 'mail-login' })).toBeVisible();
  // Restored as stored: the value and its fields are all there, on disk.
  expect(cliOk(harness, ['get', 'mail-login']).trim()).toBe('First-Passw0rd-value!');
  await expect(details(page)).toContainText('me@example.com');
});

test('a deactivation says what it means and can be undone', async ({ app: page }) => {
  await credentialList(page).getByRole('option', { name: 'mail-login' }).click();
  const panel = details(page);
  await panel.getByRole('button', { name: 'Deactivate' }).click();
  const done = toast(page, 'Credential deactivated.');
  await expect(done).toBeVisible();
  await expect(panel.getByRole('note')).toContainText('can still be revealed and copied');
  await done.getByRole('button', { name: 'Undo' }).click();
  await expect(panel.getByRole('button', { name: 'Deactivate' })).toBeVisible();
  await expect(credentialList(page).getByRole('option', { name: 'mail-login' })).not.toContainText('Inactive');
});

test('"rotated at the provider" keeps the card in place and can be undone', async ({ app: page }) => {
  await openSection(page, 'Rotation');
  const card = page.getByRole('region', { name: 'Due soon', exact: true }).getByRole('listitem', { name: 'keep-me', exact: true });
  const mark = card.getByRole('button', { name: 'Mark rotated at provider' });
  const before = await mark.boundingBox();
  await mark.click();
  const done = toast(page, 'Marked “keep-me” as rotated at the provider.');
  await expect(done).toBeVisible();
  // The card stays where it was, its button too (now done), so a second click lands on nothing else.
  const marked = card.getByRole('button', { name: 'Marked rotated' });
  await expect(marked).toBeDisabled();
  expect(await marked.boundingBox()).toEqual(before);
  await expect(card).toContainText('last rotated');

  await done.getByRole('button', { name: 'Undo' }).click();
  await expect(toast(page, 'Undid “rotated at the provider” for “keep-me”.')).toBeVisible();
  await expect(card.getByRole('button', { name: 'Mark rotated at provider' })).toBeEnabled();
  await expect(card).not.toContainText('last rotated');
});
