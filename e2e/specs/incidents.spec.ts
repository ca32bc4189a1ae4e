/**
 * Incidents (issue 12): the watch over the audit trail opens them, the app
 * tells of them wherever the user is (a toast, the nav badge), and the
 * Incidents screen shows each with its timeline, to acknowledge and resolve.
 * (a) a credential marked compromised from the detail panel; (b) a sweep of
 * many credentials that locks the app by itself.
 */
import type { Page } from '@playwright/test';
import { MIN_WINDOW_SIZE } from '../../shared/window-size.js';
import { test, expect, inBothThemes, screenshot } from '../fixtures/harness.js';
import { credentialRow, details, errorToast, prepareVault, searchBox, seedVault, unlockWithPassword } from '../fixtures/ui.js';
import { sections } from '../fixtures/sections.js';

const incidentsButton = (page: Page) => sections(page).getByRole('button', { name: /^Incidents/ });
const incidentList = (page: Page) => page.getByRole('list', { name: 'Incidents, newest first' });
const card = (page: Page, kind: string) => incidentList(page).getByRole('listitem').filter({ has: page.getByRole('button', { name: new RegExp(`^${kind}`) }) });

/** The page itself never scrolls: only the pane inside it does (a page that scrolls pushes the header out of view). */
async function expectPageNotScrollable(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.scrollingElement!.scrollHeight - innerHeight)).toBeLessThanOrEqual(0);
}

async function openIncidents(page: Page): Promise<void> {
  await incidentsButton(page).click();
  await expect(incidentsButton(page)).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { level: 1, name: 'Incidents' })).toBeVisible();
}

test.describe('a credential marked compromised', () => {
  test.use({
    harnessOptions: {
      keychain: false,
      prepare: prepareVault({ name: 'stripe/prod', type: 'api_key', value: 'sk_live_0123456789abcdefghij' }, { name: 'github', type: 'token', value: 'ghp_0123456789abcdefghijklmnopqrstuvwxyz01' }),
    },
  });

  test('opens an incident: toast, badge, timeline; acknowledged with a note, then resolved and hidden until "Show resolved"', async ({ app: page }) => {
    await unlockWithPassword(page);
    await expect(incidentsButton(page)).toHaveAccessibleName('Incidents');

    await credentialRow(page, 'stripe/prod').click();
    await details(page).getByRole('button', { name: 'Mark compromised' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Mark “stripe/prod” as compromised?' });
    await expect(confirm).toContainText('due for rotation at once');
    await expect(confirm).toContainText('a security incident opens');
    await confirm.getByRole('button', { name: 'Mark compromised' }).click();
    await expect(confirm).toBeHidden();

    // Wherever the user is: a toast with View, the badge, and the detail's due reason.
    const incidentToast = errorToast(page, /^Security incident: "stripe\/prod" was marked compromised/);
    await expect(incidentToast).toBeVisible();
    await expect(incidentsButton(page)).toHaveAccessibleName(/^Incidents\s*,\s*1 unresolved$/);
    await expect(page.getByTestId('nav-incidents-badge')).toHaveAttribute('data-count', '1');
    await expect(details(page).getByTestId('rotation-due')).toContainText('Marked compromised');
    await inBothThemes(page, 'incidents-toast');

    // View opens the Incidents screen at that incident, its timeline shown.
    await incidentToast.getByRole('button', { name: 'View' }).click();
    await expect(incidentsButton(page)).toHaveAttribute('aria-current', 'page');
    const compromised = card(page, 'Marked compromised');
    await expect(compromised).toHaveCount(1);
    const toggle = compromised.getByRole('button', { name: /^Marked compromised/ });
    await expect(toggle).toBeFocused();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
    await expect(compromised).toContainText('High');
    await expect(compromised).toContainText('Open');
    await expect(compromised).toContainText('Notified you');
    await expect(compromised).toContainText('Flagged the credential for rotation');
    const timeline = compromised.getByRole('table', { name: /^Timeline: the trail record behind this incident/ });
    const record = timeline.getByRole('row').filter({ hasText: 'compromised' });
    await expect(record).toHaveCount(1);
    await expect(record).toContainText('stripe/prod');
    await expect(record).toContainText('harness');
    await expect(record).toContainText('Succeeded');
    // The thresholds are shown in words beside the list.
    const thresholds = page.getByRole('complementary', { name: 'Thresholds' });
    await expect(thresholds).toContainText('More than 20 reads of one credential within 10 minutes, or 10× its usual rate once it has 14 days of history.');
    await expect(thresholds).toContainText('Opens an incident; Keyward will notify and lock the vault.');
    await expectPageNotScrollable(page);
    await inBothThemes(page, 'incidents-timeline');
    // At the smallest window the thresholds move under the list; nothing is cut or overlaps.
    await page.setViewportSize(MIN_WINDOW_SIZE);
    await screenshot(page, 'incidents-min-window');
    await page.setViewportSize({ width: 1280, height: 800 });

    // Acknowledge with a note (counted), by keyboard.
    const note = compromised.getByLabel('Note (optional)');
    await note.fill('Leaked in a CI log; rotating at Stripe.');
    await expect(compromised.getByText('39 / 2,000')).toBeVisible();
    await compromised.getByRole('button', { name: 'Acknowledge' }).focus();
    await page.keyboard.press('Enter');
    await expect(compromised).toContainText('Acknowledged');
    await expect(compromised.getByRole('region', { name: 'Notes' })).toContainText('Leaked in a CI log; rotating at Stripe.');
    await expect(compromised.getByRole('button', { name: 'Acknowledge' })).toHaveCount(0);
    await expect(note).toHaveValue('');
    // Acknowledged is still unresolved.
    await expect(incidentsButton(page)).toHaveAccessibleName(/^Incidents\s*,\s*1 unresolved$/);

    await compromised.getByRole('button', { name: 'Resolve' }).click();
    await expect(incidentList(page)).toBeHidden();
    await expect(page.getByRole('heading', { name: 'No incidents' })).toBeVisible();
    await expect(incidentsButton(page)).toHaveAccessibleName('Incidents');
    await expect(page.getByTestId('nav-incidents-badge')).toHaveCount(0);
    await expectPageNotScrollable(page);
    await inBothThemes(page, 'incidents-empty');

    await page.getByLabel('Show resolved').check();
    const resolved = card(page, 'Marked compromised');
    await expect(resolved).toContainText('Resolved');
    await resolved.getByRole('button', { name: /^Marked compromised/ }).click();
    await expect(resolved.getByRole('region', { name: 'Notes' }).getByRole('listitem')).toHaveCount(2);
    await expect(resolved.getByRole('button', { name: 'Resolve' })).toHaveCount(0);
    await inBothThemes(page, 'incidents-resolved');
    await expect(incidentsButton(page)).toHaveAccessibleName('Incidents');
  });
});

test.describe('a sweep of many credentials', () => {
  test.use({ harnessOptions: { keychain: false, prepare: seedVault(16) } });

  test('locks the app by itself; after unlocking, the Incidents screen shows the sweep', async ({ app: page }) => {
    await unlockWithPassword(page);
    // Seeded names are "<provider>-<5 digits>/<env>": the digits find each one alone.
    for (let i = 0; i < 15; i++) {
      await searchBox(page).fill(String(i).padStart(5, '0'));
      const row = page.getByRole('listbox', { name: 'Credentials' }).getByRole('option');
      await expect(row).toHaveCount(1);
      await row.click();
      if (i === 14) {
        // The 15th read crosses the threshold: main opens the incident and locks at once.
        await details(page).getByRole('button', { name: 'Reveal value' }).click();
        break;
      }
      await details(page).getByRole('button', { name: 'Reveal value' }).click();
      await expect(details(page).getByRole('button', { name: 'Hide value' })).toBeVisible();
    }

    await expect(page.getByRole('heading', { name: 'Unlock Keyward' })).toBeVisible();
    await expect(page.getByText('Keyward locked because of a security incident (see Incidents after unlocking).')).toBeVisible();
    await inBothThemes(page, 'incidents-locked');

    await unlockWithPassword(page);
    await expect(incidentsButton(page)).toHaveAccessibleName(/^Incidents\s*,\s*1 unresolved$/);
    await openIncidents(page);
    const sweep = card(page, 'Sweep of many credentials');
    await expect(sweep).toContainText('15 different credentials were read within 5 minutes');
    await expect(sweep).toContainText('Locked the vault');
    await expect(sweep).toContainText('High');
    await inBothThemes(page, 'incidents');

    await sweep.getByRole('button', { name: /^Sweep of many credentials/ }).click();
    const timeline = sweep.getByRole('table', { name: /^Timeline: the 15 trail records behind this incident/ });
    await expect(timeline.getByRole('row').filter({ hasText: 'reveal' })).toHaveCount(15);
    await expectPageNotScrollable(page);
    await inBothThemes(page, 'incidents-sweep-timeline');
  });
});
