import { execFileSync } from 'node:child_process';
import { test, expect, inDesktopSession } from '../fixtures/harness.js';
import { credentialList, details, dialog, prepareVault, readClipboard, toast, unlockWithPassword } from '../fixtures/ui.js';

const VALUE = 'sk_live_reveal_me_0123456789';

test.use({ harnessOptions: { keychain: false, prepare: prepareVault({ name: 'stripe-live', type: 'api_key', value: VALUE, flags: ['--field', 'keyId=pk_live_42'] }) } });

test('a revealed value hides itself after 10 s, with a visible countdown', async ({ page, harness }) => {
  await page.clock.install();
  await page.goto(harness.url);
  await unlockWithPassword(page);
  await credentialList(page).getByRole('option', { name: 'stripe-live' }).click();
  const panel = details(page);
  const value = panel.getByTestId('secret-value');
  await expect(value).toHaveText('••••••••');

  await panel.getByRole('button', { name: 'Reveal value' }).click();
  await expect(value).toHaveText(VALUE);
  await expect(panel.getByText('Visible — hides in 10 s')).toBeVisible();

  await page.clock.fastForward(4_000);
  await expect(panel.getByText('Visible — hides in 6 s')).toBeVisible();
  await expect(value).toHaveText(VALUE);

  await page.clock.fastForward(6_500);
  await expect(value).toHaveText('••••••••');
  await expect(panel.getByRole('button', { name: 'Reveal value' })).toBeVisible();
});

test('Hide puts the mask back at once', async ({ app: page }) => {
  await unlockWithPassword(page);
  await credentialList(page).getByRole('option', { name: 'stripe-live' }).click();
  const panel = details(page);
  await panel.getByRole('button', { name: 'Reveal value' }).click();
  await expect(panel.getByTestId('secret-value')).toHaveText(VALUE);
  await panel.getByRole('button', { name: 'Hide value' }).click();
  await expect(panel.getByTestId('secret-value')).toHaveText('••••••••');
});

test.describe('on the real X11 clipboard', () => {
  test.skip(!inDesktopSession, 'Needs an X display with xclip: run under scripts/with-desktop-session.sh.');

  test('copies the value and clears the clipboard after the configured delay', async ({ app: page }) => {
    await unlockWithPassword(page);
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = dialog(page, 'Settings');
    await settings.getByLabel('Clear clipboard after (seconds)').fill('5');
    await settings.getByRole('button', { name: 'Save timers' }).click();
    await expect(toast(page, 'Settings saved.')).toBeVisible();
    await settings.getByRole('button', { name: 'Done' }).click();

    await credentialList(page).getByRole('option', { name: 'stripe-live' }).click();
    await details(page).getByRole('button', { name: 'Copy value' }).click();
    const status = page.getByRole('status').filter({ hasText: 'Copied Secret key of stripe-live' });
    await expect(status).toContainText(/clears in [1-5] s/);
    await expect.poll(readClipboard).toBe(VALUE);

    await expect(toast(page, 'Clipboard cleared')).toBeVisible({ timeout: 15_000 });
    await expect(status).toHaveCount(0);
    expect(readClipboard()).toBe('');
  });

  test('copies a non-secret field (key id) the same way', async ({ app: page }) => {
    await unlockWithPassword(page);
    await credentialList(page).getByRole('option', { name: 'stripe-live' }).click();
    await details(page).getByRole('button', { name: 'Copy Key ID' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Copied Key ID of stripe-live' })).toContainText(/clears in \d+ s/);
    await expect.poll(readClipboard).toBe('pk_live_42');
  });

  test('when the user copies something else before the timer ends, the countdown ends and says the clipboard was left alone', async ({ app: page }) => {
    await unlockWithPassword(page);
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = dialog(page, 'Settings');
    await settings.getByLabel('Clear clipboard after (seconds)').fill('5');
    await settings.getByRole('button', { name: 'Save timers' }).click();
    await expect(toast(page, 'Settings saved.')).toBeVisible();
    await settings.getByRole('button', { name: 'Done' }).click();

    await credentialList(page).getByRole('option', { name: 'stripe-live' }).click();
    await details(page).getByRole('button', { name: 'Copy value' }).click();
    const status = page.getByRole('status').filter({ hasText: 'Copied Secret key of stripe-live' });
    await expect(status).toContainText(/clears in [1-5] s/);
    await expect.poll(readClipboard).toBe(VALUE);

    // The user copies something of their own; xclip keeps serving it in the background.
    execFileSync('sh', ['-c', 'printf %s "$0" | xclip -selection clipboard -i >/dev/null 2>&1', 'my own text'], { timeout: 5000 });
    await expect.poll(readClipboard).toBe('my own text');

    await expect(toast(page, 'Your clipboard changed; Keyward left it alone.')).toBeVisible({ timeout: 15_000 });
    await expect(status).toHaveCount(0);
    await expect(page.getByText('clearing…')).toHaveCount(0);
    expect(readClipboard()).toBe('my own text');
  });
});
