/** rotate_every_days: credentials in scope are due at most this long after their last rotation (rotation/due.ts). */
import { strictestDays, type RuleKindModule } from './rule-kind.js';

export const rotateEveryDays: RuleKindModule = {
  id: 'rotate_every_days',
  silencedByDeactivation: true,
  apply: (effects, days) => void (effects.intervalDays = strictestDays(effects.intervalDays, days as number)),
};
