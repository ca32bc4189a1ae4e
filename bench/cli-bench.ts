/**
 * End-to-end CLI benchmarks: each sample spawns the built CLI exactly as a user
 * would (a fresh Node process), with the password in KEYWARD_PASSWORD and the
 * keychain off, and times it from spawn() until the process has exited and
 * closed its pipes. Output is read and discarded.
 */
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { BENCH_PASSWORD, SEARCH_QUERY, type Fixture } from './fixture.js';
import { makeResult, type OperationId, type Result } from './report.js';
import { sample, seededRandom, type SampleOptions, type Samples } from './stats.js';
import { kdfProbe, type KdfBaseline, type Progress } from './vault-bench.js';

export interface CliPlan {
  /** Sampling for runs on small vaults and vault-independent runs (~0.1–0.3 s each). */
  light: SampleOptions;
  /** Sampling for runs whose cost grows with the vault. */
  heavy: (size: number) => SampleOptions;
}

interface Run {
  ms: number;
  code: number | null;
  stdoutBytes: number;
  stderr: string;
  /** The child's peak resident set size, when it ran with the probe. */
  peakRssKb: number | null;
}

/**
 * Loaded into a child with --require when its peak memory is measured: at exit
 * it writes its own peak resident set size (kB, getrusage) to file descriptor 3.
 * The CLI itself is unchanged; what it costs to load this is a few kB.
 */
const PEAK_RSS_PROBE = `process.on('exit', () => { try { require('node:fs').writeSync(3, String(process.resourceUsage().maxRSS)); } catch {} });\n`;

function spawnTimed(command: string, args: string[], env: NodeJS.ProcessEnv, input: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    let stdoutBytes = 0;
    let stderr = '';
    let report = '';
    child.stdio[3]!.on('data', (chunk: Buffer) => {
      report += chunk.toString('utf8');
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - start, code, stdoutBytes, stderr, peakRssKb: report ? Number(report) : null }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

export class CliRunner {
  private readonly env: NodeJS.ProcessEnv;
  private readonly stateDir: string;
  private readonly probePath: string;

  constructor(readonly cliPath: string) {
    if (!existsSync(cliPath)) throw new Error(`The CLI bundle ${cliPath} does not exist; build it first (node scripts/build.mjs cli).`);
    const env: NodeJS.ProcessEnv = { ...process.env, KEYWARD_PASSWORD: BENCH_PASSWORD };
    delete env.KEYWARD_VAULT;
    delete env.NODE_OPTIONS;
    // This machine sets it; a desktop user's does not. It makes every Node start parse a CA bundle (~70 ms here).
    delete env.NODE_EXTRA_CA_CERTS;
    // The bench's own state folder: rollback protection remembers generations per user, not per bench run.
    // A fresh folder of its own (mkdtemp: no one else can have put a probe there first).
    this.stateDir = mkdtempSync(join(tmpdir(), 'keyward-bench-state-'));
    env.KEYWARD_STATE_DIR = this.stateDir;
    this.env = env;
    this.probePath = join(this.stateDir, 'peak-rss-probe.cjs');
    writeFileSync(this.probePath, PEAK_RSS_PROBE, { flag: 'wx', mode: 0o600 });
  }

  /** One timed run; a non-zero exit is an error (the figure would be meaningless). */
  async time(args: string[], input = ''): Promise<number> {
    return (await this.run([this.cliPath, ...args], input)).ms;
  }

  /** The peak memory (resident set, MB) of one run. */
  async peakMB(args: string[]): Promise<number> {
    const run = await this.run(['--require', this.probePath, this.cliPath, ...args], '');
    if (run.peakRssKb === null || !Number.isFinite(run.peakRssKb)) throw new Error('the child did not report its peak memory');
    return run.peakRssKb / 1024;
  }

  private async run(nodeArgs: string[], input: string): Promise<Run> {
    const run = await spawnTimed(process.execPath, nodeArgs, this.env, input);
    const args = nodeArgs.slice(nodeArgs.indexOf(this.cliPath) + 1);
    if (run.code !== 0) throw new Error(`keyward ${args.filter((a) => !a.startsWith('/')).join(' ')} exited ${run.code}: ${run.stderr.trim().split('\n')[0] ?? ''}`);
    return run;
  }

  /** Removes the bench's state folder (remembered generations, the probe). */
  dispose(): void {
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  /** One run with the environment changed (undefined removes a variable). */
  async timeWithEnv(args: string[], changes: Record<string, string | undefined>): Promise<number> {
    const env = { ...this.env };
    for (const [k, v] of Object.entries(changes)) if (v === undefined) delete env[k];
    else env[k] = v;
    const run = await spawnTimed(process.execPath, [this.cliPath, ...args], env, '');
    if (run.code !== 0) throw new Error(`keyward ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
    return run.ms;
  }

  async timeNode(args: string[]): Promise<number> {
    const run = await spawnTimed(process.execPath, args, this.env, '');
    if (run.code !== 0) throw new Error(`node ${args.join(' ')} exited ${run.code}`);
    return run.ms;
  }
}

/** sample() around a function that reports its own duration (the spawn), not the caller's view of it. */
async function sampleSelfTimed(fn: (i: number) => Promise<number>, options: SampleOptions): Promise<Samples> {
  const own: number[] = [];
  let recording = -options.warmup;
  const outer = await sample(async (i) => {
    const ms = await fn(i);
    if (recording++ >= 0) own.push(ms);
  }, options);
  // The child's CPU time is not the bench process's: not recorded for CLI runs.
  return { wall: own, cpu: [], probe: outer.probe };
}

async function measure(
  results: Result[],
  progress: Progress,
  op: OperationId,
  size: number | null,
  kdf: { iterations: number; aloneMedian: number | null },
  run: () => Promise<Samples>,
): Promise<void> {
  progress(`cli ${op}${size === null ? '' : ` @ ${size}`}`);
  try {
    results.push(makeResult('cli', op, size, await run(), kdf));
  } catch (err) {
    results.push(makeResult('cli', op, size, null, kdf, err instanceof Error ? err.message : String(err)));
  }
}

/** Node's own start and the CLI's start without a vault: the floor under every CLI figure. */
export async function benchCliBaseline(cli: CliRunner, plan: CliPlan, results: Result[], progress: Progress): Promise<void> {
  const none = { iterations: 0, aloneMedian: null };
  await measure(results, progress, 'node-start', null, none, () => sampleSelfTimed(() => cli.timeNode(['-e', '0']), plan.light));
  await measure(results, progress, 'cli-start', null, none, () => sampleSelfTimed(() => cli.time(['--help']), plan.light));
}

/** CLI operations on a fixture whose KDF is at the 100,000-iteration floor; answers the peak memory of `list` (MB, median of 3; null if it could not be had). */
export async function benchCliFloor(cli: CliRunner, fixture: Fixture, plan: CliPlan, kdf: KdfBaseline, results: Result[], progress: Progress): Promise<number | null> {
  const { size, path, names } = fixture;
  const options = { ...(size <= 1_000 ? plan.light : plan.heavy(size)), probe: kdfProbe(100_000) };
  const at100k = { iterations: 100_000, aloneMedian: kdf[100_000] };
  const vault = ['--vault', path, '--no-keychain'];
  const pick = seededRandom(size + 7);
  const anyName = () => names[Math.floor(pick() * names.length)]!;

  await measure(results, progress, 'open-kdf-100k', size, at100k, () => sampleSelfTimed(() => cli.time([...vault, 'show', anyName()]), options));
  await measure(results, progress, 'get', size, at100k, () => sampleSelfTimed(() => cli.time([...vault, 'get', anyName()]), options));
  await measure(results, progress, 'list', size, at100k, () => sampleSelfTimed(() => cli.time([...vault, 'list']), options));
  progress(`cli list peak memory @ ${size}`);
  let listPeakMB: number | null = null;
  try {
    const peaks: number[] = [];
    for (let i = 0; i < 3; i++) peaks.push(await cli.peakMB([...vault, 'list']));
    listPeakMB = peaks.sort((a, b) => a - b)[1]!;
  } catch (err) {
    progress(`  failed: ${(err as Error).message}`);
  }
  await measure(results, progress, 'search', size, at100k, () => sampleSelfTimed(() => cli.time([...vault, 'list', '--search', SEARCH_QUERY]), options));
  const stamp = Date.now().toString(36);
  await measure(results, progress, 'add-save', size, at100k, () =>
    sampleSelfTimed(
      (i) =>
        cli.time(
          [
            ...vault,
            'add',
            `bench-cli-${stamp}-${i}/prod-api-key`,
            '--type',
            'api_key',
            '--provider',
            'stripe',
            '--description',
            'Added by the benchmark',
            '--tag',
            'prod',
            '--tag',
            'payments',
            '--field',
            `keyId=AKIA${String(i).padStart(16, '0')}`,
          ],
          `sk_live_${randomBytes(24).toString('hex')}\n`,
        ),
      options,
    ),
  );
  return listPeakMB;
}

/** "get" on the fixture after it was re-wrapped at the default 600,000 iterations: the KDF-included CLI figure. */
export async function benchCliDefaultKdf(cli: CliRunner, fixture: Fixture, plan: CliPlan, kdf: KdfBaseline, results: Result[], progress: Progress): Promise<void> {
  const { size, path, names } = fixture;
  const options = { ...(size <= 1_000 ? plan.light : plan.heavy(size)), probe: kdfProbe(600_000) };
  const pick = seededRandom(size + 11);
  await measure(results, progress, 'open-kdf-600k', size, { iterations: 600_000, aloneMedian: kdf[600_000] }, () =>
    sampleSelfTimed(() => cli.time(['--vault', path, '--no-keychain', 'get', names[Math.floor(pick() * names.length)]!]), options),
  );
}

/**
 * CLI get through the running app (issue 13): a process of its own plays the
 * app (app-stand-in.ts) — it unlocks the fixture, turns CLI integration on,
 * serves the same local API the app serves and approves this terminal session
 * once, as a user would; every sample is then a fresh CLI process with no
 * password, as in a terminal.
 */
export async function benchCliThroughApp(cli: CliRunner, fixture: Fixture, plan: CliPlan, results: Result[], progress: Progress): Promise<void> {
  const { size, path, names } = fixture;
  const runtime = mkdtempSync(join(tmpdir(), 'keyward-bench-run-'));
  const app = spawn(process.execPath, [join(__dirname, 'app-stand-in.cjs'), path, runtime], {
    env: { ...process.env, KEYWARD_PASSWORD: BENCH_PASSWORD },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      app.once('error', reject);
      app.once('exit', (code) => reject(new Error(`the app stand-in exited (${code}) before serving`)));
      app.stdout.once('data', () => resolve());
    });
    const pick = seededRandom(size + 13);
    const env = { KEYWARD_PASSWORD: undefined, KEYWARD_RUNTIME_DIR: runtime };
    const options = size <= 1_000 ? plan.light : plan.heavy(size);
    await measure(results, progress, 'get-via-app', size, { iterations: 0, aloneMedian: null }, () =>
      sampleSelfTimed(() => cli.timeWithEnv(['--vault', path, 'get', names[Math.floor(pick() * names.length)]!], env), options),
    );
  } finally {
    app.removeAllListeners('exit');
    await new Promise<void>((resolve) => {
      if (app.exitCode !== null || app.signalCode !== null) return resolve();
      app.once('exit', () => resolve());
      app.stdin.end();
    });
    rmSync(runtime, { recursive: true, force: true });
  }
}
