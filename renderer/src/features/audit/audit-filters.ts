/**
 * The Audit screen's filters as a person sets them, and the query main is
 * asked (shared/ipc/audit.ts, checked there against its schema): a time
 * range, an action (a common choice or typed), an actor, a credential's exact
 * name and an outcome. Text fields are checked here first, so a typo is shown
 * beside its field instead of coming back as a refused call.
 */
import type { AuditQuery } from '../../../../shared/ipc/contract';

export type TimeRange = 'any' | '24h' | '7d' | '30d' | 'custom';
export type OutcomeChoice = 'all' | 'success' | 'failure';

/** The action choice that opens a text field for any other action. */
export const OTHER_ACTION = 'other';

export interface AuditFilters {
  time: TimeRange;
  /** The custom range's first and last days (YYYY-MM-DD, UTC: the trail's times are UTC). */
  from: string;
  to: string;
  /** '' (every action), one of ACTION_CHOICES' values, or OTHER_ACTION. */
  action: string;
  /** The action typed when `action` is OTHER_ACTION: exact, or the start of one ending in ".". */
  actionText: string;
  actor: string;
  credential: string;
  outcome: OutcomeChoice;
}

export const NO_FILTERS: AuditFilters = { time: 'any', from: '', to: '', action: '', actionText: '', actor: '', credential: '', outcome: 'all' };

export const TIME_RANGES: Record<TimeRange, string> = { any: 'Any time', '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days', custom: 'Between dates' };

const HOUR = 3_600_000;
const RANGE_MS: Partial<Record<TimeRange, number>> = { '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '30d': 30 * 24 * HOUR };

export const OUTCOMES: Record<OutcomeChoice, string> = { all: 'All outcomes', success: 'Succeeded', failure: 'Failed' };

export interface ActionChoice {
  value: string;
  label: string;
  /** Shown as an option group ("Changes"). */
  group?: string;
}

/**
 * Common actions (docs/audit-format.md). A value ending in "." is a family
 * (every action that starts so); the query takes one action or family, so the
 * kinds of change are offered one by one.
 */
export const ACTION_CHOICES: readonly ActionChoice[] = [
  { value: '', label: 'All actions' },
  { value: 'vault.', label: 'Vault lifecycle' },
  { value: 'vault.unlock.', label: 'Unlocks' },
  { value: 'reveal', label: 'Value reveals' },
  { value: 'copy.', label: 'Copies' },
  { value: 'add', label: 'Additions', group: 'Changes' },
  { value: 'update', label: 'Edits', group: 'Changes' },
  { value: 'rotate', label: 'Rotations', group: 'Changes' },
  { value: 'remove', label: 'Removals', group: 'Changes' },
  { value: 'audit.', label: 'Audit trail reads' },
  { value: 'incident.', label: 'Incidents' },
  { value: OTHER_ACTION, label: 'Another action…' },
];

/** Actors Keyward itself records (a grant's name may join them later): suggestions for the actor field. */
export const KNOWN_ACTORS = ['app', 'cli'] as const;

/** What main accepts for an action or an actor (shared/ipc/audit.schemas.ts). */
const NAME = /^[a-zA-Z0-9._-]*$/;
const MAX_NAME = 100;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface FilterProblems {
  actionText?: string;
  actor?: string;
  from?: string;
  to?: string;
}

function nameProblem(text: string, what: string): string | undefined {
  const t = text.trim();
  if (t.length > MAX_NAME) return `At most ${MAX_NAME} characters.`;
  if (!NAME.test(t)) return `${what} is letters, digits, dots, dashes and underscores only.`;
  return undefined;
}

/** What is wrong with the typed filters, by field (empty when nothing is). */
export function filterProblems(f: AuditFilters): FilterProblems {
  const out: FilterProblems = {};
  if (f.action === OTHER_ACTION) {
    const p = nameProblem(f.actionText, 'An action');
    if (p) out.actionText = p;
  }
  const actor = nameProblem(f.actor, 'An actor');
  if (actor) out.actor = actor;
  if (f.time === 'custom') {
    if (f.from && !validDay(f.from)) out.from = 'A date, as YYYY-MM-DD.';
    if (f.to && !validDay(f.to)) out.to = 'A date, as YYYY-MM-DD.';
    else if (f.from && f.to && validDay(f.from) && f.to < f.from) out.to = 'The last day comes on or after the first.';
  }
  return out;
}

function validDay(day: string): boolean {
  return DAY.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00.000Z`));
}

/**
 * The query for these filters at `now`; null while a field has a problem (the
 * screen keeps showing what the last good query found). Times are full ISO
 * strings in UTC, as the trail writes them, so main's comparison is exact.
 */
export function toQuery(f: AuditFilters, now: Date): AuditQuery | null {
  if (Object.keys(filterProblems(f)).length > 0) return null;
  const q: AuditQuery = {};
  const span = RANGE_MS[f.time];
  if (span !== undefined) q.since = new Date(now.getTime() - span).toISOString();
  if (f.time === 'custom') {
    if (f.from) q.since = `${f.from}T00:00:00.000Z`;
    if (f.to) q.until = `${f.to}T23:59:59.999Z`;
  }
  const action = f.action === OTHER_ACTION ? f.actionText.trim() : f.action;
  if (action) q.action = action;
  if (f.actor.trim()) q.actor = f.actor.trim();
  if (f.credential.trim()) q.credential = f.credential.trim();
  if (f.outcome !== 'all') q.outcome = f.outcome;
  return q;
}

/** Whether any filter narrows the trail. */
export function isFiltering(f: AuditFilters): boolean {
  const q = toQuery(f, new Date(0));
  return q === null || Object.keys(q).length > 0;
}

/** Whether two filter states differ only in their selects (applied at once) rather than in typed text (applied once typing pauses). */
export function sameText(a: AuditFilters, b: AuditFilters): boolean {
  return a.actionText === b.actionText && a.actor === b.actor && a.credential === b.credential && a.from === b.from && a.to === b.to;
}
