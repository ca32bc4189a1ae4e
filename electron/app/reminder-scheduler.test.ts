/**
 * The reminder scheduler under a fake wall clock (FakeClock) and a fake timer
 * port whose monotonic clock moves only when the test says so: reminders
 * notify once and grouped, a long sleep is caught up on by the heartbeat, clock
 * changes re-check, delays beyond what a JS timer can hold are split, snoozes
 * hold reminders back until they end, and stop() leaves nothing armed. The
 * reminders come from real due-date computations over an in-memory vault body,
 * as in the app; the last test drives the AppController itself.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DueItem } from '../../shared/rotation.js';
import { MemoryKeychain } from '../core/keychain/keychain.js';
import { FakeClock } from '../core/ports/clock.js';
import { nodeFileSystem } from '../core/ports/file-system.js';
import { systemRandom } from '../core/ports/random.js';
import { nextReminderAt, reminderView, remindersDue } from '../core/rotation/due.js';
import { emptyBody, type StoredCredential, type VaultBody } from '../core/vault/body.js';
import { MIN_KDF_ITERATIONS } from '../core/vault/format/index.js';
import type { KeywardEvent } from '../../shared/ipc/contract.js';
import { AppController } from './app-controller.js';
import { MAX_TIMER_MS, ReminderScheduler, type ReminderSource } from './reminder-scheduler.js';
import type { TimerPort } from '../core/ports/timers.js';
import { storedCredential } from '../test/helpers/stored-credential.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
const HEARTBEAT = MINUTE;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

interface FakeTimer {
  id: number;
  fn: () => void;
  /** Monotonic time at which it fires. */
  at: number;
  /** The delay it was armed with. */
  ms: number;
  every?: number;
}

/**
 * Timers on a fake monotonic clock. `run(ms)` moves the monotonic clock (and
 * the wall clock with it, as on a running machine) firing timers in order;
 * the wall clock can also be moved alone (sleep, clock changes).
 */
class FakeTimers implements TimerPort {
  mono = 0;
  private nextId = 1;
  readonly timeouts = new Map<number, FakeTimer>();
  readonly intervals = new Map<number, FakeTimer>();
  /** Every delay ever armed with setTimeout, in order. */
  readonly armed: number[] = [];

  constructor(private readonly clock: FakeClock) {}

  setTimeout(fn: () => void, ms: number): unknown {
    const t = { id: this.nextId++, fn, at: this.mono + ms, ms };
    this.timeouts.set(t.id, t);
    this.armed.push(ms);
    return t.id;
  }
  clearTimeout(handle: unknown): void {
    this.timeouts.delete(handle as number);
  }
  setInterval(fn: () => void, ms: number): unknown {
    const t = { id: this.nextId++, fn, at: this.mono + ms, ms, every: ms };
    this.intervals.set(t.id, t);
    return t.id;
  }
  clearInterval(handle: unknown): void {
    this.intervals.delete(handle as number);
  }
  monotonicMs(): number {
    return this.mono;
  }

  /** The one pending timeout (the scheduler never keeps more than one). */
  get pending(): FakeTimer | undefined {
    expect(this.timeouts.size).toBeLessThanOrEqual(1);
    return [...this.timeouts.values()][0];
  }

  /** Lets `ms` of real time pass: both clocks move, every timer due meanwhile fires in order. */
  run(ms: number): void {
    const end = this.mono + ms;
    for (;;) {
      const next = [...this.timeouts.values(), ...this.intervals.values()].filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next) break;
      this.step(next.at - this.mono);
      if (next.every !== undefined) next.at += next.every;
      else this.timeouts.delete(next.id);
      next.fn();
    }
    this.step(end - this.mono);
  }

  /** Runs until the pending timeout has fired (and nothing else, unless a heartbeat comes first). */
  firePending(): void {
    const t = this.pending;
    if (!t) throw new Error('no timer armed');
    this.run(t.at - this.mono);
  }

  private step(ms: number): void {
    this.mono += ms;
    this.clock.advance(ms);
  }
}

function cred(overrides: Partial<StoredCredential> = {}): StoredCredential {
  return storedCredential(T0, overrides);
}

/** A credential whose reminder (due − 7 days, by default) falls at `remindMs`. */
function remindedAt(remindMs: number, overrides: Partial<StoredCredential> = {}): StoredCredential {
  return cred({ createdAt: iso(remindMs + 7 * DAY - 30 * DAY), ...overrides });
}

interface Harness {
  clock: FakeClock;
  timers: FakeTimers;
  vault: VaultBody;
  notes: Array<{ names: string[]; total: number }>;
  scheduler: ReminderScheduler;
  locked: boolean;
  /** How many times the scheduler looked at the vault. */
  checks: number;
}

function harness(credentials: StoredCredential[], start = T0, heartbeatMs = HEARTBEAT): Harness {
  const clock = new FakeClock(new Date(start));
  const timers = new FakeTimers(clock);
  const vault = emptyBody();
  vault.credentials = credentials;
  const h = { clock, timers, vault, notes: [], locked: false, checks: 0 } as unknown as Harness;
  // Exactly what the app's source does.
  const source: ReminderSource = {
    reminders: (now) => {
      h.checks++;
      return h.locked ? null : { due: remindersDue(vault, now), next: nextReminderAt(vault, now) };
    },
  };
  h.scheduler = new ReminderScheduler({
    clock,
    timers,
    source,
    heartbeatMs,
    notify: (fresh: DueItem[], total: number) => h.notes.push({ names: fresh.map((i) => i.name).sort(), total }),
  });
  return h;
}

describe('ReminderScheduler', () => {
  it('notifies what is due once, grouped, and arms one timer for the next reminder', () => {
    const overdue = cred({ name: 'overdue', createdAt: iso(T0 - 40 * DAY) });
    const soon = cred({ name: 'soon', createdAt: iso(T0 - 25 * DAY) }); // due in 5 days, lead 7
    const later = remindedAt(T0 + 10 * DAY, { name: 'later' });
    const inactive = cred({ name: 'inactive', active: false, createdAt: iso(T0 - 400 * DAY) });
    const h = harness([later, overdue, inactive, soon]);
    h.scheduler.start();
    expect(h.notes).toEqual([{ names: ['overdue', 'soon'], total: 2 }]);
    expect(h.scheduler.armedFor).toEqual(new Date(T0 + 10 * DAY));
    expect(h.timers.pending?.ms).toBe(10 * DAY);
    expect(h.timers.intervals.size).toBe(1);

    // Heartbeats and explicit re-checks do not repeat a reminder.
    h.timers.run(5 * HEARTBEAT);
    h.scheduler.check();
    expect(h.notes).toHaveLength(1);

    // The timer fires exactly when the next reminder is due: one more notification, only with the new one.
    h.timers.run(10 * DAY - 5 * HEARTBEAT - 1);
    expect(h.notes).toHaveLength(1);
    h.timers.run(1);
    expect(h.clock.now().getTime()).toBe(T0 + 10 * DAY);
    expect(h.notes).toEqual([
      { names: ['overdue', 'soon'], total: 2 },
      { names: ['later'], total: 3 },
    ]);
    expect(h.scheduler.armedFor).toBeNull();
    expect(h.timers.timeouts.size).toBe(0);
    h.scheduler.stop();
  });

  it('catches up after a long sleep: the heartbeat sees the wall clock jump and notifies everything due meanwhile, at once', () => {
    const a = remindedAt(T0 + 5 * DAY, { name: 'a' });
    const b = remindedAt(T0 + 12 * DAY, { name: 'b' });
    const c = remindedAt(T0 + 30 * DAY, { name: 'c' });
    const d = remindedAt(T0 + 60 * DAY, { name: 'd' });
    const h = harness([d, c, b, a]);
    h.scheduler.start();
    expect(h.notes).toEqual([]);
    expect(h.scheduler.armedFor).toEqual(new Date(T0 + 5 * DAY));
    h.timers.run(10 * MINUTE);

    // The lid closes for 40 days: the wall clock moves, the monotonic clock and the timers do not.
    h.clock.advance(40 * DAY);
    expect(h.notes).toEqual([]);
    // On wake, the next heartbeat notices.
    h.timers.run(HEARTBEAT);
    expect(h.notes).toEqual([{ names: ['a', 'b', 'c'], total: 3 }]);
    // Re-armed for what is still ahead, relative to the new wall time.
    expect(h.scheduler.armedFor).toEqual(new Date(T0 + 60 * DAY));
    expect(h.timers.pending!.at - h.timers.mono).toBe(T0 + 60 * DAY - h.clock.now().getTime());
    h.scheduler.stop();
  });

  it('an explicit wake-up check catches up too, before any heartbeat', () => {
    const h = harness([remindedAt(T0 + 3 * DAY, { name: 'a' }), remindedAt(T0 + 4 * DAY, { name: 'b' })]);
    h.scheduler.start();
    h.clock.advance(10 * DAY);
    h.scheduler.check(); // AppController.onWake
    expect(h.notes).toEqual([{ names: ['a', 'b'], total: 2 }]);
    h.scheduler.stop();
  });

  it('small drift between the clocks is not a jump; a change beyond the tolerance is', () => {
    const h = harness([remindedAt(T0 + 10 * DAY, { name: 'a' })]);
    h.scheduler.start();
    expect(h.checks).toBe(1);
    h.timers.run(HEARTBEAT);
    expect(h.checks).toBe(1); // clocks agree: a heartbeat alone does not look
    h.clock.advance(2_000); // NTP slew: within the 5 s tolerance
    h.timers.run(HEARTBEAT);
    expect(h.checks).toBe(1);
    h.clock.advance(-6_000);
    h.timers.run(HEARTBEAT);
    expect(h.checks).toBe(2);
    h.clock.advance(6_000);
    h.timers.run(HEARTBEAT);
    expect(h.checks).toBe(3);
    expect(h.timers.pending!.at - h.timers.mono).toBe(T0 + 10 * DAY - h.clock.now().getTime());
    h.scheduler.stop();
  });

  it('a clock set forwards re-checks at the next heartbeat', () => {
    const h = harness([remindedAt(T0 + 3 * DAY, { name: 'a' }), remindedAt(T0 + 20 * DAY, { name: 'b' })]);
    h.scheduler.start();
    h.clock.advance(5 * DAY); // the user (or NTP after a dead CMOS battery) sets the clock
    h.timers.run(HEARTBEAT);
    expect(h.notes).toEqual([{ names: ['a'], total: 1 }]);
    expect(h.scheduler.armedFor).toEqual(new Date(T0 + 20 * DAY));
    expect(h.timers.pending!.ms).toBe(T0 + 20 * DAY - h.clock.now().getTime());
    h.scheduler.stop();
  });

  it('a clock set backwards re-arms for the real remaining time, and a timer that fires “early” just re-arms', () => {
    const h = harness([remindedAt(T0 + 2 * DAY, { name: 'a' })]);
    h.scheduler.start();
    expect(h.timers.pending!.ms).toBe(2 * DAY);
    h.timers.run(DAY);
    h.clock.advance(-3 * DAY); // now T0 − 2 d of wall time
    h.timers.run(HEARTBEAT);
    const remaining = T0 + 2 * DAY - h.clock.now().getTime();
    expect(h.timers.pending!.ms).toBe(remaining);
    expect(remaining).toBeGreaterThan(3 * DAY);
    expect(h.notes).toEqual([]);

    // Before any heartbeat notices (a long heartbeat here), a timer armed before the change fires early by the wall clock: it only re-arms.
    const h2 = harness([remindedAt(T0 + DAY, { name: 'b' })], T0, 30 * DAY);
    h2.scheduler.start();
    h2.clock.advance(-DAY);
    h2.timers.firePending();
    expect(h2.notes).toEqual([]);
    expect(h2.timers.pending!.ms).toBe(DAY);
    h2.timers.firePending();
    expect(h2.notes).toEqual([{ names: ['b'], total: 1 }]);
    h.scheduler.stop();
    h2.scheduler.stop();
  });

  it('holds a far-future reminder (> 24.8 days) in timers of at most 2^31−1 ms, re-arming each time one fires early', () => {
    expect(MAX_TIMER_MS).toBe(2 ** 31 - 1);
    const far = cred({ name: 'far', rotation: { override: { intervalDays: 100, maxAgeDays: 200, reminderLeadDays: 0 } } });
    const h = harness([far]);
    h.scheduler.start();
    expect(h.scheduler.armedFor).toEqual(new Date(T0 + 100 * DAY));
    // 100 days = 4 full-length timers + the rest.
    for (let i = 0; i < 4; i++) {
      expect(h.timers.pending!.ms).toBe(MAX_TIMER_MS);
      h.timers.firePending();
      expect(h.notes).toEqual([]);
      expect(h.scheduler.armedFor).toEqual(new Date(T0 + 100 * DAY));
    }
    expect(h.timers.pending!.ms).toBe(100 * DAY - 4 * MAX_TIMER_MS);
    h.timers.firePending();
    expect(h.clock.now().getTime()).toBe(T0 + 100 * DAY);
    expect(h.notes).toEqual([{ names: ['far'], total: 1 }]);
    expect(h.timers.armed.every((ms) => ms >= 0 && ms <= MAX_TIMER_MS)).toBe(true);
    h.scheduler.stop();
  });

  it('a reminder decades away still arms a bounded timer', () => {
    const h = harness([cred({ name: 'decade', expiresAt: iso(T0 + 3650 * DAY), rotation: { override: { intervalDays: 3650, maxAgeDays: 3650, reminderLeadDays: 0 } } })]);
    h.scheduler.start();
    expect(h.timers.pending!.ms).toBe(MAX_TIMER_MS);
    expect(h.scheduler.armedFor).toEqual(new Date(T0 + 3650 * DAY));
    h.scheduler.stop();
  });

  it('a snoozed reminder stays quiet until the snooze ends, then shows (again)', () => {
    const quiet = cred({ name: 'quiet', createdAt: iso(T0 - 40 * DAY), rotation: { snoozedUntil: iso(T0 + 2 * DAY) } });
    const loud = cred({ name: 'loud', createdAt: iso(T0 - 40 * DAY) });
    const h = harness([quiet, loud]);
    h.scheduler.start();
    expect(h.notes).toEqual([{ names: ['loud'], total: 1 }]);
    expect(h.scheduler.armedFor).toEqual(new Date(T0 + 2 * DAY));
    h.timers.run(2 * DAY - 1);
    expect(h.notes).toHaveLength(1);
    h.timers.run(1);
    expect(h.notes).toEqual([
      { names: ['loud'], total: 1 },
      { names: ['quiet'], total: 2 },
    ]);

    // "Snooze" on a reminder that was already shown: quiet now, and back when the snooze ends.
    loud.rotation = { snoozedUntil: iso(h.clock.now().getTime() + DAY) };
    h.scheduler.check(); // AppController.rotating re-checks after every rotation operation
    expect(h.notes).toHaveLength(2);
    expect(h.scheduler.armedFor).toEqual(new Date(h.clock.now().getTime() + DAY));
    h.timers.run(DAY);
    expect(h.notes.at(-1)).toEqual({ names: ['loud'], total: 2 });
    h.scheduler.stop();
  });

  it('a rotation (or "mark rotated") takes the credential out of the reminders and arms for its next due date', () => {
    const c = cred({ name: 'c', createdAt: iso(T0 - 40 * DAY) });
    const h = harness([c]);
    h.scheduler.start();
    expect(h.notes).toEqual([{ names: ['c'], total: 1 }]);
    c.lastRotatedAt = h.clock.now().toISOString();
    h.scheduler.check();
    expect(h.scheduler.armedFor).toEqual(new Date(T0 + 23 * DAY));
    h.timers.run(23 * DAY);
    expect(h.notes.at(-1)).toEqual({ names: ['c'], total: 1 });
    expect(h.notes).toHaveLength(2);
    h.scheduler.stop();
  });

  it('stop() disarms the timer and the heartbeat; a locked vault disarms too', () => {
    const h = harness([remindedAt(T0 + DAY, { name: 'a' })]);
    h.scheduler.start();
    expect(h.timers.timeouts.size).toBe(1);
    expect(h.timers.intervals.size).toBe(1);
    h.scheduler.stop();
    expect(h.timers.timeouts.size).toBe(0);
    expect(h.timers.intervals.size).toBe(0);
    expect(h.scheduler.armedFor).toBeNull();
    h.timers.run(5 * DAY);
    h.clock.advance(50 * DAY);
    h.timers.run(HEARTBEAT);
    expect(h.notes).toEqual([]);

    const h2 = harness([remindedAt(T0 + DAY, { name: 'b' })]);
    h2.scheduler.start();
    h2.locked = true;
    h2.scheduler.check();
    expect(h2.timers.timeouts.size).toBe(0);
    expect(h2.scheduler.armedFor).toBeNull();
    h2.timers.run(2 * DAY);
    expect(h2.notes).toEqual([]);
    h2.scheduler.stop();
    expect(h2.timers.intervals.size).toBe(0);
  });

  it('a paced look is used only if no check or stop came after it began; a failed one leaves the arming as it was', async () => {
    const clock = new FakeClock(new Date(T0));
    const timers = new FakeTimers(clock);
    const vault = emptyBody();
    vault.credentials = [cred({ name: 'overdue', createdAt: iso(T0 - 40 * DAY) }), remindedAt(T0 + 3 * DAY, { name: 'later' })];
    const looks: Array<{ answer: (state: ReturnType<typeof reminderView> | null) => void; fail: (e: Error) => void }> = [];
    const notes: string[][] = [];
    const scheduler = new ReminderScheduler({
      clock,
      timers,
      // As the app's source: the answer comes later, when the test gives it.
      source: { reminders: () => new Promise((answer, fail) => looks.push({ answer, fail })) },
      notify: (fresh) => notes.push(fresh.map((i) => i.name)),
    });
    scheduler.start();
    expect(timers.timeouts.size).toBe(0);

    // A second check begins before the first answers: the first answer, coming last, is dropped.
    scheduler.check();
    looks[1]!.answer(reminderView(vault, clock.now()));
    await scheduler.looked;
    expect(notes).toEqual([['overdue']]);
    expect(scheduler.armedFor).toEqual(new Date(T0 + 3 * DAY));
    looks[0]!.answer({ due: [], next: null });
    await Promise.resolve();
    expect(scheduler.armedFor).toEqual(new Date(T0 + 3 * DAY));

    // A look that fails leaves the timer armed; the next check looks again.
    scheduler.check();
    looks[2]!.fail(new Error('closed meanwhile'));
    await scheduler.looked;
    expect(scheduler.armedFor).toEqual(new Date(T0 + 3 * DAY));
    expect(timers.pending?.ms).toBe(3 * DAY);

    // Stopped while a look runs: its answer arms nothing and notifies no one.
    clock.advance(4 * DAY);
    scheduler.check();
    scheduler.stop();
    looks[3]!.answer(reminderView(vault, clock.now()));
    await scheduler.looked;
    expect(notes).toEqual([['overdue']]);
    expect(timers.timeouts.size).toBe(0);
    expect(scheduler.armedFor).toBeNull();
  });

  it('start() twice leaves a single timer and a single heartbeat', () => {
    const h = harness([remindedAt(T0 + DAY, { name: 'a' })]);
    h.scheduler.start();
    h.scheduler.start();
    expect(h.timers.timeouts.size).toBe(1);
    expect(h.timers.intervals.size).toBe(1);
    h.scheduler.stop();
  });
});

describe('AppController reminders', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'keyward-reminders-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** An app on a fake clock and fake timers, with a vault created and the idle lock off. */
  async function appOnFakeClock() {
    const clock = new FakeClock(new Date(T0));
    const timers = new FakeTimers(clock);
    const events: KeywardEvent[] = [];
    const notified: Array<{ names: string[]; total: number }> = [];
    const app = new AppController({
      vaultPath: join(dir, 'vault.keyward'),
      deps: { fs: nodeFileSystem, clock, random: systemRandom, keychain: new MemoryKeychain() },
      clipboard: { writeSecret: async () => undefined, readText: async () => '', clear: async () => undefined },
      actor: 'test',
      emit: (e) => events.push(e),
      timers,
      notifyReminders: (fresh, total) => notified.push({ names: fresh.map((i) => i.name).sort(), total }),
    });
    await app.create('reminder-test-password', false, MIN_KDF_ITERATIONS);
    // The idle lock runs on these fake timers too: days pass here with the app in use, never locking on idle.
    await app.updateSettings({ autoLockMinutes: 0 }, 'reminder-test-password');
    return { app, clock, timers, events, notified };
  }

  it('schedules from the unlocked vault, catches up on wake, re-checks after a snooze, and stops on lock', async () => {
    const { app, clock, timers, events, notified } = await appOnFakeClock();
    const a = await app.services.credentials.add({ name: 'alpha', type: 'api_key' }, { value: 'alpha-value' });
    await app.services.credentials.add({ name: 'beta', type: 'api_key' }, { value: 'beta-value' });
    // Credentials added after start: the scheduler learns of them at the next check.
    await app.rotating(async () => undefined);
    // (The app's scheduler looks in paced steps: each expectation waits for the look that an action set off.)
    await app.remindersLooked();
    expect(notified).toEqual([]);
    expect(timers.pending!.ms).toBe(23 * DAY); // 30-day interval, 7-day lead

    // Asleep for 40 days; on wake everything due shows in one notification, and the badge count is emitted.
    clock.advance(40 * DAY);
    app.onWake();
    await app.remindersLooked();
    expect(notified).toEqual([{ names: ['alpha', 'beta'], total: 2 }]);
    expect(events.filter((e) => e.type === 'reminder-due').at(-1)).toEqual({ type: 'reminder-due', count: 2 });
    expect((await app.rotationSchedule()).reminders).toBe(2);

    // Snooze alpha for a day: the reminder count drops, and alpha is back when the snooze ends.
    await app.rotating((r) => r.snooze(a.id, new Date(clock.now().getTime() + DAY)));
    await app.remindersLooked();
    expect((await app.rotationSchedule()).reminders).toBe(1);
    expect(timers.pending!.ms).toBe(DAY);
    timers.run(DAY);
    await app.remindersLooked();
    expect(notified.at(-1)).toEqual({ names: ['alpha'], total: 2 });

    // Mark beta rotated: out of the reminders, armed for its next reminder.
    await app.rotating((r) => r.markRotated('beta'));
    await app.remindersLooked();
    expect((await app.rotationSchedule()).reminders).toBe(1);

    await app.lock('user');
    expect(timers.timeouts.size).toBe(0);
    expect(timers.intervals.size).toBe(0);
    await app.shutdown();
  });

  it('outside the Rotation screen: the reminder count and one credential’s due state, as the whole schedule has them', async () => {
    const { app, clock } = await appOnFakeClock();
    const a = await app.services.credentials.add({ name: 'alpha', type: 'api_key' }, { value: 'alpha-value' });
    clock.advance(10 * DAY);
    const b = await app.services.credentials.add({ name: 'beta', type: 'api_key' }, { value: 'beta-value' });
    await app.services.credentials.add({ name: 'gamma', type: 'api_key' }, { value: 'gamma-value' });
    // Nothing due, alpha due soon (30-day interval, 7-day lead), alpha overdue with beta and gamma due soon, all overdue.
    for (const step of [0, 15, 10, 20]) {
      clock.advance(step * DAY);
      const schedule = await app.rotationSchedule();
      expect(await app.rotationStatus()).toEqual({ reminders: schedule.reminders, vaultKeyDueAt: schedule.vaultKeyDueAt });
      for (const id of [a.id, b.id]) expect(await app.rotationDue(id)).toEqual(schedule.items.find((i) => i.id === id));
    }
    expect((await app.rotationStatus()).reminders).toBe(3);

    // Deactivated: never due, so no due state; an unknown id is an error a person can act on.
    await app.services.credentials.setActive(b.id, false);
    expect(await app.rotationDue(b.id)).toBeNull();
    expect((await app.rotationStatus()).reminders).toBe(2);
    await expect(app.rotationDue('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await app.shutdown();
  });
});
