/**
 * When each credential is due, computed only from stored timestamps and the
 * clock — so nothing depends on the app having run at the right moment: a
 * computer that slept for a month sees everything that became due meanwhile.
 */
import { TIMELINE_GROUPS, timelineGroupOf, type DueItem, type DueReason, type DueStatus, type RotationOverride, type RotationPolicySettings, type RotationRules, type TimelineGroup, type TimelineKept, type TimelinePage } from '../../../shared/rotation.js';
import type { StoredCredential, VaultBody } from '../vault/body.js';
import type { CustomRule } from '../../../shared/policy-rules.js';
import { ruleEffects } from '../policy/rules/index.js';
import { eventLoopPacer, runNow, runPaced, sortSteps, type Pacer, type Steps } from '../vault/pacing.js';

const DAY = 86_400_000;

function pick(override: RotationOverride | undefined): RotationOverride {
  if (!override) return {};
  return Object.fromEntries(Object.entries(override).filter(([, v]) => typeof v === 'number')) as RotationOverride;
}

/** Defaults ← type ← provider ← credential: the most specific setting wins. */
export function effectiveRules(policy: RotationPolicySettings, c: Pick<StoredCredential, 'name' | 'type' | 'provider' | 'tags' | 'rotation'>, custom?: readonly CustomRule[]): RotationRules {
  const rules = {
    ...policy.defaults,
    ...pick(policy.byType[c.type]),
    ...pick(policy.byProvider[c.provider.trim().toLowerCase()]),
    ...pick(c.rotation?.override),
  };
  // Custom rules covering it (docs/policies.md) can only shorten: "production keys rotate every 14 days" at most.
  const effects = ruleEffects(custom, c);
  if (effects.intervalDays !== undefined) rules.intervalDays = Math.min(rules.intervalDays, effects.intervalDays);
  if (effects.maxAgeDays !== undefined) rules.maxAgeDays = Math.min(rules.maxAgeDays, effects.maxAgeDays);
  return rules;
}

export function dueItemFor(c: StoredCredential, policy: RotationPolicySettings, now: Date, custom?: readonly CustomRule[]): DueItem {
  return dueItemOf(c, dueTimes(c, policy, now, custom), now);
}

/** The instants a credential's due state is made of: what the schedule sorts by and reminders compare, before any text. */
interface DueTimes {
  rules: RotationRules;
  dueMs: number;
  reason: DueReason;
  leadStart: number;
  remindMs: number;
  snoozeMs: number;
}

function dueTimes(c: StoredCredential, policy: RotationPolicySettings, now: Date, custom?: readonly CustomRule[]): DueTimes {
  const rules = effectiveRules(policy, c, custom);
  const base = new Date(c.lastRotatedAt ?? c.createdAt).getTime();
  const candidates: Array<[number, DueReason]> = [
    [base + rules.intervalDays * DAY, 'rotation_interval'],
    [base + rules.maxAgeDays * DAY, 'max_age'],
  ];
  if (c.expiresAt) candidates.push([new Date(c.expiresAt).getTime(), 'expiry']);
  // Marked compromised after its last rotation: due from that moment, whatever its rules say.
  const compromised = c.rotation?.compromisedAt ? Date.parse(c.rotation.compromisedAt) : NaN;
  if (compromised > base) candidates.push([compromised, 'compromised']);
  const [dueMs, reason] = candidates.reduce((a, b) => (b[0] < a[0] ? b : a));
  const snoozedUntil = c.rotation?.snoozedUntil ?? null;
  const snoozeMs = snoozedUntil ? new Date(snoozedUntil).getTime() : 0;
  const leadStart = dueMs - rules.reminderLeadDays * DAY;
  const remindMs = snoozeMs > now.getTime() ? Math.max(snoozeMs, leadStart) : leadStart;
  return { rules, dueMs, reason, leadStart, remindMs, snoozeMs };
}

function dueItemOf(c: StoredCredential, t: DueTimes, now: Date): DueItem {
  const nowMs = now.getTime();
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    provider: c.provider,
    dueAt: new Date(t.dueMs).toISOString(),
    reason: t.reason,
    status: statusAt(t, nowMs),
    remindAt: new Date(t.remindMs).toISOString(),
    snoozedUntil: t.snoozeMs > nowMs ? (c.rotation?.snoozedUntil ?? null) : null,
    lastRotatedAt: c.lastRotatedAt,
    rules: t.rules,
    hasRotator: Boolean(c.rotation?.rotator),
  };
}

function statusAt(t: DueTimes, nowMs: number): DueStatus {
  return nowMs >= t.dueMs ? 'overdue' : nowMs >= t.leadStart ? 'due_soon' : 'upcoming';
}

/**
 * Due items soonest first, in steps — by instant, not by text: past the year
 * 9999 ISO strings take an extended form ("+010000-…") that sorts first.
 * (The instant is kept from computing it: parsing the text in each
 * comparison cost a second at 100k.) Ties keep the vault's order.
 */
function* soonestFirst(due: readonly { item: DueItem; dueMs: number }[]): Steps<DueItem[]> {
  const sorted = yield* sortSteps(due, (a, b) => a.dueMs - b.dueMs);
  return sorted.map((d) => d.item);
}

/** Every active credential's due item, soonest first. Deactivated credentials are never due. */
export function schedule(body: Readonly<VaultBody>, now: Date): DueItem[] {
  return scheduleView(body, now).items;
}

/** The schedule, and how many of its reminders show now. */
export interface ScheduleView {
  items: DueItem[];
  reminders: number;
}

/** The Rotation screen's schedule and reminder count, in one pass. */
export function scheduleView(body: Readonly<VaultBody>, now: Date): ScheduleView {
  return runNow(scheduleSteps(body, now));
}

/** `scheduleView` in paced steps, for the app: ~0.3 s of work at 100k (see `reminderViewPaced`). */
export function scheduleViewPaced(body: Readonly<VaultBody>, now: Date, pacer: Pacer = eventLoopPacer()): Promise<ScheduleView> {
  return runPaced(scheduleSteps(body, now), pacer);
}

function* scheduleSteps(body: Readonly<VaultBody>, now: Date): Steps<ScheduleView> {
  const nowMs = now.getTime();
  const due: { item: DueItem; dueMs: number }[] = [];
  let reminders = 0;
  yield* eachActiveDue(body, now, (c, t) => {
    if (reminderShows(t, nowMs)) reminders++;
    due.push({ item: dueItemOf(c, t, now), dueMs: t.dueMs });
  });
  return { items: yield* soonestFirst(due), reminders };
}

/** Credentials looked at between two chances to pause: ~1 ms of work here. */
const DUE_STEP = 1_000;

/**
 * Every active credential with its due times, pausing every DUE_STEP. It reads
 * the list as it stood when called: a save meanwhile changes the body's array
 * in place, and whoever asked looks again after a change. (Deactivated
 * credentials are never due.)
 */
function* eachActiveDue(body: Readonly<VaultBody>, now: Date, visit: (c: StoredCredential, t: DueTimes) => void): Steps<void> {
  const credentials = body.credentials.slice();
  const { rotation } = body;
  const rules = body.policy?.rules;
  for (let i = 0; i < credentials.length; i++) {
    if (i > 0 && i % DUE_STEP === 0) yield;
    const c = credentials[i]!;
    if (c.active) visit(c, dueTimes(c, rotation, now, rules));
  }
}

/** Whether a credential's reminder shows now: its time has come and it is not snoozed. */
function reminderShows(t: DueTimes, nowMs: number): boolean {
  return t.remindMs <= nowMs && !(t.snoozeMs > nowMs);
}

/**
 * What is due within `withinDays` of now (0 = due by now). Without a window,
 * each credential's own reminder lead time decides.
 */
export function dueWithin(body: Readonly<VaultBody>, now: Date, withinDays?: number): DueItem[] {
  const nowMs = now.getTime();
  return schedule(body, now).filter((item) =>
    withinDays === undefined ? item.status !== 'upcoming' : new Date(item.dueAt).getTime() <= nowMs + withinDays * DAY,
  );
}

/** The reminders that show now, soonest first, and the next moment another will (null: none will). */
export interface ReminderView {
  due: DueItem[];
  next: Date | null;
}

/**
 * The reminders that show now (due soon or overdue, not snoozed; soonest
 * first) and the next moment another will (for arming a timer), in one pass
 * that makes due items only for the reminders: the scheduler's every check,
 * which at 100k must not build the whole schedule, let alone twice.
 */
export function reminderView(body: Readonly<VaultBody>, now: Date): ReminderView {
  return runNow(reminderSteps(body, now));
}

/**
 * `reminderView` in paced steps (vault/pacing.ts): the app's scheduler looks
 * at 100k credentials without holding the main process's event loop (~0.6 s
 * in one go).
 */
export function reminderViewPaced(body: Readonly<VaultBody>, now: Date, pacer: Pacer = eventLoopPacer()): Promise<ReminderView> {
  return runPaced(reminderSteps(body, now), pacer);
}

function* reminderSteps(body: Readonly<VaultBody>, now: Date): Steps<ReminderView> {
  const nowMs = now.getTime();
  const due: { item: DueItem; dueMs: number }[] = [];
  // A running minimum, not Math.min(...times): one argument per credential overflows the stack in large vaults.
  let soonest = Infinity;
  yield* eachActiveDue(body, now, (c, t) => {
    if (reminderShows(t, nowMs)) due.push({ item: dueItemOf(c, t, now), dueMs: t.dueMs });
    else if (t.remindMs > nowMs && t.remindMs < soonest) soonest = t.remindMs;
  });
  return { due: yield* soonestFirst(due), next: soonest === Infinity ? null : new Date(soonest) };
}

/** What the Rotation screen asks for: how many of each group to show, and the cards to keep where they stood. */
export interface TimelineQuery {
  limits: Readonly<Record<TimelineGroup, number>>;
  keep: readonly TimelineKept[];
}

/**
 * The Rotation screen's groups, each with its count and only its first
 * `limits[group]` items: at 100k the whole schedule is 35 MB to send, the
 * first page of each group a few kB. One paced pass over every credential,
 * due items made only for what is sent.
 */
export function timelinePaced(body: Readonly<VaultBody>, now: Date, query: TimelineQuery, pacer: Pacer = eventLoopPacer()): Promise<TimelineView> {
  return runPaced(timelineSteps(body, now, query), pacer);
}

/** The groups, and how many reminders show now (as `scheduleView` counts them). */
export interface TimelineView {
  groups: Record<TimelineGroup, TimelinePage>;
  reminders: number;
}

function* timelineSteps(body: Readonly<VaultBody>, now: Date, query: TimelineQuery): Steps<TimelineView> {
  const nowMs = now.getTime();
  let reminders = 0;
  const kept = new Map(query.keep.map((k) => [k.id, k]));
  type Entry = { c: StoredCredential; t: DueTimes; sortMs: number };
  const groups: Record<TimelineGroup, Entry[]> = { overdue: [], due_soon: [], snoozed: [], upcoming: [] };
  yield* eachActiveDue(body, now, (c, t) => {
    if (reminderShows(t, nowMs)) reminders++;
    const k = kept.get(c.id);
    const sortMs = k ? Date.parse(k.dueAt) : t.dueMs;
    groups[k?.group ?? timelineGroupOf(statusAt(t, nowMs), t.snoozeMs > nowMs)].push({ c, t, sortMs: Number.isNaN(sortMs) ? t.dueMs : sortMs });
  });
  const pages = {} as Record<TimelineGroup, TimelinePage>;
  for (const group of TIMELINE_GROUPS) {
    const sorted = yield* sortSteps(groups[group], (a, b) => a.sortMs - b.sortMs);
    pages[group] = { total: sorted.length, items: sorted.slice(0, query.limits[group]).map((e) => dueItemOf(e.c, e.t, now)) };
  }
  return { groups: pages, reminders };
}

/** How many reminders show now, in paced steps and without making a due item: the app's badge, at any size. */
export function reminderCountPaced(body: Readonly<VaultBody>, now: Date, pacer: Pacer = eventLoopPacer()): Promise<number> {
  return runPaced(reminderCountSteps(body, now), pacer);
}

function* reminderCountSteps(body: Readonly<VaultBody>, now: Date): Steps<number> {
  const nowMs = now.getTime();
  let count = 0;
  yield* eachActiveDue(body, now, (_, t) => {
    if (reminderShows(t, nowMs)) count++;
  });
  return count;
}

/** Credentials whose reminder should show now (due soon or overdue, not snoozed). */
export function remindersDue(body: Readonly<VaultBody>, now: Date): DueItem[] {
  return reminderView(body, now).due;
}

/** The next moment a reminder will become due, if any (for arming a timer). */
export function nextReminderAt(body: Readonly<VaultBody>, now: Date): Date | null {
  return reminderView(body, now).next;
}

/** When the vault key itself is due for rotation (null when the schedule is off). */
export function vaultKeyDueAt(body: Readonly<VaultBody>, vaultCreatedAt: string): Date | null {
  const days = body.settings.vaultKeyRotationDays;
  if (!days) return null;
  return new Date(new Date(body.keyCreatedAt ?? vaultCreatedAt).getTime() + days * DAY);
}
