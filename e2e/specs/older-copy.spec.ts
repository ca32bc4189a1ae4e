import { copyFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createVaultWithCli, inBothThemes, MASTER_PASSWORD, test, expect } from '../fixtures/harness.js';
import { listedNames, toast, unlockWithPassword } from '../fixtures/ui.js';

// An older copy of the vault file put in place while the app is open (a sync tool, a restore by hand):
// the app adopts nothing, says so, and lets the person keep what it shows or reopen the file.
test.use({
  harnessOptions: {
    keychain: false,
    prepare: (h) => {
      createVaultWithCli(h);
      if (h.cli(['add', 'alpha', '--type', 'secret'], { input: 'a' }).status !== 0) throw new Error('add alpha failed');
      copyFileSync(h.vaultPath, join(h.dir, 'older.keyward'));
      if (h.cli(['add', 'bravo', '--type', 'secret'], { input: 'b' }).status !== 0) throw new Error('add bravo failed');
    },
  },
});

/** Types the master password and presses Unlock, without expecting the vault to open. */
async function submitPassword(page: Page): Promise<void> {
  await page.getByLabel('Master password').fill(MASTER_PASSWORD);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
}

function putOlderCopyInPlace(dir: string, vaultPath: string): void {
  copyFileSync(join(dir, 'older.keyward'), `${vaultPath}.incoming`);
  renameSync(`${vaultPath}.incoming`, vaultPath);
}

test('keeps what it shows when the file is replaced by an older copy, and writes it back on request', async ({ app: page, harness }) => {
  await unlockWithPassword(page);
  await expect.poll(() => listedNames(page)).toEqual(['alpha', 'bravo']);

  putOlderCopyInPlace(harness.dir, harness.vaultPath);
  const banner = page.getByRole('alert').filter({ hasText: 'The vault file was replaced by an older copy.' });
  await expect(banner).toBeVisible();
  await expect.poll(() => listedNames(page)).toEqual(['alpha', 'bravo']);

  await banner.getByRole('button', { name: 'Keep what Keyward shows' }).click();
  await expect(toast(page, /written back over the older copy/)).toBeVisible();
  await expect(banner).toBeHidden();
  expect(harness.cli(['list', '--json']).stdout).toContain('bravo');
});

test('reopens the file as it is on request', async ({ app: page, harness }) => {
  await unlockWithPassword(page);
  putOlderCopyInPlace(harness.dir, harness.vaultPath);
  const banner = page.getByRole('alert').filter({ hasText: 'The vault file was replaced by an older copy.' });
  await banner.getByRole('button', { name: 'Reopen the file as it is' }).click();
  await expect(page.getByText('Unlock to open the vault file as it is now on disk.')).toBeVisible();
  // Unlocking checks the file against the newest generation seen here: it asks once more, in the app's words.
  await submitPassword(page);
  const ask = page.getByRole('alertdialog', { name: 'This is an older copy of your vault' });
  await expect(ask).toContainText('older copy');
  await ask.getByRole('button', { name: 'Open this older copy' }).click();
  await expect.poll(() => listedNames(page)).toEqual(['alpha']);
  // It is now the newest: the CLI opens it without being told to accept anything.
  expect(harness.cli(['list', '--json']).stdout).not.toContain('bravo');
});

test('an older copy found at unlock is refused until the person chooses; Cancel opens nothing', async ({ app: page, harness }) => {
  putOlderCopyInPlace(harness.dir, harness.vaultPath);
  await submitPassword(page);
  const ask = page.getByRole('alertdialog', { name: 'This is an older copy of your vault' });
  await expect(ask).toContainText(/generation \d+\) than one already opened here/);
  await expect(ask.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await inBothThemes(page, 'unlock-older-copy');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toBeHidden();
  await expect(page.getByLabel('Master password')).toBeVisible();
  expect(harness.cli(['list']).status).toBe(5);
});
