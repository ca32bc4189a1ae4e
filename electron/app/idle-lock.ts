/**
 * Locks when the app itself has had no user input for the auto-lock time —
 * whatever the person does in other programs (system-wide idleness would keep
 * the vault open while they work elsewhere). Auto-lock 0 means never.
 */
import type { Clock } from '../core/ports/clock.js';
import type { TimerPort } from '../core/ports/timers.js';
import { AUTO_LOCK_NEVER } from '../core/vault/settings-rules.js';

const CHECK_EVERY_MS = 5_000;

export interface IdleLockOptions {
  clock: Clock;
  timers: TimerPort;
  /** The auto-lock minutes now (settings can change while unlocked); null while nothing is open. */
  autoLockMinutes: () => number | null;
  onIdle: () => Promise<void>;
}

export class IdleLock {
  /** When the user last did something in the app (clock time, ms). */
  private lastActivity = 0;
  private timer: unknown = null;

  constructor(private readonly options: IdleLockOptions) {}

  start(): void {
    this.stop();
    this.activity();
    this.timer = this.options.timers.setInterval(() => void this.check(), CHECK_EVERY_MS);
  }

  stop(): void {
    if (this.timer !== null) this.options.timers.clearInterval(this.timer);
    this.timer = null;
  }

  /** The user did something: push the lock back. */
  activity(): void {
    this.lastActivity = this.options.clock.now().getTime();
  }

  async check(now = this.options.clock.now().getTime()): Promise<void> {
    const minutes = this.options.autoLockMinutes();
    if (minutes === null || minutes === AUTO_LOCK_NEVER) return;
    if (now - this.lastActivity < minutes * 60_000) return;
    // Once per unlock: the next start() (the next unlock) arms it again.
    this.stop();
    await this.options.onIdle();
  }
}
