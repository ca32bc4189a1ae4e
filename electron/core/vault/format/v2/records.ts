/**
 * What a v2 frame's plaintext holds (spec: docs/vault-format.md V2.3): the
 * snapshot's body, or one save's change, in sections, so a reader decodes the
 * metadata a few hundred credentials at a time (yielding to the event loop in
 * between) and never turns the sealed values into anything but one latin1
 * string each:
 *
 *   0x01 | u32 BE n | head (n bytes, UTF-8 JSON object)
 *        | u32 BE k | k × ( u32 BE m | m bytes: UTF-8 JSON array of credentials )
 *        | values: every byte left, the sealed values back to back
 *
 * 0x02 is the same with each chunk's m bytes raw DEFLATE (RFC 1951) of that
 * JSON: what changes that put many credentials are written in. 0x03, what
 * snapshots are written in, is 0x02 with an index after the head —
 * u32 BE x | x bytes: entries, each u32 BE m | m bytes of raw DEFLATE of UTF-8
 * JSON: first the rule its keys were made by ({"key", "unicode", "ascii"}),
 * then per chunk the array of its credentials as [id, name key] — so a reader
 * that needs one credential decodes its chunk alone (credentials-on-demand.ts).
 * Each chunk's entry is compressed on its own, as the chunk is: names are
 * never compressed together with names of another chunk. Metadata is mostly
 * names, dates and key names that repeat, and shrinks
 * about six times; the sealed values are ciphertext and are never compressed.
 *
 * The head is the body without `credentials` (a snapshot), or the change
 * without `put` (a change record). The chunks hold, in order, the body's
 * credentials or the change's `put`, at most CREDENTIALS_PER_CHUNK each. In
 * a stored version, `sealed` is `[offset, length]` into the values section.
 *
 * Records written before sections existed are one JSON object (their first
 * byte is `{`), each value as base64 `nonce` and `ciphertext`: still read.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { fail } from '../../../errors.js';
import type { StoredCredential, StoredVersion, VaultBody } from '../../body.js';
import type { VaultChange } from '../../vault-change.js';
import { isStamp } from '../../hlc.js';
import { BODY_SCHEMA } from '../../body.js';
import { runNow, type Pacer, type Steps } from '../../pacing.js';
import { bodyFromJson, fromBase64Values } from '../v1/body.js';
import { MIN_SEALED_BYTES } from '../v1/secret-sealer.js';
import type { CredentialChunks } from '../../credentials-on-demand.js';
import { nameKey } from '../../credential-index.js';

export const RECORD_ENCODING = { sections: 0x01, compressedSections: 0x02, indexedSections: 0x03, json: 0x7b } as const;
/** Small enough that decoding one chunk takes a few milliseconds at most (~600 KB of JSON). */
export const CREDENTIALS_PER_CHUNK = 500;

const U32 = 4;

/**
 * Level 3: on vault metadata it is faster than level 1 and as small as
 * level 6 to within a tenth (measured on the bench fixture: 87 against 95
 * and 78 bytes per credential).
 */
const DEFLATE_LEVEL = 3;
/** No chunk of 500 credentials comes near this (each field is capped far below); a larger one is refused, not inflated. */
const MAX_CHUNK_BYTES = 256 * 1024 * 1024;
/** Nor does a whole record's metadata: the sum over its chunks is capped too. */
const MAX_RECORD_METADATA_BYTES = 2 * 1024 * 1024 * 1024;

// ---- writing ----

/** A snapshot's plaintext: the body in sections, its chunks compressed and indexed (`compressed: false` writes 0x01, as Keyward did before). */
export function encodeSnapshot(body: VaultBody, options: { compressed?: boolean } = {}): Buffer {
  return Buffer.concat(runNow(encodeSnapshotSteps(body, options)));
}

/** The same in pieces (joined, they are the plaintext), yielding after each chunk so a writer may pause (pacing.ts). */
export function encodeSnapshotSteps(body: VaultBody, { compressed = true }: { compressed?: boolean } = {}): Steps<Buffer[]> {
  const { credentials, ...head } = body;
  return sectionSteps(head, credentials, compressed ? RECORD_ENCODING.indexedSections : RECORD_ENCODING.sections);
}

/**
 * A change record's plaintext: the change in sections. One that puts many
 * credentials at once (a bulk add or import) is compressed like a snapshot;
 * an everyday save of one or a few is not, so it costs only its write.
 */
export function encodeChange(change: VaultChange): Buffer {
  const { put, removed, tombstones, insertedAt, rest } = change;
  const head = { removed, ...(tombstones ? { tombstones } : {}), ...(insertedAt ? { insertedAt } : {}), ...(rest ? { rest } : {}) };
  return Buffer.concat(runNow(sectionSteps(head, put, put.length > COMPRESSED_CHANGE_ABOVE ? RECORD_ENCODING.compressedSections : RECORD_ENCODING.sections)));
}

/** A change that puts more credentials than this is written compressed (0x02). */
export const COMPRESSED_CHANGE_ABOVE = 64;

type SectionEncoding = typeof RECORD_ENCODING.sections | typeof RECORD_ENCODING.compressedSections | typeof RECORD_ENCODING.indexedSections;

function* sectionSteps(head: object, credentials: readonly StoredCredential[], encoding: SectionEncoding): Steps<Buffer[]> {
  const compressed = encoding !== RECORD_ENCODING.sections;
  const index: Buffer[] = [];
  let asciiKeys = true;
  let valuesLength = 0;
  // In steps too: at 100k this pass alone held the event loop for 12-30 ms before the first chunk.
  for (let i = 0; i < credentials.length; i++) {
    for (const v of credentials[i]!.versions) valuesLength += v.sealed.length;
    if ((i + 1) % (4 * CREDENTIALS_PER_CHUNK) === 0) yield;
  }
  const values = Buffer.allocUnsafeSlow(valuesLength);
  let at = 0;
  const chunks: Buffer[] = [];
  for (let start = 0; start < credentials.length; start += CREDENTIALS_PER_CHUNK) {
    const chunk = credentials.slice(start, start + CREDENTIALS_PER_CHUNK).map((c) => ({
      ...c,
      versions: c.versions.map((v) => {
        const ref = [at, v.sealed.length];
        at += values.write(v.sealed, at, 'latin1');
        return { ...v, sealed: ref };
      }),
    }));
    const json = Buffer.from(JSON.stringify(chunk), 'utf8');
    chunks.push(lengthPrefixed(compressed ? deflateRawSync(json, { level: DEFLATE_LEVEL }) : json));
    json.fill(0);
    if (encoding === RECORD_ENCODING.indexedSections) {
      const pairs = chunk.map((c) => [c.id, nameKey(c.name)] as const);
      if (asciiKeys) asciiKeys = pairs.every(([, key]) => isAscii(key));
      index.push(deflatedEntry(pairs));
    }
    yield;
  }
  const count = Buffer.alloc(U32);
  count.writeUInt32BE(chunks.length);
  const indexSection = encoding === RECORD_ENCODING.indexedSections ? [lengthPrefixed(Buffer.concat([indexRule(asciiKeys), ...index]))] : [];
  return [Buffer.of(encoding), lengthPrefixed(Buffer.from(JSON.stringify(head), 'utf8')), ...indexSection, count, ...chunks, values];
}

/**
 * The index's first entry: how its keys were made. A name key depends on the
 * Unicode version (NFC, lower-casing) unless every key is ASCII; a reader of
 * another version, when some key is not, looks names up in the whole list.
 */
function indexRule(ascii: boolean): Buffer {
  return deflatedEntry({ key: NAME_KEY_RULE, unicode: process.versions.unicode ?? '', ascii });
}

/** One index entry: length-prefixed raw DEFLATE of the value's JSON. */
function deflatedEntry(value: unknown): Buffer {
  return lengthPrefixed(deflateRawSync(Buffer.from(JSON.stringify(value), 'utf8'), { level: DEFLATE_LEVEL }));
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** What the index's keys are (credential-index.ts `nameKey`). */
const NAME_KEY_RULE = 'nfc-trim-lowercase';

function lengthPrefixed(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(U32 + bytes.length);
  out.writeUInt32BE(bytes.length);
  bytes.copy(out, U32);
  return out;
}

// ---- reading ----

/** A record's plaintext has authenticated (GCM) before it is decoded: a shape error is a bug or a newer Keyward, refused all the same. */
function shapeError(): never {
  throw fail.corrupted('A vault record has an unexpected shape.');
}

interface Sections {
  head: unknown;
  /** The index's bytes (encoding 0x03): its entries, each u32 BE length and raw DEFLATE of JSON; null in other encodings. */
  index: (() => Buffer) | null;
  /** Whether each chunk is raw DEFLATE of its JSON (encoding 0x02). */
  compressed: boolean;
  /** Each chunk's bytes, taken when decoded (one that crosses pieces is copied then, and the copy wiped by `done`). */
  chunks: (() => { bytes: Buffer; done: () => void })[];
  /** The values section, taken when a chunk is first decoded (it crosses pieces, and is copied then, unless the record is small). */
  values: () => Buffer;
  /** Wipes what splitting copied (the caller wipes the pieces). */
  wipe: () => void;
}

/**
 * Reads the sections out of the plaintext's pieces (frames.ts `openFrame`)
 * without joining them: a section inside one piece is a view of it, and only
 * one that crosses from one piece into the next is copied.
 */
class PiecesReader {
  private readonly starts: number[] = [];
  /** The copies made for sections that cross pieces: wiped with the pieces (`wipeCopies`). */
  private readonly copies: Buffer[] = [];
  readonly length: number;

  constructor(private readonly pieces: readonly Buffer[]) {
    let length = 0;
    for (const piece of pieces) {
      this.starts.push(length);
      length += piece.length;
    }
    this.length = length;
  }

  /** Bytes [start, end), which the caller has checked lie inside; a copy made for them is wiped by `wipeCopies`. */
  bytes(start: number, end: number): Buffer {
    const { bytes, copied } = this.read(start, end);
    if (copied) this.copies.push(bytes);
    return bytes;
  }

  /** As `bytes`, for a caller done with them soon: a copy is wiped by `done`, not kept until `wipeCopies`. */
  take(start: number, end: number): { bytes: Buffer; done: () => void } {
    const { bytes, copied } = this.read(start, end);
    return { bytes, done: copied ? () => void bytes.fill(0) : () => undefined };
  }

  /** A view when [start, end) lies in one piece, else a copy. */
  private read(start: number, end: number): { bytes: Buffer; copied: boolean } {
    let i = this.pieceAt(start);
    const first = this.pieces[i]!;
    const from = start - this.starts[i]!;
    if (end - this.starts[i]! <= first.length) return { bytes: first.subarray(from, end - this.starts[i]!), copied: false };
    const out = Buffer.allocUnsafe(end - start);
    let written = first.copy(out, 0, from);
    while (written < out.length) written += this.pieces[++i]!.copy(out, written, 0, out.length - written);
    return { bytes: out, copied: true };
  }

  wipeCopies(): void {
    for (const copy of this.copies) copy.fill(0);
  }

  private pieceAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}

function splitSections(pieces: readonly Buffer[], encoding: number): Sections {
  const plaintext = new PiecesReader(pieces);
  let at = 1;
  const u32 = (): number => {
    if (at + U32 > plaintext.length) shapeError();
    at += U32;
    return plaintext.bytes(at - U32, at).readUInt32BE(0);
  };
  const skip = (): [number, number] => {
    const length = u32();
    if (at + length > plaintext.length) shapeError();
    at += length;
    return [at - length, at];
  };
  const head = parseJson(plaintext.bytes(...skip()));
  let index: (() => Buffer) | null = null;
  if (encoding === RECORD_ENCODING.indexedSections) {
    const [start, end] = skip();
    index = () => plaintext.bytes(start, end);
  }
  const chunks: (() => { bytes: Buffer; done: () => void })[] = [];
  for (let count = u32(); count > 0; count--) {
    const [start, end] = skip();
    chunks.push(() => plaintext.take(start, end));
  }
  const valuesStart = at;
  let values: Buffer | null = null;
  return {
    head,
    index,
    compressed: encoding !== RECORD_ENCODING.sections,
    chunks,
    values: () => (values ??= plaintext.bytes(valuesStart, plaintext.length)),
    wipe: () => plaintext.wipeCopies(),
  };
}

function parseJson(bytes: Buffer): unknown {
  return parseText(bytes.toString('utf8'));
}

function isIndexEntry(e: unknown): boolean {
  return Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'string';
}

function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw fail.corrupted('A vault record could not be read.');
  }
}

/** Raw DEFLATE inflated (within what is left of `budget`) as UTF-8 text, the inflated copy wiped. */
function inflatedText(bytes: Buffer, budget: { left: number }): string {
  let out: Buffer;
  try {
    out = inflateRawSync(bytes, { maxOutputLength: Math.min(MAX_CHUNK_BYTES, budget.left) });
  } catch {
    throw fail.corrupted('A vault record could not be read.');
  }
  budget.left -= out.length;
  try {
    return out.toString('utf8');
  } finally {
    out.fill(0);
  }
}

/** A 0x02 chunk: inflated (within what is left of the record's `budget`), parsed, and the inflated copy wiped. */
function parseInflated(bytes: Buffer, budget: { left: number }): unknown {
  return parseText(inflatedText(bytes, budget));
}

function credentialShaped(x: unknown): x is StoredCredential {
  return !!x && typeof x === 'object' && typeof (x as StoredCredential).id === 'string' && Array.isArray((x as StoredCredential).versions);
}

/**
 * Each version's `[offset, length]` made the sealed value it points at. A
 * reference outside the values section becomes an empty value, refused
 * (CORRUPTED) when that one value is opened, as v1 does with damaged base64.
 */
function resolveValues(credentials: StoredCredential[], values: Buffer): void {
  for (const c of credentials)
    for (const v of c.versions as (StoredVersion & { sealed: unknown })[]) {
      const ref = v.sealed;
      const ok = Array.isArray(ref) && ref.length === 2 && Number.isSafeInteger(ref[0]) && Number.isSafeInteger(ref[1]) && ref[0] >= 0 && ref[1] >= MIN_SEALED_BYTES && ref[0] + ref[1] <= values.length;
      v.sealed = ok ? values.toString('latin1', ref[0] as number, (ref[0] as number) + (ref[1] as number)) : '';
    }
}

/** One chunk's credentials, shape-checked, their values resolved; `budget` bounds what the record's chunks inflate to in all. */
function decodeChunk(sections: Sections, i: number, budget: { left: number }): StoredCredential[] {
  const { bytes, done } = sections.chunks[i]!();
  let chunk: unknown;
  try {
    chunk = sections.compressed ? parseInflated(bytes, budget) : parseJson(bytes);
  } finally {
    done();
  }
  if (!Array.isArray(chunk) || !chunk.every(credentialShaped)) shapeError();
  resolveValues(chunk, sections.values());
  return chunk;
}

/** The credentials of every chunk, in order, a chunk at a time with a pause in between. */
async function credentialsOf(sections: Sections, pacer: Pacer): Promise<StoredCredential[]> {
  const credentials: StoredCredential[] = [];
  const budget = { left: MAX_RECORD_METADATA_BYTES };
  for (let i = 0; i < sections.chunks.length; i++) {
    for (const c of decodeChunk(sections, i, budget)) credentials.push(c);
    await pacer.pause();
  }
  return credentials;
}

/** A snapshot whose credentials are decoded a chunk at a time, when asked for (credentials-on-demand.ts). */
export interface IndexedSnapshot {
  /** The body without `credentials`, as a snapshot's head is. */
  head: Record<string, unknown>;
  chunks: CredentialChunks;
}

/**
 * A snapshot's plaintext (in pieces) opened for decoding on demand: the head
 * and the index now, each chunk when asked for. Null when the snapshot has
 * no index (written before 0x03, or uncompressed): it is decoded whole. The
 * pieces are kept until `chunks.wipe()`, which the caller owes.
 */
export function openIndexedSnapshot(plaintext: readonly Buffer[]): IndexedSnapshot | null {
  return runNow(openIndexedSnapshotSteps(plaintext));
}

/** The same in steps, a pause possible after each index entry inflated (at 100k, 200 of them: ~40 ms in all). */
export function* openIndexedSnapshotSteps(plaintext: readonly Buffer[]): Steps<IndexedSnapshot | null> {
  if (encodingOf(plaintext) !== RECORD_ENCODING.indexedSections) return null;
  let sections: Sections;
  try {
    sections = splitSections(plaintext, RECORD_ENCODING.indexedSections);
  } catch (err) {
    for (const piece of plaintext) piece.fill(0);
    throw err;
  }
  const wipe = () => {
    sections.wipe();
    for (const piece of plaintext) piece.fill(0);
  };
  try {
    const head = sections.head;
    if (!head || typeof head !== 'object' || Array.isArray(head) || 'credentials' in head) shapeError();
    const budget = { left: MAX_RECORD_METADATA_BYTES };
    const index = yield* readIndex(sections.index!(), sections.chunks.length, budget);
    // An index this reader cannot use (a writer's bug, or a rule from a newer Keyward) costs the shortcut, not the vault:
    // the caller decodes the body whole from the same plaintext, as an eager read does.
    if (!index) {
      sections.wipe();
      return null;
    }
    const { texts, keysComparable } = index;
    const parsed: ([string, string][] | undefined)[] = new Array(texts.length);
    const entries = (i: number): [string, string][] => {
      let pairs = parsed[i];
      if (!pairs) {
        const json = parseText(texts[i]!);
        if (!Array.isArray(json) || !json.every(isIndexEntry)) shapeError();
        parsed[i] = pairs = json as [string, string][];
      }
      return pairs;
    };
    return {
      head: head as Record<string, unknown>,
      chunks: {
        length: texts.length,
        keysComparable,
        entries,
        mentioning(text) {
          // A string's JSON form is how the writer put it in the entry: a chunk whose text lacks it cannot file it.
          const needle = JSON.stringify(text);
          const found: number[] = [];
          for (let i = 0; i < texts.length; i++) if (texts[i]!.includes(needle)) found.push(i);
          return found;
        },
        decode(i) {
          const chunk = decodeChunk(sections, i, budget);
          const pairs = entries(i);
          // The index and the chunk were sealed together; one that disagrees with what it indexes is a writer's bug, refused.
          // (Names are compared by the lookup that uses them: the key is a rule of this version's.)
          if (chunk.length !== pairs.length || chunk.some((c, at) => c.id !== pairs[at]![0])) shapeError();
          return chunk;
        },
        wipe,
      },
    };
  } catch (err) {
    wipe();
    throw err;
  }
}

/**
 * The index's entries inflated to text (each chunk's parsed only when a
 * lookup's text is in it), and whether its keys compare with this reader's;
 * null when its lengths or its rule entry cannot be read.
 */
function* readIndex(bytes: Buffer, chunks: number, budget: { left: number }): Steps<{ texts: string[]; keysComparable: boolean } | null> {
  try {
    const texts: string[] = [];
    for (let at = 0; at < bytes.length; ) {
      if (at + U32 > bytes.length) return null;
      const length = bytes.readUInt32BE(at);
      if (at + U32 + length > bytes.length) return null;
      texts.push(inflatedText(bytes.subarray(at + U32, at + U32 + length), budget));
      at += U32 + length;
      yield;
    }
    // The first entry says how the keys were made; one per chunk follows.
    const rule = parseText(texts.shift() ?? '') as { key?: unknown; unicode?: unknown; ascii?: unknown } | null;
    if (!rule || typeof rule !== 'object' || rule.key !== NAME_KEY_RULE || texts.length !== chunks) return null;
    // ASCII keys are the same under every Unicode version; others only under the writer's.
    const keysComparable = rule.ascii === true || (typeof rule.unicode === 'string' && rule.unicode !== '' && rule.unicode === process.versions.unicode);
    return { texts, keysComparable };
  } catch {
    return null;
  }
}

function encodingOf(plaintext: readonly Buffer[]): number {
  const first = plaintext.find((piece) => piece.length > 0)?.[0];
  if (first === RECORD_ENCODING.sections || first === RECORD_ENCODING.compressedSections || first === RECORD_ENCODING.indexedSections || first === RECORD_ENCODING.json) return first;
  throw fail.corrupted('A vault record uses an encoding this Keyward does not understand. Update Keyward.');
}

/** A snapshot's plaintext (in pieces, as frames.ts `openFrame` gives it) as a body. */
export async function decodeSnapshot(plaintext: readonly Buffer[], pacer: Pacer): Promise<VaultBody> {
  const encoding = encodingOf(plaintext);
  if (encoding === RECORD_ENCODING.json) return bodyFromJson(parseJoined(plaintext));
  const sections = splitSections(plaintext, encoding);
  try {
    const head = sections.head;
    if (!head || typeof head !== 'object' || Array.isArray(head) || 'credentials' in head) shapeError();
    const credentials = await credentialsOf(sections, pacer);
    return bodyFromJson({ ...head, credentials }, { valuesResolved: true });
  } finally {
    sections.wipe();
  }
}

/** A record written before sections: one JSON object. */
function parseJoined(plaintext: readonly Buffer[]): unknown {
  const joined = Buffer.concat(plaintext);
  try {
    return parseJson(joined);
  } finally {
    joined.fill(0);
  }
}

/** A change record's plaintext (in pieces) as the change it describes. */
export async function decodeChange(plaintext: readonly Buffer[], pacer: Pacer): Promise<VaultChange> {
  const encoding = encodingOf(plaintext);
  if (encoding === RECORD_ENCODING.json) {
    const change = changeFromJson(parseJoined(plaintext));
    for (const c of change.put) fromBase64Values(c);
    return change;
  }
  const sections = splitSections(plaintext, encoding);
  try {
    const head = sections.head;
    if (!head || typeof head !== 'object' || Array.isArray(head) || 'put' in head) shapeError();
    return changeFromJson({ ...head, put: await credentialsOf(sections, pacer) });
  } finally {
    sections.wipe();
  }
}

function changeFromJson(raw: unknown): VaultChange {
  const c = raw as Partial<VaultChange> | null;
  if (!c || typeof c !== 'object' || !Array.isArray(c.put) || !Array.isArray(c.removed) || !c.put.every(credentialShaped) || !c.removed.every((id) => typeof id === 'string')) shapeError();
  if (c.rest !== undefined && (typeof c.rest !== 'object' || c.rest === null || 'credentials' in c.rest)) shapeError();
  // A record from a newer body schema is refused as the snapshot of one would be (bodyFromJson).
  const restSchema = (c.rest as { schema?: unknown } | undefined)?.schema;
  if (restSchema !== undefined && (!Number.isSafeInteger(restSchema) || (restSchema as number) < 1 || (restSchema as number) > BODY_SCHEMA))
    throw fail.corrupted('A vault record uses a body schema this Keyward does not understand. Update Keyward.');
  if (c.tombstones !== undefined && (typeof c.tombstones !== 'object' || c.tombstones === null || !Object.values(c.tombstones).every(isStamp))) shapeError();
  if (c.insertedAt !== undefined && (typeof c.insertedAt !== 'object' || c.insertedAt === null || !Object.values(c.insertedAt).every((n) => Number.isSafeInteger(n) && n >= 0))) shapeError();
  return { put: c.put, removed: c.removed, ...(c.tombstones ? { tombstones: c.tombstones } : {}), ...(c.insertedAt ? { insertedAt: c.insertedAt } : {}), ...(c.rest ? { rest: c.rest } : {}) };
}
