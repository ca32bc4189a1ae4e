/**
 * Timing and summary statistics. Samples are wall-clock milliseconds from
 * `performance.now()`; warm-up runs are executed but never recorded.
 */
import { performance } from 'node:perf_hooks';

export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

export interface SampleOptions {
  /** Runs before recording starts (JIT, page cache, lazy initialisation). */
  warmup: number;
  /** Always record at least this many samples… */
  minReps: number;
  /** …and never more than this many… */
  maxReps: number;
  /** …stopping early once minReps are in and this much time (ms, recorded samples only) has passed. */
  timeBudgetMs: number;
  /**
   * Collect garbage before each sample (outside the timed region) when the
   * process runs with --expose-gc, so one sample does not pay for the last
   * one's garbage — and then wait for the collector's concurrent tail
   * (sweeping on the other core), so it does not pay for the forced
   * collection either (settleGarbage).
   */
  gcBetween?: boolean;
  /**
   * Runs before each recorded sample (outside the timing) and returns a duration
   * recorded beside it: "KDF alone" measured under the same load as each run.
   */
  probe?: () => Promise<number>;
}

const gc = (globalThis as { gc?: () => void }).gc;

export const gcAvailable = typeof gc === 'function';

export function collectGarbage(): void {
  gc?.();
}

/**
 * How long a forced collection's concurrent work is given to finish. At
 * 100,000 credentials (a heap of hundreds of MB) V8 goes on sweeping after
 * gc() returns; on this 2-core machine an add timed right after it measured
 * 17.6 ms, 10.3 ms after 200 ms of quiet, and 9.0 ms with no forced
 * collection at all (the app's own state): the forced one was being timed.
 */
const GC_SETTLE_MS = 150;

/** collectGarbage, then the quiet its concurrent sweeping needs (nothing to wait for without --expose-gc). */
export async function settleGarbage(): Promise<void> {
  if (!gc) return;
  gc();
  await new Promise((resolve) => setTimeout(resolve, GC_SETTLE_MS));
}

export interface Samples {
  /** Wall-clock ms per recorded run. */
  wall: number[];
  /** CPU ms (user + system, all threads of this process) per recorded run. */
  cpu: number[];
  /** The probe's ms just before each recorded run, when there is a probe. */
  probe: number[];
}

/**
 * Runs `fn` repeatedly and returns the recorded durations. `fn` receives the
 * iteration index (warm-ups included) so each call can use fresh input.
 * `after` runs outside the timed region (cleanup such as locking a session).
 */
export async function sample<T>(
  fn: (iteration: number) => T | Promise<T>,
  options: SampleOptions,
  after?: (result: T) => void | Promise<void>,
): Promise<Samples> {
  const samples: Samples = { wall: [], cpu: [], probe: [] };
  let iteration = 0;
  const once = async (probe?: () => Promise<number>): Promise<[number, number]> => {
    if (probe) samples.probe.push(await probe());
    if (options.gcBetween) await settleGarbage();
    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = await fn(iteration++);
    const elapsed = performance.now() - start;
    const used = process.cpuUsage(cpu);
    if (after) await after(result);
    return [elapsed, (used.user + used.system) / 1000];
  };
  for (let i = 0; i < options.warmup; i++) await once();
  let spent = 0;
  while (samples.wall.length < options.maxReps && (samples.wall.length < options.minReps || spent < options.timeBudgetMs)) {
    const [ms, cpu] = await once(options.probe);
    samples.wall.push(ms);
    samples.cpu.push(cpu);
    spent += ms;
  }
  return samples;
}

/** Nearest-rank percentile (p in 0..100) of an ascending array. */
function percentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function summarize(samples: number[]): Summary {
  if (samples.length === 0) return { n: 0, median: NaN, p95: NaN, min: NaN, max: NaN, mean: NaN };
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return {
    n: sorted.length,
    median,
    p95: percentile(sorted, 95),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

/** A small seeded PRNG (mulberry32): the same fixture and the same lookups on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
