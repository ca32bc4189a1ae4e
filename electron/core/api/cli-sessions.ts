/**
 * The CLI through the running app (docs/local-api.md, "The CLI through the
 * app"): when the vault's policy turns it on (cli_integration_minutes), a
 * terminal the user approved gets a session token, good for that many
 * minutes, with which `keyward get` and `list` ask the app instead of opening
 * the file — no master password, no KDF. The app keeps only each token's
 * hash, in memory; locking the app ends every session at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { KeywardError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import { ApprovalThrottle } from './approval-throttle.js';

export const CLI_TOKEN_PREFIX = 'kws_';

export interface CliSessionRequest {
  /** The terminal session, as the CLI says (a claim, shown to the user). */
  terminal: string;
  program?: { pid: number; argv: string[] };
  minutes: number;
}

export interface CliSessionsOptions {
  clock: Clock;
  /** 0: off (the vault's policy, read at each use; null while locked). */
  minutes: () => number | null;
  approve: (request: CliSessionRequest) => Promise<boolean>;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export class CliSessions {
  readonly #live = new Map<string, { expiresAt: number; terminal: string }>();
  /** Moves at every clear(): an approval given across a lock opens nothing. */
  #epoch = 0;
  /** Any program of the user's can ask for a session: every terminal counts as one asker ("the command line"). */
  readonly #throttle: ApprovalThrottle;

  constructor(private readonly options: CliSessionsOptions) {
    this.#throttle = new ApprovalThrottle(options.clock);
  }

  #minutes(): number {
    const minutes = this.options.minutes();
    if (minutes === null) throw new KeywardError('VAULT_LOCKED', 'Keyward is locked: unlock the app, or the CLI opens the vault file itself.');
    if (minutes <= 0) throw new KeywardError('FORBIDDEN', 'CLI integration is off (policy cli_integration_minutes 0).');
    return minutes;
  }

  /** A new session for a terminal, once the user approved it. */
  async open(terminal: string, program?: { pid: number; argv: string[] }): Promise<{ token: string; expiresAt: string }> {
    const epoch = this.#epoch;
    const asked = this.#minutes();
    const now = this.options.clock.now().getTime();
    for (const [hash, session] of this.#live) if (session.expiresAt <= now) this.#live.delete(hash);
    const allowed = await this.#throttle.ask('the command line', () => this.options.approve({ terminal, minutes: asked, ...(program ? { program } : {}) }));
    if (!allowed) throw new KeywardError('FORBIDDEN', 'You declined the command line’s use of the app.');
    // Judged again once the user answered: the app may have locked, or the policy changed, meanwhile.
    if (epoch !== this.#epoch) throw new KeywardError('VAULT_LOCKED', 'Keyward locked while asking: unlock it and try again.');
    const minutes = Math.min(asked, this.#minutes());
    const token = CLI_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const expiresAt = this.options.clock.now().getTime() + minutes * 60_000;
    this.#live.set(hashOf(token), { expiresAt, terminal });
    return { token, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Refuses (AUTH_FAILED) a token that is not a live session of this app. */
  check(token: string): void {
    this.#minutes();
    const session = this.#live.get(hashOf(token));
    if (!session || session.expiresAt <= this.options.clock.now().getTime()) {
      this.#live.delete(hashOf(token));
      throw new KeywardError('AUTH_FAILED', 'This terminal’s session with the app has ended (it expired, or the app was locked or restarted).');
    }
  }

  /** Ends every session (the app locked). */
  clear(): void {
    this.#epoch += 1;
    this.#live.clear();
  }
}
