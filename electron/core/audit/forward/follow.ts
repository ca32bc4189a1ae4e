/**
 * Following the trail: forward what it holds, then what is appended to it,
 * until told to stop. A delivery that fails (the first one too) is tried
 * again, later and later: a receiver being restarted does not end it. Used
 * by `keyward audit forward --follow` and by the app, which forwards for as
 * long as the vault is open when the user set a destination.
 */
import { KeywardError } from '../../errors.js';
import type { AuditForwarder, ForwardResult } from './forwarder.js';

/** How often the trail's size and time are looked at (a stat; the trail is read only when they changed). */
export const POLL_MS = 500;
/** The longest wait before trying a receiver that failed again. */
export const MAX_RETRY_MS = 30_000;

/** The pause before the next look: POLL_MS, doubled for each failed delivery in a row, at most MAX_RETRY_MS. */
export const retryDelay = (failures: number) => Math.min(MAX_RETRY_MS, POLL_MS * 2 ** failures);

export interface FollowDeps {
  forwarder: AuditForwarder;
  /** What changes when anything is appended to the trail (by this process or another). */
  stamp: () => Promise<string>;
  /** Waits `ms`, or less when a stop is asked for. */
  sleep: (ms: number) => Promise<void>;
  stopped: () => boolean;
  /** `since` for the first delivery to a destination never sent to (docs/siem.md). */
  since?: string;
  onDelivered?: (result: ForwardResult, since: string | undefined) => void;
  onFailure?: (error: KeywardError, retryInMs: number) => void;
}

const isUndelivered = (err: unknown): err is KeywardError => err instanceof KeywardError && err.code === 'AUDIT_UNAVAILABLE';

/** Runs until `stopped()`; returns how many records were sent. Anything but an undelivered batch ends it (thrown). */
export async function followTrail(deps: FollowDeps): Promise<number> {
  let sent = 0;
  let failures = 0;
  /** `since` until the first delivery that worked (it only ever applies to the first). */
  let pendingSince = deps.since;
  /** The trail's stamp when it was last read in full: unchanged, nothing to read. */
  let seen: string | null = null;
  for (let look = 0; !deps.stopped(); look++) {
    if (look > 0) await deps.sleep(retryDelay(failures));
    if (deps.stopped()) break;
    // Taken before reading: an append during the read changes it, so the next look reads again.
    const stamp = await deps.stamp();
    if (failures === 0 && stamp === seen) continue;
    try {
      const r = await deps.forwarder.forwardNew(pendingSince);
      deps.onDelivered?.(r, pendingSince);
      pendingSince = undefined;
      seen = stamp;
      failures = 0;
      sent += r.sent;
    } catch (err) {
      if (!isUndelivered(err)) throw err;
      failures++;
      deps.onFailure?.(err, retryDelay(failures));
    }
  }
  return sent;
}
