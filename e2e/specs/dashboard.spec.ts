/**
 * The security dashboard (issue 12): `report.security` as cards — each
 * metric's status in colour and in words, its figure, what it means and the
 * controls it supports evidence for — the strength distribution as a chart
 * (named, with its figures as a table), the policy in force, the disclaimer,
 * and Print / Save as PDF without the app around it. Read on opening and on
 * Refresh only: each read is recorded in the audit trail.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, expect, inBothThemes, ARTIFACTS } from '../fixtures/harness.js';
import { recordBridgeCalls } from '../fixtures/bridge-calls.js';
import { openSection, prepareHealthVault, sections } from '../fixtures/sections.js';
import { unlockWithPassword } from '../fixtures/ui.js';

test.use({ harnessOptions: { keychain: false, prepare: prepareHealthVault } });

test('cards with status in words and colour, their controls, the strength chart, the policy and the disclaimer; Refresh and Print', async ({ app: page }) => {
  await unlockWithPassword(page);
  const calls = recordBridgeCalls(page);

  // In the rail, right after the vault.
  const rail = await sections(page).getByRole('button').allTextContents();
  expect(rail.slice(0, 2)).toEqual(['Vault', 'Dashboard']);
  await openSection(page, 'Dashboard');
  await expect(page.getByRole('heading', { level: 1, name: 'Security dashboard' })).toBeVisible();

  const metrics = page.getByRole('list', { name: 'Metrics' });
  await expect(metrics.getByRole('listitem').first()).toBeVisible();
  expect(calls.made('report.security')).toBe(1);
  const cards = metrics.getByRole('article');
  expect(await cards.count()).toBeGreaterThanOrEqual(6);

  // A weak password (forced in) makes strength a metric to act on: the word, not only the colour.
  const strength = metrics.getByRole('article', { name: 'Password strength' });
  await expect(strength).toContainText('Act now');
  await expect(strength).toContainText(/\d+ % strong/);
  const controls = strength.getByRole('list', { name: 'Supports evidence for' });
  await expect(controls.getByRole('listitem').filter({ hasText: 'PCI DSS v4.0 8.3.6' })).toContainText('Passwords meet minimum length and complexity');
  // Reused values (two credentials hold one value) and an intact trail.
  await expect(metrics.getByRole('article', { name: 'Reused values' })).not.toContainText('Good');
  await expect(metrics.getByRole('article', { name: 'Audit trail integrity' })).toContainText('Good');
  // Every card carries one of the four status words.
  for (const text of await cards.allTextContents()) expect(text).toMatch(/Good|Needs attention|Act now|For information/);
  await expect(page.getByTestId('dashboard-summary')).toHaveText(/^(\d+ to act on now · )?(\d+ needs? attention · )?\d+ good( · \d+ for information)?$/);

  // The strength distribution: a named chart, and its figures as a table.
  const chart = page.getByRole('img', { name: 'Password strength distribution' });
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAccessibleDescription(/passwords? scored by the strength estimator/);
  await page.getByText('Show the figures as a table').click();
  const figures = page.getByRole('table', { name: 'Password strength distribution' });
  await expect(figures.getByRole('row')).toHaveCount(6);
  await expect(figures.getByRole('row', { name: /^Very weak \(0\)/ })).toBeVisible();
  await page.getByText('Show the figures as a table').click();
  await page.getByRole('main').evaluate((main) => (main.scrollTop = 0));

  // The policy in force, and the disclaimer.
  const policy = page.getByRole('table', { name: 'Policy in force' });
  await expect(policy.getByRole('row', { name: /Minimum password length/ })).toContainText('12 characters');
  await expect(policy.getByRole('row', { name: /Rotation interval/ })).toBeVisible();
  await expect(page.getByText(/support evidence for the controls named beside them; they are not a certification/)).toBeVisible();
  await inBothThemes(page, 'dashboard');
  await page.getByRole('region', { name: 'The vault' }).scrollIntoViewIfNeeded();
  await inBothThemes(page, 'dashboard-lower');

  // Read on opening and on Refresh only: nothing on a timer.
  await page.waitForTimeout(2000);
  expect(calls.made('report.security')).toBe(1);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await calls.until('report.security', 2);
  await expect(strength).toContainText('Act now');
  await page.waitForTimeout(1000);
  expect(calls.made('report.security')).toBe(2);

  // Print / Save as PDF: the browser's print (stood in for here), and a page without the app around it.
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => void ((window as unknown as { printed: number }).printed += 1);
  });
  await page.getByRole('button', { name: 'Print / Save as PDF' }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
  await expect(sections(page)).toBeHidden();
  await expect(page.getByRole('searchbox', { name: 'Search credentials' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print / Save as PDF' })).toBeHidden();
  await expect(strength).toBeVisible();
  // Dark on screen, light on paper: the page's background prints white.
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)');
  // The whole report flows onto the pages: nothing is cut off inside a scrolling pane.
  expect(await page.evaluate(() => document.scrollingElement!.scrollHeight)).toBeGreaterThan(1200);
  // What the paper gets: A4's printable width (210 mm less the margins, at 96 dpi), the whole length.
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: 688, height: viewport.height });
  await page.screenshot({ path: join(ARTIFACTS, 'screens', 'dashboard-print.png'), fullPage: true });
  await page.setViewportSize(viewport);
  // And as the PDF a person would save (e2e/artifacts/dashboard.pdf): A4, the report's pages only.
  const pdf = await page.pdf({ path: join(ARTIFACTS, 'dashboard.pdf'), format: 'A4', preferCSSPageSize: true });
  const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
  console.log(`[dashboard] printed to ${pages} A4 pages (${Math.round(pdf.length / 1024)} KB)`);
  expect(pages).toBeGreaterThanOrEqual(2);
  expect(pages).toBeLessThanOrEqual(5);
  await page.emulateMedia({ media: 'screen', colorScheme: 'light' });
  await expect(sections(page)).toBeVisible();
});

test('the report file (keyward report): opens in a browser with no script and no request, its metrics and controls, printable to PDF', async ({ app: page, harness }) => {
  const out = join(ARTIFACTS, 'security-report.html');
  rmSync(out, { force: true });
  const made = harness.cli(['report', '--out', out]);
  expect(made.status, made.stderr).toBe(0);
  const report = await page.context().newPage();
  const requests: string[] = [];
  report.on('request', (r) => requests.push(r.url()));
  const errors: string[] = [];
  report.on('pageerror', (e) => errors.push(e.message));
  await report.goto(pathToFileURL(out).href);
  await expect(report.getByRole('heading', { level: 1, name: 'Keyward security report' })).toBeVisible();
  for (const title of ['Password strength', 'Reused values', 'Rotation compliance', 'Audit trail integrity', 'Security incidents', 'Policy in force'])
    await expect(report.getByRole('region', { name: title })).toBeVisible();
  await expect(report.getByRole('region', { name: 'Audit trail integrity' }).getByRole('list', { name: 'Supports evidence for' })).toContainText('ISO/IEC 27001:2022 A.8.15: Logging');
  await expect(report.getByText(/not a certification or an assessment of compliance/)).toBeVisible();
  // Only the file itself was fetched, and nothing ran.
  expect(requests).toEqual([pathToFileURL(out).href]);
  expect(errors).toEqual([]);
  await report.setViewportSize({ width: 1100, height: 900 });
  await report.screenshot({ path: join(ARTIFACTS, 'screens', 'security-report-file-light.png'), fullPage: true });
  const pdf = await report.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  writeFileSync(join(ARTIFACTS, 'security-report.pdf'), pdf);
  await report.close();
});
