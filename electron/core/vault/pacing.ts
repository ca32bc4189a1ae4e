/**
 * Lets long decoding work share the event loop: `pause()` yields to it once
 * `SLICE_MS` of work has run since the loop last ran, and returns at once
 * before that. The app's main process serves IPC on the same loop, so opening
 * a 100k-credential vault must not hold it for a second (issue budget: at
 * most 50 ms per block).
 *
 * The time since the last yield is kept once per process, not per pacer: one
 * operation passes through several steps (checksums, decryption, decoding,
 * freezing), and a fresh count at each step's start would let the blocks of
 * consecutive steps add up.
 */
import { performance } from 'node:perf_hooks';

export interface Pacer {
  pause(): Promise<void>;
}

/** Well under the 50 ms budget: a slice, plus at most one step (a few ms) that overran it. */
const SLICE_MS = 8;

let lastYield = performance.now();

const sharedPacer: Pacer = {
  async pause() {
    if (performance.now() - lastYield < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    lastYield = performance.now();
  },
};

/** The pacer for work on this process's event loop. */
export function eventLoopPacer(): Pacer {
  return sharedPacer;
}

/**
 * Long work is written once, as a generator that yields where it may pause
 * (`Steps`), and run either at once (`runNow`: small inputs, sync callers) or
 * with the pacer's pauses (`runPaced`).
 */
export type Steps<T> = Generator<void, T, void>;

export function runNow<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export async function runPaced<T>(steps: Steps<T>, pacer: Pacer): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pacer.pause();
  }
}

/** Elements sorted or merged between two chances to pause: a few ms of work here. */
const SORT_STEP = 4_096;

/**
 * A stable sort in steps: runs of SORT_STEP sorted by Array.prototype.sort
 * (stable), then merged pairwise, the left run winning ties. Sorting 100k
 * items in one go held the event loop for 20–35 ms on top of whatever the
 * caller did in the same turn; here no step does more than SORT_STEP moves.
 * The input is not changed.
 */
export function* sortSteps<T>(items: readonly T[], compare: (a: T, b: T) => number): Steps<T[]> {
  let from = items.slice();
  for (let start = 0; start < from.length; start += SORT_STEP) {
    const run = from.slice(start, start + SORT_STEP).sort(compare);
    for (let i = 0; i < run.length; i++) from[start + i] = run[i]!;
    if (start + SORT_STEP < from.length) yield;
  }
  let to = new Array<T>(from.length);
  let moves = 0;
  for (let width = SORT_STEP; width < from.length; width *= 2) {
    for (let lo = 0; lo < from.length; lo += 2 * width) {
      const mid = Math.min(lo + width, from.length);
      const hi = Math.min(lo + 2 * width, from.length);
      let left = lo;
      let right = mid;
      for (let out = lo; out < hi; out++) {
        to[out] = right >= hi || (left < mid && compare(from[left]!, from[right]!) <= 0) ? from[left++]! : from[right++]!;
        if (++moves % SORT_STEP === 0) yield;
      }
    }
    [from, to] = [to, from];
  }
  return from;
}
