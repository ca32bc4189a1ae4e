/**
 * A name may be 10,000 characters long. It is clamped to a few lines wherever
 * it is a heading (the detail panel, the delete and rotate dialogs), so the
 * actions and a dialog's heading and buttons stay on screen; the full name is
 * one click away ("Show full name").
 */
import type { Locator } from '@playwright/test';
import { test, expect } from '../fixtures/harness.js';
import { credentialList, details, dialog, prepareVault, unlockWithPassword } from '../fixtures/ui.js';

const LONG_NAME = 'payments-platform/production/'.repeat(345).slice(0, 10_000);
/** A heading of 3 lines of 20–28 px text, with room to spare. */
const MAX_HEADING_HEIGHT = 100;

async function expectOnScreen(locator: Locator): Promise<void> {
  const box = await locator.boundingBox();
  const viewport = locator.page().viewportSize()!;
  expect(box, 'the element has a box').not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
}

test.use({ harnessOptions: { keychain: false, prepare: prepareVault({ name: LONG_NAME, type: 'secret', value: 'v1' }) } });

test('a 10,000-character name is clamped in the detail header and the dialogs, the full name on demand', async ({ app: page }) => {
  await unlockWithPassword(page);
  await credentialList(page).getByRole('option').first().click();

  const heading = details(page).getByRole('heading', { name: LONG_NAME });
  await expect(heading).toBeVisible();
  expect((await heading.boundingBox())!.height).toBeLessThanOrEqual(MAX_HEADING_HEIGHT);
  await expectOnScreen(details(page).getByRole('toolbar', { name: 'Credential actions' }));

  // The full name, on demand.
  const toggle = details(page).getByRole('button', { name: 'Show full name' });
  await toggle.click();
  await expect(details(page).getByRole('button', { name: 'Show less' })).toHaveAttribute('aria-expanded', 'true');
  expect((await heading.boundingBox())!.height).toBeGreaterThan(MAX_HEADING_HEIGHT);
  await expectOnScreen(details(page).getByRole('toolbar', { name: 'Credential actions' }));
  await details(page).getByRole('button', { name: 'Show less' }).click();

  // The delete dialog: heading and buttons on screen.
  await details(page).getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toBeVisible();
  const title = confirm.getByRole('heading');
  await expect(title).toContainText('Delete “payments-platform/production/');
  expect((await title.boundingBox())!.height).toBeLessThanOrEqual(MAX_HEADING_HEIGHT);
  await expectOnScreen(title);
  await expectOnScreen(confirm.getByRole('button', { name: 'Delete' }));
  await confirm.getByRole('button', { name: 'Cancel' }).click();

  // The rotate dialog too.
  await details(page).getByRole('button', { name: 'Rotate' }).click();
  const rotate = dialog(page);
  await expect(rotate).toBeVisible();
  const rotateTitle = rotate.getByRole('heading').first();
  expect((await rotateTitle.boundingBox())!.height).toBeLessThanOrEqual(MAX_HEADING_HEIGHT);
  await expectOnScreen(rotateTitle);
});
