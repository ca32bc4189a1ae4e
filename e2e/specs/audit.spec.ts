/**
 * The Audit screen (issue 12): the trail of what was done, newest first, in a
 * virtualized table; filtered by time, action, actor, credential and outcome;
 * verified in main — intact, or each problem named by line (and an incident
 * opened: a failed verification is a sign of tampering); and the Usage
 * view's charts, each with its accessible name and its figures as text.
 * Paging through a long trail: audit-scale.spec.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { test, expect, inBothThemes } from '../fixtures/harness.js';
import { recordBridgeCalls } from '../fixtures/bridge-calls.js';
import { openSection } from '../fixtures/sections.js';
import { credentialRow, details, prepareVault, unlockWithPassword } from '../fixtures/ui.js';

test.use({ harnessOptions: { keychain: false, prepare: prepareVault({ name: 'stripe/prod', type: 'api_key', value: 'sk_live_0123456789abcdefghij' }, { name: 'github', type: 'token', value: 'ghp_0123456789abcdefghijklmnopqrstuvwxyz01' }) } });

const recordsTable = (page: Page) => page.getByRole('table', { name: 'Audit records, newest first' });
/** The table's rows, header aside. */
const bodyRows = (page: Page) => recordsTable(page).getByRole('row').filter({ has: page.getByRole('cell') });
/** The text of one column (0: time, 1: actor, 2: action, 3: credential, 4: outcome) in every row drawn. */
const column = (rows: Locator, n: number) => rows.evaluateAll((els, n) => els.map((r) => r.querySelectorAll('[role="cell"]')[n]?.textContent ?? ''), n);
const field = (page: Page, label: string) => page.getByLabel(label, { exact: true });

test('lists what was done, filters it by time, action, actor, credential and outcome, and verifies the trail: intact, then a changed record named by its line', async ({ app: page, harness }) => {
  await unlockWithPassword(page);
  await credentialRow(page, 'stripe/prod').click();
  await details(page).getByRole('button', { name: 'Reveal value' }).click();

  const calls = recordBridgeCalls(page);
  await openSection(page, 'Audit');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit trail' })).toBeVisible();
  const table = recordsTable(page);
  const rows = bodyRows(page);
  const reveal = rows.filter({ hasText: 'reveal' });
  await expect(reveal).toHaveCount(1);
  await expect(reveal).toContainText('stripe/prod');
  await expect(reveal).toContainText('harness');
  // All of a short trail is held: the table says how many rows it has, and the line says these are all.
  await expect(page.getByText(/^All \d+ records, newest first\.$/)).toBeVisible();
  const held = Number((await page.getByText(/^All \d+ records/).textContent())!.match(/\d+/)![0]);
  await expect(table).toHaveAttribute('aria-rowcount', String(held + 1));
  await expect(rows.first()).toHaveAttribute('aria-rowindex', '2');
  expect((await calls.until('audit.records', 1)).map((c) => c.request)).toEqual([{ limit: 5000 }]);

  // Credential: its exact name, applied once typing pauses (one read, not one per key).
  await field(page, 'Credential name').fill('github');
  await expect(rows.filter({ hasText: 'stripe/prod' })).toHaveCount(0);
  // The CLI's add is there, under its own actor.
  await expect(rows.filter({ hasText: 'github' }).filter({ hasText: 'cli' }).filter({ hasText: 'add' })).toHaveCount(1);
  expect(await column(rows, 3)).toEqual(['github']);
  await expect(page.getByText('The one matching record.', { exact: true })).toBeVisible();
  await expect.poll(() => calls.of('audit.records').at(-1)?.request).toEqual({ limit: 5000, credential: 'github' });
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(field(page, 'Credential name')).toHaveValue('');
  await expect(page.getByText(/^All \d+ records, newest first\.$/)).toBeVisible();

  // Action: a common choice…
  await field(page, 'Action').selectOption({ label: 'Value reveals' });
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('stripe/prod');
  await field(page, 'Action').selectOption({ label: 'Vault lifecycle' });
  await expect.poll(async () => new Set((await column(rows, 2)).map((a) => a.split('.')[0]))).toEqual(new Set(['vault']));
  // …or typed: exact, or a family ending in "."; what main would refuse is said beside the field.
  await field(page, 'Action').selectOption({ label: 'Another action…' });
  await field(page, 'Action name').fill('vault.unlock.');
  await expect.poll(async () => [...new Set((await column(rows, 2)).map((a) => a.replace(/\(while locked\)/, '').trim()))]).toEqual(['vault.unlock.password']);
  await field(page, 'Action name').fill('vault unlock');
  await expect(page.getByText('An action is letters, digits, dots, dashes and underscores only.')).toBeVisible();
  await expect(field(page, 'Action name')).toHaveAttribute('aria-invalid', 'true');
  await field(page, 'Action').selectOption({ label: 'All actions' });

  // Actor.
  await field(page, 'Actor').fill('cli');
  await expect.poll(async () => new Set(await column(rows, 1))).toEqual(new Set(['cli']));
  await field(page, 'Actor').fill('');

  // Time: the last 24 hours hold everything; days after today hold nothing; the last day comes after the first.
  await field(page, 'Time').selectOption({ label: 'Last 24 hours' });
  await expect(page.getByText(/^All \d+ matching records/)).toBeVisible();
  await field(page, 'Time').selectOption({ label: 'Between dates' });
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const today = new Date().toISOString().slice(0, 10);
  await field(page, 'From (UTC)').fill(tomorrow);
  await expect(page.getByText('No records match.')).toBeVisible();
  await field(page, 'From (UTC)').fill(today);
  await expect(rows.first()).toBeVisible();
  await field(page, 'To (UTC)').fill('2020-01-01');
  await expect(page.getByText('The last day comes on or after the first.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(field(page, 'Time')).toHaveValue('any');

  // Outcome.
  await field(page, 'Outcome').selectOption('failure');
  await expect(page.getByText('No records match.')).toBeVisible();
  await field(page, 'Outcome').selectOption('all');
  await expect(page.getByText(/^All \d+ records, newest first\.$/)).toBeVisible();

  // The table takes focus and scrolls by keyboard.
  await table.focus();
  await expect(table).toBeFocused();
  await page.keyboard.press('End');
  await expect(rows.last()).toBeInViewport();

  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Intact: \d+ records/ })).toBeVisible();
  await page.keyboard.press('Home');
  await inBothThemes(page, 'audit');
  await field(page, 'Action').selectOption({ label: 'Another action…' });
  await field(page, 'Time').selectOption({ label: 'Between dates' });
  await field(page, 'From (UTC)').fill(today);
  await field(page, 'Action name').fill('vault.');
  await expect(page.getByText(/^All \d+ matching records/)).toBeVisible();
  await inBothThemes(page, 'audit-filtered');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByText(/^All \d+ records, newest first\.$/)).toBeVisible();

  // Nothing is read on a timer: every read followed the first opening, a change of filter or Verify.
  const reads = calls.made('audit.records');
  await page.waitForTimeout(1500);
  expect(calls.made('audit.records')).toBe(reads);

  // Someone edits a record: the next verification names the line, and opens a critical incident that only
  // notifies (docs/audit-format.md §9): the person reading the result is not locked out of it.
  const log = `${harness.vaultPath}.audit`;
  const lines = readFileSync(log, 'utf8').split('\n');
  lines[1] = lines[1]!.replace('"cli"', '"app"');
  writeFileSync(log, lines.join('\n'));
  await page.getByRole('button', { name: 'Verify' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'The audit trail is not intact' });
  await expect(alert).toContainText('Line 2:');
  await expect(page.getByText(/^Security incident: Verifying the audit trail failed/)).toBeVisible();
  await inBothThemes(page, 'audit-tampered');
});

test('Usage: reads per day, the credentials read most with when last, reads by actor, and those never used — each chart named, its figures as text', async ({ app: page }) => {
  await unlockWithPassword(page);
  await credentialRow(page, 'stripe/prod').click();
  await details(page).getByRole('button', { name: 'Reveal value' }).click();
  await expect(details(page).getByRole('button', { name: 'Hide value' })).toBeVisible();

  const calls = recordBridgeCalls(page);
  await openSection(page, 'Audit');
  await expect(recordsTable(page)).toBeVisible();
  expect(calls.made('audit.usage')).toBe(0);

  // Tabs by keyboard: the Records tab is the one in the tab order; an arrow moves to Usage (which is read then, once).
  const recordsTab = page.getByRole('tab', { name: 'Records' });
  await expect(recordsTab).toHaveAttribute('aria-selected', 'true');
  await recordsTab.focus();
  await page.keyboard.press('ArrowRight');
  const usageTab = page.getByRole('tab', { name: 'Usage' });
  await expect(usageTab).toBeFocused();
  await expect(usageTab).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Usage' })).toBeVisible();
  await expect(recordsTable(page)).toBeHidden();
  await calls.until('audit.usage', 1);

  const perDay = page.getByRole('img', { name: 'Value reads per day, last 30 days' });
  await expect(perDay).toBeVisible();
  await expect(perDay).toHaveAccessibleDescription(/^1 value read in the last 30 days, on 1 day; the most on .+ \(1\)\. Days are UTC\.$/);
  // The text alternative: every day's figure in a table.
  await page.getByText('Show the figures as a table').click();
  const days = page.getByRole('table', { name: 'Value reads per day, last 30 days' });
  await expect(days.getByRole('row')).toHaveCount(31);
  await expect(days.getByRole('row').last()).toContainText('1');

  const mostRead = page.getByRole('table', { name: /^Most read credentials/ });
  await expect(mostRead.getByRole('row')).toHaveCount(2);
  await expect(mostRead.getByRole('row').nth(1)).toContainText('stripe/prod');
  await expect(mostRead.getByRole('rowheader', { name: 'stripe/prod' })).toBeVisible();

  const actors = page.getByRole('list', { name: 'Reads by actor' });
  await expect(actors.getByRole('listitem').filter({ hasText: 'harness' })).toContainText('1 read ·');
  await expect(actors.getByRole('listitem').filter({ hasText: 'cli' })).toContainText('0 reads ·');

  await expect(page.getByRole('heading', { name: 'Never used: 1' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Credentials never used' }).getByRole('listitem')).toHaveText([/^github/]);
  await page.getByText('Show the figures as a table').click();
  await inBothThemes(page, 'audit-usage');

  // Back to Records: its filters and rows were kept, and nothing was read again.
  const reads = calls.made('audit.records');
  await page.getByRole('tab', { name: 'Records' }).click();
  await expect(recordsTable(page)).toBeVisible();
  expect(calls.made('audit.records')).toBe(reads);
  expect(calls.made('audit.usage')).toBe(1);
});
