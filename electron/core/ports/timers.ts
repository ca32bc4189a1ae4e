/**
 * Timers as a port, so every timer (idle lock, reminders, the file watcher's
 * debounce) can be driven by a fake in tests. Real timers never keep the
 * process alive on their own.
 */
export interface TimerPort {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  /** A clock that never jumps (performance.now). */
  monotonicMs(): number;
}

export const realTimers: TimerPort = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => {
    const t = setInterval(fn, ms);
    t.unref?.();
    return t;
  },
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
  monotonicMs: () => performance.now(),
};
