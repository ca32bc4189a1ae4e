/** max_age_days: a value in scope older than this is overdue (rotation/due.ts). */
import { strictestDays, type RuleKindModule } from './rule-kind.js';

export const maxAgeDays: RuleKindModule = {
  id: 'max_age_days',
  silencedByDeactivation: true,
  apply: (effects, days) => void (effects.maxAgeDays = strictestDays(effects.maxAgeDays, days as number)),
};
