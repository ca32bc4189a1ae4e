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
 * door does not hand out the operation's result.
 */
import { KeywardError } from '../errors.js';
import type { FileSystem } from '../ports/file-system.js';
import type { Random } from '../ports/random.js';
import type { VaultPaths } from '../vault/vault-paths.js';
import { WriteLock } from '../vault/write-lock.js';
import type { AuditEvent, AuditSink } from './audit-sink.js';
import { canonicalJson } from './canonical-json.js';
import { GENESIS_MAC, keyedCredentialId, recordLine, recordMac, sealName, TRAIL_VERSION, wipeTrailKeys, type TrailGap, type TrailKeys, type TrailRecord } from './trail-records.js';

export interface TrailDeps {
  fs: FileSystem;
  random: Random;
  /** This installation's id (device-id.ts). */
  device: () => Promise<string>;
  lockTimeoutMs?: number;
  isProcessAlive?: (pid: number) => boolean;
}

/** The chain's tip: the last record's sequence number and MAC (seq -1 and the genesis MAC before the first). */
export interface TrailHead {
  seq: number;
  mac: Buffer;
}

/** Operations that only read: their records are not fsynced one by one (a later write's fsync, or the OS, carries them). */
const READS = new Set(['list', 'show', 'history', 'reveal', 'analyse', 'due', 'schedule', 'generate', 'backups.list', 'vault.verifyPassword', 'vault.inspectBackups', 'audit.list', 'audit.verify']);
const READ_PREFIXES = ['copy.', 'health.'];

function isRead(action: string): boolean {
  return READS.has(action) || READ_PREFIXES.some((p) => action.startsWith(p));
}

/** How far back a tip is looked for: a record is well under a kilobyte. */
const TAIL_BYTES = 16 * 1024;

export class AuditTrail implements AuditSink {
  #keys: TrailKeys | null = null;
  /** The tip as this process last wrote or read it, with the log's size then (another process's append changes the size). */
  #tip: { head: TrailHead; size: number } | null = null;
  readonly #lock: WriteLock;

  constructor(
    private readonly paths: VaultPaths['audit'],
    private readonly deps: TrailDeps,
  ) {
    this.#lock = new WriteLock(deps.fs, deps.random, { timeoutMs: deps.lockTimeoutMs, isProcessAlive: deps.isProcessAlive, durable: false });
  }

  get attached(): boolean {
    return this.#keys !== null;
  }

  /** Runs trail work one piece at a time in this process: keys are never swapped or wiped under an append. */
  #queue: Promise<unknown> = Promise.resolve();

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** The head the vault anchored at its last save: a log that ends before it was cut back. */
  #anchor: { seq: number; mac: string } | null = null;

  /**
   * Starts chaining under `keys` (the trail takes them: `detach` wipes them)
   * and folds in what was recorded while locked. `anchor` is the head the
   * vault's body holds.
   */
  async attach(keys: TrailKeys, anchor: { seq: number; mac: string } | null = null): Promise<void> {
    this.detach();
    this.#keys = keys;
    this.#anchor = anchor;
    await this.serial(() => this.foldPending(keys));
  }

  /** Stops chaining: later events wait in the pending file. The keys are wiped once the appends already queued are done. */
  detach(): void {
    const keys = this.#keys;
    this.#keys = null;
    if (keys)
      void this.serial(async () => {
        wipeTrailKeys(keys);
        this.#tip = null;
      });
  }

  /** The tip as last written or read by this process; null before any. */
  head(): TrailHead | null {
    return this.#tip ? { seq: this.#tip.head.seq, mac: Buffer.from(this.#tip.head.mac) } : null;
  }

  record(event: AuditEvent): Promise<void> {
    return this.serial(async () => {
      const keys = this.#keys;
      try {
        if (!keys) await this.recordPending(event);
        else await this.#lock.withLock(this.paths.lock, () => this.append(keys, [event], !isRead(event.action)));
      } catch (err) {
        if (err instanceof KeywardError && err.code === 'AUDIT_UNAVAILABLE') throw err;
        throw unavailable(err);
      }
    });
  }

  private async recordPending(event: AuditEvent): Promise<void> {
    // Nothing sensitive without a key to seal it with: no credential id or name.
    const line = canonicalJson({ at: event.at, actor: event.actor, action: event.action, outcome: event.outcome, ...(event.errorCode ? { code: event.errorCode } : {}) });
    await this.deps.fs.append(this.paths.pending, Buffer.from(`${line}\n`, 'utf8'), { sync: true });
  }

  private async foldPending(keys: TrailKeys): Promise<void> {
    await this.#lock.withLock(this.paths.lock, async () => {
      const data = await this.deps.fs.readFile(this.paths.pending);
      if (!data || data.length === 0) return;
      const events: AuditEvent[] = [];
      for (const line of data.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const e = JSON.parse(line) as AuditEvent & { code?: AuditEvent['errorCode'] };
          if (typeof e.at === 'string' && typeof e.action === 'string' && (e.outcome === 'success' || e.outcome === 'failure'))
            events.push({ at: e.at, actor: e.actor, action: e.action, outcome: e.outcome, ...(e.code ? { errorCode: e.code } : {}) });
        } catch {
          // A line a crash cut short: its event never finished being recorded.
        }
      }
      await this.append(keys, events, true, { locked: true });
      await this.deps.fs.unlink(this.paths.pending).catch(() => undefined);
    });
  }

  /** Appends records for `events` after the tip (the caller holds the trail's lock), then moves the head. */
  private async append(keys: TrailKeys, events: readonly AuditEvent[], sync: boolean, extra: { locked?: true } = {}): Promise<void> {
    const device = await this.deps.device();
    const tip = await this.currentTip();
    const { gap } = tip;
    let { head, size } = tip;
    const lines: string[] = [];
    if (gap) {
      // The evidence goes into the chain before anything is appended after it (docs/audit-format.md, "Writing").
      const first = events[0]!;
      events = [{ at: first.at, actor: first.actor, action: 'audit.gap', outcome: 'failure', errorCode: 'CORRUPTED' }, ...events];
    }
    for (const [i, event] of events.entries()) {
      const seq = head.seq + 1;
      const record: TrailRecord = {
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
        ...(gap && i === 0 ? { gap } : extra),
      };
      const mac = recordMac(keys, head.mac, record);
      lines.push(recordLine(record, mac));
      head = { seq, mac };
    }
    if (lines.length === 0) return;
    const bytes = Buffer.from(lines.join(''), 'utf8');
    await this.deps.fs.append(this.paths.log, bytes, { sync });
    size += bytes.length;
    this.#tip = { head, size };
    await this.deps.fs.overwrite(this.paths.head, Buffer.from(`${canonicalJson({ v: TRAIL_VERSION, seq: head.seq, mac: head.mac.toString('hex') })}\n`, 'utf8'), { sync });
  }

  /**
   * The tip of the log on disk: what this process knows when the log has not
   * grown since, else its last complete line. A partial last line (an append
   * a crash cut short, never acknowledged) is cut off first.
   */
  private async currentTip(): Promise<{ head: TrailHead; size: number; gap?: TrailGap }> {
    const stat = await this.deps.fs.stat(this.paths.log);
    if (this.#tip && stat && this.#tip.size === stat.size) return this.#tip;
    const tip = await this.tipOnDisk(stat?.size ?? 0);
    const gap = await this.gapBefore(tip.head, tip.recent);
    return gap ? { head: tip.head, size: tip.size, gap } : { head: tip.head, size: tip.size };
  }

  /**
   * Whether the log ends before what its head file or the vault's anchor says
   * was written (cut back, emptied, removed), or the head is gone while records
   * exist. A head behind the log is a crash between an append and the head's
   * update: not a gap.
   */
  private async gapBefore(tip: TrailHead, recent: ReadonlyMap<number, string>): Promise<TrailGap | undefined> {
    const headBytes = await this.deps.fs.readFile(this.paths.head);
    type HeadFile = { seq?: unknown; mac?: unknown } | null;
    let head: HeadFile;
    try {
      head = headBytes ? (JSON.parse(headBytes.toString('utf8')) as HeadFile) : null;
    } catch {
      head = null;
    }
    const headSeq = head && Number.isSafeInteger(head.seq) ? (head.seq as number) : null;
    const expected = Math.max(headSeq ?? -1, this.#anchor?.seq ?? -1);
    if (expected > tip.seq) return { kind: tip.seq < 0 ? 'missing-log' : 'truncated', expected, found: tip.seq };
    if (tip.seq >= 0 && !headBytes) return { kind: 'missing-head', expected: -1, found: tip.seq };
    // A head behind is only ever the last append's (a crash before its update): it must name a record at the end, by its MAC.
    if (headSeq !== null && headSeq >= 0 && recent.get(headSeq) !== head!.mac) return { kind: 'head-mismatch', expected: headSeq, found: tip.seq };
    return undefined;
  }

  /** The last complete record of the log (`size` bytes long), cutting off a partial line an interrupted append left. */
  private async tipOnDisk(size: number): Promise<{ head: TrailHead; size: number; recent: Map<number, string> }> {
    const recent = new Map<number, string>();
    if (size === 0) return { head: { seq: -1, mac: GENESIS_MAC }, size: 0, recent };
    const from = Math.max(0, size - TAIL_BYTES);
    const tail = (await this.deps.fs.readFrom(this.paths.log, from)) ?? Buffer.alloc(0);
    const end = tail.lastIndexOf(0x0a);
    if (end < 0) throw unavailable(new Error('the audit trail is damaged: no complete record at its end'));
    if (end !== tail.length - 1) {
      await this.deps.fs.truncate(this.paths.log, from + end + 1);
    }
    const start = tail.lastIndexOf(0x0a, end - 1) + 1;
    let last: { seq?: unknown; mac?: unknown };
    try {
      last = JSON.parse(tail.subarray(start, end).toString('utf8')) as typeof last;
    } catch {
      throw unavailable(new Error('the audit trail is damaged: its last record cannot be read'));
    }
    if (!Number.isSafeInteger(last.seq) || typeof last.mac !== 'string' || !/^[0-9a-f]{64}$/.test(last.mac))
      throw unavailable(new Error('the audit trail is damaged: its last record cannot be read'));
    // The MACs of the records at the end, by sequence number: what a head a crash left behind may name.
    for (const line of tail.subarray(0, end).toString('utf8').split('\n').slice(from > 0 ? 1 : 0)) {
      try {
        const r = JSON.parse(line) as { seq?: unknown; mac?: unknown };
        if (Number.isSafeInteger(r.seq) && typeof r.mac === 'string') recent.set(r.seq as number, r.mac);
      } catch {
        // (Not a record: verification reports it.)
      }
    }
    return { head: { seq: last.seq as number, mac: Buffer.from(last.mac, 'hex') }, size: from + end + 1, recent };
  }
}

function unavailable(cause: unknown): KeywardError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new KeywardError(
    'AUDIT_UNAVAILABLE',
    `The audit trail could not be written (${why}), so Keyward stopped rather than go on unrecorded. Free disk space or fix the permissions of the files beside the vault, then try again; "keyward audit verify" checks the trail.`,
  );
}
