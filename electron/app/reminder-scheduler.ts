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
import { eventLoopPacer, runNow, runPaced, type Steps } from '../core/vault/pacing.js';

export const MAX_TIMER_MS = 2_147_483_647;

/** Reminders due now, and when the next one will be; null while the vault is locked. */
export type ReminderState = { due: DueItem[]; next: Date | null } | null;

export interface ReminderSource {
  /**
   * The reminders at `now`. The app's source answers a promise: it looks at a
   * large vault in paced steps, so that a check never holds the main process's
   * event loop (core/rotation/due.ts `reminderViewPaced`).
   */
  reminders(now: Date): ReminderState | Promise<ReminderState>;
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
  /** The reminders notified and still due: credential id → the remindAt it was shown for. */
  private shown = new Map<string, string>();
  private lastWall = 0;
  private lastMono = 0;
  /** Counts checks begun and stops: a paced look's answer is used only if nothing came after it. */
  private generation = 0;
  /** The timer's target, for tests and diagnostics. */
  armedFor: Date | null = null;
  /** Settles once the latest check has notified and armed (or was dropped for a later one). */
  looked: Promise<void> = Promise.resolve();

  constructor(private readonly options: SchedulerOptions) {}

  start(): void {
    this.stop();
    this.markTime();
    this.heartbeat = this.options.timers.setInterval(() => this.onHeartbeat(), this.options.heartbeatMs ?? 60_000);
    this.check();
  }

  stop(): void {
    this.generation++;
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    if (this.heartbeat !== null) this.options.timers.clearInterval(this.heartbeat);
    this.timer = this.heartbeat = null;
    this.armedFor = null;
  }

  /**
   * Wake from sleep, a vault change, a snooze: look again now. A look that is
   * still being computed when another begins (or the scheduler stops) is
   * dropped: the later one sees everything it would have.
   */
  check(): void {
    const now = this.options.clock.now();
    const generation = ++this.generation;
    const state = this.options.source.reminders(now);
    if (!(state instanceof Promise)) {
      this.looked = Promise.resolve();
      return this.apply(state, runNow(this.sortOut(state)));
    }
    // The app's source: the look, then sorting out what is new, both in paced steps; used only if still the latest.
    this.looked = state.then(async (answered) => {
      const sorted = await runPaced(this.sortOut(answered), eventLoopPacer());
      if (generation === this.generation) this.apply(answered, sorted);
      // A look that fails (the vault closed under it) leaves the last arming as it was; the next check looks again.
    }, () => undefined);
  }

  /**
   * Which due reminders were not shown before, and what is shown once they
   * are: exactly the due ones, so that one no longer due (snoozed, rotated,
   * clock set back) is forgotten and shows again when it comes back — a snooze
   * ending restores its old remindAt. Reads `shown`, changes nothing: at 100k
   * due this is ~100k lookups, done in steps before `apply` swaps it in.
   */
  private *sortOut(state: ReminderState): Steps<Sorted> {
    const shown = new Map<string, string>();
    const fresh: DueItem[] = [];
    for (const [i, item] of (state?.due ?? []).entries()) {
      if (i > 0 && i % SORT_OUT_STEP === 0) yield;
      if (this.shown.get(item.id) !== item.remindAt) fresh.push(item);
      shown.set(item.id, item.remindAt);
    }
    return { shown, fresh };
  }

  private apply(state: ReminderState, { shown, fresh }: Sorted): void {
    if (!state) return this.disarm();
    this.shown = shown;
    if (fresh.length) this.options.notify(fresh, state.due.length);
    // (From the clock as it is now: a paced look took some time.)
    this.arm(state.next, this.options.clock.now());
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

interface Sorted {
  shown: Map<string, string>;
  fresh: DueItem[];
}

/** Due reminders sorted out between two chances to pause. */
const SORT_OUT_STEP = 2_000;
