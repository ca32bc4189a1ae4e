/**
 * Accessibility: axe-core (through @axe-core/playwright) on every screen and
 * dialog, in light and dark. Any violation of serious or critical impact fails
 * the spec, with the rule, the impact and the elements named.
 */
import AxeBuilder from '@axe-core/playwright';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, createVaultWithCli } from '../fixtures/harness.js';
import { openSection, prepareHealthVault } from '../fixtures/sections.js';
import { credentialList, details, dialog, prepareVault, searchBox, unlockWithPassword } from '../fixtures/ui.js';

const BLOCKING = new Set(['serious', 'critical']);

/** Runs axe in both themes; records each serious or critical violation as a soft failure so one run lists them all. */
async function expectAccessible(page: Page, screen: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const { violations } = await new AxeBuilder({ page }).analyze();
    const blocking = violations
      .filter((v) => BLOCKING.has(v.impact ?? ''))
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` [${n.failureSummary.split('\n').slice(1).join(' ').trim()}]` : ''}`).join('; ')}`);
    expect.soft(blocking, `${screen} in ${colorScheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test.describe('first run', () => {
  test('onboarding', async ({ app: page }) => {
    await expect(page.getByLabel('Master password', { exact: true })).toBeVisible();
    await expectAccessible(page, 'onboarding');
    await page.getByLabel('Master password', { exact: true }).fill('Tr0ub4dor&3');
    await expectAccessible(page, 'onboarding with a strength meter');
  });
});

test.describe('locked', () => {
  // Two saves, so the tampered file has a backup to offer.
  test.use({ harnessOptions: { keychain: false, prepare: prepareVault({ name: 'first', type: 'secret', value: 'one' }, { name: 'second', type: 'secret', value: 'two' }) } });
  test('unlock, wrong password, tampered file', async ({ app: page, harness }) => {
    await expect(page.getByRole('heading', { name: 'Unlock Keyward' })).toBeVisible();
    await expectAccessible(page, 'unlock');
    await page.getByLabel('Master password').fill('not the password');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await expect(page.getByText(/Wrong master password/)).toBeVisible();
    await expectAccessible(page, 'unlock error');

    const bytes = readFileSync(harness.vaultPath);
    bytes[bytes.length - 40]! ^= 0xff;
    writeFileSync(harness.vaultPath, bytes);
    await page.reload();
    await expect(page.getByRole('button', { name: 'Restore newest backup' })).toBeVisible();
    await expectAccessible(page, 'tamper');
  });
});

test.describe('empty vault', () => {
  test.use({ harnessOptions: { keychain: false, prepare: createVaultWithCli } });
  test('vault with no credentials', async ({ app: page }) => {
    await unlockWithPassword(page);
    await expect(page.getByRole('heading', { name: 'No credentials yet' })).toBeVisible();
    await expectAccessible(page, 'empty vault');
  });
});

test.describe('a vault with credentials', () => {
  test.use({ harnessOptions: { keychain: false, prepare: prepareHealthVault } });

  test('the audit trail, verified, filtered, and its usage', async ({ app: page }) => {
    await unlockWithPassword(page);
    await page.getByRole('button', { name: 'Audit' }).click();
    await expect(page.getByRole('table', { name: 'Audit records, newest first' })).toBeVisible();
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Intact/ })).toBeVisible();
    await expectAccessible(page, 'audit');

    await page.getByLabel('Time', { exact: true }).selectOption({ label: 'Between dates' });
    await page.getByLabel('Action', { exact: true }).selectOption({ label: 'Another action…' });
    await page.getByLabel('Action name', { exact: true }).fill('not valid');
    await expect(page.getByText('An action is letters, digits, dots, dashes and underscores only.')).toBeVisible();
    await expectAccessible(page, 'audit with every filter and a problem');

    await page.getByRole('tab', { name: 'Usage' }).click();
    await expect(page.getByRole('img', { name: 'Value reads per day, last 30 days' })).toBeVisible();
    await page.getByText('Show the figures as a table').click();
    await expectAccessible(page, 'audit usage');
  });

  test('the security dashboard', async ({ app: page }) => {
    await unlockWithPassword(page);
    await openSection(page, 'Dashboard');
    await expect(page.getByRole('list', { name: 'Metrics' }).getByRole('article').first()).toBeVisible();
    await page.getByText('Show the figures as a table').click();
    await expectAccessible(page, 'Dashboard');
  });

  test('Policies, and its password confirmation', async ({ app: page }) => {
    await unlockWithPassword(page);
    await openSection(page, 'Policies');
    await expect(page.getByRole('region', { name: 'Presets' })).toBeVisible();
    await expectAccessible(page, 'Policies');
    await page.getByLabel('Require a digit').uncheck();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect(page.getByLabel('Master password, to confirm loosening the policy')).toBeVisible();
    await expectAccessible(page, 'Policies, confirming');
  });

  test('Grants: empty, the new-grant form, and Integrations', async ({ app: page }) => {
    await unlockWithPassword(page);
    await openSection(page, 'Grants');
    await expect(page.getByText('No grants yet')).toBeVisible();
    await expectAccessible(page, 'Grants');
    await page.getByRole('button', { name: 'New grant' }).click();
    await page.getByRole('dialog', { name: 'New grant' }).getByRole('button', { name: 'Add a scope' }).click();
    await expectAccessible(page, 'Grants, new grant');
    await page.keyboard.press('Escape');
    await openSection(page, 'Integrations');
    await expectAccessible(page, 'Integrations');
  });

  test('Incidents: empty, then a credential marked compromised, with its timeline', async ({ app: page }) => {
    await unlockWithPassword(page);
    const incidents = page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /^Incidents/ });
    await incidents.click();
    await expect(page.getByRole('heading', { name: 'No incidents' })).toBeVisible();
    await expectAccessible(page, 'Incidents, empty');

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /^Vault/ }).click();
    await credentialList(page).getByRole('option').first().click();
    await details(page).getByRole('button', { name: 'Mark compromised' }).click();
    await expect(page.getByRole('alertdialog')).toBeVisible();
    await expectAccessible(page, 'mark compromised dialog');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Mark compromised' }).click();
    await expect(page.getByRole('alert').filter({ hasText: /^Security incident:/ })).toBeVisible();
    await expectAccessible(page, 'incident toast');

    await incidents.click();
    const toggle = page.getByRole('button', { name: /^Marked compromised/ });
    await toggle.click();
    await expect(page.getByRole('table', { name: /^Timeline:/ }).getByRole('row')).toHaveCount(2);
    await expectAccessible(page, 'Incidents with a timeline open');
  });

  test('list, detail and every dialog', async ({ app: page }) => {
    // A dozen dialogs, each scanned by axe: about 45 s on a quiet 2-core machine.
    test.setTimeout(120_000);
    await unlockWithPassword(page);
    await expectAccessible(page, 'vault list');

    const first = credentialList(page).getByRole('option').first();
    await first.click();
    await expect(details(page).getByRole('heading', { level: 2 }).first()).toBeVisible();
    await details(page).getByRole('button', { name: 'Reveal value' }).click();
    await expectAccessible(page, 'detail');

    await page.getByRole('button', { name: 'New credential' }).first().click();
    await expect(dialog(page, 'New credential')).toBeVisible();
    await expectAccessible(page, 'new credential dialog');
    await page.keyboard.press('Escape');

    await details(page).getByRole('button', { name: 'Edit' }).click();
    await expect(dialog(page)).toBeVisible();
    await expectAccessible(page, 'edit dialog');
    await page.keyboard.press('Escape');

    await details(page).getByRole('button', { name: 'Rotate' }).click();
    await expect(dialog(page, /Rotate/)).toBeVisible();
    await expectAccessible(page, 'rotate dialog');
    await page.keyboard.press('Escape');

    await details(page).getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('alertdialog')).toBeVisible();
    await expectAccessible(page, 'delete dialog');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(dialog(page, 'Settings')).toBeVisible();
    await expectAccessible(page, 'settings dialog');
    await page.keyboard.press('Escape');

    await page.keyboard.press('?');
    await expect(dialog(page, /shortcuts/i)).toBeVisible();
    await expectAccessible(page, 'shortcuts dialog');
    await page.keyboard.press('Escape');

    await searchBox(page).fill('zzz-nothing');
    await expect(page.getByRole('heading', { name: 'No matching credentials' })).toBeVisible();
    await expectAccessible(page, 'no results');
  });

  test('Health, Rotation and Generator', async ({ app: page }) => {
    await unlockWithPassword(page);
    await openSection(page, 'Health');
    await expect(page.getByRole('heading', { name: 'Vault health' })).toBeVisible();
    await expect(page.getByTestId('health-score')).toBeVisible();
    await expectAccessible(page, 'Health');

    await openSection(page, 'Rotation');
    await expect(page.getByRole('button', { name: /^Manage rotation of / }).first()).toBeVisible();
    await expectAccessible(page, 'Rotation');
    await page.getByRole('button', { name: /^Manage rotation of / }).first().click();
    await expect(page.getByRole('complementary', { name: /^Rotation settings for / })).toBeVisible();
    await expectAccessible(page, 'Rotation with a credential open');

    await openSection(page, 'Generator');
    await expectAccessible(page, 'Generator');
  });
});
