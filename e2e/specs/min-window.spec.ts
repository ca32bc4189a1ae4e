/**
 * At the window's minimum size (the number Electron main enforces) every
 * control is whole: no button cut off by its pane, no select whose label reads
 * "All t…". Checked on the vault screen with a credential open, and on the
 * Dashboard, Health, Rotation, Generator and Audit.
 */
import type { Page } from '@playwright/test';
import { MIN_WINDOW_SIZE } from '../../shared/window-size.js';
import { test, expect, screenshot } from '../fixtures/harness.js';
import { openSection } from '../fixtures/sections.js';
import { credentialList, details, prepareVault, unlockWithPassword } from '../fixtures/ui.js';

/** Room Chromium's native select arrow takes from the label (beyond the padding). */
const NATIVE_ARROW_PX = 20;

/** Controls that are clipped sideways (by the window or an ancestor that hides overflow) or whose own text is cut. */
function clippedControls(page: Page): Promise<string[]> {
  return page.evaluate((NATIVE_ARROW_PX) => {
    const problems: string[] = [];
    const canvas = document.createElement('canvas').getContext('2d')!;
    const nameOf = (el: Element) => `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`;
    for (const el of document.querySelectorAll<HTMLElement>('button, select, a[href], input:not([type=hidden]):not([type=radio]):not([type=checkbox])')) {
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1 || el.closest('[inert]')) continue;
      if (r.left < -0.5 || r.right > innerWidth + 0.5) problems.push(`${nameOf(el)} runs out of the window`);
      for (let p = el.parentElement; p; p = p.parentElement) {
        if (getComputedStyle(p).overflowX === 'visible') continue;
        const pr = p.getBoundingClientRect();
        if (r.left < pr.left - 0.5 || r.right > pr.right + 0.5) problems.push(`${nameOf(el)} is cut off by its container`);
        break;
      }
      const cs = getComputedStyle(el);
      const inner = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      if (el instanceof HTMLSelectElement) {
        canvas.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const label = el.selectedOptions[0]?.textContent ?? '';
        // A native menulist draws its arrow inside the content box, on top of the padding.
        const arrow = cs.appearance === 'none' ? 0 : NATIVE_ARROW_PX;
        if (canvas.measureText(label).width > inner - arrow + 0.5) problems.push(`${nameOf(el)} shows "${label}" cut`);
      } else if (el.scrollWidth > el.clientWidth + 1) problems.push(`${nameOf(el)} has its text cut`);
    }
    return problems;
  }, NATIVE_ARROW_PX);
}

test.use({
  viewport: MIN_WINDOW_SIZE,
  harnessOptions: {
    keychain: false,
    prepare: prepareVault(
      { name: 'stripe-live', type: 'api_key', value: 'sk_live_1', flags: ['--provider', 'stripe', '--tag', 'prod'] },
      { name: 'github-deploy', type: 'token', value: 'ghp_1', flags: ['--provider', 'github'] },
    ),
  },
});

test('every screen fits the minimum window size', async ({ app: page }) => {
  await unlockWithPassword(page);
  await credentialList(page).getByRole('option', { name: 'stripe-live' }).click();
  await expect(details(page).getByRole('button', { name: 'Delete' })).toBeVisible();
  await screenshot(page, 'min-window');
  expect.soft(await clippedControls(page)).toEqual([]);

  for (const section of ['Dashboard', 'Health', 'Rotation', 'Generator', 'Audit'] as const) {
    await openSection(page, section);
    // Screens that read from main (Dashboard, Audit, Health) are measured once they have drawn what they read.
    await expect(page.locator('main [aria-busy="true"]')).toHaveCount(0);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await screenshot(page, `min-window-${section.toLowerCase()}`);
    expect.soft(await clippedControls(page), section).toEqual([]);
  }
});
