/**
 * The Grants and Integrations screens (issue 13; docs/grants.md): an empty
 * state, a grant built with the form (role, scope rows, allowed commands,
 * expiry), its token shown once — and that token, given to the real CLI,
 * runs a program with exactly the grant's secrets; a bad name refused inline;
 * suspend, resume, revoke (confirmed), each ending or restoring what the
 * token opens; the uses chart; copy-paste snippets.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test, expect, inBothThemes, REPO } from '../fixtures/harness.js';
import { openSection } from '../fixtures/sections.js';
import { prepareVault, toast, unlockWithPassword } from '../fixtures/ui.js';

const STRIPE = 'sk_live_GrantsScreen0123456789ab';

test.use({
  harnessOptions: {
    keychain: false,
    prepare: prepareVault(
      { name: 'stripe-prod', type: 'api_key', value: STRIPE, flags: ['--tag', 'ci'] },
      { name: 'personal-bank', type: 'password', value: 'Correct-Horse-Battery-Staple-1!' },
    ),
  },
});

test('makes a grant whose token runs a program with exactly its scope; suspends, resumes and revokes it', async ({ app: page, harness }) => {
  await unlockWithPassword(page);
  await openSection(page, 'Grants');
  await expect(page.getByRole('heading', { level: 1, name: 'Grants' })).toBeVisible();
  await expect(page.getByText('No grants yet')).toBeVisible();
  await inBothThemes(page, 'grants-empty');

  await page.getByRole('button', { name: 'New grant' }).click();
  const dialog = page.getByRole('dialog', { name: 'New grant' });
  await dialog.getByLabel('Name').fill('Bad Name');
  await dialog.getByRole('button', { name: 'Create grant' }).click();
  await expect(dialog.getByText(/A grant's name is 1–64 characters/)).toBeVisible();
  await dialog.getByLabel('Name').fill('ci-deploy');
  await dialog.getByLabel('Role').selectOption('runner');
  await dialog.getByRole('button', { name: 'Add a scope' }).click();
  await dialog.getByLabel('Scope 1 kind').selectOption('tag');
  await dialog.getByLabel('Scope 1 value').fill('ci');
  await dialog.getByLabel('Allowed commands').fill('sh -c');
  await dialog.getByLabel('Expires').fill('2099-12-31');
  await inBothThemes(page, 'grants-new');
  await dialog.getByRole('button', { name: 'Create grant' }).click();

  const tokenDialog = page.getByRole('dialog', { name: 'Token for ci-deploy' });
  const token = await tokenDialog.getByLabel('Token').inputValue();
  expect(token).toMatch(/^kwg_[A-Za-z0-9_-]{59}$/);
  await inBothThemes(page, 'grants-token');
  await tokenDialog.getByRole('button', { name: 'Done' }).click();

  const card = page.getByRole('listitem', { name: 'ci-deploy' });
  await expect(card.getByText('tag:ci (1 credential)')).toBeVisible();
  await expect(card.getByText('sh -c')).toBeVisible();
  await expect(card.getByText('Never used')).toBeVisible();

  // The token alone (no password) runs the allowed command with the grant's secret, masked; nothing else.
  const asToken = (args: string[]) => harness.cli(args, { env: { KEYWARD_PASSWORD: '', KEYWARD_TOKEN: token } });
  let r = asToken(['run', '--env', 'K=stripe-prod', '--', 'sh', '-c', 'echo "k=$K"']);
  expect([r.status, r.stdout]).toEqual([0, 'k=<concealed:stripe-prod>\n']);
  r = asToken(['run', '--env', 'K=personal-bank', '--', 'sh', '-c', 'echo started']);
  expect([r.status, r.stdout]).toEqual([4, '']);

  await card.getByRole('button', { name: 'Suspend ci-deploy' }).click();
  await expect(toast(page, /Suspended ci-deploy/)).toBeVisible();
  await expect(card.getByText('suspended')).toBeVisible();
  expect(asToken(['env', 'stripe-prod']).status).toBe(3);
  await card.getByRole('button', { name: 'Resume ci-deploy' }).click();
  await expect(card.getByText('suspended')).toBeHidden();
  r = asToken(['run', '--env', 'K=stripe-prod', '--', 'sh', '-c', 'true']);
  expect(r.status, r.stderr).toBe(0);

  // The CLI asked the running app (its local API), which chained each use at once: shown after a reload of the screen.
  await openSection(page, 'Integrations');
  await openSection(page, 'Grants');
  await expect(card.getByText(/\(\d+ uses in all\)/)).toBeVisible();
  await expect(card.getByRole('img', { name: 'Uses of ci-deploy, last 30 days' })).toBeVisible();
  await inBothThemes(page, 'grants');

  await card.getByRole('button', { name: 'Revoke ci-deploy' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Revoke ci-deploy?' });
  await confirm.getByRole('button', { name: 'Revoke' }).click();
  await expect(toast(page, 'Revoked ci-deploy.')).toBeVisible();
  await expect(page.getByText('No grants yet')).toBeVisible();
  r = asToken(['env', 'stripe-prod']);
  expect(r.status).toBe(3);
  expect(r.stderr).toMatch(/revoked/);
});

test('Integrations: snippets for run, .env references, inject, CI and MCP, each with a copy button', async ({ app: page }) => {
  await unlockWithPassword(page);
  await openSection(page, 'Integrations');
  await expect(page.getByRole('heading', { level: 1, name: 'Integrations' })).toBeVisible();
  for (const title of ['Run a program with its secrets', '.env with references', 'Fill a config file', 'A CI job, by a grant', 'An AI assistant (MCP)'])
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await expect(page.getByText('"command": "keyward"')).toBeVisible();
  await inBothThemes(page, 'integrations');
});

/** The real CLI, started without waiting for it (it waits for the page's answer). */
function cliInBackground(vaultPath: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(REPO, 'dist', 'cli', 'keyward.cjs'), '--vault', vaultPath, '--no-keychain', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

test('"Ask me each time": a program’s use waits for the user in the app, who allows or denies it', async ({ app: page, harness }) => {
  const made = harness.cli(['grant', 'add', 'asker', '--role', 'runner', '--ask', '--allow-command', 'sh -c', '--json']);
  expect(made.status, made.stderr).toBe(0);
  const { token } = JSON.parse(made.stdout) as { token: string };
  await unlockWithPassword(page);
  const env = { KEYWARD_PASSWORD: '', KEYWARD_TOKEN: token };

  const allowed = cliInBackground(harness.vaultPath, ['run', '--env', 'K=stripe-prod', '--', 'sh', '-c', 'echo "k=$K"'], env);
  const ask = page.getByRole('alertdialog', { name: 'Allow the grant “asker”?' });
  await expect(ask).toBeVisible();
  await expect(ask.getByRole('list', { name: 'Credentials asked for' })).toHaveText('stripe-prod');
  await expect(ask.getByText('sh -c echo "k=$K"', { exact: true })).toBeVisible();
  await expect(ask.getByRole('button', { name: 'Deny' })).toBeFocused();
  await inBothThemes(page, 'grants-approval');
  await ask.getByRole('button', { name: 'Allow once' }).click();
  const ok = await allowed;
  expect([ok.status, ok.stdout], ok.stderr).toEqual([0, 'k=<concealed:stripe-prod>\n']);

  const denied = cliInBackground(harness.vaultPath, ['run', '--env', 'K=stripe-prod', '--', 'sh', '-c', 'echo started'], env);
  await ask.getByRole('button', { name: 'Deny' }).click();
  const no = await denied;
  expect([no.status, no.stdout]).toEqual([1, '']);
  expect(no.stderr).toMatch(/You declined this use of the grant "asker"/);

  // Locked, the app has nothing to hand out: refused without asking.
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  const locked = await cliInBackground(harness.vaultPath, ['run', '--env', 'K=stripe-prod', '--', 'sh', '-c', 'echo started'], env);
  expect([locked.status, locked.stdout]).toEqual([1, '']);
});
