/**
 * Keyward benchmarks (`npm run bench`): open (KDF excluded and included), list,
 * get, add-then-save and search at 1k, 10k and 100k credentials, in-process
 * through the real core and end to end through the CLI. Prints a table, then
 * the same data as JSON (also written to bench/results/latest.json).
 *
 * Figures are printed, never asserted: budgets are shown for comparison only.
 *
 *   node --expose-gc dist/bench/bench.cjs [--sizes 1000,10000] [--quick] [--no-cli] [--out FILE]
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { benchCliBaseline, benchCliDefaultKdf, benchCliThroughApp, benchCliFloor, CliRunner, type CliPlan } from './cli-bench.js';
import { buildFixture, removeFixture, SEARCH_QUERY, type Fixture } from './fixture.js';
import { OPERATIONS, renderTable, writeJson, type FixtureInfo, type Mode, type OperationId, type Report, type Result } from './report.js';
import { collectGarbage, gcAvailable, type SampleOptions } from './stats.js';
import { benchAuditAppend, benchAuditVerify, benchInProcess, benchKdf, type Plan } from './vault-bench.js';

const USAGE = `Usage: node --expose-gc dist/bench/bench.cjs [options]

  --sizes N,N,...   vault sizes (credentials); default 1000,10000,100000
  --quick           fewer repetitions per figure (noisier, much shorter)
  --no-cli          in-process figures only
  --cli FILE        the CLI bundle to spawn (default dist/cli/keyward.cjs)
  --out FILE        where to write the JSON (default bench/results/latest.json)
  -h, --help        this help`;

interface Options {
  sizes: number[];
  quick: boolean;
  cli: boolean;
  cliPath: string;
  out: string;
}

/** The repository root, from the bundle's location (dist/bench/bench.cjs). */
function repoRoot(): string {
  const script = process.argv[1] ?? '';
  return resolve(dirname(script), '..', '..');
}

function parseOptions(argv: string[]): Options | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string' },
      quick: { type: 'boolean' },
      'no-cli': { type: 'boolean' },
      cli: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return null;
  const sizes = (values.sizes ?? '1000,10000,100000').split(',').map((s) => Number(s.trim().replace(/k$/i, '000')));
  if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1 || n > 1_000_000)) throw new Error(`--sizes takes whole numbers from 1 to 1000000 (got "${values.sizes}").`);
  const root = repoRoot();
  return {
    sizes,
    quick: Boolean(values.quick),
    cli: !values['no-cli'],
    cliPath: resolve(values.cli ?? resolve(root, 'dist/cli/keyward.cjs')),
    out: resolve(values.out ?? resolve(root, 'bench/results/latest.json')),
  };
}

const s = (warmup: number, minReps: number, maxReps: number, timeBudgetMs: number): SampleOptions => ({ warmup, minReps, maxReps, timeBudgetMs });

function plans(quick: boolean): { inProcess: Plan; cli: CliPlan } {
  // A 100k vault takes seconds per open or save (three runs, two when quick) and per CLI run (two
  // runs), with no warm-up: the page cache is warm from building it, and a fresh CLI process has
  // nothing to warm. That keeps the whole `npm run bench` within about four minutes on two cores.
  if (quick)
    return {
      inProcess: {
        fast: s(10, 30, 200, 200),
        scan: (size) => (size <= 10_000 ? s(2, 10, 50, 300) : s(1, 5, 5, 0)),
        heavy: (size) => (size <= 1_000 ? s(2, 5, 20, 300) : size <= 10_000 ? s(1, 5, 10, 500) : s(0, 2, 2, 0)),
      },
      cli: { light: s(1, 5, 5, 0), heavy: (size) => (size <= 10_000 ? s(1, 3, 5, 800) : s(0, 2, 2, 0)) },
    };
  return {
    inProcess: {
      fast: s(50, 100, 1000, 1000),
      scan: (size) => (size <= 10_000 ? s(5, 20, 300, 1000) : s(2, 10, 20, 1000)),
      heavy: (size) => (size <= 1_000 ? s(5, 30, 200, 1000) : size <= 10_000 ? s(2, 10, 30, 1500) : s(0, 3, 3, 0)),
    },
    cli: { light: s(1, 7, 15, 1500), heavy: (size) => (size <= 10_000 ? s(1, 5, 8, 2000) : s(0, 2, 2, 0)) },
  };
}

function gitDescribe(root: string): string | null {
  const r = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const order = (mode: Mode, op: OperationId) => {
  const modes: Mode[] = ['in-process', 'cli'];
  const ops = Object.keys(OPERATIONS[mode]);
  return modes.indexOf(mode) * 100 + ops.indexOf(op);
};

async function main(): Promise<number> {
  let options: Options | null;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (!options) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }

  const t0 = performance.now();
  const loadAtStart = loadavg()[0]!;
  const progress = (message: string) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
  if (!gcAvailable) progress('note: run with --expose-gc so garbage is collected between samples (npm run bench does)');

  const plan = plans(options.quick);
  const results: Result[] = [];
  const fixtures: FixtureInfo[] = [];
  const live = new Set<Fixture>();
  let cli: CliRunner | null = null;
  const cleanUp = () => {
    for (const f of live) removeFixture(f);
    live.clear();
    cli?.dispose();
  };
  process.once('SIGINT', () => {
    cleanUp();
    process.exit(130);
  });

  let cliSkipped: string | null = options.cli ? null : '--no-cli';
  if (options.cli) {
    try {
      cli = new CliRunner(options.cliPath);
    } catch (err) {
      cliSkipped = (err as Error).message;
      progress(`CLI figures skipped: ${cliSkipped}`);
    }
  }

  const kdf = await benchKdf(plan.inProcess, results, progress);
  if (cli) await benchCliBaseline(cli, plan.cli, results, progress);

  for (const size of options.sizes) {
    progress(`building a vault of ${size} credentials`);
    const fixture = await buildFixture(size);
    live.add(fixture);
    const info: FixtureInfo = { size, fileBytes: fixture.bytes, buildMs: Math.round(fixture.buildMs), cliListPeakMB: null };
    fixtures.push(info);
    progress(`built: ${(fixture.bytes / 1e6).toFixed(1)} MB in ${(fixture.buildMs / 1000).toFixed(1)} s`);
    try {
      if (cli) info.cliListPeakMB = await benchCliFloor(cli, fixture, plan.cli, kdf, results, progress);
      await benchInProcess(fixture, plan.inProcess, kdf, results, progress);
      if (cli) await benchCliDefaultKdf(cli, fixture, plan.cli, kdf, results, progress);
      if (cli) await benchCliThroughApp(cli, fixture, plan.cli, results, progress);
    } finally {
      removeFixture(fixture);
      live.delete(fixture);
    }
  }

  cli?.dispose();

  progress('appending to an audit trail');
  await benchAuditAppend(results, progress, plan.inProcess);
  // Trails of as many records as the vaults have credentials, and (full runs) the million.
  const trailSizes = [...options.sizes, ...(options.quick ? [] : [1_000_000])];
  for (const size of trailSizes) {
    progress(`verifying an audit trail of ${size} records`);
    await benchAuditVerify(size, results, progress, plan.inProcess);
    collectGarbage();
  }

  results.sort((a, b) => order(a.mode, a.op) - order(b.mode, b.op) || (a.size ?? -1) - (b.size ?? -1));
  const seen = new Set(results.map((r) => `${r.mode}/${r.op}`));
  const root = repoRoot();
  const report: Report = {
    meta: {
      date: new Date().toISOString(),
      commit: gitDescribe(root),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpu: cpus()[0]?.model ?? 'unknown',
      cpuCount: cpus().length,
      memoryGB: Math.round(totalmem() / 1e9),
      sizes: options.sizes,
      quick: options.quick,
      cli: cli ? options.cliPath : `skipped: ${cliSkipped}`,
      gcBetweenSamples: gcAvailable,
      searchQuery: SEARCH_QUERY,
      unit: 'milliseconds, wall clock (performance.now())',
      durationSeconds: Math.round((performance.now() - t0) / 100) / 10,
      /** 1-minute load averages at start and end: on a shared machine, figures taken under load are inflated. */
      loadAverage1m: { start: Math.round(loadAtStart * 100) / 100, end: Math.round(loadavg()[0]! * 100) / 100 },
    },
    fixtures,
    operations: (['in-process', 'cli'] as const).flatMap((mode) =>
      Object.entries(OPERATIONS[mode])
        .filter(([op]) => seen.has(`${mode}/${op}`))
        .map(([op, info]) => ({ mode, op: op as OperationId, label: info.label, includes: info.includes })),
    ),
    results,
  };
  writeJson(options.out, report);
  process.stdout.write(`${renderTable(report)}\n\nJSON (also written to ${options.out}):\n${JSON.stringify(report, null, 2)}\n`);
  progress(`done in ${report.meta.durationSeconds} s`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
