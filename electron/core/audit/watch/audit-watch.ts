/**
 * The watch over one vault's trail (docs/audit-format.md §9): runs the
 * detector over every record as it is chained — in whichever process chains
 * it — and keeps incidents. The trail calls it under its lock, so processes
 * take turns; a process that finds the state behind the trail (another wrote
 * records without it, or it was lost) catches up from the log first.
 */
import type { Anomaly, Incident, IncidentResponse, IncidentStatus } from '../../../../shared/incidents.js';
import { SEVERITY_RANK } from '../../../../shared/incidents.js';
import { fail } from '../../errors.js';
import type { Clock } from '../../ports/clock.js';
import type { FileSystem } from '../../ports/file-system.js';
import type { Random } from '../../ports/random.js';
import { openName, type StoredRecord, type TrailKeys, type TrailRecord } from '../trail-records.js';
import { DEFAULT_DETECTION_RULES, type DetectionRules } from './detection-rules.js';
import { Detector, emptyDetectorState, type WatchedRecord } from './detector.js';
import { emptyBook, MAX_MINOR_ANOMALIES, WatchFiles, type IncidentBook, type WatchState } from './watch-files.js';

/** Where the trail stood before an append: its last record and the log's length. */
export interface TrailPlace {
  seq: number;
  size: number;
}

/** One append's view of the watch: observe its records, then commit once they are written. */
export interface Watching {
  observe(record: TrailRecord, name?: string): Anomaly[];
  /** After the records are written: keeps the state, and opens incidents for what deserves one. Returns them. */
  commit(at: TrailPlace): Promise<Incident[]>;
  /** The anomalies this append found, caught-up ones included (the serious ones get an `incident.open.KIND` record before writing). */
  readonly found: Anomaly[];
}

/** An anomaly that opens an incident: high or critical. */
export function opensIncident(anomaly: Anomaly): boolean {
  return SEVERITY_RANK[anomaly.severity] >= SEVERITY_RANK.high;
}


function watched(record: TrailRecord, name?: string): WatchedRecord {
  return {
    seq: record.seq,
    at: record.at,
    actor: record.actor,
    action: record.action,
    outcome: record.outcome,
    ...(record.code ? { code: record.code } : {}),
    ...(record.cred ? { cred: record.cred } : {}),
    ...(name ? { name } : {}),
    ...(record.locked ? { locked: true } : {}),
  };
}

export interface WatchDeps {
  files: WatchFiles;
  fs: FileSystem;
  random: Random;
  clock: Clock;
  /** P.audit */
  logPath: string;
  rules: DetectionRules;
  /** Local time unless a test says otherwise. */
  hourOfWeek?: (ms: number) => number;
}

/** The watch over the trail at `paths` (a vault's `vaultPaths(P).audit`), its files beside it. */
export function watchBeside(
  paths: { log: string; watch: string; incidents: string },
  deps: { fs: FileSystem; random: Random; clock: Clock },
  options: { rules?: DetectionRules; hourOfWeek?: (ms: number) => number } = {},
): AuditWatch {
  return new AuditWatch({
    files: new WatchFiles({ state: paths.watch, incidents: paths.incidents }, deps.fs, deps.random),
    fs: deps.fs,
    random: deps.random,
    clock: deps.clock,
    logPath: paths.log,
    rules: options.rules ?? DEFAULT_DETECTION_RULES,
    ...(options.hourOfWeek ? { hourOfWeek: options.hourOfWeek } : {}),
  });
}

/** Appends between two writes of the state at most (each write seals and rewrites it whole). */
const STATE_WRITE_EVERY = 64;

export class AuditWatch {
  /** The detector of the rules in force at the last append (the vault's settings may change them). */
  #detector: Detector;
  /** The state as this process last committed it: reused while nobody else appended. */
  #memory: WatchState | null = null;
  /** Appends committed since the state was last written to its file. */
  #unsaved = 0;

  readonly #deps: WatchDeps;

  constructor(deps: WatchDeps) {
    this.#deps = deps;
    this.#detector = new Detector(deps.rules, deps.hourOfWeek);
  }

  private get files(): WatchFiles {
    return this.#deps.files;
  }

  get rules(): DetectionRules {
    return this.#detector.rules;
  }

  /** Before an append (under the trail's lock): the state, caught up to `tip`, watched under `rules` (the fixed ones when not given). */
  async begin(keys: TrailKeys, vaultId: string, tip: TrailPlace, rules?: DetectionRules): Promise<Watching> {
    if (rules && rules !== this.#detector.rules) this.#detector = new Detector(rules, this.#deps.hourOfWeek);
    const found: Anomaly[] = [];
    const state = await this.stateAt(keys, vaultId, tip, found);
    if (this.#memory !== state) await this.checkBookAgainstChain(keys, vaultId, state, found);
    this.#memory = null; // (until committed: a failed append must not leave a state ahead of the trail)
    const detector = this.#detector;
    return {
      found,
      observe: (record, name) => {
        const anomalies = detector.observe(state.detector, watched(record, name));
        state.seq = record.seq;
        found.push(...anomalies);
        return anomalies;
      },
      commit: async (at) => {
        state.seq = at.seq;
        state.size = at.size;
        // The book first: if the state is then lost, catching up finds these again (an incident twice, never none).
        const opened = found.length ? await this.record(keys, vaultId, found) : [];
        // The state is written when something was found, and otherwise now and then (and when the trail lets go,
        // flush): another process catching up replays the records since, deterministically, so it finds in them
        // exactly what this one found — nothing — and an append costs no rewrite of the state.
        this.#memory = state;
        this.#unsaved++;
        if (found.length || this.#unsaved >= STATE_WRITE_EVERY) await this.save(keys, vaultId);
        return opened;
      },
    };
  }

  /** Forgets the state held in memory (at each unlock): the first append reads the files again, and checks the incidents file against the chain. */
  forget(): void {
    this.#memory = null;
  }

  /**
   * A seal moved the live log's first lines into a segment (under the trail's
   * lock): the state this process holds still covers the same records, now
   * `after` bytes of live log instead of `before`. Written at once, so other
   * processes catch up from it rather than rebuild without the history.
   */
  async sealed(keys: TrailKeys, vaultId: string, before: number, after: number): Promise<void> {
    const memory = this.#memory;
    if (!memory || memory.size !== before) return;
    memory.size = after;
    this.#unsaved++;
    await this.save(keys, vaultId);
  }

  /** Writes the state this process holds, if it is still the trail's (`tip`: what the caller found under the trail's lock). */
  async flush(keys: TrailKeys, vaultId: string, tip: TrailPlace): Promise<void> {
    const memory = this.#memory;
    if (!memory || this.#unsaved === 0 || memory.seq !== tip.seq || memory.size !== tip.size) return;
    await this.save(keys, vaultId);
  }

  private async save(keys: TrailKeys, vaultId: string): Promise<void> {
    const memory = this.#memory;
    if (!memory) return;
    this.#memory = null; // (until written: a failed write leaves the file as the truth)
    await this.files.writeState(keys.watch, vaultId, memory);
    this.#memory = memory;
    this.#unsaved = 0;
  }

  private async stateAt(keys: TrailKeys, vaultId: string, tip: TrailPlace, found: Anomaly[]): Promise<WatchState> {
    const memory = this.#memory;
    if (memory && memory.seq === tip.seq && memory.size === tip.size) return memory;
    // First append of this process (or after another's): a book that no longer opens is found now, not at the next incident.
    if (!(await this.files.readBook(keys.watch, vaultId))) found.push(await this.setBookAside());
    const saved = await this.files.readState(keys.watch, vaultId);
    if (saved && saved.seq === tip.seq && saved.size === tip.size) return saved;
    if (saved && saved.seq < tip.seq && saved.size < tip.size) {
      // Records chained without this state (another process's, or a commit lost to a crash): watched now, in order.
      const tail = (await this.#deps.fs.readFrom(this.#deps.logPath, saved.size)) ?? Buffer.alloc(0);
      const lines = tail.subarray(0, tip.size - saved.size).toString('utf8').split('\n');
      if (this.replay(saved, lines, keys, found)) return saved;
    }
    // None, damaged, or not of this trail (cut back, replaced): rebuilt from the whole trail, quietly — what it
    // would have found was found (or missed) back then, and opening incidents for all history now would only be noise.
    const rebuilt: WatchState = { v: 1, seq: -1, size: 0, detector: emptyDetectorState() };
    const log = (await this.#deps.fs.readFrom(this.#deps.logPath, 0)) ?? Buffer.alloc(0);
    this.replay(rebuilt, log.subarray(0, tip.size).toString('utf8').split('\n'), null, []);
    rebuilt.seq = tip.seq;
    rebuilt.size = tip.size;
    return rebuilt;
  }

  /** Observes the records in `lines` after `state`; false when they do not follow it. */
  private replay(state: WatchState, lines: string[], keys: TrailKeys | null, found: Anomaly[]): boolean {
    for (const line of lines) {
      if (!line) continue;
      let record: StoredRecord;
      try {
        record = JSON.parse(line) as StoredRecord;
      } catch {
        return false;
      }
      if (!Number.isSafeInteger(record.seq) || record.seq <= state.seq) return false;
      const name = keys && record.name ? (openName(keys, record.seq, record.name) ?? undefined) : undefined;
      found.push(...this.#detector.observe(state.detector, watched(record, name)));
      state.seq = record.seq;
    }
    return true;
  }

  /** Keeps what was found: incidents for the serious ones (under the ids their trail records name), the rest as minor. */
  private async record(keys: TrailKeys, vaultId: string, found: Anomaly[]): Promise<Incident[]> {
    const book = await this.readBookOrSetAside(keys, vaultId, found);
    const opened: Incident[] = [];
    for (const anomaly of found) {
      if (!opensIncident(anomaly)) {
        book.anomalies.push(anomaly);
        continue;
      }
      const incident: Incident = {
        ...anomaly,
        id: `inc-${this.#deps.random.bytes(6).toString('hex')}`,
        status: 'open',
        openedAt: anomaly.at,
        responses: responsesFor(anomaly, this.rules),
        notes: [],
      };
      book.incidents.push(incident);
      opened.push(incident);
    }
    book.anomalies = book.anomalies.slice(-MAX_MINOR_ANOMALIES);
    await this.files.writeBook(keys.watch, vaultId, book);
    return opened;
  }

  /**
   * The incidents file must hold every incident the chain says was opened: one
   * deleted or put back to an older copy (to hide an incident) is tampering.
   * (The chain is authenticated; the count comes from replaying it.)
   */
  private async checkBookAgainstChain(keys: TrailKeys, vaultId: string, state: WatchState, found: Anomaly[]): Promise<void> {
    const opened = state.detector.opened ?? 0;
    if (opened === 0 || found.some((a) => a.kind === 'tamper')) return;
    const book = await this.files.readBook(keys.watch, vaultId);
    if (!book || book.incidents.length >= opened) return;
    // Said once: from here the count starts again from what the file holds.
    state.detector.opened = book.incidents.length;
    found.push({
      kind: 'tamper',
      severity: this.rules.severity.tamper,
      at: this.#deps.clock.now().toISOString(),
      explanation: `The incidents file holds ${book.incidents.length} incident${book.incidents.length === 1 ? '' : 's'}, but the audit trail records ${opened} opened: it was deleted or put back to an older copy, hiding what it held.`,
      seqs: [],
    });
  }

  /** The book; a damaged one is set aside (never written over) and that itself is a sign of tampering. */
  private async readBookOrSetAside(keys: TrailKeys, vaultId: string, found: Anomaly[]): Promise<IncidentBook> {
    const book = await this.files.readBook(keys.watch, vaultId);
    if (book) return book;
    found.push(await this.setBookAside());
    return emptyBook();
  }

  private async setBookAside(): Promise<Anomaly> {
    const aside = await this.files.setAside();
    return {
      kind: 'tamper',
      severity: this.rules.severity.tamper,
      at: this.#deps.clock.now().toISOString(),
      explanation: `The incidents file could not be opened (changed, damaged or another vault's); it was kept as ${aside} and a new one begun.`,
      seqs: [],
    };
  }

  /** Incidents (newest first) and minor anomalies, read under the trail's lock by the caller. */
  async book(keys: TrailKeys, vaultId: string): Promise<IncidentBook> {
    return (await this.files.readBook(keys.watch, vaultId)) ?? emptyBook();
  }

  /** Acknowledges or resolves an incident with a note (under the trail's lock, re-reading the book first). */
  async update(keys: TrailKeys, vaultId: string, id: string, status: Exclude<IncidentStatus, 'open'>, note: string, at: Date): Promise<Incident> {
    const book = await this.files.readBook(keys.watch, vaultId);
    if (!book) throw fail.corrupted('The incidents file cannot be opened (changed or damaged); nothing was changed. The next recorded operation sets it aside and begins a new one.');
    const incident = book.incidents.find((i) => i.id === id);
    if (!incident) throw fail.notFound(`No incident ${id}. "keyward incidents --all" lists them.`);
    if (incident.status === 'resolved') throw fail.badRequest(`Incident ${id} is already resolved.`);
    if (incident.status === status) throw fail.badRequest(`Incident ${id} is already ${status}.`);
    incident.status = status;
    incident.notes.push({ at: at.toISOString(), status, note });
    await this.files.writeBook(keys.watch, vaultId, book);
    return incident;
  }
}

/**
 * What an incident does by itself: its kind's rule, except that a burst or a
 * sweep by a grant's token suspends that grant instead of locking the vault
 * (locking stops no token; suspending removes the grant's key material).
 */
export function responsesFor(anomaly: Anomaly, rules: DetectionRules): IncidentResponse[] {
  const base = [...(anomaly.responses ?? rules.responses[anomaly.kind])];
  if (!anomaly.actor?.startsWith('grant:') || (anomaly.kind !== 'burst' && anomaly.kind !== 'sweep')) return base;
  return [...base.filter((r) => r !== 'lock'), 'suspend-grant'];
}
