/**
 * Monospace fields show every character a person may copy by eye: an
 * underscore must be drawn, not clipped by the field's line box (DejaVu Sans
 * Mono draws it at the very bottom of its descent). The check is a screenshot
 * comparison: the same field with `sk_live_abc_DEF_123` and with spaces where
 * the underscores are must differ by at least a visible stroke per underscore.
 */
import type { Locator, Page } from '@playwright/test';
import { test, expect } from '../fixtures/harness.js';
import { openSection } from '../fixtures/sections.js';
import { credentialList, details, dialog, prepareVault, unlockWithPassword } from '../fixtures/ui.js';

const WITH_UNDERSCORES = 'sk_live_abc_DEF_123';
const WITH_SPACES = WITH_UNDERSCORES.replaceAll('_', ' ');
const UNDERSCORES = WITH_UNDERSCORES.split('_').length - 1;
/** A 13–15 px underscore is ~7 px wide; fewer changed pixels than this per underscore means it is (mostly) cut off. */
const MIN_INK_PER_UNDERSCORE = 5;

/**
 * How many pixels differ between two PNG screenshots, decoded by the browser in a
 * blank page of its own (the app's CSP rightly refuses data: URLs; no image library needed).
 */
async function differingPixels(page: Page, a: Buffer, b: Buffer): Promise<number> {
  const blank = await page.context().newPage();
  try {
    return await compareIn(blank, a, b);
  } finally {
    await blank.close();
  }
}

function compareIn(page: Page, a: Buffer, b: Buffer): Promise<number> {
  return page.evaluate(
    async ([pa, pb]) => {
      const decode = async (b64: string) => {
        const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      };
      const [x, y] = await Promise.all([decode(pa), decode(pb)]);
      if (x.width !== y.width || x.height !== y.height) return Number.POSITIVE_INFINITY;
      let n = 0;
      for (let i = 0; i < x.data.length; i += 4) {
        const d = Math.abs(x.data[i]! - y.data[i]!) + Math.abs(x.data[i + 1]! - y.data[i + 1]!) + Math.abs(x.data[i + 2]! - y.data[i + 2]!);
        if (d > 48) n++;
      }
      return n;
    },
    [a.toString('base64'), b.toString('base64')] as const,
  );
}

/** Fills an input with both values and checks the underscores leave ink. */
async function expectInputDrawsUnderscores(page: Page, input: Locator): Promise<void> {
  await input.fill(WITH_UNDERSCORES);
  await input.blur();
  const withUnderscores = await input.screenshot();
  await input.fill(WITH_SPACES);
  await input.blur();
  const withSpaces = await input.screenshot();
  expect(await differingPixels(page, withUnderscores, withSpaces)).toBeGreaterThanOrEqual(UNDERSCORES * MIN_INK_PER_UNDERSCORE);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`monospace fields (${colorScheme})`, () => {
    test.use({
      colorScheme,
      harnessOptions: {
        keychain: false,
        prepare: prepareVault({ name: 'underscored', type: 'secret', value: WITH_UNDERSCORES }, { name: 'spaced', type: 'secret', value: WITH_SPACES }),
      },
    });

    test('revealed values and typed values show their underscores', async ({ app: page }) => {
      await unlockWithPassword(page);

      // The revealed value in the detail panel.
      const revealedValue = async (name: string) => {
        await credentialList(page).getByRole('option', { name }).click();
        await expect(details(page).getByRole('heading', { name })).toBeVisible();
        await details(page).getByRole('button', { name: 'Reveal value' }).click();
        const value = details(page).getByTestId('secret-value');
        await expect(value).toHaveText(name === 'underscored' ? WITH_UNDERSCORES : WITH_SPACES);
        return value.screenshot();
      };
      const revealedUnderscores = await revealedValue('underscored');
      const revealedSpaces = await revealedValue('spaced');
      expect(await differingPixels(page, revealedUnderscores, revealedSpaces)).toBeGreaterThanOrEqual(UNDERSCORES * MIN_INK_PER_UNDERSCORE);

      // The secret field of the New credential form, shown as text.
      await page.getByRole('button', { name: 'New credential' }).first().click();
      const form = dialog(page, 'New credential');
      await form.getByLabel('Credential type').selectOption({ label: 'Secret' });
      await form.getByRole('button', { name: 'Show value' }).click();
      await expectInputDrawsUnderscores(page, form.getByLabel('Secret', { exact: true }));
      await page.keyboard.press('Escape');
    });

    test('command and generator fields show their underscores', async ({ app: page }) => {
      await unlockWithPassword(page);
      await openSection(page, 'Rotation');
      await page.getByRole('button', { name: 'Manage rotation of underscored' }).click();
      const rotator = page.getByRole('complementary', { name: 'Rotation settings for underscored' }).getByRole('region', { name: 'Rotator' });
      await expectInputDrawsUnderscores(page, rotator.getByLabel('Create command'));
      await expectInputDrawsUnderscores(page, rotator.getByLabel('Test command (optional)'));

      await openSection(page, 'Generator');
      await page.getByRole('radiogroup', { name: 'Kind of value' }).getByText('API secret').click();
      await expectInputDrawsUnderscores(page, page.getByLabel('Prefix'));
    });
  });
}
