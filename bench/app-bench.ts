/**
 * Benchmarks for the desktop app and credential health (issues 3 and 4):
 *   - the health of a whole vault at 1k and 10k credentials through the
 *     one pipeline (HealthService): the first run (every estimate computed and
 *     kept), the reused report, a fresh session, and the pipeline's two stages;
 *   - the IPC contract's round trip through the harness bridge (a real page in
 *     Chromium calling window.keyward.call);
 *   - time from a keystroke in the search box to the next paint, 10k credentials;
 *   - the renderer's initial JS, gzipped.
 * Figures are printed (table, then JSON to bench/results/app.json), never asserted.
 *
 *   node dist/bench/app-bench.cjs [--quick] [--no-ui]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { inlineRunner } from '../electron/core/health/health-runner.js';
import { collectHealthItems, summarise } from '../electron/core/health/vault-health.js';
import { defaultPolicy, openCore } from '../electron/core/composition.js';
import { unlockVault } from '../electron/core/vault/vault-session.js';
import { BENCH_PASSWORD, buildFixture, removeFixture } from './fixture.js';
import { inPageKeystroke } from './keystroke-paint.js';
import { summarize } from './stats.js';

interface Row {
  area: string;
  operation: string;
  size: number | null;
  median: number;
  min: number;
  n: number;
  unit: 'ms' | 'kB';
  budget?: string;
}

const root = resolve(dirname(process.argv[1] ?? ''), '..', '..');

async function timeRuns(n: number, fn: () => Promise<unknown> | unknown): Promise<{ median: number; min: number; n: number }> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  const s = summarize(samples);
  return { median: s.median, min: s.min, n: s.n };
}

async function healthRows(sizes: number[], quick: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of sizes) {
    const fixture = await buildFixture(size);
    try {
      // The one pipeline the app and `keyward health` run (HealthService), opened as they open it.
      const core = () => openCore({ actor: 'test', deps: fixture.deps });
      const open = () => core().vault(fixture.path).unlock({ password: BENCH_PASSWORD });
      const vault = await open();
      const first = await timeRuns(1, () => vault.health.vault());
      rows.push({ area: 'health', operation: 'health, first ever (every password estimated, estimates kept)', size, ...first, unit: 'ms' });
      const reused = await timeRuns(quick ? 2 : 5, () => vault.health.vault());
      rows.push({ area: 'health', operation: 'health again, vault unchanged (report reused)', size, ...reused, unit: 'ms' });
      await vault.lock('user');
      // A fresh session with an empty in-memory cache: what every later health report costs, in any process.
      const kept: number[] = [];
      for (let i = 0; i < (quick ? 2 : 5); i++) {
        const fresh = await open();
        const t = performance.now();
        await fresh.health.vault();
        kept.push(performance.now() - t);
        await fresh.lock('user');
      }
      const k = summarize(kept);
      rows.push({ area: 'health', operation: 'health, fresh session, estimates kept in the vault', size, median: k.median, min: k.min, n: k.n, unit: 'ms', budget: size === 10_000 ? '≤ 2000' : undefined });
      // Its two stages, for finding where time goes: the main thread's part and the worker's.
      const session = await unlockVault(fixture.path, { password: BENCH_PASSWORD }, fixture.deps);
      const policy = defaultPolicy();
      const runner = inlineRunner();
      const collect = await timeRuns(quick ? 2 : 5, () => collectHealthItems(session, policy));
      rows.push({ area: 'health', operation: 'collect (decrypt + fingerprints) on the main thread', size, ...collect, unit: 'ms' });
      const items = collectHealthItems(session, policy);
      const report = await timeRuns(quick ? 2 : 5, async () => summarise(await runner.run(items, new Date()), new Date()));
      rows.push({ area: 'health', operation: 'credential reports (the worker thread’s part), estimates kept', size, ...report, unit: 'ms' });
      session.lock();
    } finally {
      removeFixture(fixture);
    }
  }
  return rows;
}

function bundleRows(): Row[] {
  const dir = join(root, 'dist', 'renderer');
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  // Initial JS: the entry module and what it preloads (lazy chunks are not counted).
  const scripts = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const gz = scripts.reduce((sum, file) => sum + gzipSync(readFileSync(join(dir, file))).length, 0);
  const raw = scripts.reduce((sum, file) => sum + readFileSync(join(dir, file)).length, 0);
  return [
    { area: 'renderer', operation: `initial JS, gzipped (${scripts.length} file${scripts.length === 1 ? '' : 's'})`, size: null, median: gz / 1024, min: gz / 1024, n: 1, unit: 'kB', budget: '≤ 300' },
    { area: 'renderer', operation: 'initial JS, raw', size: null, median: raw / 1024, min: raw / 1024, n: 1, unit: 'kB' },
  ];
}

async function uiRows(quick: boolean): Promise<Row[]> {
  const { chromium } = await import('@playwright/test');
  const fixture = await buildFixture(10_000);
  const harness = spawn(process.execPath, [join(root, 'dist', 'harness', 'harness.cjs'), '--vault', fixture.path, '--no-keychain'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const browser = await chromium.launch({
    executablePath: process.env.KEYWARD_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const url = await new Promise<string>((resolveUrl, reject) => {
      createInterface({ input: harness.stdout! }).once('line', (line) => resolveUrl(line.trim()));
      harness.once('exit', () => reject(new Error('harness exited')));
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.getByLabel(/master password/i).first().fill(BENCH_PASSWORD);
    await page.keyboard.press('Enter');
    const search = page.getByRole('searchbox').or(page.getByLabel(/search/i)).first();
    await search.waitFor({ timeout: 30_000 });

    // IPC round trip: the page calls the contract through the bridge and waits for the answer.
    const ipc = await page.evaluate(async (n) => {
      const api = (window as unknown as { keyward: { call(m: string, r: object): Promise<unknown> } }).keyward;
      for (let i = 0; i < 20; i++) await api.call('app.state', {});
      const samples: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        await api.call('app.state', {});
        samples.push(performance.now() - t);
      }
      return samples.sort((a, b) => a - b);
    }, quick ? 50 : 200);

    // Keystroke → next paint, in the page (see keystroke-paint.ts).
    await search.click();
    const paints: number[] = [];
    const letters = 'stripe-githubawsopen';
    for (let i = 0; i < (quick ? 10 : 30); i++) {
      if (i % letters.length === 0) await search.fill('');
      const ms = await inPageKeystroke(page, letters[i % letters.length]!);
      paints.push(ms);
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return [
      { area: 'ipc', operation: 'app.state round trip through the harness bridge', size: null, median: med(ipc), min: Math.min(...ipc), n: ipc.length, unit: 'ms' },
      { area: 'renderer', operation: 'search keystroke → next paint', size: 10_000, median: med(paints), min: Math.min(...paints), n: paints.length, unit: 'ms', budget: '< 16 (median)' },
    ];
  } finally {
    await browser.close();
    harness.kill('SIGTERM');
    removeFixture(fixture);
  }
}

function table(rows: Row[]): string {
  const lines = rows.map((r) => [r.area, r.operation, r.size === null ? '—' : r.size >= 1000 ? `${r.size / 1000}k` : String(r.size), r.median.toFixed(r.median < 10 ? 2 : 1), r.min.toFixed(r.min < 10 ? 2 : 1), String(r.n), r.unit, r.budget ?? '']);
  const head = ['AREA', 'OPERATION', 'SIZE', 'MEDIAN', 'MIN', 'N', 'UNIT', 'BUDGET'];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  return [head, ...lines].map((l) => l.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, 'no-ui': { type: 'boolean' } }, strict: true });
  const quick = Boolean(values.quick);
  const rows = [...(await healthRows([1_000, 10_000], quick)), ...bundleRows()];
  if (!values['no-ui']) rows.push(...(await uiRows(quick)));
  process.stdout.write(`\n${table(rows)}\n\n`);
  const out = join(root, 'bench', 'results', 'app.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), rows }, null, 2));
  process.stdout.write(`${JSON.stringify(rows)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`app-bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
