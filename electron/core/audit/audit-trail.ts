/**
 * The durable, tamper-evident audit trail of one vault (spec:
 * docs/audit-format.md): an AuditSink that appends each event as a chained,
 * MACed record to `P.audit` and moves the head (`P.audit-head`) after it.
 *
 * While the vault is locked there is no key to chain with: events (failed
 * unlocks above all) go to `P.audit-pending`, without anything sensitive, and
 * are chained at the next unlock, marked `locked`.
 *
 * Fail closed: a record that cannot be written is AUDIT_UNAVAILABLE, and the
 * door does not hand out the operation's result — unless the vault's setting
 * says otherwise (`auditFailClosed: false`): then the operation goes on, the
 * entry point is told (`onUnrecorded`), and the next record this process
 * manages to write is preceded by one saying how many went unrecorded, when.
 */
import { KeywardError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { FileSystem } from '../ports/file-system.js';
import type { Random } from '../ports/random.js';
import type { VaultPaths } from '../vault/vault-paths.js';
import { WriteLock } from '../vault/write-lock.js';
import { isAuditActor, type AuditEvent, type AuditSink } from './audit-sink.js';
import type { Incident } from '../../../shared/incidents.js';
import { canonicalJson } from './canonical-json.js';
import { opensIncident, type AuditWatch } from './watch/audit-watch.js';
import type { DetectionRules } from './watch/detection-rules.js';
import { SegmentWriter } from './segment-writer.js';
import { parseIndex, segmentFile } from './segments.js';
import type { TrailFiles } from './trail-verify.js';
import { chainPlaceOf, keyedCredentialId, recordLine, recordMac, sealName, TRAIL_VERSION, wipeTrailKeys, type TrailAnchor, type TrailGap, type TrailKeys, type TrailRecord } from './trail-records.js';

export interface TrailDeps {
  fs: FileSystem;
  random: Random;
  clock: Clock;
  /** This installation's id (device-id.ts). */
  device: () => Promise<string>;
  lockTimeoutMs?: number;
  isProcessAlive?: (pid: number) => boolean;
  /** Watches every record chained (watch/audit-watch.ts); none in tests of the trail alone. */
  watch?: AuditWatch;
  /** Told of incidents as they open (after their records are written), to respond: notify, lock. */
  onIncidents?: (incidents: Incident[]) => void;
  /** An operation went on although its record could not be written (the vault's fail-closed setting is off), and why. */
  onUnrecorded?: (reason: string, action: string) => void;
  /** Lines per sealed segment (segments.ts; a power of two; tests use small ones). */
  segmentRecords?: number;
}

/** What the trail needs of the open vault besides its keys. */
export interface TrailContext {
  vaultId: string;
  /** The head the vault's body holds now (read at every append, as saves move it). */
  anchor: () => TrailAnchor | null;
  /** How long sealed segments are kept, in days (0: for ever); read at every append, as settings change. */
  retentionDays: () => number;
  /** Whether an operation whose record cannot be written is refused (the default); read at each failure. */
  failClosed?: () => boolean;
  /** The watch's rules in force (the vault's settings); the watch's own when absent. */
  detection?: () => DetectionRules;
  /**
   * Checks a grant's use recorded while locked (its proof) and names its
   * credential; null when the proof does not hold (a forged or changed line),
   * which is then folded in without the credential, as a failure (CORRUPTED).
   */
  grantUse?: (line: PendingGrantUse) => { credentialName?: string } | null;
}

/** A pending line of a grant's use, as it was written (without its MAC) and the MAC. */
export interface PendingGrantUse {
  unsigned: string;
  grant: string;
  mac: string;
  credentialId?: string;
}

/** The chain's tip: the last record's sequence number and MAC (seq -1 and the genesis MAC before the first). */
export interface TrailHead {
  seq: number;
  mac: Buffer;
}

/** Who holds the trail's keys: handed out by `attach`, and only that holder's `detach` lets them go. */
export interface TrailHold {
  readonly held: true;
}

/** Operations that only read: their records are not fsynced one by one (a later write's fsync, or the OS, carries them). */
const READS = new Set(['list', 'show', 'history', 'reveal', 'analyse', 'due', 'schedule', 'generate', 'backups.list', 'vault.verifyPassword', 'vault.inspectBackups', 'audit.list', 'audit.verify', 'incident.list']);
const READ_PREFIXES = ['copy.', 'health.'];

function isRead(action: string): boolean {
  return READS.has(action) || READ_PREFIXES.some((p) => action.startsWith(p));
}

/** How far back a tip is first looked for; doubled until a whole line is found (a record with a long sealed name can be tens of kB). */
const TAIL_BYTES = 16 * 1024;


export class AuditTrail implements AuditSink {
  #keys: TrailKeys | null = null;
  /** The vault the keys are of (the watch's files are sealed to it), and its retention. */
  #context: TrailContext | null = null;
  readonly #segments: SegmentWriter;
  #hold: TrailHold | null = null;
  /** Operations that went on unrecorded (fail-closed off), not yet noted in the chain. */
  #unrecorded: { count: number; from: string; to: string } | null = null;
  /** Where the vault's current anchor is read (a session's body), or null. */
  #anchor: (() => TrailAnchor | null) | null = null;
  /** The tip as this process last wrote or read it, with the log's size then (another process's append changes the size). */
  #tip: { head: TrailHead; size: number } | null = null;
  readonly #lock: WriteLock;
  /** Trail work runs one piece at a time in this process: keys are never swapped or wiped under an append. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly paths: VaultPaths['audit'],
    private readonly deps: TrailDeps,
  ) {
    // Held for a millisecond per record: the lock file is not fsynced (a lost one is only ever judged stale).
    this.#lock = new WriteLock(deps.fs, deps.random, { timeoutMs: deps.lockTimeoutMs, isProcessAlive: deps.isProcessAlive, durable: false });
    this.#segments = new SegmentWriter(paths.log, paths.segments, { fs: deps.fs, clock: deps.clock, ...(deps.segmentRecords ? { perSegment: deps.segmentRecords } : {}) });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Starts chaining under `keys` (the trail takes them; they are wiped when
   * the returned hold is let go) and folds in what was recorded while locked.
   * `anchor` reads the head the vault's body holds now, at every append.
   */
  async attach(keys: TrailKeys, context: TrailContext): Promise<TrailHold> {
    const hold: TrailHold = Object.freeze({ held: true as const });
    void this.release();
    this.#keys = keys;
    this.#context = context;
    this.#hold = hold;
    this.#anchor = context.anchor;
    this.deps.watch?.forget();
    try {
      await this.serial(() => this.guarded(() => this.#lock.withLock(this.paths.lock, () => this.foldPending(keys, context))));
    } catch (err) {
      // Fail-closed off: the vault opens all the same (what was pending stays pending, for an opening that can write it).
      if (context.failClosed?.() === false && isStorageFailure(err)) {
        this.deps.onUnrecorded?.(reasonOf(err), 'vault.open');
        return hold;
      }
      void this.detach(hold);
      throw err;
    }
    return hold;
  }

  /**
   * Stops chaining for `hold` (a later attach's hold is left alone): later
   * events wait in the pending file. The keys are wiped once the appends
   * already queued are done (and the watch's state written): the promise
   * says when, with the head as the trail was left (null when this hold was
   * not the trail's, or nothing was written or read).
   */
  detach(hold: TrailHold): Promise<TrailHead | null> {
    return this.#hold === hold ? this.release() : Promise.resolve(null);
  }

  private release(): Promise<TrailHead | null> {
    const keys = this.#keys;
    const context = this.#context;
    this.#keys = null;
    this.#context = null;
    this.#hold = null;
    this.#anchor = null;
    if (!keys) return Promise.resolve(null);
    return this.serial(async () => {
      try {
        // What the watch has not written yet goes to its file while the keys are whole (when nobody appended since).
        if (context && this.deps.watch)
          await this.#lock.withLock(this.paths.lock, async () => {
            const tip = await this.currentTip();
            await this.deps.watch!.flush(keys, context.vaultId, { seq: tip.head.seq, size: tip.size });
          });
      } catch {
        /* derived data: the next process rebuilds or catches up */
      } finally {
        wipeTrailKeys(keys);
      }
      const left = this.head();
      this.#tip = null;
      return left;
    });
  }

  /** The tip as last written or read by this process; null before any. */
  head(): TrailHead | null {
    return this.#tip ? { seq: this.#tip.head.seq, mac: Buffer.from(this.#tip.head.mac) } : null;
  }

  record(event: AuditEvent): Promise<void> {
    // Which keys apply is decided now, when it happened, not when its turn in the queue comes.
    const keys = this.#keys;
    const context = this.#context;
    return this.serial(async () => {
      try {
        await this.guarded(() =>
          // (Keys let go meanwhile are wiped only after this turn: still whole here.)
          this.#lock.withLock(this.paths.lock, () => (keys && context ? this.append(keys, context, [event], !isRead(event.action)) : this.recordPending(event))),
        );
      } catch (err) {
        // Only an open vault knows its setting (while locked the trail always fails closed), only the storage itself
        // failing may be gone past (a lock another process holds, or damage, never), and never for a change to what
        // protects the vault: that change would otherwise leave no trace.
        if (!(keys && context && context.failClosed?.() === false && mayGoUnrecorded(event.action) && isStorageFailure(err))) throw err;
        const unrecorded = this.#unrecorded;
        this.#unrecorded = { count: (unrecorded?.count ?? 0) + 1, from: unrecorded?.from ?? event.at, to: event.at };
        this.deps.onUnrecorded?.(reasonOf(err), event.action);
      }
    });
  }

  /** The trail's files as one consistent state (read under its lock, after what this process has queued). */
  readFiles(): Promise<TrailFiles> {
    return this.locked(async () => {
      const head = await this.deps.fs.readFile(this.paths.head);
      const log = await this.deps.fs.readFile(this.paths.log);
      const index = await this.deps.fs.readFile(this.paths.segments.index);
      const segments = new Map<number, Buffer | null>();
      for (const seal of parseIndex(index).seals) if (!seal.dropped) segments.set(seal.n, await this.deps.fs.readFile(segmentFile(this.paths.segments, seal.first)));
      return { log, head, index, segments };
    });
  }

  /** Runs `work` under the trail's lock, after what this process has queued: no append of any process in between. */
  locked<T>(work: () => Promise<T>): Promise<T> {
    return this.serial(() => this.#lock.withLock(this.paths.lock, work));
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof KeywardError && err.code === 'AUDIT_UNAVAILABLE') throw err;
      throw unavailable(err);
    }
  }

  private async recordPending(event: AuditEvent): Promise<void> {
    // Nothing sensitive without a key to seal it with: no credential name; a credential id only with a grant's proof.
    await this.deps.fs.append(this.paths.pending, Buffer.from(`${pendingLine(event)}\n`, 'utf8'), { sync: true });
  }

  /** Chains what was recorded while locked (the caller holds the trail's lock, so nothing is appended to it meanwhile). */
  private async foldPending(keys: TrailKeys, context: TrailContext): Promise<void> {
    const data = await this.deps.fs.readFile(this.paths.pending);
    if (!data || data.length === 0) return;
    const events: AuditEvent[] = [];
    const now = this.deps.clock.now().toISOString();
    for (const line of data.toString('utf8').split('\n')) {
      const pending = pendingEvent(line);
      if (!pending) continue;
      // Written by anyone who can write beside the vault: a time from the future is clamped to now, a grant's use believed only with its proof.
      const event = pending.grantUse ? withGrantUse(pending.event, pending.grantUse, context.grantUse?.(pending.grantUse) ?? null) : pending.event;
      events.push(event.at > now ? { ...event, at: now } : event);
    }
    await this.append(keys, context, events, true, { locked: true });
    // (A crash between the append and this unlink chains these events again at the next unlock: duplicated, never lost.)
    await this.deps.fs.unlink(this.paths.pending).catch(() => undefined);
  }

  /** Appends records for `events` after the tip (the caller holds the trail's lock), then moves the head. */
  private async append(keys: TrailKeys, context: TrailContext, events: readonly AuditEvent[], sync: boolean, extra: { locked?: true } = {}): Promise<void> {
    const device = await this.deps.device();
    const tip = await this.currentTip();
    let { head } = tip;
    // A full live log is sealed into a segment first (the chain goes on unchanged), and expired segments dropped.
    const kept = await this.#segments.maintain(keys, tip.size, retentionOf(context));
    let size = kept.size;
    if (size !== tip.size) {
      this.#tip = { head, size };
      await this.deps.watch?.sealed(keys, context.vaultId, tip.size, size);
    }
    const watching = this.deps.watch ? await this.deps.watch.begin(keys, context.vaultId, { seq: head.seq, size }, detectionOf(context)) : null;
    const lines: string[] = [];
    const push = (record: TrailRecord, name?: string) => {
      const mac = recordMac(keys, head.mac, record);
      lines.push(recordLine(record, mac));
      head = { seq: record.seq, mac };
      watching?.observe(record, name);
    };
    if (tip.gap) {
      // The evidence goes into the chain before anything after it (docs/audit-format.md §5). Numbering goes on
      // after what was expected, so the gap is written once, not by every writer until the numbers catch up.
      const seq = Math.max(head.seq, tip.gap.expected) + 1;
      push({ v: TRAIL_VERSION, seq, at: this.deps.clock.now().toISOString(), device, actor: events[0]?.actor ?? 'app', action: 'audit.gap', outcome: 'failure', code: 'CORRUPTED', gap: tip.gap });
    }
    const unrecorded = this.#unrecorded;
    if (unrecorded) {
      // What went on while nothing could be written is said before what comes after it.
      push({ v: TRAIL_VERSION, seq: head.seq + 1, at: this.deps.clock.now().toISOString(), device, actor: events[0]?.actor ?? 'app', action: 'audit.unrecorded', outcome: 'failure', code: 'AUDIT_UNAVAILABLE', unrecorded });
    }
    for (const event of events) {
      const seq = head.seq + 1;
      push({
        v: TRAIL_VERSION,
        seq,
        at: event.at,
        device,
        actor: event.actor,
        action: event.action,
        outcome: event.outcome,
        ...(event.errorCode ? { code: event.errorCode } : {}),
        ...(event.credentialId ? { cred: keyedCredentialId(keys, event.credentialId) } : {}),
        ...(event.credentialName ? { name: sealName(keys, seq, event.credentialName, this.deps.random) } : {}),
        ...extra,
      }, event.credentialName);
    }
    const at = this.deps.clock.now().toISOString();
    // Dropping records is itself recorded: what went, and under which retention.
    for (const drop of kept.dropped) {
      push({ v: TRAIL_VERSION, seq: head.seq + 1, at, device, actor: events[0]?.actor ?? 'app', action: 'audit.retention', outcome: 'success', retention: { first: drop.first, last: drop.last, days: drop.retentionDays } });
    }
    // Each incident's opening is itself in the chain, right after what opened it.
    for (const anomaly of watching?.found.filter(opensIncident) ?? []) {
      const seq = head.seq + 1;
      push({ v: TRAIL_VERSION, seq, at, device, actor: events[0]?.actor ?? 'app', action: `incident.open.${anomaly.kind}`, outcome: 'success', ...(anomaly.credentialKey ? { cred: anomaly.credentialKey } : {}) });
    }
    if (lines.length === 0) return;
    const bytes = Buffer.from(lines.join(''), 'utf8');
    if (size === 0) await this.writeHead(tip.head, true); // (a crash after the first append leaves a head, not a missing one)
    await this.deps.fs.append(this.paths.log, bytes, { sync });
    size += bytes.length;
    this.#tip = { head, size };
    if (unrecorded && this.#unrecorded === unrecorded) this.#unrecorded = null;
    await this.writeHead(head, sync);
    const opened = watching ? await watching.commit({ seq: head.seq, size }) : [];
    if (opened.length) this.deps.onIncidents?.(opened);
  }

  private writeHead(head: TrailHead, sync: boolean): Promise<void> {
    return this.deps.fs.overwrite(this.paths.head, Buffer.from(`${canonicalJson({ v: TRAIL_VERSION, seq: head.seq, mac: head.mac.toString('hex') })}\n`, 'utf8'), { sync });
  }

  /**
   * The tip of the log on disk, and whether the log ends before what its head
   * or the vault's anchor says was written (cut back, emptied, removed), or
   * its head is gone or names another record. What this process wrote last is
   * reused while the log has not grown and the head still names it.
   */
  private async currentTip(): Promise<{ head: TrailHead; size: number; gap?: TrailGap }> {
    const [stat, headBytes] = await Promise.all([this.deps.fs.stat(this.paths.log), this.deps.fs.readFile(this.paths.head)]);
    const onDiskHead = parseHead(headBytes);
    const cached = this.#tip;
    if (cached && stat && cached.size === stat.size && onDiskHead && onDiskHead.seq === cached.head.seq && onDiskHead.mac === cached.head.mac.toString('hex')) return cached;
    const tip = await this.tipOnDisk(stat?.size ?? 0);
    const gap = this.gapBefore(tip.head, tip.recent, headBytes, onDiskHead);
    return gap ? { head: tip.head, size: tip.size, gap } : { head: tip.head, size: tip.size };
  }

  private gapBefore(tip: TrailHead, recent: ReadonlyMap<number, string>, headBytes: Buffer | null, head: TrailAnchor | null): TrailGap | undefined {
    let anchor: TrailAnchor | null;
    try {
      anchor = this.#anchor?.() ?? null;
    } catch {
      anchor = null; // (the session locked meanwhile)
    }
    const expected = Math.max(head?.seq ?? -1, anchor?.seq ?? -1);
    if (expected > tip.seq) return { kind: tip.seq < 0 ? 'missing-log' : 'truncated', expected, found: tip.seq };
    if (tip.seq >= 0 && !headBytes) return { kind: 'missing-head', expected: -1, found: tip.seq };
    // A head behind is only ever the last append's (a crash before its update): it must name a record at the end, by its MAC.
    if (head && head.seq >= 0 && recent.get(head.seq) !== head.mac) return { kind: 'head-mismatch', expected: head.seq, found: tip.seq };
    if (anchor && anchor.seq >= 0 && recent.has(anchor.seq) && recent.get(anchor.seq) !== anchor.mac) return { kind: 'head-mismatch', expected: anchor.seq, found: tip.seq };
    return undefined;
  }

  /** The last complete record of the log (`size` bytes long), cutting off a partial line an interrupted append left. */
  private async tipOnDisk(size: number): Promise<{ head: TrailHead; size: number; recent: Map<number, string> }> {
    const recent = new Map<number, string>();
    if (size === 0) {
      // Everything sealed (or nothing yet): the chain goes on from the last segment's last record.
      const index = await this.#segments.index();
      if (index.lastSealed >= 0) recent.set(index.lastSealed, index.tail.toString('hex'));
      return { head: { seq: index.lastSealed, mac: index.tail }, size: 0, recent };
    }
    // Back from the end until the last complete line (and the one before it, for `recent`) is inside what was read.
    const readBack = async (window: number): Promise<{ from: number; tail: Buffer; end: number; start: number }> => {
      const from = Math.max(0, size - window);
      const tail = (await this.deps.fs.readFrom(this.paths.log, from)) ?? Buffer.alloc(0);
      const end = tail.lastIndexOf(0x0a);
      const start = end > 0 ? tail.lastIndexOf(0x0a, end - 1) + 1 : 0;
      return from === 0 || (end >= 0 && start > 0) ? { from, tail, end, start } : readBack(window * 2);
    };
    const { from, tail, end, start } = await readBack(TAIL_BYTES);
    if (end < 0) {
      // Only a line an interrupted append cut short: never acknowledged.
      await this.deps.fs.truncate(this.paths.log, 0);
      return this.tipOnDisk(0);
    }
    if (end !== tail.length - 1) await this.deps.fs.truncate(this.paths.log, from + end + 1);
    const last = chainPlaceOf(tail.subarray(start, end).toString('utf8'));
    if (!last) throw unavailable(new Error('the audit trail is damaged: its last record cannot be read'));
    // The MACs of the records at the end, by sequence number: what a head a crash left behind may name.
    for (const line of tail.subarray(0, end).toString('utf8').split('\n').slice(from > 0 ? 1 : 0)) {
      const r = chainPlaceOf(line);
      if (r) recent.set(r.seq, r.mac);
    }
    return { head: { seq: last.seq, mac: Buffer.from(last.mac, 'hex') }, size: from + end + 1, recent };
  }
}

/** The rules in force; the watch's own once the session has locked under an append. */
function detectionOf(context: TrailContext): DetectionRules | undefined {
  try {
    return context.detection?.();
  } catch {
    return undefined;
  }
}

/** The retention now; 0 (keep, drop nothing) once the session has locked under an append (its settings are gone). */
function retentionOf(context: TrailContext): number {
  try {
    return context.retentionDays();
  } catch {
    return 0;
  }
}

function parseHead(bytes: Buffer | null): TrailAnchor | null {
  return bytes && bytes.length ? chainPlaceOf(bytes.toString('utf8')) : null;
}

/** What the pending file says of an event without a key; a grant's use adds its grant and credential ids (what its proof covers). */
export function pendingFields(event: AuditEvent): Record<string, unknown> {
  return {
    at: event.at,
    actor: event.actor,
    action: event.action,
    outcome: event.outcome,
    ...(event.errorCode ? { code: event.errorCode } : {}),
    ...(event.grantProof ? { grant: event.grantProof.grant, ...(event.credentialId ? { cred: event.credentialId } : {}) } : {}),
  };
}

function pendingLine(event: AuditEvent): string {
  return canonicalJson({ ...pendingFields(event), ...(event.grantProof ? { mac: event.grantProof.mac } : {}) });
}

/** One line of the pending file as an event (and a grant's use to check); null for anything else (a line a crash cut short, or not ours). */
function pendingEvent(line: string): { event: AuditEvent; grantUse?: PendingGrantUse } | null {
  if (!line.trim()) return null;
  try {
    const e = JSON.parse(line) as Record<string, unknown>;
    if (typeof e.at !== 'string' || Number.isNaN(Date.parse(e.at)) || typeof e.action !== 'string' || !/^[a-zA-Z0-9._-]{1,100}$/.test(e.action)) return null;
    if (!isAuditActor(e.actor) || (e.outcome !== 'success' && e.outcome !== 'failure')) return null;
    if (e.code !== undefined && (typeof e.code !== 'string' || !/^[A-Z_]{1,40}$/.test(e.code))) return null;
    const event: AuditEvent = { at: e.at, actor: e.actor, action: e.action, outcome: e.outcome, ...(e.code ? { errorCode: e.code as AuditEvent['errorCode'] } : {}) };
    if (!e.actor.startsWith('grant:')) return { event };
    // A grant's use without its proof is not one: anyone who can write beside the vault could have written it.
    if (typeof e.grant !== 'string' || typeof e.mac !== 'string') return { event: { ...event, outcome: 'failure', errorCode: 'CORRUPTED' } };
    const credentialId = typeof e.cred === 'string' && e.cred.length <= 100 ? e.cred : undefined;
    const { mac, ...unsigned } = e;
    return { event, grantUse: { unsigned: canonicalJson(unsigned), grant: e.grant, mac, ...(credentialId ? { credentialId } : {}) } };
  } catch {
    return null;
  }
}

/** A grant's use with what its proof allows: the credential when it holds, else a failure that says the line was not the grant's. */
function withGrantUse(event: AuditEvent, use: PendingGrantUse, checked: { credentialName?: string } | null): AuditEvent {
  if (!checked) return { ...event, outcome: 'failure', errorCode: 'CORRUPTED' };
  return { ...event, ...(use.credentialId ? { credentialId: use.credentialId } : {}), ...(checked.credentialName ? { credentialName: checked.credentialName } : {}) };
}

function unavailable(cause: unknown): KeywardError {
  const error = new KeywardError(
    'AUDIT_UNAVAILABLE',
    `The audit trail could not be written (${reasonOf(cause)}), so Keyward stopped rather than go on unrecorded. Free disk space or fix the permissions of the files beside the vault, then try again; "keyward audit verify" checks the trail.`,
  );
  error.cause = cause;
  return error;
}

/** Changes to what protects the vault: always refused when they cannot be recorded, whatever fail-closed says. */
const ALWAYS_RECORDED = ['settings.', 'policy.', 'vault.keychain.', 'vault.changePassword', 'vault.rotateKey', 'audit.', 'incident.'];

function mayGoUnrecorded(action: string): boolean {
  return !ALWAYS_RECORDED.some((prefix) => action.startsWith(prefix));
}

/** File-system errors that mean the storage cannot take the record (full, read-only, refused): what fail-open is for. */
const STORAGE_FAILURES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'EIO', 'EFBIG']);

function isStorageFailure(error: unknown): boolean {
  const cause = error instanceof KeywardError && error.code === 'AUDIT_UNAVAILABLE' ? error.cause : error;
  return STORAGE_FAILURES.has((cause as NodeJS.ErrnoException | undefined)?.code ?? '');
}

/** Why the trail could not be written, in a few words (the file system's message). */
function reasonOf(error: unknown): string {
  const cause = error instanceof KeywardError && error.code === 'AUDIT_UNAVAILABLE' && error.cause !== undefined ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
