/**
 * Checks an audit trail against its key, its head file and the anchor the
 * vault keeps (docs/audit-format.md, "Verifying"). Every problem is located:
 * which record, which line, which file. Pure over the bytes it is given.
 */
import { constantTimeEqual } from '../crypto/primitives.js';
import { isCanonicalJsonOf } from './canonical-json.js';
import { checkAgainstCheckpoint } from './checkpoint.js';
import { chainPlaceOf, GENESIS_MAC, hasChainPlace, macOfCanonical, recordMac, type StoredRecord, type TrailAnchor, type TrailKeys, type TrailRecord } from './trail-records.js';

export type TrailProblemKind = 'modified' | 'out-of-order' | 'damaged' | 'truncated' | 'missing-log' | 'missing-head' | 'head-mismatch' | 'checkpoint' | 'rolled-back' | 'rewritten';

export interface TrailProblem {
  kind: TrailProblemKind;
  /** 1-based line of P.audit, when the problem is at one. */
  line?: number;
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
  /** P.audit; null when missing. */
  log: Buffer | null;
  /** P.audit-head; null when missing. */
  head: Buffer | null;
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

export function verifyTrail(files: TrailFiles, keys: TrailKeys, anchor: TrailAnchor | null, witness?: CheckpointWitness): TrailReport {
  const problems: TrailProblem[] = [];
  const text = files.log?.toString('utf8') ?? '';
  const lines = text.split('\n');
  // A last line without its newline is an append a crash cut short (never acknowledged): reported, not counted.
  const torn = lines.pop();
  if (torn) problems.push({ kind: 'damaged', line: lines.length + 1, message: `The last line of the trail is incomplete (an append cut short); the next record written cuts it off.` });
  /** MAC of each record by sequence number, as stored (the chain is followed from the stored MACs, so one bad record is reported once). */
  const macs = new Map<number, string>();
  /** Sequence numbers a gap record already reports as missing. */
  const inGaps: [number, number][] = [];
  let lastSeq = -1;
  let previous = GENESIS_MAC;
  let expected = 0;
  for (let i = 0; i < lines.length; i++) {
    const record = parseLine(lines[i]!);
    if (!record) {
      problems.push({ kind: 'damaged', line: i + 1, message: `Line ${i + 1} is not a trail record.` });
      expected++;
      continue;
    }
    const { mac, ...fields } = record;
    // A writer that found the trail cut back numbers on after what was expected (docs/audit-format.md §5).
    const gapJump = record.gap !== undefined && record.seq === record.gap.expected + 1 && record.seq > expected;
    if (record.seq !== expected && !gapJump) {
      problems.push({
        kind: 'out-of-order',
        line: i + 1,
        message: `Line ${i + 1} holds record ${record.seq} where record ${expected} belongs: records were removed, inserted, moved or replayed here.`,
      });
    } else {
      // A canonical line is the record's canonical JSON with its MAC member added: without it, it is what was MACed
      // (one serialisation per record instead of two: what makes a million records verifiable in seconds).
      const canonical = isCanonicalJsonOf(lines[i]!, record);
      const macOk = sameMac(canonical ? macOfCanonical(keys, previous, withoutMac(lines[i]!, mac)) : recordMac(keys, previous, fields as TrailRecord), mac);
      // (Out of order, its MAC cannot match either: that is said once, above.)
      if (!macOk) problems.push({ kind: 'modified', line: i + 1, message: `Record ${record.seq} (line ${i + 1}) does not match its MAC: it was changed, or made under another key.` });
      // The same record written some other way (members moved, a name repeated, escapes): other readers may see other content.
      else if (!canonical) problems.push({ kind: 'modified', line: i + 1, message: `Line ${i + 1} is not written as canonical JSON: its bytes were changed.` });
    }
    if (record.gap) {
      problems.push({ kind: record.gap.kind, line: i + 1, message: gapMessage(record.gap, i + 1) });
      inGaps.push([record.gap.found + 1, record.gap.expected]);
    }
    expected = record.seq + 1;
    lastSeq = record.seq;
    macs.set(record.seq, mac);
    previous = Buffer.from(mac, 'hex');
  }
  const head = files.head ? chainPlaceOf(files.head.toString('utf8')) : null;
  if (!files.log || lines.length === 0) {
    if (head && head.seq >= 0) problems.push({ kind: 'missing-log', message: `The trail's records are gone: its head says it held ${head.seq + 1}.` });
    else if (anchor && anchor.seq >= 0) problems.push({ kind: 'missing-log', message: `The trail's records are gone: the vault says it held at least ${anchor.seq + 1}.` });
  } else if (!files.head) {
    problems.push({ kind: 'missing-head', message: 'The trail has records but its head file (P.audit-head) is gone.' });
  } else if (!head) {
    problems.push({ kind: 'damaged', message: 'The head file (P.audit-head) cannot be read.' });
  }
  if (head && lines.length > 0) {
    if (head.seq > lastSeq) problems.push({ kind: 'truncated', message: `The trail ends at record ${lastSeq}, but its head says record ${head.seq} was written: ${head.seq - lastSeq} record(s) at the end are gone.` });
    else if (!constantTimeEqual(Buffer.from(head.mac, 'hex'), Buffer.from(macs.get(head.seq) ?? '', 'hex')))
      problems.push({ kind: 'head-mismatch', message: `The head names record ${head.seq} with a MAC that record does not have.` });
    // A head behind the log is a crash between an append and the head's update: the records after it still verify above.
  }
  const reportedGap = (seq: number) => inGaps.some(([from, to]) => seq >= from && seq <= to);
  if (anchor && anchor.seq >= 0 && lines.length > 0 && !reportedGap(anchor.seq)) {
    if (anchor.seq > lastSeq) problems.push({ kind: 'truncated', message: `The trail ends at record ${lastSeq}, but the vault anchored record ${anchor.seq}: records were cut off.` });
    else if (!macs.has(anchor.seq)) problems.push({ kind: 'truncated', message: `Record ${anchor.seq}, which the vault anchored, is not in the trail: records were cut off there.` });
    else if (macs.get(anchor.seq) !== anchor.mac) problems.push({ kind: 'modified', message: `Record ${anchor.seq} is not the one the vault anchored.` });
  }
  // The one thing the chain, its head and the vault cannot show together: that all three were rolled back.
  if (witness) problems.push(...checkAgainstCheckpoint(witness.text, keys, witness.vaultId, lines));
  return { intact: problems.length === 0, records: lines.length, lastSeq, problems };
}
