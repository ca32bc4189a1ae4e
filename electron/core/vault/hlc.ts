/**
 * Hybrid-logical-clock stamps (Kulkarni et al., 2014): wall time in
 * milliseconds, a counter for events in the same millisecond or while the
 * wall clock lags a stamp already seen, and the device that made it:
 *
 *   <wall ms, 13 digits>.<counter, 4 digits>@<device id, 16 hex>
 *
 * Stamps compare as strings in causal-then-time order, with the device as a
 * last tie-break, which is what merging two copies of a vault needs
 * (docs/vault-format.md V2.9). A stamp never goes backwards on one device,
 * even when the wall clock does.
 */

/** A stamp: see the module comment for its shape. */
export type Stamp = string;

const STAMP = /^(\d{13})\.(\d{4})@([0-9a-f]{16})$/;
const MAX_COUNTER = 9999;

export function isStamp(value: unknown): value is Stamp {
  return typeof value === 'string' && STAMP.test(value);
}

function format(wallMs: number, counter: number, device: string): Stamp {
  return `${String(wallMs).padStart(13, '0')}.${String(counter).padStart(4, '0')}@${device}`;
}

/** The stamp after `previous` (the newest this device has made or seen), at wall time `wallMs`. */
export function nextStamp(previous: Stamp | undefined, wallMs: number, device: string): Stamp {
  const m = previous ? STAMP.exec(previous) : null;
  const lastWall = m ? Number(m[1]) : 0;
  const lastCounter = m ? Number(m[2]) : 0;
  if (wallMs > lastWall) return format(wallMs, 0, device);
  // The wall clock has not moved past the last stamp: count within it (and move on when the counter is full).
  return lastCounter < MAX_COUNTER ? format(lastWall, lastCounter + 1, device) : format(lastWall + 1, 0, device);
}

/** The later of two stamps (undefined counts as earliest). */
export function laterStamp(a: Stamp | undefined, b: Stamp | undefined): Stamp | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a >= b ? a : b;
}
