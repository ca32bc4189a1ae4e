import { test, expect, inDesktopSession } from '../fixtures/harness.js';
import { credentialList, details, dialog, prepareVault, readClipboard, rowName, searchBox, unlockWithPassword } from '../fixtures/ui.js';

test.use({
  harnessOptions: {
    keychain: false,
    prepare: prepareVault({ name: 'alpha', type: 'secret', value: 'alpha-value' }, { name: 'bravo', type: 'secret', value: 'bravo-value' }, { name: 'charlie', type: 'secret', value: 'charlie-value' }),
  },
});

test.beforeEach(async ({ app: page }) => {
  await unlockWithPassword(page);
  await page.locator('body').click({ position: { x: 700, y: 780 } });
});

const selected = (page: import('@playwright/test').Page) => credentialList(page).locator('[aria-selected="true"]');

test('"/" and Ctrl+F focus the search; Escape clears it, then leaves it', async ({ app: page }) => {
  await page.keyboard.press('/');
  await expect(searchBox(page)).toBeFocused();
  await page.keyboard.type('bra');
  await expect(credentialList(page).getByRole('option')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(searchBox(page)).toHaveValue('');
  await expect(searchBox(page)).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(searchBox(page)).not.toBeFocused();

  await page.keyboard.press('Control+f');
  await expect(searchBox(page)).toBeFocused();
});

test('arrows, Home/End and Enter navigate the list and open the detail', async ({ app: page }) => {
  await searchBox(page).focus();
  await page.keyboard.press('ArrowDown');
  await expect(credentialList(page)).toBeFocused();
  // A row is named by what it shows, name first (WCAG "label in name").
  await expect(selected(page)).toHaveAccessibleName(/^alpha Secret\b/);
  await page.keyboard.press('ArrowDown');
  await expect(selected(page)).toHaveAccessibleName(rowName('bravo'));
  await expect(details(page).getByRole('heading', { name: 'bravo' })).toBeVisible();
  await page.keyboard.press('End');
  await expect(selected(page)).toHaveAccessibleName(rowName('charlie'));
  await page.keyboard.press('ArrowDown');
  await expect(selected(page)).toHaveAccessibleName(rowName('charlie'));
  await page.keyboard.press('Home');
  await expect(selected(page)).toHaveAccessibleName(rowName('alpha'));
  await page.keyboard.press('ArrowUp');
  await expect(selected(page)).toHaveAccessibleName(rowName('alpha'));
  await expect(credentialList(page)).toHaveAttribute('aria-activedescendant', /credential-option-/);

  await page.keyboard.press('Enter');
  await expect(details(page)).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(details(page).getByRole('button', { name: 'Edit' })).toBeFocused();
});

test('"n" opens the New credential dialog, which traps focus and closes on Escape', async ({ app: page }) => {
  await page.keyboard.press('n');
  const form = dialog(page, 'New credential');
  await expect(form).toBeVisible();
  await expect(form).toHaveAttribute('aria-modal', 'true');
  await expect(form.getByLabel('Credential type')).toBeFocused();
  // The "n" that opened the dialog was not typed into it.
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue('');
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    expect(await form.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Shift+Tab');
  expect(await form.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(form).toBeHidden();

  // Typing "n" in the search box is just a letter.
  await searchBox(page).focus();
  await page.keyboard.press('n');
  await expect(searchBox(page)).toHaveValue('n');
  await expect(dialog(page)).toHaveCount(0);
});

test('"?" shows the shortcuts', async ({ app: page }) => {
  await page.keyboard.press('?');
  const help = dialog(page, 'Keyboard shortcuts');
  await expect(help).toBeVisible();
  await expect(help).toContainText('Copy the selected secret');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await expect(help).toBeVisible();
});

test('Ctrl+L locks, even from a dialog', async ({ app: page }) => {
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(dialog(page, 'Settings')).toBeVisible();
  await page.keyboard.press('Control+l');
  await expect(page.getByRole('heading', { name: 'Unlock Keyward' })).toBeVisible();
  await expect(dialog(page)).toHaveCount(0);
});

test.describe('copy shortcut', () => {
  test.skip(!inDesktopSession, 'Needs an X display with xclip: run under scripts/with-desktop-session.sh.');
  test('Ctrl+Shift+C copies the selected secret', async ({ app: page }) => {
    await credentialList(page).getByRole('option', { name: 'charlie' }).click();
    await page.keyboard.press('Control+Shift+C');
    await expect(page.getByRole('status').filter({ hasText: 'Copied Secret of charlie' })).toBeVisible();
    await expect.poll(readClipboard).toBe('charlie-value');
  });
});
