/** Words for due dates and reasons. */
import type { DueItem } from '../../../../shared/rotation';

const DAY_MS = 86_400_000;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * "overdue by 3 days", "due within a day", "due in 5 days" — or, when the
 * date is the credential's own expiry, "expired 62 days ago" / "expires in 5
 * days": an expired key is not a reminder running late.
 */
export function dueIn(dueAt: string, reason?: DueItem['reason'], now = Date.now()): string {
  const ms = Date.parse(dueAt) - now;
  if (reason === 'expiry') {
    if (ms <= 0) {
      const days = Math.floor(-ms / DAY_MS);
      return days < 1 ? 'expired today' : `expired ${plural(days, 'day')} ago`;
    }
    const days = Math.ceil(ms / DAY_MS);
    return days <= 1 ? 'expires within a day' : `expires in ${plural(days, 'day')}`;
  }
  if (ms <= 0) {
    const days = Math.floor(-ms / DAY_MS);
    return days < 1 ? 'overdue' : `overdue by ${days} ${days === 1 ? 'day' : 'days'}`;
  }
  const days = Math.ceil(ms / DAY_MS);
  return days <= 1 ? 'due within a day' : `due in ${days} days`;
}

/** The detail panel's line: "Expired 3 days ago", "Rotation due in 5 days", "Marked compromised: rotation overdue". */
export function dueSentence(item: Pick<DueItem, 'dueAt' | 'reason'>, now = Date.now()): string {
  const phrase = dueIn(item.dueAt, item.reason, now);
  if (item.reason === 'expiry') return phrase.charAt(0).toUpperCase() + phrase.slice(1);
  return item.reason === 'compromised' ? `Marked compromised: rotation ${phrase}` : `Rotation ${phrase}`;
}

export function reasonLabel(item: Pick<DueItem, 'reason' | 'rules'>): string {
  if (item.reason === 'expiry') return 'Expiry date';
  if (item.reason === 'compromised') return 'Marked compromised';
  if (item.reason === 'max_age') return `Maximum age (${item.rules.maxAgeDays} days)`;
  return `Rotation interval (${item.rules.intervalDays} days)`;
}
