/** Rotation policies, due dates, reminders and command rotators: shared types. */
import type { IsoTime } from './domain.js';

export interface RotationRules {
  /** Rotate at least this often. */
  intervalDays: number;
  /** Beyond this age the credential is stale (a high-severity finding). */
  maxAgeDays: number;
  /** Remind this long before a due date or an expiry. */
  reminderLeadDays: number;
}

/** Overrides at one level (type, provider, credential); absent fields inherit. */
export type RotationOverride = Partial<RotationRules>;

export interface RotationPolicySettings {
  defaults: RotationRules;
  byType: Record<string, RotationOverride>;
  /** Keyed by lower-case provider name. */
  byProvider: Record<string, RotationOverride>;
}

export const DEFAULT_ROTATION_RULES: RotationRules = { intervalDays: 30, maxAgeDays: 90, reminderLeadDays: 7 };

export const ROTATION_LIMITS = { days: { min: 1, max: 3650 }, leadDays: { min: 0, max: 365 } } as const;

/** Why a credential is due: its rules, its expiry, or someone marked it compromised (rotate now). */
export type DueReason = 'rotation_interval' | 'max_age' | 'expiry' | 'compromised';
export type DueStatus = 'overdue' | 'due_soon' | 'upcoming';

/** The Rotation screen's groups, in the order it shows them. */
export const TIMELINE_GROUPS = ['overdue', 'due_soon', 'snoozed', 'upcoming'] as const;
export type TimelineGroup = (typeof TIMELINE_GROUPS)[number];

/** The most items of one group the Rotation screen may ask for at once, and the most cards it may keep in place. */
export const TIMELINE_LIMIT_MAX = 10_000;
export const TIMELINE_KEEP_MAX = 1_000;
/** Items of each group the Rotation screen shows before "Show more". */
export const TIMELINE_PAGE = 50;

/** A group of the Rotation screen: how many credentials it holds, and the first of them, soonest first. */
export interface TimelinePage {
  total: number;
  items: DueItem[];
}

/**
 * A card kept in place while the Rotation screen is open (marked "rotated at
 * the provider"): it stays in the group and at the due date it showed, so the
 * card below does not slide under the pointer, until the screen opens again.
 */
export interface TimelineKept {
  id: string;
  group: TimelineGroup;
  dueAt: string;
}

/** Where a due credential shows on the Rotation screen: snoozed while a snooze holds back a reminder that would show, else by status. */
export function timelineGroupOf(status: DueStatus, snoozed: boolean): TimelineGroup {
  return snoozed && status !== 'upcoming' ? 'snoozed' : status;
}

export interface DueItem {
  id: string;
  name: string;
  type: string;
  provider: string;
  /** When the credential must be rotated (the earliest of interval, max age and expiry). */
  dueAt: IsoTime;
  reason: DueReason;
  status: DueStatus;
  /** When the reminder shows (dueAt − lead, or the end of a snooze). */
  remindAt: IsoTime;
  snoozedUntil: IsoTime | null;
  lastRotatedAt: IsoTime | null;
  rules: RotationRules;
  hasRotator: boolean;
}

/** A user-configured external rotator. Commands run through the shell; values only ever travel on stdin/stdout. */
export interface RotatorConfig {
  create: string;
  test?: string;
  revoke?: string;
  timeoutSeconds: number;
  /** When the user confirmed these commands (they run with the user's rights). */
  confirmedAt: IsoTime;
}

export type RotationStep = 'create' | 'set' | 'test' | 'finish' | 'revoke';

export interface RotationRun {
  at: IsoTime;
  kind: 'rotator' | 'manual' | 'generated' | 'marked' | 'rollback';
  outcome: 'success' | 'failure' | 'revoke_failed';
  failedStep?: RotationStep;
  /** What went wrong, for people; never a value or a rotator's output. */
  message?: string;
  /** The version the run produced (kept in history when the run failed). */
  version?: number;
}
