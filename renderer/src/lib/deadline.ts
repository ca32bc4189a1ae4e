/**
 * When the clipboard will be cleared, on this page's clock, and how many
 * seconds are left until then. Pure: the clock is a parameter.
 */

/**
 * Main's clearsAt is on main's clock; the page's clock may differ (a test's fake
 * clock, a skewed sandbox). Trust it when it agrees with the promised delay,
 * otherwise count the delay from now.
 */
export function deadlineFrom(clearsAt: string, seconds: number, now = Date.now()): number {
  const local = now + seconds * 1000;
  const remote = Date.parse(clearsAt);
  return Number.isFinite(remote) && Math.abs(remote - local) < 2000 ? remote : local;
}

/** Whole seconds left until `deadline` (ms since epoch), rounded up so "1 s" shows until the very end; 0 without one. */
export function secondsLeft(deadline: number | null, now = Date.now()): number {
  return deadline === null ? 0 : Math.max(0, Math.ceil((deadline - now) / 1000));
}
