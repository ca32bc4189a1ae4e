import { useEffect } from 'react';
import { call } from '../../lib/api';

/** At most one ping per this long: enough to push the idle lock back, not chatty. */
export const ACTIVITY_INTERVAL_MS = 30_000;

/** Tells main the user is here (pointer or keyboard), so the idle auto-lock waits. */
export function useActivityPings(enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    let last = 0;
    const ping = () => {
      const now = Date.now();
      if (now - last < ACTIVITY_INTERVAL_MS) return;
      last = now;
      void call('app.activity', {});
    };
    const options = { capture: true, passive: true } as const;
    window.addEventListener('pointerdown', ping, options);
    window.addEventListener('keydown', ping, options);
    window.addEventListener('wheel', ping, options);
    return () => {
      window.removeEventListener('pointerdown', ping, options);
      window.removeEventListener('keydown', ping, options);
      window.removeEventListener('wheel', ping, options);
    };
  }, [enabled]);
}
