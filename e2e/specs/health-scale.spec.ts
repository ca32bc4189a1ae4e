/**
 * Issue 9, items 0, 2 and 4 at scale: Health on a 10,000-credential vault
 * renders a bounded page of findings (it once rendered every card: 53k DOM
 * nodes and ~20 s of frozen UI), pages on with a count of what is left,
 * narrows to one kind, and each card's name opens the credential in the vault.
 * The score agrees with the count beside it. No timings here: the bench
 * measures them.
 */
import { test, expect, screenshot } from '../fixtures/harness.js';
import { credentialList, credentialRow, details, seedVault, unlockWithPassword } from '../fixtures/ui.js';
import { openSection } from '../fixtures/sections.js';

test.use({ harnessOptions: { keychain: false, prepare: seedVault(10_000) } });

test('Health at 10,000 credentials: bounded DOM, paging, filtering, a score that agrees with its count, links to the credential', async ({ app: page }) => {
  test.setTimeout(180_000);
  await unlockWithPassword(page);
  await expect(credentialList(page).getByRole('option').first()).toBeVisible({ timeout: 30_000 });
  await openSection(page, 'Health');
  await expect(page.getByRole('heading', { name: 'Vault health' })).toBeVisible({ timeout: 90_000 });

  const findings = page.getByRole('list', { name: 'Findings by risk' });
  const cards = findings.locator(':scope > li');
  const domSize = () => page.evaluate(() => document.getElementsByTagName('*').length);

  // One page of cards, not thousands; the rest are counted.
  const first = await cards.count();
  expect(first).toBeGreaterThan(5);
  expect(first).toBeLessThanOrEqual(50);
  expect(await domSize()).toBeLessThan(5_000);
  const toLookAt = Number((await page.getByText(/^[\d,]+ credentials to look at$/).textContent())!.replace(/\D/g, ''));
  expect(toLookAt).toBeGreaterThan(1_000);
  await expect(page.getByText(`Showing ${first} of ${toLookAt.toLocaleString('en-US')} credentials`)).toBeVisible();

  // The score agrees with that count: a quarter of the vault to look at is not "Excellent".
  const score = Number(await page.getByTestId('health-score').textContent());
  expect(score).toBeLessThanOrEqual(Math.round((100 * (10_000 - toLookAt)) / 10_000));
  await expect(page.getByTestId('health-verdict')).not.toHaveText('Excellent');
  await expect(page.getByTestId('health-explanation')).toContainText(`${toLookAt.toLocaleString('en-US')} of 10,000 credentials have findings`);

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await screenshot(page, 'health-10k');
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // Paging on adds one page, and the DOM stays bounded by what was asked for.
  await page.getByRole('button', { name: /^Show \d+ more \([\d,]+ left\)$/ }).click();
  await expect(cards).toHaveCount(first * 2);
  expect(await domSize()).toBeLessThan(8_000);

  // Narrowing to one kind of finding.
  await page.getByLabel('Show', { exact: true }).selectOption('invalid_format');
  await expect(cards.first()).toContainText('Invalid format');
  expect(await cards.count()).toBeLessThanOrEqual(50);

  // A card's name opens that credential in the vault, with its findings in the detail panel.
  const card = cards.first();
  const name = (await card.getAttribute('aria-label'))!;
  await card.getByRole('button', { name: `${name} — open in the vault`, exact: true }).click();
  await expect(credentialRow(page, name)).toHaveAttribute('aria-selected', 'true');
  const panel = details(page);
  await expect(panel.getByRole('heading', { name })).toBeVisible();
  await expect(panel.getByRole('region', { name: 'Findings' }).getByRole('list', { name: 'Findings for this credential' })).toContainText('Invalid format');
});
