import { describe, expect, it } from 'vitest';
import { axisScale, barLength, bands, labelEvery, labelledIndices } from './chart-scale';

describe('axisScale', () => {
  it('ends on a round number of whole steps', () => {
    expect(axisScale(137)).toEqual({ top: 150, step: 50, ticks: [0, 50, 100, 150] });
    expect(axisScale(3)).toEqual({ top: 3, step: 1, ticks: [0, 1, 2, 3] });
    expect(axisScale(10)).toEqual({ top: 10, step: 5, ticks: [0, 5, 10] });
    expect(axisScale(1000).top).toBe(1000);
    expect(axisScale(95).step).toBe(25);
    expect(axisScale(3334).ticks).toEqual([0, 1000, 2000, 3000, 4000]);
  });

  it('never makes a fractional step, even for small counts', () => {
    for (let max = 0; max <= 400; max++) {
      const { step, top, ticks } = axisScale(max);
      expect(Number.isInteger(step), `max ${max}`).toBe(true);
      expect(top).toBeGreaterThanOrEqual(Math.max(1, max));
      expect(ticks[0]).toBe(0);
      expect(ticks.at(-1)).toBe(top);
      expect(ticks.length).toBeLessThanOrEqual(6);
    }
  });

  it('draws an empty or broken series on a 0–1 axis', () => {
    expect(axisScale(0)).toEqual({ top: 1, step: 1, ticks: [0, 1] });
    expect(axisScale(-5).top).toBe(1);
    expect(axisScale(Number.NaN).top).toBe(1);
    expect(axisScale(Number.POSITIVE_INFINITY).top).toBe(1);
  });
});

describe('bands', () => {
  it('spreads bars evenly, with half a gap at each edge', () => {
    const b = bands(4, 400, 0.5);
    expect(b).toHaveLength(4);
    expect(b[0]).toEqual({ x: 25, width: 50 });
    expect(b[3]!.x + b[3]!.width).toBe(375);
    expect(bands(0, 400)).toEqual([]);
    expect(bands(3, 0)).toEqual([]);
  });
});

describe('barLength', () => {
  it('is proportional, and a non-zero value stays visible', () => {
    expect(barLength(50, 100, 200)).toBe(100);
    expect(barLength(1, 10_000, 200)).toBe(2);
    expect(barLength(0, 100, 200)).toBe(0);
    expect(barLength(500, 100, 200)).toBe(200);
    expect(barLength(5, 0, 200)).toBe(0);
  });
});

describe('axis labels', () => {
  it('thins labels that would not fit, always keeping the last', () => {
    expect(labelEvery(30, 600, 40)).toBe(2);
    expect(labelEvery(30, 1200, 40)).toBe(1);
    expect(labelEvery(30, 300, 40)).toBe(4);
    expect([...labelledIndices(7, 3)].sort((a, b) => a - b)).toEqual([0, 3, 6]);
    expect(labelledIndices(30, 7).has(29)).toBe(true);
  });
});
