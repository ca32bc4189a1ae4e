/**
 * The Rotation screen: the timeline (overdue, due soon, snoozed, upcoming),
 * snooze, "rotated at the provider", per-credential policy, a command rotator
 * (dry run, a successful run, rollback, a failing test step), and a reminder
 * showing after unlock.
 */
import { test, expect } from '../fixtures/harness.js';
import { credentialList, details, dialog, toast, unlockWithPassword } from '../fixtures/ui.js';
import { cliOk, inDays, openSection, sections } from '../fixtures/sections.js';
import { createVaultWithCli } from '../fixtures/harness.js';
import type { Locator, Page } from '@playwright/test';

const PLAIN_VALUE = 'plain-Value-0123456789-abcdefghij';

const group = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
const item = (page: Page, groupName: string, name: string) => group(page, groupName).getByRole('listitem', { name, exact: true });

/** Scrolls the screen to its end, then says whether each button of `card` is the topmost element at its centre. */
const buttonsUncoveredAtEnd = (card: Locator) =>
  card.evaluate((el) => {
    let scroller = el.parentElement;
    while (scroller && !(scroller.scrollHeight > scroller.clientHeight && getComputedStyle(scroller).overflowY !== 'visible')) scroller = scroller.parentElement;
    (scroller ?? document.scrollingElement!).scrollTop = 1e9;
    return [...el.querySelectorAll('button')].map((b) => {
      const r = b.getBoundingClientRect();
      return b.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
    });
  });

test.describe('the timeline', () => {
  test.use({
    harnessOptions: {
      keychain: false,
      prepare: (h) => {
        createVaultWithCli(h);
        cliOk(h, ['add', 'old-token', '--type', 'token', '--expires', '2020-01-01'], 'tok-0123456789abcdefghijklmnop');
        cliOk(h, ['add', 'soon-key', '--type', 'api_key', '--expires', inDays(3)], 'key-0123456789abcdefghijklmnop');
        cliOk(h, ['add', 'daily-secret', '--type', 'secret'], 'daily-0123456789abcdefghijklmnop');
        cliOk(h, ['policy-for', 'daily-secret', '--interval-days', '1']);
        cliOk(h, ['add', 'plain-secret', '--type', 'secret'], PLAIN_VALUE);
      },
    },
  });

  test('groups, snooze, mark rotated, and the per-credential policy', async ({ app: page }) => {
    await unlockWithPassword(page);
    await openSection(page, 'Rotation');
    await expect(item(page, 'Overdue', 'old-token')).toContainText('Expiry date');
    await expect(item(page, 'Due soon', 'soon-key')).toContainText('expires in 3 days');
    await expect(item(page, 'Due soon', 'daily-secret')).toContainText('Rotation interval (1 days)');
    await expect(item(page, 'Upcoming', 'plain-secret')).toContainText('due in 30 days');

    // Snooze moves the item out of "Due soon".
    await item(page, 'Due soon', 'soon-key').getByRole('button', { name: 'Snooze 7 days' }).click();
    await expect(toast(page, 'Snoozed “soon-key” for 7 days.')).toBeVisible();
    await expect(item(page, 'Snoozed', 'soon-key')).toContainText('snoozed until');
    await expect(group(page, 'Due soon').getByRole('listitem', { name: 'soon-key' })).toHaveCount(0);

    // Rotated at the provider: the clock restarts and a run is recorded.
    await item(page, 'Due soon', 'daily-secret').getByRole('button', { name: 'Mark rotated at provider' }).click();
    await expect(toast(page, 'Marked “daily-secret” as rotated at the provider.')).toBeVisible();
    await expect(item(page, 'Due soon', 'daily-secret')).toContainText('last rotated');

    // With toasts showing, the last card's buttons can still be reached: the toasts do not cover them.
    await expect(toast(page, 'Marked “daily-secret” as rotated at the provider.')).toBeVisible();
    expect(await buttonsUncoveredAtEnd(item(page, 'Upcoming', 'plain-secret'))).not.toContain(false);

    // Snoozing something not yet due would change nothing: it is not offered; the card says when reminders start.
    await expect(item(page, 'Upcoming', 'plain-secret').getByRole('group', { name: /^Snooze/ })).toHaveCount(0);
    await expect(item(page, 'Upcoming', 'plain-secret')).toContainText('reminders from');

    // Rotate opens the existing dialog.
    await item(page, 'Overdue', 'old-token').getByRole('button', { name: 'Rotate', exact: true }).click();
    await expect(dialog(page, /Rotate “old-token”/)).toBeVisible();
    await dialog(page, /Rotate “old-token”/).getByRole('button', { name: 'Cancel' }).click();

    // The credential's own policy moves its due date.
    const plain = item(page, 'Upcoming', 'plain-secret');
    const before = await plain.getByTestId('due-date').textContent();
    await plain.getByRole('button', { name: 'Manage rotation of plain-secret' }).click();
    const panel = page.getByRole('complementary', { name: 'Rotation settings for plain-secret' });
    await panel.getByLabel('Rotate every (days)').fill('60');
    await panel.getByRole('region', { name: 'Credential policy' }).getByRole('button', { name: 'Save policy' }).click();
    await expect(toast(page, 'Policy saved for this credential.')).toBeVisible();
    await expect(plain).toContainText('due in 60 days');
    await expect(plain.getByTestId('due-date')).not.toHaveText(before ?? '');

    // The detail panel shows the due line.
    await openSection(page, 'Vault');
    await credentialList(page).getByRole('option', { name: 'old-token' }).click();
    await expect(details(page).getByTestId('rotation-due')).toContainText(/^Expired \d+ days? ago/);
  });

  test('a command rotator: dry run, run, rollback, and a failing test step', async ({ app: page, harness }) => {
    await unlockWithPassword(page);
    await openSection(page, 'Rotation');
    await item(page, 'Upcoming', 'plain-secret').getByRole('button', { name: 'Manage rotation of plain-secret' }).click();
    const panel = page.getByRole('complementary', { name: 'Rotation settings for plain-secret' });
    const rotator = panel.getByRole('region', { name: 'Rotator' });
    await expect(rotator.getByRole('note')).toContainText('with your user’s rights');

    await rotator.getByLabel('Create command').fill('cat >/dev/null; echo new-$(date +%s%N)');
    await rotator.getByLabel('Test command (optional)').fill('grep -q new-');
    await rotator.getByRole('button', { name: 'Save rotator' }).click();
    await expect(rotator.getByText('Enter your master password to confirm.')).toBeVisible();
    await rotator.getByLabel('Master password').fill('wrong password');
    await rotator.getByRole('button', { name: 'Save rotator' }).click();
    await expect(rotator.getByLabel('Master password')).toHaveAttribute('aria-invalid', 'true');
    await rotator.getByLabel('Master password').fill('Correct-Horse-Battery-9');
    await rotator.getByRole('button', { name: 'Save rotator' }).click();
    await expect(toast(page, 'Rotator saved.')).toBeVisible();

    await rotator.getByRole('button', { name: 'Dry run' }).click();
    const dry = rotator.getByRole('region', { name: 'Dry run result' });
    await expect(dry.getByText('program found')).toHaveCount(2);
    await expect(dry).toContainText('The test command rejects the current value');

    await rotator.getByRole('button', { name: 'Run rotator' }).click();
    const steps = rotator.getByRole('list', { name: 'Rotator steps' });
    for (const s of ['Create', 'Set', 'Test', 'Finish']) await expect(steps.getByRole('listitem', { name: `${s}: done` })).toBeVisible();
    await expect(toast(page, 'Rotated by command: version 2 is now current.')).toBeVisible();
    // The dry run described the state before the run: it does not stay on screen after it.
    await expect(rotator.getByRole('region', { name: 'Dry run result' })).toHaveCount(0);
    expect(harness.cli(['get', 'plain-secret']).stdout.trim()).toMatch(/^new-\d+$/);

    const runs = panel.getByRole('region', { name: 'Recent runs' });
    await expect(runs.getByRole('list', { name: 'Runs' }).getByRole('listitem').first()).toContainText('Succeeded');
    await runs.getByRole('button', { name: 'Rollback' }).click();
    await expect(toast(page, 'Rolled back: version 1 is current again.')).toBeVisible();
    expect(harness.cli(['get', 'plain-secret']).stdout.trim()).toBe(PLAIN_VALUE);

    // A test that never passes: the run stops at the test step and the current value stays.
    await rotator.getByLabel('Test command (optional)').fill('grep -q never-matches');
    await rotator.getByLabel('Master password').fill('Correct-Horse-Battery-9');
    await rotator.getByRole('button', { name: 'Update rotator' }).click();
    await expect(toast(page, 'Rotator saved.')).toBeVisible();
    await rotator.getByRole('button', { name: 'Run rotator' }).click();
    await expect(steps.getByRole('listitem', { name: 'Test: failed' })).toBeVisible();
    await expect(steps.getByRole('listitem', { name: 'Finish: not run' })).toBeVisible();
    await expect(rotator.getByRole('alert')).toContainText('at the test step');
    await expect(runs.getByRole('list', { name: 'Runs' }).getByRole('listitem').first()).toContainText('Failed at test');
    expect(harness.cli(['get', 'plain-secret']).stdout.trim()).toBe(PLAIN_VALUE);

    // The failed value is kept in the history with its note.
    await openSection(page, 'Vault');
    await credentialList(page).getByRole('option', { name: 'plain-secret' }).click();
    await expect(details(page).getByRole('list', { name: 'Versions' })).toContainText('rotator run failed at the test step');
  });
});

test.describe('a reminder', () => {
  test.use({
    harnessOptions: {
      keychain: false,
      prepare: (h) => {
        createVaultWithCli(h);
        cliOk(h, ['add', 'expiring-key', '--type', 'api_key', '--expires', inDays(2)], 'key-0123456789abcdefghijklmnop');
        cliOk(h, ['add', 'fresh-secret', '--type', 'secret'], 'fresh-0123456789abcdefghijklmnop');
      },
    },
  });

  test('shows the count of due credentials after unlock', async ({ app: page }) => {
    await unlockWithPassword(page);
    await expect(page.getByTestId('header-reminders')).toHaveText('1');
    await expect(page.getByRole('button', { name: '1 credential due for rotation' })).toBeVisible();
    await expect(sections(page).getByRole('button', { name: /^Rotation\s*,\s*1 due$/ })).toBeVisible();
    await page.getByRole('button', { name: '1 credential due for rotation' }).click();
    await expect(sections(page).getByRole('button', { name: /^Rotation/ })).toHaveAttribute('aria-current', 'page');
    await expect(item(page, 'Due soon', 'expiring-key')).toBeVisible();
  });
});
