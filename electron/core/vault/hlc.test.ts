import { describe, expect, it } from 'vitest';
import { isStamp, laterStamp, nextStamp } from './hlc.js';

const DEVICE = '0123456789abcdef';

describe('hybrid-logical-clock stamps', () => {
  it('follow the wall clock, count within a millisecond, and compare as strings in order', () => {
    const a = nextStamp(undefined, 1_765_000_000_000, DEVICE);
    const b = nextStamp(a, 1_765_000_000_000, DEVICE);
    const c = nextStamp(b, 1_765_000_000_005, DEVICE);
    expect([a, b, c]).toEqual(['1765000000000.0000@0123456789abcdef', '1765000000000.0001@0123456789abcdef', '1765000000005.0000@0123456789abcdef']);
    expect(a < b && b < c).toBe(true);
    expect([a, b, c].every(isStamp)).toBe(true);
  });

  it('never go backwards when the wall clock does, nor past 9999 events in one millisecond', () => {
    const late = nextStamp(undefined, 1_765_000_100_000, DEVICE);
    const afterClockJump = nextStamp(late, 1_765_000_000_000, DEVICE);
    expect(afterClockJump > late).toBe(true);
    let s = late;
    for (let i = 0; i < 10_050; i++) {
      const next = nextStamp(s, 0, DEVICE);
      expect(next > s).toBe(true);
      s = next;
    }
    expect(isStamp(s)).toBe(true);
  });

  it('laterStamp picks the newer; undefined is the oldest', () => {
    const a = nextStamp(undefined, 1, DEVICE);
    const b = nextStamp(a, 2, DEVICE);
    expect(laterStamp(a, b)).toBe(b);
    expect(laterStamp(undefined, a)).toBe(a);
    expect(laterStamp(b, undefined)).toBe(b);
    expect(isStamp('1765000000000.0000@XYZ')).toBe(false);
  });
});
