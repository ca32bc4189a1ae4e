/**
 * The Rotation screen at 10,000 credentials (9,090 active, all upcoming):
 * it shows the first page of "Upcoming" and the count, keeps the DOM small,
 * and stays usable — "Show more" pages further, actions still work.
 */
import { test, expect } from '../fixtures/harness.js';
import { seedVault, toast, unlockWithPassword } from '../fixtures/ui.js';
import { openSection } from '../fixtures/sections.js';

test.use({ harnessOptions: { keychain: false, prepare: seedVault(10_000) } });

test('Rotation at 10k shows a first page of Upcoming with its count, and pages on demand', async ({ app: page }) => {
  await unlockWithPassword(page);
  await openSection(page, 'Rotation');
  const upcoming = page.getByRole('region', { name: 'Upcoming', exact: true });
  await expect(upcoming.getByRole('heading', { name: /Upcoming/ })).toContainText('9,090');

  // A first page, not 9,090 cards.
  const cards = upcoming.getByRole('listitem');
  await expect(cards.first()).toBeVisible();
  const shown = await cards.count();
  expect(shown).toBeGreaterThan(5);
  expect(shown).toBeLessThanOrEqual(100);
  expect(await page.evaluate(() => document.querySelectorAll('*').length)).toBeLessThan(10_000);

  const more = upcoming.getByRole('button', { name: /^Show \d+ more/ });
  await expect(upcoming).toContainText(`Showing ${shown} of 9,090`);
  await more.click();
  await expect.poll(() => cards.count()).toBeGreaterThan(shown);

  // Still responsive: an action on a card works and says so.
  await cards.first().getByRole('button', { name: 'Mark rotated at provider' }).click();
  await expect(toast(page, /as rotated at the provider/)).toBeVisible();
});
