/**
 * Re-encrypting every value under a new vault key takes seconds at scale
 * (issue 11: "a vault-wide re-encryption runs off the hot path with progress
 * shown"): the app shows how far it got, stays usable, and says when it is done.
 */
import { test, expect, MASTER_PASSWORD, screenshot } from '../fixtures/harness.js';
import { dialog, seedVault, toast, unlockWithPassword } from '../fixtures/ui.js';

const COUNT = 30_000;

test.use({ harnessOptions: { keychain: false, prepare: seedVault(COUNT) } });

test('a vault key rotation at 30,000 credentials shows its progress in both themes, then that it is done', async ({ app: page }) => {
  test.setTimeout(180_000);
  await unlockWithPassword(page);
  await expect(page.getByText(`${COUNT.toLocaleString('en-US')} credentials`)).toBeVisible({ timeout: 60_000 });
  // One rotation, seen in both themes: a second one runs warm and can end between two looks at the page.
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await page.getByRole('button', { name: 'Settings' }).click();
  const keySection = dialog(page, 'Settings').getByRole('region', { name: 'Vault key' });
  await keySection.getByLabel('Master password', { exact: true }).fill(MASTER_PASSWORD);
  await keySection.getByRole('button', { name: 'Rotate vault key now' }).click();
  const bar = page.getByRole('progressbar', { name: 'Re-encrypting every value under a new vault key' });
  await expect(bar).toBeVisible();
  await expect(bar).toHaveAttribute('aria-valuemax', String(COUNT));
  // Watched from now on: the toast lives 4 s, and the rotation may end while a screenshot is being taken.
  const rotated = toast(page, /Vault key rotated/).waitFor({ state: 'visible', timeout: 120_000 });
  await screenshot(page, 'key-rotation-progress');
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await screenshot(page, 'key-rotation-progress');
  await rotated;
  await expect(bar).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(dialog(page, 'Settings')).toBeHidden();
});
