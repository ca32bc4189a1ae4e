/**
 * The Health screen and the list badges, from a vault prepared with the CLI:
 * a weak password stored with --force, a value stored twice, a Stripe test key
 * without a test tag, an expired token, and one healthy generated password.
 */
import { test, expect } from '../fixtures/harness.js';
import { credentialList, dialog, prepareVault, toast, unlockWithPassword } from '../fixtures/ui.js';
import { openSection, prepareHealthVault } from '../fixtures/sections.js';

test.describe('a vault with findings', () => {
  test.use({ harnessOptions: { keychain: false, prepare: prepareHealthVault } });

  test('unlocking decrypts no value: badges appear once the person opens Health, and stay', async ({ app: page }) => {
    await unlockWithPassword(page);
    const list = credentialList(page);
    await expect(list.getByRole('option', { name: 'good-login' })).toBeVisible();
    // The health check decrypts every value, so it is not started by unlocking (nor by list loads or schedule refreshes).
    await page.waitForTimeout(1_500);
    await expect(list.getByRole('option', { name: 'weak-login' })).not.toContainText('Weak');
    await openSection(page, 'Health');
    await expect(page.getByRole('heading', { name: 'Vault health' })).toBeVisible();
    await openSection(page, 'Vault');
    await expect(list.getByRole('option', { name: 'weak-login' })).toContainText('Weak');
    await expect(list.getByRole('option', { name: 'shared-one' })).toContainText('Reused');
    await expect(list.getByRole('option', { name: 'shared-two' })).toContainText('Reused');
    await expect(list.getByRole('option', { name: 'old-token' })).toContainText('Expired');
    await expect(list.getByRole('option', { name: 'good-login' })).not.toContainText(/Weak|Reused|Stale|Invalid/);
  });

  test('score, charts, findings sorted by risk, and fix actions', async ({ app: page, harness }) => {
    const cliHealth = JSON.parse(harness.cli(['health', '--json']).stdout) as { score: number; reports: { name: string; risk: number; findings: unknown[] }[] };
    await unlockWithPassword(page);
    await openSection(page, 'Health');

    await expect(page.getByRole('heading', { name: 'Vault health' })).toBeVisible();
    await expect(page.getByTestId('health-score')).toHaveText(String(cliHealth.score));
    expect(cliHealth.score).toBeLessThan(100);

    const strength = page.getByRole('list', { name: 'Password strength' });
    await expect(strength.getByRole('listitem')).toHaveCount(5);
    await expect(strength.getByRole('listitem', { name: '0 · Very weak: 1' })).toBeVisible();
    await expect(strength.getByRole('listitem', { name: '4 · Very strong: 1' })).toBeVisible();
    const kinds = page.getByRole('list', { name: 'Findings by kind' });
    for (const label of ['Weak password: 1', 'Reused: 2', 'Test key: 1', 'Expired: 1'])
      await expect(kinds.getByRole('listitem', { name: label })).toBeVisible();

    const findings = page.getByRole('list', { name: 'Findings by risk' });
    const cards = findings.locator(':scope > li');
    const expected = cliHealth.reports.filter((r) => r.findings.length > 0);
    await expect(cards).toHaveCount(expected.length);
    const names = await cards.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(names).toEqual(expected.map((r) => r.name));
    const risks = (await findings.getByTestId('risk').allTextContents()).map((t) => Number(t.replace('Risk ', '')));
    expect(risks).toEqual([...risks].sort((a, b) => b - a));
    expect(names).not.toContain('good-login');

    // Retag opens the edit form; rotate opens the rotate dialog.
    const stripe = findings.getByRole('listitem', { name: 'stripe-payments', exact: true });
    await expect(stripe).toContainText('test/sandbox key');
    await stripe.getByRole('button', { name: 'Edit tags' }).click();
    const edit = dialog(page, 'Edit credential');
    await expect(edit.getByLabel('Name', { exact: true })).toHaveValue('stripe-payments');
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await expect(edit).toBeHidden();

    const weak = findings.getByRole('listitem', { name: 'weak-login', exact: true });
    await expect(weak).toContainText('Weak password');
    await weak.getByRole('button', { name: 'Rotate' }).first().click();
    const rotate = dialog(page, /Rotate “weak-login”/);
    await rotate.getByRole('radio', { name: 'Generate' }).check();
    await rotate.getByRole('button', { name: 'Rotate' }).click();
    await expect(rotate).toBeHidden();
    await expect(toast(page, 'Rotated: version 2 is now current.')).toBeVisible();
    await expect(findings.getByRole('listitem', { name: 'weak-login', exact: true })).toHaveCount(0);
    await expect(page.getByRole('list', { name: 'Password strength' }).getByRole('listitem', { name: '0 · Very weak: 0' })).toBeVisible();
  });

  test('the section nav keeps the vault list as it was', async ({ app: page }) => {
    await unlockWithPassword(page);
    await credentialList(page).getByRole('option', { name: 'shared-two' }).click();
    await openSection(page, 'Health');
    await openSection(page, 'Vault');
    await expect(credentialList(page).getByRole('option', { name: 'shared-two' })).toHaveAttribute('aria-selected', 'true');
  });
});

test.describe('a healthy vault', () => {
  test.use({ harnessOptions: { keychain: false, prepare: prepareVault({ name: 'fine', type: 'password' }) } });

  test('shows the empty state', async ({ app: page }) => {
    await unlockWithPassword(page);
    await openSection(page, 'Health');
    await expect(page.getByText('Nothing to fix')).toBeVisible();
    await expect(page.getByRole('list', { name: 'Password strength' }).getByRole('listitem', { name: '4 · Very strong: 1' })).toBeVisible();
  });

  test('the add form shows a live strength meter for the value', async ({ app: page }) => {
    await unlockWithPassword(page);
    await page.getByRole('button', { name: 'New credential' }).click();
    const form = dialog(page, 'New credential');
    await form.getByLabel('Credential type').selectOption({ label: 'Password' });
    const value = form.getByLabel('Password', { exact: true });
    await value.fill('password');
    await expect(form.getByText('Strength: Very weak')).toBeVisible();
    await value.fill('t7#Vq-plover-Gx92-lantern-0z');
    await expect(form.getByText('Strength: Very strong')).toBeVisible();
    await form.getByLabel('Credential type').selectOption({ label: 'Secret' });
    const secret = form.getByLabel('Secret', { exact: true });
    await secret.fill('aaaa');
    await expect(form.getByText(/About \d+ bits of randomness/)).toBeVisible();
  });
});
