import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser (this machine has no internet).
const chromium = process.env.KEYWARD_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  testMatch: /(specs\/.*|electron)\.spec\.ts$/,
  outputDir: 'test-results',
  fullyParallel: false,
  // Two cores: one browser at a time keeps timings honest and the machine usable.
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: chromium,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    trace: 'retain-on-failure',
  },
});
