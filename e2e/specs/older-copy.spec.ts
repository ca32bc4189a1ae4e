import { copyFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { createVaultWithCli, test, expect } from '../fixtures/harness.js';
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
  await unlockWithPassword(page);
  await expect.poll(() => listedNames(page)).toEqual(['alpha']);
});
