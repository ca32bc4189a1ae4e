/**
 * Checks an audit trail against its key, its head file and the anchor the
 * vault keeps (docs/audit-format.md, "Verifying"). Every problem is located:
 * which record, which line, which file. Pure over the bytes it is given.
 */
import { constantTimeEqual } from '../crypto/primitives.js';
import { canonicalJson, isCanonicalJsonOf } from './canonical-json.js';
import { checkAgainstCheckpoint, type TrailLeaves } from './checkpoint.js';
import { liveParts } from './trail-read.js';
import { MerkleTreeHash } from './merkle.js';
import type { Pacer } from '../vault/pacing.js';
import { indexMac, parseIndex, type IndexEntry, type SealEntry } from './segments.js';
import { chainPlaceOf, GENESIS_MAC, hasChainPlace, macOfCanonical, recordMac, type StoredRecord, type TrailAnchor, type TrailKeys, type TrailRecord } from './trail-records.js';

export type TrailProblemKind =
  | 'modified'
  | 'out-of-order'
  | 'damaged'
  | 'truncated'
  | 'missing-log'
  | 'missing-head'
  | 'head-mismatch'
  | 'checkpoint'
  | 'rolled-back'
  | 'rewritten'
  | 'missing-segment'
  | 'segment-index';

export interface TrailProblem {
  kind: TrailProblemKind;
  /** 1-based line of the file, when the problem is at one. */
  line?: number;
  /** The file, when not P.audit: a segment (its name) or the segments' index. */
  file?: string;
  message: string;
}

export interface TrailReport {
  intact: boolean;
  /** Complete records read. */
  records: number;
  /** The last record's sequence number (-1 for none). */
  lastSeq: number;
  problems: TrailProblem[];
}

export interface TrailFiles {
  /** P.audit (the live log); null when missing. */
  log: Buffer | null;
  /** P.audit-head; null when missing. */
  head: Buffer | null;
  /** The segments' index (segments.ts); null or absent when there is none. */
  index?: Buffer | null;
  /** Each sealed segment's file by its seal's `n` (null: missing); dropped ones are not read. */
  segments?: ReadonlyMap<number, Buffer | null>;
}

function parseLine(text: string): StoredRecord | null {
  try {
    const record = JSON.parse(text) as StoredRecord;
    return hasChainPlace(record) ? record : null;
  } catch {
    return null;
  }
}

/** What a writer found (and kept in the chain, line `line`) before it appended. */
function gapMessage(gap: NonNullable<TrailRecord['gap']>, line: number): string {
  const when = `found when line ${line} was written`;
  switch (gap.kind) {
    case 'missing-log':
      return `The trail's records were gone (${when}): they had reached record ${gap.expected}.`;
    case 'truncated':
      return `The trail had been cut back to record ${gap.found} (${when}): records up to ${gap.expected} had been written.`;
    case 'missing-head':
      return `The trail's head file was gone (${when}).`;
    case 'head-mismatch':
      return `The trail's head named record ${gap.expected} with a MAC that record did not have (${when}).`;
  }
}

const sameMac = (a: Buffer, hex: string) => constantTimeEqual(a, Buffer.from(hex, 'hex'));

/**
 * A canonical record line without its `mac` member: the canonical JSON of the
 * rest. (Were a nested "mac" found first, the MAC would not match: reported.)
 */
function withoutMac(line: string, mac: string): string {
  const member = `"mac":${JSON.stringify(mac)}`;
  const at = line.indexOf(member);
  if (at < 0) return line;
  return line[at - 1] === ',' ? line.slice(0, at - 1) + line.slice(at + member.length) : line.slice(0, at) + line.slice(at + member.length + (line[at + member.length] === ',' ? 1 : 0));
}

/** A signed checkpoint made earlier (checkpoint.ts) the trail must still hold, and the vault it must be for. */
export interface CheckpointWitness {
  text: string;
  vaultId: string;
}

/** Where the chain stands while lines are checked, part after part (segments, then the live log). */
interface ChainWalk {
  previous: Buffer;
  expected: number;
  lastSeq: number;
  records: number;
  /** MAC of each record by sequence number, as stored (the chain is followed from the stored MACs, so one bad record is reported once). */
  macs: Map<number, string>;
  /** Sequence numbers a gap record already reports as missing. */
  inGaps: [number, number][];
  problems: TrailProblem[];
}

/** Checks `lines` (complete lines of one file) as the continuation of the chain. */
function walkLines(walk: ChainWalk, lines: readonly string[], keys: Pick<TrailKeys, 'mac'>, file?: string, from = 0): void {
  const at = (line: number) => (file ? { line, file } : { line });
  const where = file ? `${file}, line` : 'Line';
  for (let i = from; i < lines.length; i++) {
    const record = parseLine(lines[i]!);
    if (!record) {
      walk.problems.push({ kind: 'damaged', ...at(i + 1), message: `${where} ${i + 1} is not a trail record.` });
      walk.expected++;
      continue;
    }
    const { mac, ...fields } = record;
    // A writer that found the trail cut back numbers on after what was expected (docs/audit-format.md §5).
    const gapJump = record.gap !== undefined && record.seq === record.gap.expected + 1 && record.seq > walk.expected;
    if (record.seq !== walk.expected && !gapJump) {
      walk.problems.push({
        kind: 'out-of-order',
        ...at(i + 1),
        message: `${where} ${i + 1} holds record ${record.seq} where record ${walk.expected} belongs: records were removed, inserted, moved or replayed here.`,
      });
    } else {
      // A canonical line is the record's canonical JSON with its MAC member added: without it, it is what was MACed
      // (one serialisation per record instead of two: what makes a million records verifiable in seconds).
      const canonical = isCanonicalJsonOf(lines[i]!, record);
      const macOk = sameMac(canonical ? macOfCanonical(keys, walk.previous, withoutMac(lines[i]!, mac)) : recordMac(keys, walk.previous, fields as TrailRecord), mac);
      // (Out of order, its MAC cannot match either: that is said once, above.)
      if (!macOk) walk.problems.push({ kind: 'modified', ...at(i + 1), message: `Record ${record.seq} (${where.toLowerCase()} ${i + 1}) does not match its MAC: it was changed, or made under another key.` });
      // The same record written some other way (members moved, a name repeated, escapes): other readers may see other content.
      else if (!canonical) walk.problems.push({ kind: 'modified', ...at(i + 1), message: `${where} ${i + 1} is not written as canonical JSON: its bytes were changed.` });
    }
    if (record.gap) {
      walk.problems.push({ kind: record.gap.kind, ...at(i + 1), message: gapMessage(record.gap, i + 1) });
      walk.inGaps.push([record.gap.found + 1, record.gap.expected]);
    }
    walk.expected = record.seq + 1;
    walk.lastSeq = record.seq;
    walk.records++;
    walk.macs.set(record.seq, mac);
    walk.previous = Buffer.from(mac, 'hex');
  }
}

const completeLines = (bytes: Buffer | null | undefined): { lines: string[]; torn: string } => {
  const lines = (bytes?.toString('utf8') ?? '').split('\n');
  const torn = lines.pop() ?? '';
  return { lines, torn };
};

/** The index's own chain: each entry MACed after the one before, numbered in order, drops naming earlier seals. */
/** Checks the index and answers the `n` of each entry that authenticates (only those may be trusted as `checked`). */
function checkIndex(bytes: Buffer | null | undefined, keys: TrailKeys, problems: TrailProblem[]): Set<number> {
  const file = 'segments index';
  const authentic = new Set<number>();
  let previous = GENESIS_MAC;
  const sealed = new Set<number>();
  /** When each seal was made (its own, MACed `at`): a drop sooner than its retention allows is reported. */
  const sealedAt = new Map<number, number>();
  const { lines, torn } = completeLines(bytes);
  if (torn) problems.push({ kind: 'segment-index', file, line: lines.length + 1, message: 'The segments index ends with an incomplete line.' });
  lines.forEach((line, i) => {
    let entry: (IndexEntry & { mac?: unknown }) | null = null;
    try {
      entry = JSON.parse(line) as IndexEntry & { mac?: unknown };
    } catch {
      /* reported below */
    }
    if (!entry || typeof entry.mac !== 'string' || !/^[0-9a-f]{64}$/.test(entry.mac)) {
      problems.push({ kind: 'segment-index', file, line: i + 1, message: `Line ${i + 1} of the segments index is not an index entry.` });
      return;
    }
    const { mac, ...fields } = entry;
    let ok = entry.n === i && (entry.kind === 'seal' || (entry.kind === 'drop' && sealed.has(entry.segment)));
    try {
      ok = ok && line === canonicalJson(entry) && sameMac(indexMac(keys, previous, fields as IndexEntry), mac);
    } catch {
      ok = false;
    }
    if (!ok) problems.push({ kind: 'segment-index', file, line: i + 1, message: `Entry ${i + 1} of the segments index was changed, moved or made under another key.` });
    else authentic.add(entry.n);
    if (ok && entry.kind === 'drop') {
      const at = sealedAt.get(entry.segment) ?? NaN;
      if (!(Date.parse(entry.at) - at >= entry.retentionDays * 86_400_000))
        problems.push({ kind: 'segment-index', file, line: i + 1, message: `Entry ${i + 1} of the segments index dropped a segment sooner than its retention (${entry.retentionDays} days) allows.` });
    }
    if (entry.kind === 'seal') {
      sealed.add(entry.n);
      sealedAt.set(entry.n, Date.parse(entry.at));
    } else sealed.delete(entry.segment);
    previous = Buffer.from(mac, 'hex');
  });
  return authentic;
}

/** The trail's Merkle leaves: sealed segments by their roots (their lines when a checkpoint ends inside one), then the live lines. */
export function trailLeaves(index: ReturnType<typeof parseIndex>, files: TrailFiles, live: readonly string[]): TrailLeaves {
  return {
    sealed: index.seals.map((seal) => ({ count: seal.count, root: Buffer.from(seal.root, 'base64'), lines: () => (seal.dropped ? null : completeLines(files.segments?.get(seal.n)).lines) })),
    live,
  };
}

function segmentName(seal: SealEntry): string {
  return `segment ${String(seal.first).padStart(12, '0')}`;
}

/** One kept segment to check on its own (in a worker thread or here): what its seal says, and its bytes. */
export interface SegmentJob {
  name: string;
  bytes: Uint8Array;
  /** Hex MAC before its first record, its first record's seq, how many lines, base64 Merkle root. */
  prev: string;
  first: number;
  count: number;
  root: string;
  /** The seal says its writer checked every record (SealEntry.checked): a matching root is enough. */
  checked: boolean;
  /** Sequence numbers whose stored MAC the caller needs back (the head's, the anchor's). */
  want: number[];
}

export interface SegmentResult {
  problems: TrailProblem[];
  records: number;
  inGaps: [number, number][];
  /** The stored MAC of each wanted record the segment holds. */
  macs: [number, string][];
}

/** Checks one sealed segment: its records chained from its seal's `prev`, and exactly the lines its seal's root names. */
export function checkSegment(job: SegmentJob, keys: Pick<TrailKeys, 'mac'>): SegmentResult {
  const { lines, torn } = completeLines(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength));
  const tree = new MerkleTreeHash();
  for (const line of lines) tree.addLeaf(Buffer.from(line, 'utf8'));
  const matchesSeal = !torn && lines.length === job.count && tree.root().toString('base64') === job.root;
  // Exactly the lines its writer checked record by record before sealing: nothing to find by checking each again.
  // (Anything else, or a seal from before writers checked, is walked record by record, which names the lines.)
  if (matchesSeal && job.checked) return checkedSegment(job, lines);
  const walk: ChainWalk = { previous: Buffer.from(job.prev, 'hex'), expected: job.first, lastSeq: -1, records: 0, macs: new Map(), inGaps: [], problems: [] };
  walkLines(walk, lines, keys, job.name);
  if (!matchesSeal)
    walk.problems.push({ kind: 'modified', file: job.name, message: `The ${job.name} does not hold the ${job.count} records its seal names (their Merkle root differs): records were changed, added or removed.` });
  const macs = job.want.filter((seq) => walk.macs.has(seq)).map((seq): [number, string] => [seq, walk.macs.get(seq)!]);
  return { problems: walk.problems, records: walk.records, inGaps: walk.inGaps, macs };
}

/** A checked segment's result: its records are consecutive from `first` (a gap record would have left it unchecked). */
function checkedSegment(job: SegmentJob, lines: readonly string[]): SegmentResult {
  const macs: [number, string][] = [];
  for (const seq of job.want) {
    const place = seq >= job.first && seq < job.first + lines.length ? chainPlaceOf(lines[seq - job.first]!) : null;
    if (place?.seq === seq) macs.push([seq, place.mac]);
  }
  return { problems: [], records: lines.length, inGaps: [], macs };
}

/** Lines checked between two chances to pause: a few milliseconds of work. */
const LINES_PER_STEP = 1024;

/**
 * Whether `lines` continue the chain from `prev` (hex) at record `first` with
 * nothing verification would report: what a writer checks before it marks a
 * seal `checked`. It pauses between steps (the app's main process seals too).
 */
export async function linesVerify(lines: readonly string[], prev: string, first: number, keys: Pick<TrailKeys, 'mac'>, pacer: Pacer): Promise<boolean> {
  const walk: ChainWalk = { previous: Buffer.from(prev, 'hex'), expected: first, lastSeq: -1, records: 0, macs: new Map(), inGaps: [], problems: [] };
  for (let at = 0; at < lines.length && walk.problems.length === 0; at += LINES_PER_STEP) {
    walkLines(walk, lines.slice(at, at + LINES_PER_STEP), keys);
    await pacer.pause();
  }
  return walk.problems.length === 0;
}

/** Checks segment jobs: here, one after another, unless a caller brings worker threads (segment-check.ts). */
export type SegmentChecker = (jobs: SegmentJob[], keys: Pick<TrailKeys, 'mac'>) => Promise<SegmentResult[]>;

export const checkSegmentsHere: SegmentChecker = async (jobs, keys) => jobs.map((job) => checkSegment(job, keys));

export async function verifyTrail(files: TrailFiles, keys: TrailKeys, anchor: TrailAnchor | null, witness?: CheckpointWitness, check: SegmentChecker = checkSegmentsHere): Promise<TrailReport> {
  const problems: TrailProblem[] = [];
  const walk: ChainWalk = { previous: GENESIS_MAC, expected: 0, lastSeq: -1, records: 0, macs: new Map(), inGaps: [], problems };
  const index = parseIndex(files.index ?? null);
  const authentic = checkIndex(files.index, keys, problems);
  const head = files.head ? chainPlaceOf(files.head.toString('utf8')) : null;
  const want = [head?.seq, anchor?.seq].filter((seq): seq is number => seq !== undefined && seq >= 0);
  // The kept segments are checked each on its own (in parallel when the caller can), then read in order.
  const kept = index.seals.filter((seal) => !seal.dropped && files.segments?.get(seal.n));
  const results = await check(
    kept.map((seal) => ({ name: segmentName(seal), bytes: files.segments!.get(seal.n)!, prev: seal.prev, first: seal.first, count: seal.count, root: seal.root, checked: seal.checked === true && authentic.has(seal.n), want })),
    keys,
  );
  const resultOf = new Map(kept.map((seal, i) => [seal.n, results[i]!]));
  // Sealed segments first, oldest first: each must follow the one before and hold exactly what its seal says.
  for (const seal of index.seals) {
    const name = segmentName(seal);
    if (seal.prev !== walk.previous.toString('hex') || (walk.lastSeq >= 0 && seal.first <= walk.lastSeq))
      problems.push({ kind: 'segment-index', file: name, message: `The ${name} does not follow what came before it: segments were removed, replaced or reordered.` });
    const result = resultOf.get(seal.n);
    if (result) {
      problems.push(...result.problems);
      walk.records += result.records;
      walk.inGaps.push(...result.inGaps);
      for (const [seq, mac] of result.macs) walk.macs.set(seq, mac);
    } else if (!seal.dropped) problems.push({ kind: 'missing-segment', file: name, message: `The ${name} (records ${seal.first}–${seal.last}) is gone, and no retention drop says why.` });
    // Whatever the file held, the chain goes on from what the (authenticated) seal says.
    walk.previous = Buffer.from(seal.tail, 'hex');
    walk.expected = seal.last + 1;
    walk.lastSeq = seal.last;
    walk.macs.set(seal.last, seal.tail);
  }
  // Lines an interrupted seal left behind in the live log (already in the last segment) are not read twice.
  const { lines, torn, moved } = liveParts(files, index);
  // A last line without its newline is an append a crash cut short (never acknowledged): reported, not counted.
  if (torn) problems.push({ kind: 'damaged', line: moved + lines.length + 1, message: `The last line of the trail is incomplete (an append cut short); the next record written cuts it off.` });
  // (Walked as the file's lines, so that problems name the file's line numbers.)
  walkLines(walk, [...Array<string>(moved).fill(''), ...lines], keys, undefined, moved);
  const { lastSeq, macs, inGaps } = walk;
  const none = lastSeq < 0;
  if (none) {
    if (head && head.seq >= 0) problems.push({ kind: 'missing-log', message: `The trail's records are gone: its head says it held ${head.seq + 1}.` });
    else if (anchor && anchor.seq >= 0) problems.push({ kind: 'missing-log', message: `The trail's records are gone: the vault says it held at least ${anchor.seq + 1}.` });
  } else if (!files.head) {
    problems.push({ kind: 'missing-head', message: 'The trail has records but its head file (P.audit-head) is gone.' });
  } else if (!head) {
    problems.push({ kind: 'damaged', message: 'The head file (P.audit-head) cannot be read.' });
  }
  if (head && !none) {
    if (head.seq > lastSeq) problems.push({ kind: 'truncated', message: `The trail ends at record ${lastSeq}, but its head says record ${head.seq} was written: ${head.seq - lastSeq} record(s) at the end are gone.` });
    else if (!constantTimeEqual(Buffer.from(head.mac, 'hex'), Buffer.from(macs.get(head.seq) ?? '', 'hex')))
      problems.push({ kind: 'head-mismatch', message: `The head names record ${head.seq} with a MAC that record does not have.` });
    // A head behind the log is a crash between an append and the head's update: the records after it still verify above.
  }
  const reportedGap = (seq: number) => inGaps.some(([from, to]) => seq >= from && seq <= to);
  if (anchor && anchor.seq >= 0 && !none && !reportedGap(anchor.seq)) {
    if (anchor.seq > lastSeq) problems.push({ kind: 'truncated', message: `The trail ends at record ${lastSeq}, but the vault anchored record ${anchor.seq}: records were cut off.` });
    else if (!macs.has(anchor.seq) && anchor.seq > index.lastSealed) problems.push({ kind: 'truncated', message: `Record ${anchor.seq}, which the vault anchored, is not in the trail: records were cut off there.` });
    else if (macs.has(anchor.seq) && macs.get(anchor.seq) !== anchor.mac) problems.push({ kind: 'modified', message: `Record ${anchor.seq} is not the one the vault anchored.` });
  }
  // The one thing the chain, its head and the vault cannot show together: that all three were rolled back.
  if (witness) problems.push(...checkAgainstCheckpoint(witness.text, keys, witness.vaultId, trailLeaves(index, files, lines)));
  return { intact: problems.length === 0, records: walk.records, lastSeq, problems };
}
