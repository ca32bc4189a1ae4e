/**
 * Issue 9, items 2, 3, 4, 5 and 19 (Health part): a critical finding caps
 * the score's label and the score explains itself; findings have one name
 * everywhere (list badge, Health, detail panel, CLI); the detail panel says
 * why a badge is there, with the fix; Health's headers open the credential;
 * the add/rotate forms show format problems before saving, as `keyward check`
 * reports them; Health lists names that look the same.
 */
import { test, expect } from '../fixtures/harness.js';
import { credentialList, credentialRow, details, dialog, unlockWithPassword } from '../fixtures/ui.js';
import { cliOk, MALFORMED_GITHUB_TOKEN, openSection, prepareFindingsVault } from '../fixtures/sections.js';

test.use({ harnessOptions: { keychain: false, prepare: prepareFindingsVault } });

interface CliFinding {
  kind: string;
  severity: string;
  message: string;
  fix: string;
}

test('a critical finding caps the label, and the score explains itself', async ({ app: page }) => {
  await unlockWithPassword(page);
  await openSection(page, 'Health');
  await expect(page.getByTestId('health-verdict')).toHaveText('At risk');
  expect(Number(await page.getByTestId('health-score').textContent())).toBeLessThan(50);
  await expect(page.getByTestId('health-explanation')).toContainText('1 credential has a critical finding');
  await expect(page.getByTestId('health-explanation')).toContainText('of 7 credentials have findings');
});

test('one name per finding: list badge, Health, detail panel and CLI agree; the detail panel shows the fix', async ({ app: page, harness }) => {
  const cli = JSON.parse(cliOk(harness, ['check', 'placeholder-key', '--json'])) as { findings: CliFinding[] };
  expect(cli.findings.map((f) => f.kind)).toEqual(expect.arrayContaining(['placeholder', 'pasted_whitespace']));
  const cliText = cliOk(harness, ['check', 'placeholder-key']);
  expect(cliText).toContain('Critical · Placeholder:');
  expect(cliText).toContain('Medium · Pasted whitespace:');

  await unlockWithPassword(page);
  const list = credentialList(page);
  const row = list.getByRole('option', { name: 'placeholder-key' });
  await row.click();
  const panel = details(page);
  const findings = panel.getByRole('region', { name: 'Findings' });
  // The health check reads every value, so selecting a credential does not start it: the panel offers it.
  await findings.getByRole('button', { name: 'Check now' }).click();
  const items = findings.getByRole('list', { name: 'Findings for this credential' }).getByRole('listitem');
  await expect(items).toHaveCount(cli.findings.length);
  const placeholder = cli.findings.find((f) => f.kind === 'placeholder')!;
  await expect(items.first()).toContainText(`Critical`);
  await expect(items.first()).toContainText(`Placeholder: ${placeholder.message}`);
  await expect(items.first()).toContainText(placeholder.fix);
  await expect(items.first().getByRole('button', { name: 'Rotate' })).toBeVisible();

  // The list badges use the same words (no "Weak · Invalid format" for a placeholder pasted with spaces).
  await expect(row).toContainText('Placeholder');
  await expect(row).toContainText('Pasted whitespace');
  await expect(row).not.toContainText(/Weak|Invalid format/);

  // Health: the same words, and the header opens the credential.
  await openSection(page, 'Health');
  const card = page.getByRole('list', { name: 'Findings by risk' }).getByRole('listitem', { name: 'gh-ci', exact: true });
  await expect(card).toContainText('Invalid format');
  await card.getByRole('button', { name: 'gh-ci — open in the vault', exact: true }).click();
  await expect(list.getByRole('option', { name: 'gh-ci' })).toHaveAttribute('aria-selected', 'true');
  await expect(panel.getByRole('heading', { name: 'gh-ci' })).toBeVisible();
  await expect(panel.getByRole('region', { name: 'Findings' })).toContainText('Invalid format: The GitHub');
});

test('Health lists names that look the same and opens either one', async ({ app: page }) => {
  await unlockWithPassword(page);
  await openSection(page, 'Health');
  const groups = page.getByRole('list', { name: 'Names that look the same' }).getByRole('listitem');
  await expect(groups).toHaveCount(1);
  await expect(groups.first()).toContainText('“stripe-prod”');
  await expect(groups.first()).toContainText('“STRIPE-PROD”');
  await groups.first().getByRole('button', { name: '“STRIPE-PROD” — open in the vault', exact: true }).click();
  await expect(credentialRow(page, 'STRIPE-PROD')).toHaveAttribute('aria-selected', 'true');
});

test('the add and rotate forms show a malformed token’s problem before saving, as keyward check reports it', async ({ app: page, harness }) => {
  const cli = JSON.parse(cliOk(harness, ['check', 'gh-ci', '--json'])) as { findings: CliFinding[] };
  const invalid = cli.findings.find((f) => f.kind === 'invalid_format')!;
  expect(invalid.severity).toBe('high');

  await unlockWithPassword(page);
  await page.getByRole('button', { name: 'New credential' }).click();
  const form = dialog(page, 'New credential');
  await form.getByLabel('Credential type').selectOption({ label: 'API key' });
  await form.getByLabel('Name', { exact: true }).fill('new-github');
  await form.getByLabel('Provider').fill('github');
  await form.getByLabel('Secret key', { exact: true }).fill(MALFORMED_GITHUB_TOKEN);
  const problems = form.getByRole('list', { name: 'Problems with this value' });
  await expect(problems).toContainText(`Invalid format: ${invalid.message}`);
  await expect(problems).toContainText('High');
  await expect(form.getByRole('meter', { name: 'Estimated strength' })).not.toHaveAttribute('aria-valuenow', /[34]/);
  await expect(form).not.toContainText('Very strong');
  await expect(form).not.toContainText('Strong (');

  // A well-formed value clears the problem.
  await form.getByLabel('Provider').fill('');
  await form.getByLabel('Secret key', { exact: true }).fill('kw_' + 'Q7f2Lm9XwR4tZp8sVb3NcY6hJd1KgE5u');
  await expect(form.getByText(/About \d+ bits of randomness/)).toBeVisible();
  await expect(problems).toHaveCount(0);
  await form.getByRole('button', { name: 'Cancel' }).click();

  // Rotating gh-ci: the credential's own provider is used.
  await credentialList(page).getByRole('option', { name: 'gh-ci' }).click();
  await details(page).getByRole('toolbar', { name: 'Credential actions' }).getByRole('button', { name: 'Rotate' }).click();
  const rotate = dialog(page, /Rotate “gh-ci”/);
  await rotate.getByLabel('New secret key', { exact: true }).fill(MALFORMED_GITHUB_TOKEN);
  await expect(rotate.getByRole('list', { name: 'Problems with this value' })).toContainText(`Invalid format: ${invalid.message}`);
  await expect(rotate).not.toContainText('Very strong');
});
