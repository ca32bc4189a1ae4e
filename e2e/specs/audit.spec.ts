/**
 * The Audit screen (issue 12): the trail of what was done, newest first,
 * filtered, and verified in main — intact, or each problem named by line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { test, expect, inBothThemes } from '../fixtures/harness.js';
import { details, prepareVault, unlockWithPassword } from '../fixtures/ui.js';

test.use({ harnessOptions: { keychain: false, prepare: prepareVault({ name: 'stripe/prod', type: 'api_key', value: 'sk_live_0123456789abcdefghij' }, { name: 'github', type: 'token', value: 'ghp_0123456789abcdefghijklmnopqrstuvwxyz01' }) } });

test('lists what was done, filters it, and verifies the trail: intact, then a changed record named by its line', async ({ app: page, harness }) => {
  await unlockWithPassword(page);
  await page.getByRole('option', { name: /^stripe\/prod/ }).click();
  await details(page).getByRole('button', { name: 'Reveal value' }).click();

  await page.getByRole('button', { name: 'Audit' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit trail' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Audit records, newest first' });
  const reveal = table.getByRole('row').filter({ hasText: 'reveal' });
  await expect(reveal).toHaveCount(1);
  await expect(reveal).toContainText('stripe/prod');
  await expect(reveal).toContainText('harness');
  // The CLI's adds are there too, under their own actor.
  await expect(table.getByRole('row').filter({ hasText: 'github' }).filter({ hasText: 'cli' })).toHaveCount(1);

  await page.getByLabel('Credential name', { exact: true }).fill('github');
  await expect(table.getByRole('row').filter({ hasText: 'stripe/prod' })).toHaveCount(0);
  await expect(table.getByRole('row').filter({ hasText: 'github' }).first()).toBeVisible();
  await page.getByLabel('Credential name', { exact: true }).fill('');
  await page.getByLabel('Outcome', { exact: true }).selectOption('failure');
  await expect(page.getByText('No records match.')).toBeVisible();
  await page.getByLabel('Outcome', { exact: true }).selectOption('all');

  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Intact: \d+ records/ })).toBeVisible();
  await inBothThemes(page, 'audit');

  // Someone edits a record: the next verification names the line.
  const log = `${harness.vaultPath}.audit`;
  const lines = readFileSync(log, 'utf8').split('\n');
  lines[1] = lines[1]!.replace('"cli"', '"app"');
  writeFileSync(log, lines.join('\n'));
  await page.getByRole('button', { name: 'Verify' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'The audit trail is not intact' });
  await expect(alert).toContainText('Line 2:');
  await inBothThemes(page, 'audit-tampered');
});
