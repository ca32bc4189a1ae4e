/**
 * Launches the real desktop app with Playwright's Electron support where an
 * Electron binary exists (users' and developers' machines). Where it cannot be
 * had (no internet to download it), the spec reports itself skipped, with why.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error — a plain .mjs helper shared with scripts/start.mjs
import { electronBinary } from '../scripts/electron-binary.mjs';

const here = import.meta.dirname;
const binary = (electronBinary as (root: string) => string | null)(join(here, '..'));

test.describe('desktop app (real Electron)', () => {
  test.skip(!binary, 'No Electron binary is installed on this machine (it cannot be downloaded here); the harness specs cover the UI against the same services.');

  test('opens a hardened window on the first-run screen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyward-electron-'));
    const app = await electron.launch({
      executablePath: binary!,
      args: [join(here, '..', 'dist', 'electron', 'main.cjs'), '--vault', join(dir, 'vault.keyward')],
      env: { ...process.env, ELECTRON_ENABLE_LOGGING: '0' },
    });
    try {
      const window = await app.firstWindow();
      await expect(window.getByRole('heading', { name: /create/i })).toBeVisible();
      // The page sees the typed client and nothing of Node or Electron.
      expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
      expect(await window.evaluate(() => typeof (globalThis as unknown as { process?: unknown }).process)).toBe('undefined');
      expect(await window.evaluate(() => Object.keys((window as unknown as { keyward: object }).keyward).sort())).toEqual(['call', 'onEvent']);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
