import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { aesGcmEncrypt } from '../../../crypto/primitives.js';
import { emptyBody, type StoredCredential, type VaultBody } from '../../body.js';
import type { Pacer } from '../../pacing.js';
import type { VaultChange } from '../../vault-change.js';
import { COMPRESSED_CHANGE_ABOVE, CREDENTIALS_PER_CHUNK, decodeChange, decodeSnapshot, encodeChange, encodeSnapshot, encodeSnapshotSteps, openIndexedSnapshot, RECORD_ENCODING } from './records.js';
import { nameKey } from '../../credential-index.js';
import { FRAME_KIND, openFrame, parseFrames, parseFramesPaced, sealFrame, type Frame } from './frames.js';

/** A sealed value's shape (nonce ‖ ciphertext ‖ tag) with distinct bytes per credential: the codec never looks inside. */
const sealedFor = (i: number, length = 12 + 20 + 16) => Buffer.alloc(length, i % 251).toString('latin1');

function credential(i: number, versions = 1): StoredCredential {
  return {
    id: `id-${i}`,
    name: `name-${i} ✓ — ${'x'.repeat(i % 7)}`,
    type: 'api_key',
    provider: 'stripe',
    description: `credential ${i}`,
    tags: ['prod'],
    active: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    lastRotatedAt: null,
    expiresAt: null,
    fields: { keyId: `K${i}` },
    versions: Array.from({ length: versions }, (_, v) => ({ version: v + 1, createdAt: '2026-01-01T00:00:00.000Z', stage: v + 1 === versions ? ('current' as const) : ('history' as const), origin: 'manual' as const, sealed: sealedFor(i * 10 + v, 12 + 17 + v) })),
  };
}

function bodyOf(count: number): VaultBody {
  return { ...emptyBody(), credentials: Array.from({ length: count }, (_, i) => credential(i, 1 + (i % 3))), tombstones: { gone: '1767225600000.0000@0123456789abcdef' } };
}

/** Splits bytes into pieces of `size` (the last shorter), as a stepped decryption hands them over. */
function piecesOf(bytes: Buffer, size: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(Buffer.from(bytes.subarray(at, at + size)));
  return pieces;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function countingPacer(): Pacer & { pauses: number } {
  const pacer = {
    pauses: 0,
    pause: () => {
      pacer.pauses++;
      return Promise.resolve();
    },
  };
  return pacer;
}

describe('v2 record plaintexts in sections (docs/vault-format.md V2.3)', () => {
  it.each([
    ['compressed, indexed chunks (0x03, what snapshots are written in)', true, RECORD_ENCODING.indexedSections],
    ['plain chunks (0x01, snapshots written before compression)', false, RECORD_ENCODING.sections],
  ] as const)('a snapshot of more credentials than fit in one chunk, %s, decodes to the same body, however the plaintext is cut into pieces', async (_what, compressed, encoding) => {
    const body = bodyOf(CREDENTIALS_PER_CHUNK * 2 + 7);
    const plaintext = encodeSnapshot(body, { compressed });
    expect(plaintext[0]).toBe(encoding);
    for (const size of [1, 5, 4096, plaintext.length]) {
      const pacer = countingPacer();
      expect(await decodeSnapshot(piecesOf(plaintext, size), pacer)).toEqual(body);
      // One chance to pause per chunk of credentials.
      expect(pacer.pauses).toBe(3);
    }
  });

  it('writes a large snapshot in steps from the start: the pass that sizes the values pauses too, not only each chunk', () => {
    const body = bodyOf(CREDENTIALS_PER_CHUNK * 9 + 7);
    const steps = encodeSnapshotSteps(body);
    let pauses = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses++;
    // Ten chunks, and two pauses while sizing 4,507 credentials' values (one per 2,000).
    expect(pauses).toBe(10 + 2);
    expect(Buffer.concat(step.value)).toEqual(encodeSnapshot(body));
  });

  it.each([true, false])('holds each sealed value once, as bytes, outside the JSON (compressed: %s)', (compressed) => {
    const body = bodyOf(3);
    const plaintext = encodeSnapshot(body, { compressed });
    const values = Buffer.concat(body.credentials.flatMap((c) => c.versions.map((v) => Buffer.from(v.sealed, 'latin1'))));
    expect(plaintext.subarray(plaintext.length - values.length).equals(values)).toBe(true);
    expect(plaintext.subarray(0, plaintext.length - values.length).toString('utf8')).not.toMatch(/"nonce"|"ciphertext"/);
  });

  it('compresses the metadata of a snapshot, never the sealed values, and refuses a chunk that does not inflate', async () => {
    const body = bodyOf(CREDENTIALS_PER_CHUNK);
    const plain = encodeSnapshot(body, { compressed: false });
    const packed = encodeSnapshot(body);
    const valuesLength = body.credentials.reduce((n, c) => n + c.versions.reduce((m, v) => m + v.sealed.length, 0), 0);
    // The values section is the same bytes at the end of both; what precedes it is several times smaller compressed.
    expect(packed.subarray(packed.length - valuesLength).equals(plain.subarray(plain.length - valuesLength))).toBe(true);
    expect((packed.length - valuesLength) * 3).toBeLessThan(plain.length - valuesLength);
    // The first chunk's bytes (after the head, the index and the count) replaced by bytes that are no DEFLATE stream, lengths kept.
    const headLength = packed.readUInt32BE(1);
    const indexLength = packed.readUInt32BE(1 + 4 + headLength);
    const chunkAt = 1 + 4 + headLength + 4 + indexLength + 4;
    const damaged = Buffer.from(packed);
    damaged.fill(0xff, chunkAt + 4, chunkAt + 4 + 16);
    await expect(decodeSnapshot([damaged], countingPacer())).rejects.toMatchObject({ code: 'CORRUPTED' });
  });

  it('indexes each chunk (id and name key) in a snapshot, decodes any chunk alone, and refuses a chunk its index does not describe', () => {
    const body = bodyOf(CREDENTIALS_PER_CHUNK + 3);
    for (const size of [7, 1 << 20]) {
      const indexed = openIndexedSnapshot(piecesOf(encodeSnapshot(body), size))!;
      expect([0, 1].map((i) => indexed.chunks.entries(i))).toEqual([body.credentials.slice(0, CREDENTIALS_PER_CHUNK), body.credentials.slice(CREDENTIALS_PER_CHUNK)].map((chunk) => chunk.map((c) => [c.id, nameKey(c.name)])));
      expect(indexed.chunks.length).toBe(2);
      expect(indexed.chunks.mentioning(body.credentials[CREDENTIALS_PER_CHUNK + 1]!.id)).toEqual([1]);
      expect(indexed.chunks.mentioning(nameKey(body.credentials[2]!.name))).toEqual([0]);
      expect(indexed.chunks.mentioning('no such name')).toEqual([]);
      expect(indexed.chunks.decode(1)).toEqual(body.credentials.slice(CREDENTIALS_PER_CHUNK));
      expect(indexed.chunks.decode(0)).toEqual(body.credentials.slice(0, CREDENTIALS_PER_CHUNK));
      const { credentials: _c, ...head } = body;
      expect(indexed.head).toEqual(JSON.parse(JSON.stringify(head)));
      indexed.chunks.wipe();
    }
    // The index of one snapshot put in front of the chunks of another (same head, same sizes, other ids).
    const other: VaultBody = { ...body, credentials: body.credentials.map((c, i) => (i === 3 ? { ...c, id: 'id-X' } : c)) };
    const sectionsAfterHead = (plain: Buffer) => 1 + 4 + plain.readUInt32BE(1);
    const a = encodeSnapshot(body);
    const b = encodeSnapshot(other);
    const indexEnd = (plain: Buffer) => sectionsAfterHead(plain) + 4 + plain.readUInt32BE(sectionsAfterHead(plain));
    // (The two indexes differ in one id of chunk 0 only, so they have the same rule entry and lengths.)
    const spliced = Buffer.concat([b.subarray(0, sectionsAfterHead(b)), a.subarray(sectionsAfterHead(a), indexEnd(a)), b.subarray(indexEnd(b))]);
    const mismatched = openIndexedSnapshot([spliced])!;
    expect(mismatched.chunks.decode(1)).toEqual(other.credentials.slice(CREDENTIALS_PER_CHUNK));
    expect(() => mismatched.chunks.decode(0)).toThrow(expect.objectContaining({ code: 'CORRUPTED' }));
  });

  it('says how the index keys were made: ASCII keys serve any reader, others only a reader of the same Unicode version', () => {
    const ascii = bodyOf(3).credentials.map((c, i) => ({ ...c, name: `Plain-${i}` }));
    const accented = [...ascii, { ...credential(9), name: 'Café-Prod' }];
    const comparable = (credentials: StoredCredential[]) => openIndexedSnapshot([encodeSnapshot({ ...emptyBody(), credentials })])!.chunks.keysComparable;
    expect(comparable(ascii)).toBe(true);
    expect(comparable(accented)).toBe(true);
    const written = { ascii: encodeSnapshot({ ...emptyBody(), credentials: ascii }), accented: encodeSnapshot({ ...emptyBody(), credentials: accented }) };
    const actual = process.versions.unicode;
    // The same files read by a Keyward whose Unicode is another version.
    Object.defineProperty(process.versions, 'unicode', { value: '1.0', configurable: true });
    try {
      expect(openIndexedSnapshot([written.ascii])!.chunks.keysComparable).toBe(true);
      expect(openIndexedSnapshot([written.accented])!.chunks.keysComparable).toBe(false);
    } finally {
      Object.defineProperty(process.versions, 'unicode', { value: actual, configurable: true });
    }
  });

  it('an index this reader cannot use (a key rule it does not know) costs the shortcut: the snapshot still decodes whole', async () => {
    const body = bodyOf(CREDENTIALS_PER_CHUNK + 1);
    const plain = encodeSnapshot(body);
    const indexAt = 1 + 4 + plain.readUInt32BE(1);
    const entries = plain.subarray(indexAt + 4, indexAt + 4 + plain.readUInt32BE(indexAt));
    const afterRule = entries.subarray(4 + entries.readUInt32BE(0));
    const rule = deflateRawSync(Buffer.from(JSON.stringify({ key: 'a-rule-from-a-newer-keyward', unicode: process.versions.unicode, ascii: true })));
    const index = Buffer.concat([u32(4 + rule.length + afterRule.length), u32(rule.length), rule, afterRule]);
    const other = Buffer.concat([plain.subarray(0, indexAt), index, plain.subarray(indexAt + 4 + entries.length)]);
    expect(openIndexedSnapshot([Buffer.from(other)])).toBeNull();
    expect(await decodeSnapshot([other], countingPacer())).toEqual(body);
  });

  it('a change of a few credentials is written plain, one of many compressed, and both decode to the same change', async () => {
    const few: VaultChange = { put: bodyOf(COMPRESSED_CHANGE_ABOVE).credentials.slice(), removed: [] };
    const many: VaultChange = { put: bodyOf(COMPRESSED_CHANGE_ABOVE + 1).credentials.slice(), removed: [] };
    expect(encodeChange(few)[0]).toBe(RECORD_ENCODING.sections);
    expect(encodeChange(many)[0]).toBe(RECORD_ENCODING.compressedSections);
    expect(await decodeChange(piecesOf(encodeChange(many), 7), countingPacer())).toEqual(many);
  });

  it('a change decodes to the same change', async () => {
    const { credentials: _unused, ...rest } = emptyBody();
    const change: VaultChange = { put: [credential(1, 2), credential(2)], removed: ['id-9'], tombstones: { 'id-9': '1767225600000.0000@0123456789abcdef' }, insertedAt: { 'id-2': 0 }, rest };
    expect(await decodeChange(piecesOf(encodeChange(change), 3), countingPacer())).toEqual(change);
    const bare: VaultChange = { put: [], removed: ['a'] };
    expect(await decodeChange([encodeChange(bare)], countingPacer())).toEqual(bare);
  });

  it('still reads records written before sections (one JSON object, values as base64 nonce and ciphertext)', async () => {
    const c = credential(4);
    const bytes = Buffer.from(c.versions[0]!.sealed, 'latin1');
    const v1Style = { ...c, versions: c.versions.map(({ sealed: _s, ...v }) => ({ ...v, nonce: bytes.subarray(0, 12).toString('base64'), ciphertext: bytes.subarray(12).toString('base64') })) };
    const snapshot = Buffer.from(JSON.stringify({ ...emptyBody(), credentials: [v1Style] }));
    expect(snapshot[0]).toBe(RECORD_ENCODING.json);
    expect((await decodeSnapshot(piecesOf(snapshot, 10), countingPacer())).credentials).toEqual([c]);
    const change = Buffer.from(JSON.stringify({ put: [v1Style], removed: [] }));
    expect((await decodeChange([change], countingPacer())).put).toEqual([c]);
  });

  it('refuses an unknown encoding (a newer Keyward) and damaged sections, and turns a value reference out of range into an empty value', async () => {
    const plaintext = encodeSnapshot(bodyOf(2), { compressed: false });
    await expect(decodeSnapshot([Buffer.concat([Buffer.of(0x04), plaintext.subarray(1)])], countingPacer())).rejects.toMatchObject({ code: 'CORRUPTED', message: expect.stringMatching(/Update Keyward/) });
    for (const cut of [3, 10, plaintext.length - 200]) await expect(decodeSnapshot([plaintext.subarray(0, cut)], countingPacer())).rejects.toMatchObject({ code: 'CORRUPTED' });
    // A reference past the values section: the body still opens; that one value is empty (SecretSealer refuses it when opened).
    // (Same length, so every section length still holds: the first value, 29 bytes at 0, now claims 99 of the 88 there are.)
    const json = plaintext.toString('latin1').replace('"sealed":[0,29]', '"sealed":[0,99]');
    const body = await decodeSnapshot([Buffer.from(json, 'latin1')], countingPacer());
    expect(body.credentials[0]!.versions[0]!.sealed).toBe('');
    expect(body.credentials[1]!.versions[0]!.sealed).toBe(credential(1, 2).versions[0]!.sealed);
  });
});

describe('a frame larger than a step is decrypted in steps', () => {
  it('pauses between steps and gives the plaintext back in pieces, only when it authenticates', async () => {
    const key = randomBytes(32);
    const nonce = randomBytes(12);
    const plaintext = randomBytes((1 << 20) * 3 + 5);
    const chainBefore = Buffer.alloc(32, 7);
    const frame: Frame = { kind: 1, seq: 0, chainBefore, nonce, sealed: Buffer.alloc(0) };
    // The AAD as frames.ts makes it: label ‖ 0 ‖ chain before ‖ kind ‖ seq.
    const aad = Buffer.concat([Buffer.from('keyward/v2/frame\0'), chainBefore, Buffer.of(1), Buffer.alloc(8)]);
    frame.sealed = aesGcmEncrypt(key, nonce, plaintext, aad);
    const pacer = countingPacer();
    const pieces = await openFrame(frame, key, pacer);
    expect(pieces).toHaveLength(4);
    expect(pacer.pauses).toBe(3);
    expect(Buffer.concat(pieces!).equals(plaintext)).toBe(true);
    frame.sealed[5]! ^= 1;
    expect(await openFrame(frame, key, countingPacer())).toBeNull();
  });
});

describe('a frame larger than a checksum step is checked in steps', () => {
  it('pauses while checksumming and finds the same frames as the unpaced reader', async () => {
    const start = { seq: -1, chain: Buffer.alloc(32, 1), end: 0 };
    const sealed = sealFrame(start, FRAME_KIND.snapshot, 0, randomBytes(9 << 20), randomBytes(32), randomBytes(12));
    const file = Buffer.concat(sealed.bytes);
    const pacer = countingPacer();
    const paced = await parseFramesPaced(file, start, 'The file', pacer, FRAME_KIND.snapshot);
    expect(pacer.pauses).toBe(2);
    expect(paced.position).toEqual(parseFrames(file, start, 'The file', FRAME_KIND.snapshot).position);
    expect(paced.position.chain.equals(sealed.next.chain)).toBe(true);
  });
});
