/**
 * The stable sort in steps (sortSteps): the same order as Array.prototype.sort
 * — ties kept in input order — at sizes around its run length, with a bounded
 * amount of work between two pauses, and the input left as it was.
 */
import { describe, expect, it } from 'vitest';
import { runNow, runPaced, sortSteps } from './pacing.js';

/** A deterministic spread of keys with many ties (xorshift32). */
function items(count: number, seed: number): Array<{ key: number; at: number }> {
  let x = seed;
  return Array.from({ length: count }, (_, at) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return { key: (x >>> 0) % Math.max(1, count >> 3), at };
  });
}

const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;

describe('sortSteps', () => {
  it.each([0, 1, 2, 4_095, 4_096, 4_097, 12_289, 40_000])('sorts %i items as Array.prototype.sort does, ties in input order', (count) => {
    const input = items(count, count + 7);
    const before = input.slice();
    const sorted = runNow(sortSteps(input, byKey));
    expect(sorted).toEqual(input.slice().sort(byKey));
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1]!, sorted[i]!];
      expect(a.key < b.key || (a.key === b.key && a.at < b.at)).toBe(true);
    }
    expect(input).toEqual(before);
  });

  it('pauses at least once per 4,096 elements sorted or merged', async () => {
    let pauses = 0;
    const count = 40_000;
    const sorted = await runPaced(sortSteps(items(count, 3), byKey), { pause: async () => void pauses++ });
    expect(sorted).toHaveLength(count);
    // 10 runs sorted, then 4 merge passes of 40,000 moves each.
    expect(pauses).toBeGreaterThanOrEqual(Math.floor(count / 4_096) + Math.floor((4 * count) / 4_096));
  });
});
