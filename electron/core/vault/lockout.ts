/**
 * Slows down password guessing through Keyward itself: after 5 consecutive
 * wrong passwords, each further attempt must wait 5 s, 10 s, 20 s, … up to
 * 5 minutes. State lives in a small file beside the vault so that restarting
 * the app does not reset it.
 *
 * This is a speed bump for someone at the keyboard, not a defence against an
 * attacker who copies the vault file and guesses offline — PBKDF2's cost is.
 */
import { KeywardError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { FileSystem } from '../ports/file-system.js';

export const FREE_ATTEMPTS = 5;
const BASE_DELAY_S = 5;
export const MAX_DELAY_S = 300;

/**
 * The security policy's `unlock_backoff` (docs/policies.md): `standard` as
 * above; `strict` (PCI DSS 8.3.4: at most 10 attempts, then 30 minutes) gives
 * 3 free attempts, then 30 s doubling up to 30 minutes.
 */
export type BackoffMode = 'standard' | 'strict';
export const BACKOFF: Record<BackoffMode, { free: number; baseS: number; maxS: number }> = {
  standard: { free: FREE_ATTEMPTS, baseS: BASE_DELAY_S, maxS: MAX_DELAY_S },
  strict: { free: 3, baseS: 30, maxS: 1800 },
};

interface LockoutState {
  failures: number;
  lastFailureAt: number;
  /** Kept in the file because the check runs before the vault (and its policy) can be read; absent: standard. */
  backoff?: BackoffMode;
}

export function delaySecondsAfter(failures: number, mode: BackoffMode = 'standard'): number {
  const { free, baseS, maxS } = BACKOFF[mode];
  if (failures < free) return 0;
  return Math.min(baseS * 2 ** (failures - free), maxS);
}

export class Lockout {
  constructor(
    private readonly fs: FileSystem,
    private readonly clock: Clock,
    private readonly path: string,
  ) {}

  /** Throws LOCKED_OUT while a delay is running. */
  async assertMayAttempt(): Promise<void> {
    const state = await this.read();
    const waitMs = state.lastFailureAt + delaySecondsAfter(state.failures, state.backoff) * 1000 - this.clock.now().getTime();
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new KeywardError(
        'LOCKED_OUT',
        `Too many wrong passwords (${state.failures} in a row). Try again in ${seconds} s.`,
        { retryAfterSeconds: seconds },
      );
    }
  }

  /** The failure count now, and how many attempts were free under the mode in force. */
  async recordFailure(): Promise<{ failures: number; free: number }> {
    const state = await this.read();
    const next: LockoutState = { failures: state.failures + 1, lastFailureAt: this.clock.now().getTime(), ...(state.backoff === 'strict' ? { backoff: 'strict' } : {}) };
    await this.fs.writeFileAtomic(this.path, Buffer.from(JSON.stringify(next)));
    return { failures: next.failures, free: BACKOFF[state.backoff ?? 'standard'].free };
  }

  async recordSuccess(): Promise<void> {
    const state = await this.read();
    if (state.failures === 0) return;
    // The count starts again; a strict mode stays (the file is its only place before an unlock).
    if (state.backoff === 'strict') await this.fs.writeFileAtomic(this.path, Buffer.from(JSON.stringify({ failures: 0, lastFailureAt: 0, backoff: 'strict' })));
    else await this.fs.unlink(this.path);
  }

  /** Writes the vault policy's mode where the check can read it (at each unlock and each change of the policy). */
  async setMode(mode: BackoffMode): Promise<void> {
    const state = await this.read();
    if ((state.backoff ?? 'standard') === mode) return;
    if (mode === 'standard' && state.failures === 0) await this.fs.unlink(this.path).catch(() => undefined);
    else await this.fs.writeFileAtomic(this.path, Buffer.from(JSON.stringify({ failures: state.failures, lastFailureAt: state.lastFailureAt, ...(mode === 'strict' ? { backoff: 'strict' } : {}) })));
  }

  async failures(): Promise<number> {
    return (await this.read()).failures;
  }

  /**
   * The stored state, with its time clamped to now. A failure cannot have
   * happened in the future: a stamp (or, for a damaged file, an mtime) ahead of
   * the clock was written while the clock ran ahead, and trusted as is it would
   * hold off even the right password until the clock caught up, possibly days.
   * The clamped time is written back, so that the wait really ends instead of
   * being re-dated to "now" on every read.
   */
  private async read(): Promise<LockoutState> {
    const now = this.clock.now().getTime();
    const stored = await this.readStored();
    if (stored.lastFailureAt <= now) return stored;
    const clamped = { ...stored, lastFailureAt: now };
    // Best effort: if the write fails, this read still clamps (and so does the next one).
    await this.fs.writeFileAtomic(this.path, Buffer.from(JSON.stringify(clamped))).catch(() => undefined);
    return clamped;
  }

  private async readStored(): Promise<LockoutState> {
    const data = await this.fs.readFile(this.path);
    if (!data) return { failures: 0, lastFailureAt: 0 };
    try {
      const parsed = JSON.parse(data.toString('utf8')) as Partial<LockoutState> | null;
      const { failures, lastFailureAt, backoff } = parsed ?? {};
      // A negative count is damage too: it must not buy free attempts.
      if (Number.isSafeInteger(failures) && failures! >= 0 && Number.isFinite(lastFailureAt))
        return { failures: failures!, lastFailureAt: lastFailureAt!, ...(backoff === 'strict' ? { backoff } : {}) };
    } catch {
      /* fall through */
    }
    // A damaged counter must not open the door wider: treat it as the start of a
    // lockout, dated by the file's own mtime so that the wait does end.
    const stat = await this.fs.stat(this.path);
    return { failures: FREE_ATTEMPTS, lastFailureAt: stat?.mtimeMs ?? 0 };
  }
}
