import { describe, expect, it } from 'vitest';
import { FakeClock } from '../core/ports/clock.js';
import type { TimerPort } from '../core/ports/timers.js';
import { IdleLock } from './idle-lock.js';
import { VaultFileWatcher } from './vault-watcher.js';

/** Timers that fire only when the test says time passed; the clock moves with them. */
class ManualTimers implements TimerPort {
  private next = 1;
  readonly timers = new Map<number, { fn: () => void; at: number; every?: number }>();
  constructor(private readonly clock: FakeClock) {}
  private now = 0;
  setTimeout(fn: () => void, ms: number) {
    this.timers.set(this.next, { fn, at: this.now + ms });
    return this.next++;
  }
  clearTimeout(h: unknown) {
    this.timers.delete(h as number);
  }
  setInterval(fn: () => void, ms: number) {
    this.timers.set(this.next, { fn, at: this.now + ms, every: ms });
    return this.next++;
  }
  clearInterval(h: unknown) {
    this.timers.delete(h as number);
  }
  monotonicMs() {
    return this.now;
  }
  async pass(ms: number) {
    const end = this.now + ms;
    for (;;) {
      const [id, t] = [...this.timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (!t || id === undefined) break;
      this.clock.advance(t.at - this.now);
      this.now = t.at;
      if (t.every) t.at += t.every;
      else this.timers.delete(id);
      t.fn();
      await Promise.resolve();
    }
    this.clock.advance(end - this.now);
    this.now = end;
  }
}

describe('IdleLock', () => {
  it('locks through the timer port once the app had no input for the auto-lock time, and never with auto-lock 0', async () => {
    const clock = new FakeClock();
    const timers = new ManualTimers(clock);
    let minutes = 1;
    let locks = 0;
    const idle = new IdleLock({ clock, timers, autoLockMinutes: () => minutes, onIdle: async () => void locks++ });
    idle.start();
    await timers.pass(50_000);
    idle.activity();
    await timers.pass(50_000);
    expect(locks).toBe(0);
    await timers.pass(15_000);
    expect(locks).toBe(1);

    minutes = 0;
    idle.start();
    await timers.pass(24 * 3_600_000);
    expect(locks).toBe(1);
    idle.stop();
    expect(timers.timers.size).toBe(0);
  });
});

describe('VaultFileWatcher', () => {
  it('folds a burst of changes to the vault file into one call and ignores other files in the folder', async () => {
    const clock = new FakeClock();
    const timers = new ManualTimers(clock);
    let emitChange: (name: string | null) => void = () => undefined;
    let closed = false;
    const port = { watch: (_dir: string, onChange: (name: string | null) => void) => ((emitChange = onChange), { close: () => void (closed = true) }) };
    let changes = 0;
    const watcher = new VaultFileWatcher(port, timers, () => changes++);
    watcher.start('/vaults/work.keyward');
    for (const name of ['work.keyward', 'work.keyward', 'work.keyward.lock', 'work.keyward']) emitChange(name);
    await timers.pass(100);
    emitChange('other.keyward');
    await timers.pass(1_000);
    expect(changes).toBe(1);
    emitChange('work.keyward');
    watcher.stop();
    await timers.pass(1_000);
    expect(changes).toBe(1);
    expect(closed).toBe(true);
  });
});
