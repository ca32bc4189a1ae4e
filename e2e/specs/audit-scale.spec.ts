/**
 * The Audit screen with 100,000 records in the trail (issue 12): the newest
 * rows show at once, the table keeps a bounded number of rows in the DOM,
 * scrolling deep (by keyboard) reads older pages of 5,000 — only as the end
 * nears, never on a timer — filters apply to the whole trail, Verify checks
 * every record, and Usage sums them. The trail is seeded in the fixture with
 * the core's own record functions (e2e/fixtures/audit-trail.ts).
 *
 * Timings are measured from outside the page (wall clock around the actions,
 * and each bridge call's duration from the network) and printed as figures,
 * never asserted: the machine's load decides them. Behaviour is asserted.
 */
import { test, expect, inBothThemes } from '../fixtures/harness.js';
import { withAuditTrail, type SeededTrail } from '../fixtures/audit-trail.js';
import { recordBridgeCalls } from '../fixtures/bridge-calls.js';
import { openSection } from '../fixtures/sections.js';
import { seedVault, unlockWithPassword } from '../fixtures/ui.js';

const RECORDS = 100_000;
const CREDENTIALS = 40;
let seeded: SeededTrail | null = null;

test.use({
  harnessOptions: {
    keychain: false,
    prepare: async (h) => {
      seedVault(CREDENTIALS)(h);
      await withAuditTrail(RECORDS, {}, (s) => (seeded = s))(h);
    },
  },
});

/** A figure for people (the test's annotations and its output), never a pass/fail threshold. */
function figure(name: string, value: string): void {
  test.info().annotations.push({ type: 'figure', description: `${name}: ${value}` });
  console.log(`[audit 100k] ${name}: ${value}`);
}
const since = (t: number) => `${Date.now() - t} ms`;
const count = (n: number) => n.toLocaleString('en-US');

// Seeding 100k records and reading the whole trail for each page is heavy on two cores: room beyond the default minute.
test.setTimeout(85_000);

test('100,000 records: first rows at once, bounded DOM, older pages on scroll, filters, Verify and Usage over the whole trail', async ({ app: page }) => {
  figure('seeding the trail in the fixture', `${count(seeded!.count)} records in ${seeded!.ms} ms`);
  const calls = recordBridgeCalls(page);

  let t = Date.now();
  await unlockWithPassword(page);
  // The first append after unlock catches the watch up with the seeded records and seals a full segment.
  figure('unlock, first append included', since(t));

  t = Date.now();
  await openSection(page, 'Audit');
  const table = page.getByRole('table', { name: 'Audit records, newest first' });
  const rows = table.getByRole('row');
  await expect(rows.nth(1)).toBeVisible();
  figure('Audit opened → first rows visible', since(t));
  const [first] = await calls.until('audit.records', 1);
  expect(first!.request).toEqual({ limit: 5000 });
  figure('first page (5,000 of the newest): audit.records answered in', `${first!.ms} ms`);

  const line = page.getByText(/^Showing the newest/);
  await expect(line).toHaveText(/^Showing the newest 5,000 records \(#[\d,]+ to #[\d,]+\), newest first; older ones load as you scroll\.$/);
  // Newest first: the seeded records sit right under what this session recorded.
  await expect(rows.nth(1)).toHaveAttribute('aria-rowindex', '2');
  await expect(table).toHaveAttribute('aria-rowcount', '-1');
  const bounded = async () => expect(await rows.count()).toBeLessThan(80);
  await bounded();

  // The keyboard scrolls the table: End goes to the end of what is held, which reads the next page.
  await table.focus();
  await expect(table).toBeFocused();
  t = Date.now();
  await page.keyboard.press('End');
  await expect(line).toContainText('the newest 10,000 records');
  figure('End → next 5,000 shown', since(t));
  const [, second] = await calls.until('audit.records', 2);
  expect(second!.request).toMatchObject({ limit: 5000, before: expect.any(Number) });
  const lastRowIndex = () => rows.evaluateAll((els) => Math.max(...els.map((e) => Number(e.getAttribute('aria-rowindex')))));
  expect(await lastRowIndex()).toBeGreaterThan(5000);
  await bounded();

  // Deeper: each End reads one more page, before the oldest held (the view stays at the old end, the page joins below it).
  t = Date.now();
  for (let held = 15_000; held <= 20_000; held += 5000) {
    await page.keyboard.press('End');
    await expect(line).toContainText(`the newest ${count(held)} records`);
  }
  const pages = await calls.until('audit.records', 4);
  expect(calls.made('audit.records')).toBe(4);
  for (let i = 2; i < pages.length; i++) expect((pages[i]!.request as { before: number }).before).toBeLessThan((pages[i - 1]!.request as { before: number }).before);
  figure('2 more pages by keyboard (to 20,000 held)', `${since(t)}; main answered the pages in ${pages.map((p) => p.ms).join(', ')} ms`);
  expect(await lastRowIndex()).toBeGreaterThan(14_990);
  await bounded();
  figure('rows in the DOM with 20,000 held', String(await rows.count()));

  // Nothing is read on a timer: standing still asks for nothing.
  await page.waitForTimeout(2000);
  expect(calls.made('audit.records')).toBe(4);

  // Home back to the newest; Page Down scrolls by a screenful.
  await page.keyboard.press('Home');
  await expect(table.locator('[aria-rowindex="2"]')).toBeInViewport();
  await page.keyboard.press('PageDown');
  await expect(table.locator('[aria-rowindex="2"]')).not.toBeInViewport();
  await page.keyboard.press('Home');
  await expect(table.locator('[aria-rowindex="2"]')).toBeInViewport();
  await inBothThemes(page, 'audit-100k');

  // A filter reads the whole trail again, from the newest match.
  t = Date.now();
  await page.getByLabel('Action', { exact: true }).selectOption({ label: 'Value reveals' });
  await expect(page.getByText(/^Showing the newest 5,000 matching records/)).toBeVisible();
  figure('filter "Value reveals" → first rows', since(t));
  await expect.poll(() => calls.of('audit.records').at(-1)?.request).toEqual({ limit: 5000, action: 'reveal' });
  const actions = await rows.evaluateAll((els) => els.slice(1).map((r) => r.querySelectorAll('[role="cell"]')[2]?.textContent));
  expect(actions.length).toBeGreaterThan(5);
  expect(new Set(actions)).toEqual(new Set(['reveal']));
  await expect(table.locator('[aria-rowindex="2"]')).toBeInViewport();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(line).toContainText('the newest 5,000 records (#');

  // Verify checks every record, seeded ones included: intact.
  t = Date.now();
  await page.getByRole('button', { name: 'Verify' }).click();
  const intact = page.getByRole('status').filter({ hasText: /^Intact: [\d,]+ records/ });
  await expect(intact).toBeVisible({ timeout: 30_000 });
  figure('Verify of the whole trail', since(t));
  const verified = Number((await intact.textContent())!.match(/^Intact: ([\d,]+)/)![1]!.replace(/,/g, ''));
  expect(verified).toBeGreaterThan(RECORDS);

  // Usage sums the whole trail: 30 days of reads, the credentials read most.
  t = Date.now();
  await page.getByRole('tab', { name: 'Usage' }).click();
  const perDay = page.getByRole('img', { name: 'Value reads per day, last 30 days' });
  await expect(perDay).toBeVisible({ timeout: 30_000 });
  figure('Usage tab → charts visible', since(t));
  figure('audit.usage answered in', `${(await calls.until('audit.usage', 1))[0]!.ms} ms`);
  const mostRead = page.getByRole('table', { name: /^Most read credentials/ });
  await expect(mostRead.getByRole('row')).toHaveCount(11);
  await expect(page.getByRole('heading', { name: /^Never used: \d+/ })).toBeVisible();
  await inBothThemes(page, 'audit-usage-100k');
  await mostRead.scrollIntoViewIfNeeded();
  await inBothThemes(page, 'audit-usage-100k-lower');

  // The seeded history opened no incident (and the vault is still open).
  await expect(page.getByTestId('nav-incidents-badge')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Audit trail' })).toBeVisible();
});
