/**
 * Every approval is a dialog in front of the user, and any program of the
 * user's can ask for one (a terminal wanting the CLI through the app, a
 * program holding an "ask" grant). So a few may wait at once — two
 * terminals opened together — and more are refused without asking; and for
 * a while after the user declines, whoever asked is not asked about again:
 * a program retrying until someone clicks Allow by mistake gets refusals,
 * not dialogs.
 */
import { KeywardError } from '../errors.js';
import type { Clock } from '../ports/clock.js';

export const MAX_WAITING_APPROVALS = 3;
export const QUIET_AFTER_DECLINE_MS = 15_000;

export class ApprovalThrottle {
  #waiting = 0;
  /** When each asker (a grant, the command line) was last declined. */
  readonly #declinedAt = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  /**
   * Asks through `ask` on behalf of `asker` (named in refusals), or refuses
   * without asking: BUSY while others wait, FORBIDDEN soon after a decline.
   */
  async ask(asker: string, ask: () => Promise<boolean>): Promise<boolean> {
    const declined = this.#declinedAt.get(asker);
    if (declined !== undefined && this.clock.now().getTime() - declined < QUIET_AFTER_DECLINE_MS)
      throw new KeywardError('FORBIDDEN', `You declined ${asker} moments ago: it is not asked about again for ${QUIET_AFTER_DECLINE_MS / 1000} seconds.`);
    if (this.#waiting >= MAX_WAITING_APPROVALS) throw new KeywardError('BUSY', 'Other requests are already waiting for your approval in Keyward: answer those first, then try again.');
    this.#waiting += 1;
    let allowed = false;
    try {
      allowed = await ask();
    } finally {
      this.#waiting -= 1;
      if (!allowed) this.#declinedAt.set(asker, this.clock.now().getTime());
    }
    if (allowed) this.#declinedAt.delete(asker);
    return allowed;
  }
}
