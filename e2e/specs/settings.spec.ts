import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test, expect, inBothThemes, inDesktopSession, MASTER_PASSWORD } from '../fixtures/harness.js';
import { dialog, listedNames, prepareVault, toast, unlockWithPassword } from '../fixtures/ui.js';

test.use({ harnessOptions: { keychain: false, prepare: prepareVault({ name: 'alpha', type: 'secret', value: 'a' }, { name: 'bravo', type: 'secret', value: 'b' }) } });

test.beforeEach(async ({ app: page }) => {
  await unlockWithPassword(page);
  await page.getByRole('button', { name: 'Settings' }).click();
});

test('saves the auto-lock and clipboard timers, and checks their ranges', async ({ app: page }) => {
  let settings = dialog(page, 'Settings');
  await expect(settings.getByLabel('Auto-lock after (minutes)')).toHaveValue('5');
  await expect(settings.getByLabel('Clear clipboard after (seconds)')).toHaveValue('30');

  await settings.getByLabel('Clear clipboard after (seconds)').fill('2');
  await settings.getByRole('button', { name: 'Save timers' }).click();
  await expect(settings.getByText('Enter whole seconds from 5 to 600.')).toBeVisible();

  // Auto-lock later than the secure default weakens protection: main asks for the master password.
  await settings.getByLabel('Auto-lock after (minutes)').fill('12');
  await settings.getByLabel('Clear clipboard after (seconds)').fill('15');
  await settings.getByRole('button', { name: 'Save timers' }).click();
  await expect(settings.getByText('Enter your master password to confirm auto-lock later than 5 minutes.')).toBeVisible();
  await settings.getByLabel('Master password, to confirm the timers').fill('Not-The-Password-1');
  await settings.getByRole('button', { name: 'Confirm and save timers' }).click();
  await expect(settings.getByText(/^Wrong master password\./)).toBeVisible();
  await settings.getByLabel('Master password, to confirm the timers').fill(MASTER_PASSWORD);
  await settings.getByRole('button', { name: 'Confirm and save timers' }).click();
  await expect(toast(page, 'Settings saved.')).toBeVisible();
  await expect(settings.getByLabel('Master password, to confirm the timers')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(settings).toBeHidden();

  await page.getByRole('button', { name: 'Settings' }).click();
  settings = dialog(page, 'Settings');
  await expect(settings.getByLabel('Auto-lock after (minutes)')).toHaveValue('12');
  await expect(settings.getByLabel('Clear clipboard after (seconds)')).toHaveValue('15');
});

test('"Done" saves a timer change that was not saved yet', async ({ app: page }) => {
  let settings = dialog(page, 'Settings');
  await settings.getByLabel('Clear clipboard after (seconds)').fill('5');
  await settings.getByRole('button', { name: 'Done' }).click();
  await expect(toast(page, 'Settings saved.')).toBeVisible();
  await expect(settings).toBeHidden();

  await page.getByRole('button', { name: 'Settings' }).click();
  settings = dialog(page, 'Settings');
  await expect(settings.getByLabel('Clear clipboard after (seconds)')).toHaveValue('5');
});

test('leaving with a timer change that needs the master password keeps it pending, and says so, until saved or discarded', async ({ app: page }) => {
  let settings = dialog(page, 'Settings');
  await settings.getByLabel('Auto-lock after (minutes)').fill('20');
  await page.keyboard.press('Escape');
  // Not closed and not lost: the change waits for the master password.
  await expect(settings).toBeVisible();
  await expect(settings.getByText('Your timer changes are not saved yet.')).toBeVisible();
  await expect(settings.getByLabel('Master password, to confirm the timers')).toBeVisible();
  await settings.getByRole('button', { name: 'Discard changes' }).click();
  await expect(settings).toBeHidden();

  await page.getByRole('button', { name: 'Settings' }).click();
  settings = dialog(page, 'Settings');
  await expect(settings.getByLabel('Auto-lock after (minutes)')).toHaveValue('5');
  await settings.getByLabel('Auto-lock after (minutes)').fill('20');
  await settings.getByRole('button', { name: 'Done' }).click();
  await settings.getByLabel('Master password, to confirm the timers').fill(MASTER_PASSWORD);
  await settings.getByRole('button', { name: 'Confirm and save timers' }).click();
  await expect(toast(page, 'Settings saved.')).toBeVisible();
  await settings.getByRole('button', { name: 'Done' }).click();
  await expect(settings).toBeHidden();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(dialog(page, 'Settings').getByLabel('Auto-lock after (minutes)')).toHaveValue('20');
});

test('the keychain option says why it is unavailable', async ({ app: page }) => {
  const settings = dialog(page, 'Settings');
  await expect(settings.getByLabel('Keep the vault key in the OS keychain')).toBeDisabled();
  await expect(settings.getByText(/Not available:/)).toBeVisible();
});

test('changes the master password; a wrong current password is reported inline', async ({ app: page }) => {
  const settings = dialog(page, 'Settings');
  const newPassword = 'Quiet-Lantern-Orbit-42';
  await settings.getByLabel('Current master password').fill('Wrong-Current-Password-1');
  await settings.getByLabel('New master password', { exact: true }).fill(newPassword);
  await expect(settings.getByText('Strength: Very strong')).toBeVisible();
  await settings.getByLabel('Confirm new master password').fill(newPassword);
  await settings.getByRole('button', { name: 'Change master password' }).click();
  await expect(settings.getByText(/^Wrong master password\./)).toBeVisible();
  await expect(settings.getByLabel('Current master password')).toHaveAttribute('aria-invalid', 'true');

  await settings.getByLabel('Current master password').fill('Correct-Horse-Battery-9');
  await settings.getByRole('button', { name: 'Change master password' }).click();
  await expect(toast(page, 'Master password changed.')).toBeVisible();

  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await unlockWithPassword(page, newPassword);
});

test('a weak new master password is refused inline, and taken only with the explicit override', async ({ app: page }) => {
  const settings = dialog(page, 'Settings');
  const weak = 'Summer2024!';
  const override = settings.getByLabel('Use this weak master password anyway');
  await expect(override).toHaveCount(0);
  await settings.getByLabel('Current master password').fill(MASTER_PASSWORD);
  await settings.getByLabel('New master password', { exact: true }).fill(weak);
  await expect(settings.getByText(/Strength: /)).toBeVisible();
  await settings.getByLabel('Confirm new master password').fill(weak);
  await settings.getByRole('button', { name: 'Change master password' }).click();
  await expect(settings.getByText('The master password must be at least 12 characters (it has 11).')).toBeVisible();

  await override.check();
  await settings.getByRole('button', { name: 'Change master password' }).click();
  await expect(toast(page, 'Master password changed.')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await unlockWithPassword(page, weak);
});

test('leaving with a master password change typed in keeps it pending, and says so, until discarded', async ({ app: page }) => {
  let settings = dialog(page, 'Settings');
  await settings.getByLabel('New master password', { exact: true }).fill('Quiet-Lantern-Orbit-42');
  await settings.getByRole('button', { name: 'Done' }).click();
  await expect(settings).toBeVisible();
  await expect(settings.getByText('Your new master password is not saved yet.')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(settings).toBeVisible();
  await settings.getByRole('button', { name: 'Discard changes' }).click();
  await expect(settings).toBeHidden();

  await page.getByRole('button', { name: 'Settings' }).click();
  settings = dialog(page, 'Settings');
  await expect(settings.getByLabel('New master password', { exact: true })).toHaveValue('');
  await page.keyboard.press('Escape');
  await expect(settings).toBeHidden();
});

test('previews a backup and restores it after a confirmation', async ({ app: page }) => {
  const settings = dialog(page, 'Settings');
  const backups = settings.getByRole('list', { name: 'Backups' }).getByRole('listitem');
  await expect(backups).toHaveCount(2);

  await backups.first().getByRole('button', { name: /^Preview backup/ }).click();
  await expect(backups.first()).toContainText('Holds 1 credential');
  await expect(backups.first()).toContainText('alpha');

  await backups.first().getByRole('button', { name: /^Restore backup/ }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Restore this backup?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(settings).toBeVisible();

  await backups.first().getByRole('button', { name: /^Restore backup/ }).click();
  await page.getByRole('alertdialog', { name: 'Restore this backup?' }).getByRole('button', { name: 'Restore backup' }).click();
  await expect(toast(page, /Restored the backup/)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect.poll(() => listedNames(page)).toEqual(['alpha']);
});

test('lists each backup to the second with its generation, count and changes, and says what a restore of the newest would undo', async ({ app: page }) => {
  const settings = dialog(page, 'Settings');
  const backups = settings.getByRole('list', { name: 'Backups' }).getByRole('listitem');
  await expect(backups).toHaveCount(2);
  const newest = backups.first();
  await expect(newest).toContainText(/\d{1,2}:\d{2}:\d{2}/);
  await expect(newest).toContainText('generation 2');
  await expect(newest).toContainText('1 credential');
  await expect(newest).toContainText('From the backup before: 1 added (alpha).');
  await expect(backups.nth(1)).toContainText('generation 1');
  await expect(backups.nth(1)).toContainText('0 credentials');

  await newest.getByRole('button', { name: /^Preview backup/ }).click();
  await expect(newest).toContainText('Restoring it would remove 1 credential added since (bravo).');

  await newest.getByRole('button', { name: /^Restore backup/ }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Restore this backup?' });
  await expect(confirm).toContainText('This is the newest backup: restoring it undoes your last save.');
  await expect(confirm).toContainText('Restoring it would remove 1 credential added since (bravo).');
  await expect(confirm).not.toContainText('not lost');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
});

test('damaged files in the backups folder are listed apart and cannot be restored', async ({ app: page, harness }) => {
  // What a restore over a damaged vault sets aside: a file with a backup's name that fails its checksum.
  writeFileSync(join(`${harness.vaultPath}.backups`, '2026-01-01T00-00-00-000Z.g00000009.keyward'), Buffer.from('KEYWARD damaged bytes, not a vault'));
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = dialog(page, 'Settings');
  const damaged = settings.getByRole('list', { name: 'Damaged files' }).getByRole('listitem');
  await expect(damaged).toHaveCount(1);
  await expect(damaged.first()).toContainText('generation 9');
  await expect(damaged.first().getByRole('button')).toHaveCount(0);
  await expect(settings.getByText('Damaged files — not restorable')).toBeVisible();
  const backups = settings.getByRole('list', { name: 'Backups' }).getByRole('listitem');
  await expect(backups).toHaveCount(2);
  await expect(backups.filter({ hasText: 'generation 9' })).toHaveCount(0);
});

test('after a vault key rotation, a backup opens for preview with the master password of its time', async ({ app: page }) => {
  const settings = dialog(page, 'Settings');
  const keySection = settings.getByRole('region', { name: 'Vault key' });
  await keySection.getByLabel('Master password', { exact: true }).fill(MASTER_PASSWORD);
  await keySection.getByRole('button', { name: 'Rotate vault key now' }).click();
  await expect(toast(page, /Vault key rotated/)).toBeVisible();

  const newest = settings.getByRole('list', { name: 'Backups' }).getByRole('listitem').first();
  await expect(newest).toContainText('generation 3');
  await expect(newest).toContainText('Made under an earlier vault key');
  await newest.getByRole('button', { name: /^Preview backup/ }).click();
  const password = newest.getByLabel('Master password at the time of this backup');
  await password.fill('Not-The-Password-1');
  await newest.getByRole('button', { name: 'Open preview' }).click();
  await expect(newest.getByText(/^Wrong master password\./)).toBeVisible();
  await password.fill(MASTER_PASSWORD);
  await newest.getByRole('button', { name: 'Open preview' }).click();
  await expect(newest).toContainText('Holds 2 credentials');
  await expect(newest).toContainText('Opened with your current master password');
  await expect(newest).toContainText('Restoring it changes no credential');
  // The live vault was not replaced.
  await page.keyboard.press('Escape');
  await expect.poll(() => listedNames(page)).toEqual(['alpha', 'bravo']);
});

test.describe('turning the keychain on', () => {
  test.skip(!inDesktopSession, 'Needs the private desktop session (a real Secret Service): run under scripts/with-desktop-session.sh.');
  test.use({
    harnessOptions: {
      keychain: true,
      prepare: (h) => {
        // A vault that does not keep its key in the keychain yet, on a machine that has one.
        const r = h.cli(['init', '--kdf-iterations', '100000', '--no-keychain']);
        if (r.status !== 0) throw new Error(`keyward init failed: ${r.stderr}`);
      },
    },
  });

  test('asks for the master password before copying the vault key to the keychain', async ({ app: page }) => {
    const settings = dialog(page, 'Settings');
    const box = settings.getByLabel('Keep the vault key in the OS keychain');
    await expect(box).not.toBeChecked();
    await box.check();
    const password = settings.getByLabel('Master password, to keep the key in the keychain');
    await expect(password).toBeFocused();
    await password.fill('Not-The-Password-1');
    await settings.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect(settings.getByText(/^Wrong master password\./)).toBeVisible();
    await password.fill(MASTER_PASSWORD);
    await settings.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect(toast(page, 'The vault key is now kept in the OS keychain.')).toBeVisible();
    await expect(box).toBeChecked();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Unlock with keychain' })).toBeVisible();
  });

  test('leaving with the keychain password typed in keeps it pending, and says so, until discarded', async ({ app: page }) => {
    const settings = dialog(page, 'Settings');
    await settings.getByLabel('Keep the vault key in the OS keychain').check();
    await settings.getByLabel('Master password, to keep the key in the keychain').fill(MASTER_PASSWORD);
    await page.keyboard.press('Escape');
    await expect(settings).toBeVisible();
    await expect(settings.getByText('The vault key is not in the keychain yet.')).toBeVisible();
    await settings.getByRole('button', { name: 'Discard changes' }).click();
    await expect(settings).toBeHidden();
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(dialog(page, 'Settings').getByLabel('Keep the vault key in the OS keychain')).not.toBeChecked();
  });
});

test('the audit trail: retention and forwarding to a syslog receiver need the master password, and the status says how it goes', async ({ app: page }) => {
  // A real TCP receiver (octet-counted RFC 5424 frames), in the test's own process.
  const received: string[] = [];
  const server = createServer((socket) => {
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let space = buffer.indexOf(0x20); space > 0; space = buffer.indexOf(0x20)) {
        const length = Number(buffer.subarray(0, space).toString());
        if (buffer.length < space + 1 + length) break;
        received.push(buffer.subarray(space + 1, space + 1 + length).toString('utf8'));
        buffer = buffer.subarray(space + 1 + length);
      }
    });
    socket.on('end', () => socket.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const settings = dialog(page, 'Settings');
    const section = settings.getByRole('region', { name: 'Audit trail' });
    await expect(section.getByLabel('Keep sealed parts of the trail for (days)')).toHaveValue('365');
    await expect(section.getByRole('status')).toHaveText('Not forwarding.');
    await section.getByLabel('Keep sealed parts of the trail for (days)').fill('10');
    await section.getByRole('button', { name: 'Save audit trail settings' }).click();
    await expect(section.getByText('Enter 0 (keep for ever) or whole days from 30 to 3650.')).toBeVisible();
    await section.getByLabel('Keep sealed parts of the trail for (days)').fill('90');
    await section.getByLabel('Forward the trail to a syslog receiver while the vault is open').check();
    await section.getByLabel('Receiver (HOST:PORT)').fill(`127.0.0.1:${port}`);
    await section.getByRole('button', { name: 'Save audit trail settings' }).click();
    await expect(section.getByText(/Enter your master password to confirm forwarding the audit trail to 127\.0\.0\.1:\d+ and keeping the audit trail for 90 days instead of 365\./)).toBeVisible();
    await section.getByLabel('Master password, to confirm the audit trail settings').fill(MASTER_PASSWORD);
    await section.getByRole('button', { name: 'Confirm and save' }).click();
    await expect(toast(page, 'Audit trail settings saved.')).toBeVisible();
    await expect(section.getByRole('status')).toHaveText(new RegExp(`^Forwarding to 127\\.0\\.0\\.1:${port}/tcp: \\d+ records? sent since unlocking\\.`));
    await expect.poll(() => received.length).toBeGreaterThan(0);
    expect(received.join('\n')).not.toMatch(/alpha|bravo/); // names stay keyed
    await inBothThemes(page, 'settings-audit-trail');
  } finally {
    server.close();
  }
});

test('the audit trail: refusing what cannot be recorded is on by default; turning it off asks for the master password', async ({ app: page }) => {
  const settings = dialog(page, 'Settings');
  const section = settings.getByRole('region', { name: 'Audit trail' });
  const failClosed = section.getByLabel('Refuse anything that cannot be recorded');
  await expect(failClosed).toBeChecked();
  await failClosed.uncheck();
  await section.getByRole('button', { name: 'Save audit trail settings' }).click();
  await expect(section.getByText('Enter your master password to confirm letting operations go on when the audit trail cannot be written.')).toBeVisible();
  await section.getByLabel('Master password, to confirm the audit trail settings').fill(MASTER_PASSWORD);
  await section.getByRole('button', { name: 'Confirm and save' }).click();
  await expect(toast(page, 'Audit trail settings saved.')).toBeVisible();
  await expect(section.getByLabel('Master password, to confirm the audit trail settings')).toBeHidden();
  // Saved in the vault: the settings opened again show it off.
  await settings.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(failClosed).not.toBeChecked();
  // Turning it on again is never a weakening: saved without the password.
  await failClosed.check();
  await section.getByRole('button', { name: 'Save audit trail settings' }).click();
  await expect(section.getByRole('button', { name: 'Save audit trail settings' })).toBeVisible();
  await expect(section.getByLabel('Master password, to confirm the audit trail settings')).toBeHidden();
  await settings.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(failClosed).toBeChecked();
});
