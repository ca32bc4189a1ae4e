import { useEffect, useReducer } from 'react';
import { secondsLeft } from './deadline';

/**
 * Seconds left until `deadline` (ms since epoch), re-rendering as it ticks.
 * Computed from Date.now() at every render rather than by counting ticks, so a
 * throttled background window (or a test's fake clock) still shows the right
 * number, and a new deadline is right on its very first render.
 */
export function useSecondsLeft(deadline: number | null): number {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (deadline === null) return;
    const timer = setInterval(() => {
      tick();
      if (Date.now() >= deadline) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [deadline]);
  return secondsLeft(deadline);
}
