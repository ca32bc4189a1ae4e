/**
 * Arms one timer for the next reminder and re-checks on every wake-up, so
 * reminders survive sleep, clock changes and delays longer than a JS timer can
 * hold (2^31−1 ms ≈ 24.8 days). Due dates are recomputed from stored
 * timestamps each time (see core/rotation/due.ts); the scheduler only decides
 * *when* to look. Reminders are grouped: one notification for everything that
 * became due since the last one.
 */
import type { DueItem } from '../../shared/rotation.js';
import type { Clock } from '../core/ports/clock.js';
import type { TimerPort } from '../core/ports/timers.js';

export const MAX_TIMER_MS = 2_147_483_647;

export interface ReminderSource {
  /** Reminders due now, and when the next one will be; null while the vault is locked. */
  reminders(now: Date): { due: DueItem[]; next: Date | null } | null;
}

export interface SchedulerOptions {
  clock: Clock;
  timers: TimerPort;
  source: ReminderSource;
  /** Called with only the reminders not shown before, grouped; `total` counts all that are due. */
  notify: (fresh: DueItem[], total: number) => void;
  heartbeatMs?: number;
  /** A wall-clock/monotonic disagreement larger than this is a clock change (or a sleep). */
  jumpToleranceMs?: number;
}

export class ReminderScheduler {
  private timer: unknown = null;
  private heartbeat: unknown = null;
  private readonly shown = new Set<string>();
  private lastWall = 0;
  private lastMono = 0;
  /** The timer's target, for tests and diagnostics. */
  armedFor: Date | null = null;

  constructor(private readonly options: SchedulerOptions) {}

  start(): void {
    this.stop();
    this.markTime();
    this.heartbeat = this.options.timers.setInterval(() => this.onHeartbeat(), this.options.heartbeatMs ?? 60_000);
    this.check();
  }

  stop(): void {
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    if (this.heartbeat !== null) this.options.timers.clearInterval(this.heartbeat);
    this.timer = this.heartbeat = null;
    this.armedFor = null;
  }

  /** Wake from sleep, a vault change, a snooze: look again now. */
  check(): void {
    const now = this.options.clock.now();
    const state = this.options.source.reminders(now);
    if (!state) return this.disarm();
    // Forget reminders that are no longer due (snoozed, rotated, clock set back), so that one
    // coming back — a snooze ending restores its old remindAt — shows again instead of staying silent.
    const dueKeys = new Set(state.due.map(keyOf));
    for (const key of this.shown) if (!dueKeys.has(key)) this.shown.delete(key);
    const fresh = state.due.filter((item) => !this.shown.has(keyOf(item)));
    for (const item of fresh) this.shown.add(keyOf(item));
    if (fresh.length) this.options.notify(fresh, state.due.length);
    this.arm(state.next, now);
  }

  private arm(next: Date | null, now: Date): void {
    this.disarm();
    if (!next) return;
    this.armedFor = next;
    // A longer delay would overflow the timer and fire at once; firing early just re-arms.
    const delay = Math.min(Math.max(0, next.getTime() - now.getTime()), MAX_TIMER_MS);
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = null;
      this.check();
    }, delay);
  }

  private disarm(): void {
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = null;
  }

  private markTime(): void {
    this.lastWall = this.options.clock.now().getTime();
    this.lastMono = this.options.timers.monotonicMs();
  }

  private onHeartbeat(): void {
    const wall = this.options.clock.now().getTime() - this.lastWall;
    const mono = this.options.timers.monotonicMs() - this.lastMono;
    this.markTime();
    // The wall clock moved differently from the monotonic one: the clock was set, or the machine slept.
    if (Math.abs(wall - mono) > (this.options.jumpToleranceMs ?? 5_000)) this.check();
  }
}

function keyOf(item: DueItem): string {
  return `${item.id}|${item.remindAt}`;
}
