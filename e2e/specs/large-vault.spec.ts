import { test, expect } from '../fixtures/harness.js';
import { credentialList, details, searchBox, seedVault, unlockWithPassword } from '../fixtures/ui.js';

test.use({ harnessOptions: { keychain: false, prepare: seedVault(10_000) } });

test('a 10,000-credential vault renders a bounded number of rows, searches and navigates by keyboard', async ({ app: page }) => {
  await unlockWithPassword(page);
  const list = credentialList(page);
  const options = list.getByRole('option');
  await expect(options.first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('10,000 credentials')).toBeVisible();

  // Virtualized: only the rows in view (plus a few) are in the DOM.
  const rendered = await options.count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(60);
  await expect(options.first()).toHaveAttribute('aria-setsize', '10000');

  // Keyboard: End jumps to the last of 10,000, Home back to the first.
  await list.focus();
  await page.keyboard.press('Home');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await expect(options.first()).toHaveAttribute('aria-posinset', '1');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(list.locator('[aria-selected="true"]')).toHaveAttribute('aria-posinset', '3');
  await page.keyboard.press('End');
  const last = list.locator('[aria-selected="true"]');
  await expect(last).toHaveAttribute('aria-posinset', '10000');
  await expect(last).toBeInViewport();
  expect(await options.count()).toBeLessThan(60);
  await page.keyboard.press('ArrowUp');
  await expect(list.locator('[aria-selected="true"]')).toHaveAttribute('aria-posinset', '9999');

  // Scrolling by hand keeps the DOM bounded too.
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await expect
    .poll(() => options.evaluateAll((els) => Math.min(...els.map((e) => Number(e.getAttribute('aria-posinset'))).filter((n) => n < 9000))))
    .toBeGreaterThan(4000);
  expect(await options.count()).toBeLessThan(60);

  // Search narrows 10,000 to a handful.
  await searchBox(page).fill('github-004');
  await expect(page.getByText('10 of 10,000')).toBeVisible();
  await expect(options).toHaveCount(10);
  await searchBox(page).fill('stripe-00420/prod');
  await expect(options).toHaveCount(1);
  await searchBox(page).press('Enter');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await expect(details(page).getByRole('heading', { name: 'stripe-00420/prod' })).toBeVisible();
});
