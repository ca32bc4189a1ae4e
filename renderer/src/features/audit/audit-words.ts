/**
 * Words for the Audit screen: how much of the trail is shown, a record's
 * outcome, and the usage charts' summaries — said as plainly as the figures
 * allow, never more than they say.
 */
import type { AuditRecordView, UsageView } from '../../../../shared/ipc/contract';
import { formatCount, plural } from '../../lib/format';

export interface ShownState {
  records: readonly Pick<AuditRecordView, 'seq'>[];
  /** Older records may match (not yet asked for). */
  more: boolean;
  filtering: boolean;
}

/**
 * The line above the table. While older records remain, it says how many of
 * the newest are shown (and, unfiltered, which record numbers they span);
 * once the start is reached, that these are all.
 */
export function shownLine({ records, more, filtering }: ShownState): string {
  const n = records.length;
  const which = filtering ? 'matching records' : 'records';
  if (n === 0) return filtering ? 'No records match.' : 'The trail holds no records.';
  if (more) {
    const span = filtering ? '' : ` (#${formatCount(records.at(-1)!.seq)} to #${formatCount(records[0]!.seq)})`;
    return `Showing the newest ${formatCount(n)} ${which}${span}, newest first; older ones load as you scroll.`;
  }
  if (n === 1) return filtering ? 'The one matching record.' : 'The trail’s one record.';
  const oldest = records.at(-1)!.seq;
  // Unfiltered, a first record numbered above 0 means older ones are gone (retention drops whole segments;
  // a gap is another cause, which Verify names): said without guessing which.
  const dropped = !filtering && oldest > 0 ? ` The trail begins at #${formatCount(oldest)}: older records are no longer kept.` : '';
  return `All ${formatCount(n)} ${which}, newest first.${dropped}`;
}

/** The columns every table of audit records shows (the Audit screen, an incident's timeline), in order. */
export const RECORD_COLUMNS = ['Time (UTC)', 'Actor', 'Action', 'Credential', 'Outcome'] as const;

export function outcomeText(r: Pick<AuditRecordView, 'outcome' | 'code'>): string {
  return r.outcome === 'success' ? 'Succeeded' : `Failed${r.code ? ` (${r.code})` : ''}`;
}

const dayFormat = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "Mon, Dec 7" for a UTC day (YYYY-MM-DD). */
export function dayLabel(day: string): string {
  const t = Date.parse(`${day}T00:00:00.000Z`);
  return Number.isNaN(t) ? day : dayFormat.format(t);
}

/** The day of the month alone, for the axis under a bar: "7". */
export function dayOfMonth(day: string): string {
  return String(Number(day.slice(8, 10)) || day);
}

/** The sentence under the reads-per-day chart: the total, and the busiest day. */
export function readsPerDaySummary(days: UsageView['readsPerDay']): string {
  const total = days.reduce((sum, d) => sum + d.reads, 0);
  if (total === 0) return `No value was read in the last ${days.length} days.`;
  const busiest = days.reduce((best, d) => (d.reads > best.reads ? d : best), days[0]!);
  const active = days.filter((d) => d.reads > 0).length;
  return `${plural(total, 'value read')} in the last ${days.length} days, on ${plural(active, 'day')}; the most on ${dayLabel(busiest.day)} (${formatCount(busiest.reads)}).`;
}

/** "12 reads · 40 operations" for an actor. */
export function actorFigures(a: UsageView['actors'][number]): string {
  return `${plural(a.reads, 'read')} · ${plural(a.operations, 'operation')}`;
}
