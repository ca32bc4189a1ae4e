/**
 * The Policies screen (issue 13; docs/policies.md): every key of the security
 * policy with its value and where it comes from, edited in place, a value out
 * of range refused inline, loosening confirmed with the master password, and
 * the presets — and what it changes is what the core enforces.
 */
import type { Locator, Page } from '@playwright/test';
import { test, expect, inBothThemes, MASTER_PASSWORD } from '../fixtures/harness.js';
import { openSection, sections } from '../fixtures/sections.js';
import { credentialList, details, dialog, prepareVault, toast, unlockWithPassword } from '../fixtures/ui.js';

test.use({ harnessOptions: { keychain: false, prepare: prepareVault({ name: 'db-admin', type: 'password', value: 'Correct-Horse-Battery-Staple-1!' }) } });

const source = (page: Page, key: string) => page.getByTestId(`source-${key}`);
const save = (page: Page) => page.getByRole('button', { name: /^(Save policy|Confirm and save)$/ });

/** A wrong master password is said in the dialog; the right one, entered with Enter, closes it. */
async function confirmWithMasterPassword(confirm: Locator, password: Locator, submit: string) {
  await password.fill('not the password');
  await confirm.getByRole('button', { name: submit }).click();
  await expect(confirm.getByText(/Wrong master password/)).toBeVisible();
  await password.fill(MASTER_PASSWORD);
  await password.press('Enter');
  await expect(confirm).toBeHidden();
}

/** Adds a rotation rule with the Policies screen's form (the screen is opened first) and returns the rules region. */
async function addRotationRule(page: Page, name: string, scope: string, days: number) {
  await openSection(page, 'Policies');
  const rules = page.getByRole('region', { name: 'Custom rules' });
  await rules.getByLabel('Rule name').fill(name);
  await rules.getByLabel('Scope').fill(scope);
  await rules.getByLabel('Rotate every (days, in this rule)').fill(String(days));
  await rules.getByRole('button', { name: 'Add rule' }).click();
  await expect(toast(page, `Added the rule ${name}.`)).toBeVisible();
  return rules;
}

test('shows every key with where it comes from; saves a change, refuses a value out of range inline, asks for the password to loosen; presets', async ({ app: page }) => {
  await unlockWithPassword(page);
  expect(await sections(page).getByRole('button').allTextContents()).toContain('Policies');
  await openSection(page, 'Policies');
  await expect(page.getByRole('heading', { level: 1, name: 'Policies' })).toBeVisible();
  for (const group of ['Rotation', 'Passwords', 'Backups', 'Sessions', 'Audit trail']) await expect(page.getByRole('region', { name: group })).toBeVisible();
  await expect(page.getByLabel('Minimum length (characters)')).toHaveValue('12');
  await expect(source(page, 'min_length')).toHaveText('Default');
  await expect(save(page)).toBeDisabled();
  await inBothThemes(page, 'policies');

  // Out of range: refused inline with what is allowed, nothing saved.
  await page.getByLabel('Minimum length (characters)').fill('4');
  await save(page).click();
  await expect(page.getByText('min_length takes a whole number of characters from 8 to 128.')).toBeVisible();
  await expect(source(page, 'min_length')).toHaveText('Default');

  // Tightening: saved without the password, and shown as set.
  await page.getByLabel('Minimum length (characters)').fill('16');
  await save(page).click();
  await expect(toast(page, 'Policy saved.')).toBeVisible();
  await expect(source(page, 'min_length')).toHaveText(/^Set by you, /);

  // Loosening: the master password, asked for inline; a wrong one is said there.
  await page.getByLabel('Require a special character').uncheck();
  await save(page).click();
  const password = page.getByLabel('Master password, to confirm loosening the policy');
  await expect(password).toBeFocused();
  await password.fill('not the password');
  await save(page).click();
  await expect(page.getByText(/password is not correct|wrong|does not match/i)).toBeVisible();
  await password.fill(MASTER_PASSWORD);
  await save(page).click();
  await expect(password).toBeHidden();
  await expect(page.getByLabel('Require a special character')).not.toBeChecked();
  await expect(source(page, 'require_special_chars')).toHaveText(/^Set by you, /);

  // A preset: every key it names, marked as its own (PCI's minimum of 12 is below the 16 set above: the password).
  await page.getByRole('button', { name: 'Apply the PCI DSS v4.0 preset' }).click();
  await page.getByLabel('Master password, to confirm the preset').fill(MASTER_PASSWORD);
  await save(page).click();
  await expect(toast(page, 'Applied the PCI DSS v4.0 preset.')).toBeVisible();
  await expect(page.getByLabel('Rotate every (days)')).toHaveValue('90');
  await expect(source(page, 'rotation_interval_days')).toHaveText(/^Preset: PCI DSS v4\.0, /);
  // NIST loosens the composition rules PCI set: the password again.
  await page.getByRole('button', { name: 'Apply the NIST SP 800-63B preset' }).click();
  const presetPassword = page.getByLabel('Master password, to confirm the preset');
  await presetPassword.fill(MASTER_PASSWORD);
  await save(page).click();
  await expect(toast(page, 'Applied the NIST SP 800-63B preset.')).toBeVisible();
  await expect(page.getByLabel('Minimum length (characters)')).toHaveValue('15');
  await expect(page.getByLabel('Require a digit')).not.toBeChecked();
  await inBothThemes(page, 'policies-preset');
});

test('custom rules: added with the form (refused inline when incomplete), listed, removed with the master password', async ({ app: page }) => {
  await unlockWithPassword(page);
  await openSection(page, 'Policies');
  const rules = page.getByRole('region', { name: 'Custom rules' });
  await expect(rules.getByText('No custom rules.')).toBeVisible();
  await rules.getByLabel('Rule name').fill('production-keys');
  await rules.getByRole('button', { name: 'Add rule' }).click();
  await expect(rules.getByText(/A rule applies to a scope/)).toBeVisible();
  await rules.getByLabel('Scope').fill('tag:production, provider:stripe');
  await rules.getByLabel('Rotate every (days, in this rule)').fill('14');
  await rules.getByLabel('Reveal before copying').check();
  await rules.getByLabel('Grants only with approval').check();
  await rules.getByRole('button', { name: 'Add rule' }).click();
  await expect(toast(page, 'Added the rule production-keys.')).toBeVisible();
  const listed = rules.getByRole('list', { name: 'Custom rules' });
  await expect(listed.getByText('tag:production, provider:stripe — Rotate every 14 days · Reveal before copying · Grants only with approval')).toBeVisible();
  await inBothThemes(page, 'policies-rules');

  await listed.getByRole('button', { name: 'Remove the rule production-keys' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove the rule production-keys?' });
  await dialog.getByLabel('Master password').fill('not the password');
  await dialog.getByRole('button', { name: 'Remove rule' }).click();
  await expect(dialog.getByText(/password/i).last()).toBeVisible();
  await dialog.getByLabel('Master password').fill(MASTER_PASSWORD);
  await dialog.getByRole('button', { name: 'Remove rule' }).click();
  await expect(toast(page, 'Removed the rule production-keys.')).toBeVisible();
  await expect(rules.getByText('No custom rules.')).toBeVisible();
});

test('an edit that takes a credential out of a rule’s scope asks for the master password in the dialog, then saves', async ({ app: page }) => {
  await unlockWithPassword(page);
  await addRotationRule(page, 'db-names', 'name:db-*', 7);

  await openSection(page, 'Vault');
  await credentialList(page).getByRole('option', { name: 'db-admin' }).click();
  await details(page).getByRole('button', { name: 'Edit' }).click();
  const form = dialog(page, 'Edit credential');
  await form.getByLabel('Name', { exact: true }).fill('admin-db');
  await form.getByRole('button', { name: 'Save changes' }).click();
  const confirm = form.getByLabel('Master password, to confirm');
  await expect(confirm).toBeFocused();
  await expect(form.getByText(/takes "db-admin" out of the rule "db-names"/)).toBeVisible();
  await inBothThemes(page, 'edit-out-of-rule-scope');
  await confirm.fill('not the password');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form.getByText(/Wrong master password/)).toBeVisible();
  await confirm.fill(MASTER_PASSWORD);
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form).toBeHidden();
  await expect(toast(page, 'Changes saved.')).toBeVisible();
  await expect(details(page).getByRole('heading', { name: 'admin-db' })).toBeVisible();
});

test('a restore that would take a credential out of a rule asks for the master password in its confirmation; the rule stays', async ({ app: page }) => {
  await unlockWithPassword(page);
  // Tagged after the backup of generation 2, then a rule on the tag: that backup's copy is out of the rule.
  await credentialList(page).getByRole('option', { name: 'db-admin' }).click();
  await details(page).getByRole('button', { name: 'Edit' }).click();
  const form = dialog(page, 'Edit credential');
  await form.getByLabel('Tags').fill('production');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form).toBeHidden();
  const rules = await addRotationRule(page, 'prod', 'tag:production', 14);

  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = dialog(page, 'Settings');
  await settings.getByRole('button', { name: /^Restore backup from .*, generation 2$/ }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Restore this backup?' });
  await expect(confirm).toContainText('Grants, policy, custom rules and settings stay as they are now.');
  await confirm.getByRole('button', { name: 'Restore backup' }).click();
  const password = confirm.getByLabel('Master password');
  await expect(password).toBeFocused();
  await expect(confirm.getByText(/takes "db-admin" \("prod"\) out of custom rules/)).toBeVisible();
  await inBothThemes(page, 'restore-out-of-rule-scope');
  await confirmWithMasterPassword(confirm, password, 'Restore backup');
  await expect(toast(page, /Restored the backup/)).toBeVisible();
  await page.keyboard.press('Escape');
  // The credential as it was (no tag); the rule as it is now.
  await expect(rules.getByText('prod', { exact: true })).toBeVisible();
});

test('deactivating a credential a rotation rule covers asks for the master password in a dialog', async ({ app: page }) => {
  await unlockWithPassword(page);
  await addRotationRule(page, 'db-rotation', 'name:db-*', 14);

  await openSection(page, 'Vault');
  await credentialList(page).getByRole('option', { name: 'db-admin' }).click();
  await details(page).getByRole('button', { name: 'Deactivate' }).click();
  const confirm = dialog(page, /^Deactivate “db-admin”\?$/);
  await expect(confirm).toContainText('would no longer remind you to rotate "db-admin"');
  const password = confirm.getByLabel('Master password, to confirm');
  await expect(password).toBeFocused();
  await inBothThemes(page, 'deactivate-under-rule');
  await confirmWithMasterPassword(confirm, password, 'Deactivate');
  await expect(toast(page, 'Credential deactivated.')).toBeVisible();
  await expect(details(page).getByRole('button', { name: 'Activate' })).toBeVisible();
});
