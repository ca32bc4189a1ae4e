/**
 * The watch over the trail: finds anomalies in records as they are chained
 * (docs/audit-format.md §9). Pure: its state is plain data the caller keeps
 * (sealed, beside the trail) between processes, so the CLI and the app watch
 * one history. It never sees a value; credentials are known by their keyed
 * id, and by name only to explain.
 */
import type { Anomaly, AnomalyKind } from '../../../../shared/incidents.js';
import { GRANT_PEAK_HEADROOM, isAccess, isGrantUse, isRollbackSign, isTamperSign, isValueRead, type DetectionRules } from './detection-rules.js';

/** A chained record as the watch sees it. */
export interface WatchedRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  outcome: 'success' | 'failure';
  code?: string;
  /** The keyed credential id. */
  cred?: string;
  /** The credential's name, when known (to explain; never kept in the state). */
  name?: string;
  locked?: boolean;
}

interface Stamp {
  t: number;
  seq: number;
}

/** Everything the detector remembers: counts, recent windows, when each rule last fired. JSON-safe. */
export interface DetectorState {
  v: 1;
  /** When the first record watched happened (ms), or null. */
  since: number | null;
  actors: string[];
  /** Per hour of the week (0 = Sunday 00:00–01:00 local), when it last saw an access (ms), or 0. */
  hours: number[];
  /** Per keyed credential id: when it was first read and how many reads since. */
  reads: Record<string, { first: number; count: number }>;
  /** Reads within the burst window, per credential. */
  recentReads: Record<string, Stamp[]>;
  /** The last read of each credential within the sweep window. */
  sweepReads: Record<string, Stamp>;
  failedUnlocks: Stamp[];
  /** When a rule last fired, by `kind` or `kind:credential`: a rule fires once per window, not at every event after. */
  fired: Record<string, number>;
  /** How many incidents the chain says were opened (its `incident.open.*` records): the incidents file must hold at least as many. */
  opened?: number;
  /**
   * Each grant's own baseline, by actor (`grant:NAME`): a program's schedule
   * and pace say nothing of a person's, nor of another program's. The person
   * and the CLI share `hours`; a grant's accesses are judged, and learnt,
   * only against its own.
   */
  grants?: Record<string, GrantBaseline>;
}

/** One use by a grant: `n` uses were in the burst window ending at it; `learnt: false` when a window it was in crossed the limit. */
interface GrantStamp extends Stamp {
  n: number;
  learnt?: false;
}

/** What one grant usually does (docs/audit-format.md §9). */
export interface GrantBaseline {
  /** Its first access (ms). */
  since: number;
  /** Its uses of values (reads and runs) since then. */
  uses: number;
  /** Its uses within the burst window, in time order. */
  recent: GrantStamp[];
  /** The most uses it made within one burst window, among windows already over (learnt at most doubling per day). */
  busiest: number;
  /**
   * When the current day of learning began (ms), and `busiest` then: within a
   * day, a window teaches at most twice that (or the burst limit), so a token
   * that doubles its pace window after window cannot raise its own limit
   * faster than 2× a day. Absent in state written before: begun at the next use.
   */
  day?: { since: number; busiest: number };
  /** Per hour of the week, when it last had an access (ms), or 0. */
  hours: number[];
}

export function emptyDetectorState(): DetectorState {
  return { v: 1, since: null, actors: [], hours: Array<number>(168).fill(0), reads: {}, recentReads: {}, sweepReads: {}, failedUnlocks: [], fired: {} };
}

/** The hour of the week of a time, in the machine's time zone (what "an odd hour" means to a person). */
export function localHourOfWeek(ms: number): number {
  const d = new Date(ms);
  return d.getDay() * 24 + d.getHours();
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const minutes = (ms: number) => plural(Math.round(ms / 60_000), 'minute');
const days = (ms: number) => plural(Math.round(ms / 86_400_000), 'day');
const DAY_MS = 86_400_000;
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * The sweep window of a state as a Map in time order, beside its `sweepReads`
 * (what is written to the state file): built once per state object, then kept
 * in step by the detector, the only writer of either.
 */
interface SweepWindow {
  reads: Map<string, Stamp>;
  /** The latest time put in it: a read earlier than this arrived out of time order. */
  newest: number;
}

const sweepWindows = new WeakMap<DetectorState, SweepWindow>();

function sweepWindowOf(state: DetectorState): SweepWindow {
  let window = sweepWindows.get(state);
  if (!window) {
    const entries = Object.entries(state.sweepReads).sort(([, a], [, b]) => a.t - b.t);
    window = { reads: new Map(entries), newest: entries.at(-1)?.[1].t ?? -Infinity };
    sweepWindows.set(state, window);
  }
  return window;
}

export class Detector {
  constructor(
    readonly rules: DetectionRules,
    private readonly hourOfWeek: (ms: number) => number = localHourOfWeek,
  ) {}

  /** Updates `state` with one record and returns what it shows (usually nothing). */
  observe(state: DetectorState, record: WatchedRecord): Anomaly[] {
    const t = Date.parse(record.at);
    if (Number.isNaN(t)) return [];
    const found: Anomaly[] = [];
    const about = (kind: AnomalyKind, explanation: string, seqs: number[], extra: Partial<Anomaly> = {}): Anomaly => ({
      kind,
      severity: this.rules.severity[kind],
      at: record.at,
      explanation,
      seqs,
      ...extra,
    });
    const named = record.name ? `"${record.name}"` : 'a credential';

    // A trail that keeps failing verification (a gap from a power cut stays in it for good) opens one incident a
    // day, not one per look: every opening of the Audit screen or report verifies.
    if (isTamperSign(record.action, record.outcome) && (record.action !== 'audit.verify' || this.mayFire(state, 'tamper:verify', t, DAY_MS)))
      found.push(about('tamper', tamperExplanation(record), [record.seq], record.action === 'audit.verify' ? { actor: record.actor, responses: ['notify'] } : {}));
    if (isRollbackSign(record.action)) found.push(about('rollback', tamperExplanation(record), [record.seq]));
    if (record.action === 'compromised' && record.outcome === 'success')
      found.push(
        about('compromised', `${named} was marked compromised (by ${record.actor}): it is due for rotation now, and every use of it since it may have leaked deserves a look.`, [record.seq], {
          actor: record.actor,
          ...(record.cred ? { credentialKey: record.cred } : {}),
          ...(record.name ? { credential: record.name } : {}),
        }),
      );

    // A grant made (or revoked) under a name: the baseline kept under that name was another grant's, never this one's.
    const granted = /^grant\.(add|revoke)\.(.+)$/.exec(record.action);
    if (granted && record.outcome === 'success' && state.grants) delete state.grants[`grant:${granted[2]}`];

    if (record.action.startsWith('vault.unlock') && record.outcome === 'failure' && record.code === 'AUTH_FAILED') {
      const { failures, windowMs } = this.rules.failedUnlocks;
      state.failedUnlocks = [...state.failedUnlocks.filter((s) => s.t > t - windowMs), { t, seq: record.seq }];
      if (state.failedUnlocks.length >= failures && this.mayFire(state, 'failed-unlocks', t, windowMs))
        found.push(about('failed-unlocks', `${plural(state.failedUnlocks.length, 'wrong master password')} within ${minutes(windowMs)} (the limit is ${failures - 1}).`, state.failedUnlocks.map((s) => s.seq)));
    }

    const grant = record.actor.startsWith('grant:') ? this.grantBaseline(state, record.actor, t) : null;
    if (isAccess(record.action)) {
      // The first record of a trail is not an actor "never seen before": it is the one that made the vault.
      if (!state.actors.includes(record.actor)) {
        if (state.since !== null) found.push(about('new-actor', `The first access by "${record.actor}", which had never used this vault before (${record.action}).`, [record.seq], { actor: record.actor }));
        state.actors = [...state.actors, record.actor];
      }
      const hour = this.hourOfWeek(t);
      const { quietMs, historyMs } = this.rules.oddHour;
      // A grant against its own hours (a nightly job's 3 a.m. is its usual), everyone else against the person's.
      const hours = grant ? grant.hours : state.hours;
      const since = grant ? grant.since : state.since;
      const last = hours[hour] ?? 0;
      if (since !== null && t - since >= historyMs && last <= t - quietMs && this.mayFire(state, grant ? `odd-hour:${record.actor}:${hour}` : `odd-hour:${hour}`, t, 60 * 60_000))
        found.push(
          about(
            'odd-hour',
            `Used on a ${DAY_NAMES[Math.floor(hour / 24)]} between ${String(hour % 24).padStart(2, '0')}:00 and ${String((hour % 24) + 1).padStart(2, '0')}:00, an hour of the week with no activity in the previous ${days(quietMs)} (${record.action} by ${record.actor}).`,
            [record.seq],
            { actor: record.actor, ...(record.cred ? { credentialKey: record.cred } : {}), ...(record.name ? { credential: record.name } : {}) },
          ),
        );
      hours[hour] = t;
    }

    if (record.cred && isValueRead(record.action)) found.push(...this.readAnomalies(state, record, t, named));
    if (grant && record.outcome === 'success' && isGrantUse(record.action)) found.push(...this.grantPace(state, grant, record, t));
    if (record.action.startsWith('incident.open.')) state.opened = (state.opened ?? 0) + 1;
    state.since ??= t;
    return found;
  }

  private readAnomalies(state: DetectorState, record: WatchedRecord, t: number, named: string): Anomaly[] {
    const cred = record.cred!;
    const found: Anomaly[] = [];
    const credential = { credentialKey: cred, ...(record.name ? { credential: record.name } : {}) };
    const { reads, windowMs, factor, historyMs } = this.rules.burst;
    const stats = (state.reads[cred] ??= { first: t, count: 0 });
    // In place, oldest first: a burst of a thousand reads costs a thousand steps, not a million.
    let recent = (state.recentReads[cred] ??= []);
    if (recent.length && recent.at(-1)!.t > t) {
      // Out of time order (another process's clock, another device): the window is filtered whole this once.
      recent = state.recentReads[cred] = recent.filter((s) => s.t > t - windowMs);
    } else {
      let expired = 0;
      while (expired < recent.length && recent[expired]!.t <= t - windowMs) expired++;
      if (expired) recent.splice(0, expired);
    }
    recent.push({ t, seq: record.seq });
    // Its usual rate: reads before this window, per window of time since it was first read.
    const before = stats.count - (recent.length - 1);
    const usual = t - stats.first >= historyMs ? (before * windowMs) / Math.max(windowMs, t - windowMs - stats.first) : null;
    const limit = Math.max(reads, usual === null ? 0 : Math.floor(factor * usual));
    stats.count++;
    if (recent.length > limit && this.mayFire(state, `burst:${cred}`, t, windowMs))
      found.push({
        kind: 'burst',
        severity: this.rules.severity.burst,
        at: record.at,
        explanation: `${named} was read ${plural(recent.length, 'time')} within ${minutes(windowMs)}${usual === null ? '' : ` (usually about ${usual < 1 ? 'less than once' : plural(Math.round(usual), 'time')} per ${minutes(windowMs)})`}; the limit is ${limit}.`,
        seqs: recent.map((s) => s.seq),
        actor: record.actor,
        ...credential,
      });

    const sweep = this.rules.sweep;
    // The window oldest first (each read moves its credential to the end), so expiring stops at the first read still
    // inside it: a sweep of the whole vault costs each read a few steps, not a scan of every credential read so far.
    const window = sweepWindowOf(state);
    // In time order, expiring stops at the first read still inside the window; out of it (another clock behind), all
    // are looked at this once.
    const inOrder = t >= window.newest;
    for (const [key, s] of window.reads) {
      if (s.t > t - sweep.windowMs) {
        if (inOrder) break;
        continue;
      }
      window.reads.delete(key);
      delete state.sweepReads[key];
    }
    const stamp = { t, seq: record.seq };
    // (A read from before the window of the newest one can be in no window with it: it is not kept.)
    if (t > window.newest - sweep.windowMs) {
      window.reads.delete(cred);
      window.reads.set(cred, stamp);
      window.newest = Math.max(window.newest, t);
      state.sweepReads[cred] = stamp;
    }
    if (window.reads.size >= sweep.credentials && this.mayFire(state, 'sweep', t, sweep.windowMs)) {
      const distinct = [...window.reads.values()];
      found.push({
        kind: 'sweep',
        severity: this.rules.severity.sweep,
        at: record.at,
        explanation: `${plural(distinct.length, 'different credential')} were read within ${minutes(sweep.windowMs)} (the limit is ${sweep.credentials - 1}), the last by ${record.actor}: someone may be copying out the vault.`,
        seqs: distinct.map((s) => s.seq).sort((a, b) => a - b),
        actor: record.actor,
      });
    }
    return found;
  }

  /** The baseline of the grant `actor`, begun at its first access. */
  private grantBaseline(state: DetectorState, actor: string, t: number): GrantBaseline {
    state.grants ??= {};
    return (state.grants[actor] ??= { since: t, uses: 0, recent: [], busiest: 0, hours: Array<number>(168).fill(0) });
  }

  /**
   * A grant using values faster than it ever has: more uses within the burst
   * window than the burst limit, `factor` times its usual rate, and twice its
   * busiest window before, whichever is highest — judged once it has the
   * burst rule's history (until then it is learning, and only the rules on
   * every actor watch it). Its uses of different credentials count together:
   * a stolen token reading a little of everything is as unusual as one
   * reading one value over and over.
   */
  private grantPace(state: DetectorState, grant: GrantBaseline, record: WatchedRecord, t: number): Anomaly[] {
    const { reads, windowMs, factor, historyMs } = this.rules.burst;
    let recent = grant.recent;
    // A window that is over becomes history: its count may raise the busiest — the current window's never does (a
    // burst would raise its own limit as it grew), nor one that set off the alarm (it would become the usual).
    const over = (s: GrantStamp) => s.t <= t - windowMs;
    if (!grant.day || t - grant.day.since >= DAY_MS) grant.day = { since: t, busiest: grant.busiest };
    const teaches = Math.max(reads, GRANT_PEAK_HEADROOM * grant.day.busiest);
    const learn = (s: GrantStamp) => {
      if (s.learnt !== false) grant.busiest = Math.max(grant.busiest, Math.min(s.n, teaches));
    };
    let at: number;
    if (recent.length && recent.at(-1)!.t > t) {
      // Out of time order (another process's clock): the window is filtered whole this once, and the use goes in
      // its place in time.
      recent = grant.recent = recent.filter((s) => (over(s) ? (learn(s), false) : true));
      at = recent.findIndex((s) => s.t > t);
      if (at < 0) at = recent.length;
    } else {
      let expired = 0;
      while (expired < recent.length && over(recent[expired]!)) learn(recent[expired++]!);
      if (expired) recent.splice(0, expired);
      at = recent.length;
    }
    // Its count: the uses in (t − window, t], itself included (those before it in time order).
    const count = at + 1;
    const stamp: GrantStamp = { t, seq: record.seq, n: count };
    recent.splice(at, 0, stamp);
    const before = grant.uses - (recent.length - 1);
    grant.uses++;
    if (t - grant.since < historyMs) return [];
    const usual = (before * windowMs) / Math.max(windowMs, t - windowMs - grant.since);
    const limit = Math.max(reads, Math.floor(factor * usual), GRANT_PEAK_HEADROOM * grant.busiest);
    if (count <= limit) return [];
    // The whole window that crossed it is never learnt: else the next burst as big would be its usual.
    for (let i = 0; i < count; i++) recent[i]!.learnt = false;
    if (!this.mayFire(state, `burst:${record.actor}`, t, windowMs)) return [];
    const name = record.actor.slice('grant:'.length);
    return [
      {
        kind: 'burst',
        severity: this.rules.severity.burst,
        at: record.at,
        explanation: `The grant "${name}" used ${plural(count, 'value')} within ${minutes(windowMs)}: its busiest ${minutes(windowMs)} before had ${grant.busiest}, and it usually uses ${usual < 1 ? 'less than one' : `about ${plural(Math.round(usual), 'value')}`} per ${minutes(windowMs)}; the limit is ${limit}.`,
        seqs: recent.slice(0, count).map((s) => s.seq),
        actor: record.actor,
      },
    ];
  }

  /** Whether `key` may fire at `t`: not within `windowMs` of its last firing (which this then becomes). */
  private mayFire(state: DetectorState, key: string, t: number, windowMs: number): boolean {
    const last = state.fired[key];
    if (last !== undefined && t - last < windowMs) return false;
    state.fired[key] = t;
    return true;
  }
}

function tamperExplanation(record: WatchedRecord): string {
  switch (record.action) {
    case 'audit.gap':
      return 'The audit trail had been cut back, emptied or its head replaced before a record was written: records may have been removed.';
    case 'vault.olderCopySeen':
      return 'The vault file was replaced by an older copy of itself (a rollback): changes made since may have been undone.';
    case 'vault.olderCopyAccepted':
      return 'An older copy of the vault was opened on purpose (--accept-older or "keep the older copy"), undoing the changes made since it was saved.';
    default:
      return 'Verifying the audit trail failed: records were changed, removed, added or reordered ("keyward audit verify" names each).';
  }
}
