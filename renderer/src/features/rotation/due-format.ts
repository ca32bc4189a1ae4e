/** Words for due dates and reasons. */
import type { DueItem } from '../../../../shared/rotation';

const DAY_MS = 86_400_000;

/** "overdue by 3 days", "due today", "due in 5 days". */
export function dueIn(dueAt: string, now = Date.now()): string {
  const ms = Date.parse(dueAt) - now;
  if (ms <= 0) {
    const days = Math.floor(-ms / DAY_MS);
    return days < 1 ? 'overdue' : `overdue by ${days} ${days === 1 ? 'day' : 'days'}`;
  }
  const days = Math.ceil(ms / DAY_MS);
  return days <= 1 ? 'due within a day' : `due in ${days} days`;
}

export function reasonLabel(item: Pick<DueItem, 'reason' | 'rules'>): string {
  if (item.reason === 'expiry') return 'Expiry date';
  if (item.reason === 'max_age') return `Maximum age (${item.rules.maxAgeDays} days)`;
  return `Rotation interval (${item.rules.intervalDays} days)`;
}
