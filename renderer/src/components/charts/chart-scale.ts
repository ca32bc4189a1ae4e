/**
 * The arithmetic of the app's small charts, apart from drawing them: a value
 * axis that ends on a round number, bars laid out across a band, and how many
 * axis labels fit. Counts only (reads, passwords): every tick is a whole number.
 */

export interface AxisScale {
  /** The axis' end: the largest value rounded up to a whole number of steps (at least 1). */
  top: number;
  step: number;
  /** 0, step, 2·step, …, top. */
  ticks: number[];
}

/** Step sizes tried, times a power of ten: 1, 2, 2.5, 5 (2.5 only from 25 up, so steps stay whole). */
const NICE = [1, 2, 2.5, 5, 10];

/**
 * An axis for counts up to `max`, in about `count` steps of a round size
 * (1, 2, 5, 10, 25, 50, …): 0–137 becomes 0, 50, 100, 150.
 */
export function axisScale(max: number, count = 4): AxisScale {
  const highest = Number.isFinite(max) && max > 0 ? max : 0;
  const raw = Math.max(highest / Math.max(1, count), 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  let step = magnitude * 10;
  for (const n of NICE) {
    const candidate = n * magnitude;
    if (candidate >= raw && Number.isInteger(candidate)) {
      step = candidate;
      break;
    }
  }
  const top = Math.max(step, Math.ceil(highest / step) * step);
  const ticks: number[] = [];
  for (let t = 0; t <= top; t += step) ticks.push(t);
  return { top, step, ticks };
}

export interface Band {
  x: number;
  width: number;
}

/**
 * `n` bars side by side across `width`, each separated by `gap` (a share of
 * one slot, 0–1), the first and last half a gap from the edges.
 */
export function bands(n: number, width: number, gap = 0.25): Band[] {
  if (n <= 0 || width <= 0) return [];
  const slot = width / n;
  const inner = slot * (1 - Math.min(Math.max(gap, 0), 0.9));
  return Array.from({ length: n }, (_, i) => ({ x: i * slot + (slot - inner) / 2, width: inner }));
}

/**
 * How long a bar for `value` is on an axis ending at `top` drawn `length`
 * long; a value above zero is never shorter than `min`, so one read still shows.
 */
export function barLength(value: number, top: number, length: number, min = 2): number {
  if (!(value > 0) || !(top > 0) || !(length > 0)) return 0;
  return Math.min(length, Math.max(min, (value / top) * length));
}

/**
 * Every how many bars an axis label fits, when each label needs `labelWidth`
 * and the bars share `width`: 1 (every bar), 2, 3, …
 */
export function labelEvery(n: number, width: number, labelWidth: number): number {
  if (n <= 0 || width <= 0) return 1;
  return Math.max(1, Math.ceil((labelWidth * n) / width));
}

/** Which bar indices carry an axis label: every `every`-th, counted back from the last (the most recent day is always named). */
export function labelledIndices(n: number, every: number): Set<number> {
  const out = new Set<number>();
  for (let i = n - 1; i >= 0; i -= Math.max(1, every)) out.add(i);
  return out;
}
