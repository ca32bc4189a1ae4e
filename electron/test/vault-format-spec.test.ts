/**
 * Proves docs/vault-format.md is complete: an independent decryptor, written
 * from that document alone with node:crypto, reads files written by the real
 * core — v1 files (part I: the golden file, and the core's vault turned into
 * the v1 file an older Keyward wrote) and the v2 files Keyward writes now (part II).
 * The core runs without its memory of generations seen (stateDir: null): these
 * tests are about what the file alone says, and reuse one vault's bytes. Nothing of electron/core/crypto or electron/core/vault/format is
 * imported; the core is used only to create vaults and, for error classes, as
 * the other party whose verdict the document must predict.
 */
import { createDecipheriv, createCipheriv, createHash, hkdfSync, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realVaultDeps } from '../core/composition.js';
import { serviceFor } from './helpers/builders.js';
import { KeywardError } from '../core/errors.js';
import { KEYCHAIN_SERVICE, MemoryKeychain } from '../core/keychain/keychain.js';
import { createVault, unlockVault } from '../core/vault/vault-session.js';
import { GOLDEN_CREDENTIALS, GOLDEN_DIR, GOLDEN_PASSWORD, GOLDEN_VAULT } from './helpers/golden-v1.js';
import { rewriteAsV1 } from './helpers/v1-file.js';

// ───────────────────────── the spec decryptor (docs/vault-format.md only) ─────────────────────────

type SpecCode = 'CORRUPTED' | 'UNSUPPORTED_VERSION' | 'AUTH_FAILED';

class SpecError extends Error {
  constructor(
    readonly code: SpecCode,
    message: string,
  ) {
    super(message);
  }
}

const MAGIC = Buffer.from('KEYWARD\0', 'latin1'); // §2
const UUID_LIKE = /^[0-9a-f-]{36}$/; // §3
const NUL = '\0';

interface SpecHeader {
  vaultId: string;
  createdAt: string;
  generation: number;
  kdf: { algorithm: string; iterations: number; salt: string };
  keyId: string;
  passwordWrap: { nonce: string; ciphertext: string };
  keychain: boolean;
}

interface SpecVersion {
  version: number;
  createdAt: string;
  stage: string;
  origin: string;
  nonce: string;
  ciphertext: string;
}

interface SpecCredential {
  id: string;
  name: string;
  type: string;
  provider: string;
  description: string;
  tags: string[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
  lastRotatedAt: string | null;
  expiresAt: string | null;
  fields: Record<string, string>;
  versions: SpecVersion[];
}

interface SpecBody {
  schema: number;
  credentials: SpecCredential[];
  settings: { autoLockMinutes: number; clipboardClearSeconds: number; backupsToKeep: number; historyToKeep: number };
  encryptions: { body: number; secrets: number };
}

interface SpecContainer {
  version: number;
  headerLength: number;
  /** Bytes [0, 14 + H): the body's AAD (§2). */
  prefix: Buffer;
  header: SpecHeader;
  bodyNonce: Buffer;
  sealedBody: Buffer;
}

/** §0: ciphertext ‖ 16-byte tag; null when the tag does not verify. */
function gcmOpen(key: Buffer, nonce: Buffer, sealed: Buffer, aad: Buffer): Buffer | null {
  if (sealed.length < 16) return null;
  const d = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
  d.setAAD(aad);
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  try {
    return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
  } catch {
    return null;
  }
}

function gcmSeal(key: Buffer, nonce: Buffer, plain: Buffer, aad: Buffer): Buffer {
  const c = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
  c.setAAD(aad);
  return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest();

/** §0: standard base64 with padding, of an exact decoded size. */
function b64(value: unknown, size: number): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw new SpecError('CORRUPTED', 'not base64');
  const raw = Buffer.from(value, 'base64');
  if (raw.length !== size) throw new SpecError('CORRUPTED', `base64 of ${raw.length} bytes, expected ${size}`);
  return raw;
}

/** §9 steps 1–5. */
function specParse(file: Buffer): SpecContainer {
  const L = file.length;
  if (L === 0 || L < 8 || !file.subarray(0, 8).equals(MAGIC) || L < 14) throw new SpecError('CORRUPTED', 'not a Keyward vault');
  const version = file.readUInt16BE(8);
  if (version > 2) throw new SpecError('UNSUPPORTED_VERSION', `version ${version}`);
  if (version === 2) throw new SpecError('CORRUPTED', 'a v2 file: read with specParseV2');
  if (version === 0) throw new SpecError('CORRUPTED', 'version 0');
  const H = file.readUInt32BE(10);
  if (H > 65536 || L < 74 + H) throw new SpecError('CORRUPTED', 'truncated');
  if (!timingSafeEqual(sha256(file.subarray(0, L - 32)), file.subarray(L - 32))) throw new SpecError('CORRUPTED', 'checksum');
  const prefix = file.subarray(0, 14 + H);
  let header: SpecHeader;
  try {
    header = JSON.parse(prefix.subarray(14).toString('utf8')) as SpecHeader;
  } catch {
    throw new SpecError('CORRUPTED', 'header is not JSON');
  }
  specValidateHeader(header);
  return { version, headerLength: H, prefix, header, bodyNonce: file.subarray(14 + H, 26 + H), sealedBody: file.subarray(26 + H, L - 32) };
}

/** §3: every check happens before any key derivation. */
function specValidateHeader(h: SpecHeader): void {
  const bad = (what: string) => new SpecError('CORRUPTED', what);
  if (typeof h !== 'object' || h === null) throw bad('header not an object');
  if (typeof h.vaultId !== 'string' || !UUID_LIKE.test(h.vaultId)) throw bad('vaultId');
  if (typeof h.keyId !== 'string' || !UUID_LIKE.test(h.keyId)) throw bad('keyId');
  if (typeof h.createdAt !== 'string') throw bad('createdAt');
  if (!Number.isSafeInteger(h.generation) || h.generation < 0) throw bad('generation');
  if (typeof h.keychain !== 'boolean') throw bad('keychain');
  if (typeof h.kdf !== 'object' || h.kdf === null || h.kdf.algorithm !== 'pbkdf2-hmac-sha256') throw bad('kdf.algorithm');
  if (!Number.isSafeInteger(h.kdf.iterations) || h.kdf.iterations < 100_000 || h.kdf.iterations > 50_000_000) throw bad('kdf.iterations');
  b64(h.kdf.salt, 32);
  if (typeof h.passwordWrap !== 'object' || h.passwordWrap === null) throw bad('passwordWrap');
  b64(h.passwordWrap.nonce, 12);
  b64(h.passwordWrap.ciphertext, 48);
}

/** §4.1 */
function specPasswordKey(password: string, h: SpecHeader): Buffer {
  return pbkdf2Sync(Buffer.from(password.normalize('NFC'), 'utf8'), Buffer.from(h.kdf.salt, 'base64'), h.kdf.iterations, 32, 'sha256');
}

/** §4.2: the salt enters the AAD as its base64 text. */
function specWrapAad(h: SpecHeader): Buffer {
  const { vaultId, keyId, kdf } = h;
  return Buffer.from(['keyward/v1/password-wrap', vaultId, keyId, kdf.algorithm, String(kdf.iterations), kdf.salt].join(NUL), 'utf8');
}

function specUnwrap(passwordKey: Buffer, h: SpecHeader): Buffer {
  const key = gcmOpen(passwordKey, Buffer.from(h.passwordWrap.nonce, 'base64'), Buffer.from(h.passwordWrap.ciphertext, 'base64'), specWrapAad(h));
  if (!key) throw new SpecError('AUTH_FAILED', 'wrong master password');
  return key;
}

/** §4.3 */
function specSubkey(vaultKey: Buffer, vaultId: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', vaultKey, Buffer.from(vaultId, 'utf8'), Buffer.from(info, 'utf8'), 32));
}

/** §5 and §7 (§9 steps 8–10). */
function specOpenBody(c: SpecContainer, vaultKey: Buffer): SpecBody {
  const plain = gcmOpen(specSubkey(vaultKey, c.header.vaultId, 'keyward/v1/body'), c.bodyNonce, c.sealedBody, c.prefix);
  if (!plain) throw new SpecError('CORRUPTED', 'body does not authenticate');
  let body: SpecBody;
  try {
    body = JSON.parse(plain.toString('utf8')) as SpecBody;
  } catch {
    throw new SpecError('CORRUPTED', 'body is not JSON');
  }
  if (typeof body !== 'object' || body === null || !Array.isArray(body.credentials) || body.schema > 1)
    throw new SpecError('CORRUPTED', 'body shape');
  return body;
}

/** The whole §9 procedure with the master password. */
function specDecrypt(file: Buffer, password: string): { container: SpecContainer; vaultKey: Buffer; body: SpecBody } {
  const container = specParse(file);
  const vaultKey = specUnwrap(specPasswordKey(password, container.header), container.header);
  return { container, vaultKey, body: specOpenBody(container, vaultKey) };
}

/** §8 */
function specSecretAad(vaultId: string, credentialId: string, version: number): Buffer {
  return Buffer.from(['keyward/v1/secret', vaultId, credentialId, String(version)].join(NUL), 'utf8');
}

function specReveal(vaultKey: Buffer, vaultId: string, c: SpecCredential, v: SpecVersion, boundTo = { id: c.id, version: v.version }): string {
  const plain = gcmOpen(
    specSubkey(vaultKey, vaultId, 'keyward/v1/secret-values'),
    b64(v.nonce, 12),
    Buffer.from(v.ciphertext, 'base64'),
    specSecretAad(vaultId, boundTo.id, boundTo.version),
  );
  if (!plain) throw new SpecError('CORRUPTED', 'secret value moved or altered');
  return plain.toString('utf8');
}

/** §2 and §14: what a writer produces from a header and a sealed body. */
function specAssemble(version: number, headerJson: Buffer, bodyNonce: Buffer, sealedBody: Buffer): Buffer {
  const fixed = Buffer.alloc(14);
  MAGIC.copy(fixed, 0);
  fixed.writeUInt16BE(version, 8);
  fixed.writeUInt32BE(headerJson.length, 10);
  const withoutChecksum = Buffer.concat([fixed, headerJson, bodyNonce, sealedBody]);
  return Buffer.concat([withoutChecksum, sha256(withoutChecksum)]);
}

function specPrefix(version: number, headerJson: Buffer): Buffer {
  return specAssemble(version, headerJson, Buffer.alloc(0), Buffer.alloc(0)).subarray(0, 14 + headerJson.length);
}

// ─────────────────────── part II: the v2 decryptor (docs/vault-format.md part II only) ───────────────────────

interface SpecFrame {
  kind: number;
  seq: number;
  nonce: Buffer;
  sealed: Buffer;
  aad: Buffer;
  /** Offsets in the file: where the frame starts and ends. */
  start: number;
  end: number;
}

interface SpecFileV2 {
  header: SpecHeader;
  frames: SpecFrame[];
  /** Bytes after the last complete frame (a torn write, V2.4). */
  torn: number;
}

/** V2.1: the first 4 bytes of SHA-256(length ‖ kind ‖ seq), top bit set. */
function specCheck(lengthKindSeq: Buffer): Buffer {
  const check = Buffer.from(sha256(lengthKindSeq).subarray(0, 4));
  check[0]! |= 0x80;
  return check;
}

/** V2.4 steps 1–3: everything before any key derivation. */
function specParseV2(file: Buffer): SpecFileV2 {
  const L = file.length;
  if (L === 0 || L < 8 || !file.subarray(0, 8).equals(MAGIC) || L < 14) throw new SpecError('CORRUPTED', 'not a Keyward vault');
  const version = file.readUInt16BE(8);
  if (version > 2) throw new SpecError('UNSUPPORTED_VERSION', `version ${version}`);
  if (version !== 2) throw new SpecError('CORRUPTED', 'not v2');
  const H = file.readUInt32BE(10);
  if (H > 65536 || L < 14 + H) throw new SpecError('CORRUPTED', 'truncated');
  let chain = sha256(file.subarray(0, 14 + H));
  let offset = 14 + H;
  const frames: SpecFrame[] = [];
  while (offset < L) {
    if (L - offset < 17) break;
    const length = file.readUInt32BE(offset);
    const kind = file[offset + 4]!;
    const seq = Number(file.readBigUInt64BE(offset + 5));
    const check = file.subarray(offset + 13, offset + 17);
    if (check.equals(Buffer.alloc(4))) break; // not committed: a torn write
    if (!specCheck(file.subarray(offset, offset + 13)).equals(check)) throw new SpecError('CORRUPTED', 'frame check');
    if (length < 73 || length > 2 ** 30) throw new SpecError('CORRUPTED', 'frame length');
    if (L - offset < 4 + length) break;
    if (kind !== (frames.length === 0 ? 1 : 2)) throw new SpecError('CORRUPTED', 'frame kind');
    if (!Number.isSafeInteger(seq) || (frames.length > 0 && seq !== frames.at(-1)!.seq + 1)) throw new SpecError('CORRUPTED', 'frame seq');
    const end = offset + 4 + length;
    const next = sha256(Buffer.concat([chain, file.subarray(offset, end - 32)]));
    if (!next.equals(file.subarray(end - 32, end))) throw new SpecError('CORRUPTED', 'frame chain');
    const place = Buffer.alloc(9);
    place[0] = kind;
    place.writeBigUInt64BE(BigInt(seq), 1);
    const aad = Buffer.concat([Buffer.from(`keyward/v2/frame${NUL}`, 'utf8'), chain, place]);
    frames.push({ kind, seq, nonce: file.subarray(offset + 17, offset + 29), sealed: file.subarray(offset + 29, end - 32), aad, start: offset, end });
    chain = next;
    offset = end;
  }
  if (frames.length === 0) throw new SpecError('CORRUPTED', 'no complete snapshot');
  let header: SpecHeader;
  try {
    header = JSON.parse(file.subarray(14, 14 + H).toString('utf8')) as SpecHeader;
  } catch {
    throw new SpecError('CORRUPTED', 'header is not JSON');
  }
  specValidateHeader(header);
  if (header.generation !== frames[0]!.seq) throw new SpecError('CORRUPTED', 'snapshot seq ≠ header generation');
  return { header, frames, torn: L - frames.at(-1)!.end };
}

interface SpecChange {
  put: SpecCredential[];
  removed: string[];
  insertedAt?: Record<string, number>;
  tombstones?: Record<string, string>;
  rest?: Omit<SpecBody, 'credentials'>;
}

/** V2.3: applying a change to a body. */
function specApply(body: SpecBody, change: SpecChange): void {
  const list = [...body.credentials];
  const inserted: SpecCredential[] = [];
  for (const c of change.put) {
    const at = list.findIndex((x) => x.id === c.id);
    if (at >= 0) list[at] = c;
    else if (change.insertedAt?.[c.id] !== undefined) inserted.push(c);
    else list.push(c);
  }
  const kept = list.filter((c) => !change.removed.includes(c.id));
  for (const c of inserted.sort((a, b) => change.insertedAt![a.id]! - change.insertedAt![b.id]!)) kept.splice(Math.min(change.insertedAt![c.id]!, kept.length), 0, c);
  body.credentials = kept;
  const withTombstones = body as SpecBody & { tombstones?: Record<string, string> };
  if (change.tombstones) withTombstones.tombstones = { ...withTombstones.tombstones, ...change.tombstones };
  for (const c of change.put) if (withTombstones.tombstones) delete withTombstones.tombstones[c.id];
  if (change.rest) {
    for (const key of Object.keys(body)) if (key !== 'credentials' && key !== 'tombstones' && !(key in change.rest)) delete (body as unknown as Record<string, unknown>)[key];
    Object.assign(body, change.rest);
  }
}

/**
 * V2.3: a record's plaintext as one JSON object — the body, or the change with
 * its `put` — whether in sections (first byte 0x01) or, as records written
 * before sections, one JSON object (first byte `{`). Each version's `sealed`
 * reference becomes the base64 `nonce` and `ciphertext` of part I (§7).
 */
function specRecord(plain: Buffer, listKey: 'credentials' | 'put'): Record<string, unknown> {
  const json = (bytes: Buffer): unknown => {
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new SpecError('CORRUPTED', 'record JSON');
    }
  };
  if (plain[0] === 0x7b) return json(plain) as Record<string, unknown>;
  if (plain[0] !== 0x01 && plain[0] !== 0x02 && plain[0] !== 0x03) throw new SpecError('CORRUPTED', 'record encoding');
  // 0x02 and 0x03: each chunk is raw DEFLATE (RFC 1951) of its JSON.
  const inflated = (bytes: Buffer): unknown => {
    try {
      return json(inflateRawSync(bytes));
    } catch (err) {
      throw err instanceof SpecError ? err : new SpecError('CORRUPTED', 'record chunk DEFLATE');
    }
  };
  const chunkJson = (bytes: Buffer): unknown => (plain[0] === 0x01 ? json(bytes) : inflated(bytes));
  let at = 1;
  const u32 = (): number => {
    if (at + 4 > plain.length) throw new SpecError('CORRUPTED', 'record sections');
    at += 4;
    return plain.readUInt32BE(at - 4);
  };
  const take = (): Buffer => {
    const n = u32();
    if (at + n > plain.length) throw new SpecError('CORRUPTED', 'record sections');
    at += n;
    return plain.subarray(at - n, at);
  };
  const head = json(take()) as Record<string, unknown>;
  // 0x03: the index: entries, each a length and raw DEFLATE of JSON: the key rule, then per chunk [[id, name key], …].
  let index: [string, string][][] | null = null;
  if (plain[0] === 0x03) {
    const bytes = take();
    const entries: unknown[] = [];
    for (let i = 0; i < bytes.length; ) {
      const m = bytes.readUInt32BE(i);
      entries.push(inflated(bytes.subarray(i + 4, i + 4 + m)));
      i += 4 + m;
    }
    const [rule, ...perChunk] = entries as [{ key: string; unicode: string; ascii: boolean }, ...[string, string][][]];
    if (rule.key !== 'nfc-trim-lowercase' || typeof rule.unicode !== 'string' || typeof rule.ascii !== 'boolean') throw new SpecError('CORRUPTED', 'record index rule');
    if (rule.ascii !== perChunk.every((pairs) => pairs.every(([, key]) => [...key].every((ch) => ch.codePointAt(0)! < 0x80)))) throw new SpecError('CORRUPTED', 'record index rule');
    index = perChunk;
  }
  const chunks: Buffer[] = [];
  for (let k = u32(); k > 0; k--) chunks.push(take());
  const values = plain.subarray(at);
  const decoded = chunks.map((chunk) => chunkJson(chunk) as (SpecCredential & { versions: (SpecVersion & { sealed?: [number, number] })[] })[]);
  if (index) {
    // The name key: NFC, trimmed, lower-cased.
    const expected = decoded.map((chunk) => chunk.map((c) => [c.id, c.name.normalize('NFC').trim().toLowerCase()]));
    if (JSON.stringify(index) !== JSON.stringify(expected)) throw new SpecError('CORRUPTED', 'record index');
  }
  const list = decoded.flat();
  for (const c of list)
    for (const v of c.versions) {
      const [offset, length] = v.sealed!;
      const sealed = values.subarray(offset, offset + length);
      v.nonce = sealed.subarray(0, 12).toString('base64');
      v.ciphertext = sealed.subarray(12).toString('base64');
      delete v.sealed;
    }
  return { ...head, [listKey]: list };
}

/** V2.3 written: the head, then the credentials in one chunk, their values in the values section. */
function specEncodeRecord(head: object, list: SpecCredential[]): Buffer {
  const values: Buffer[] = [];
  let offset = 0;
  const chunk = list.map((c) => ({
    ...c,
    versions: c.versions.map(({ nonce, ciphertext, ...v }) => {
      const sealed = Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(ciphertext, 'base64')]);
      values.push(sealed);
      offset += sealed.length;
      return { ...v, sealed: [offset - sealed.length, sealed.length] };
    }),
  }));
  const lengthPrefixed = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    const n = Buffer.alloc(4);
    n.writeUInt32BE(bytes.length);
    return Buffer.concat([n, bytes]);
  };
  const one = Buffer.alloc(4);
  one.writeUInt32BE(1);
  return Buffer.concat([Buffer.of(0x01), lengthPrefixed(JSON.stringify(head)), one, lengthPrefixed(JSON.stringify(chunk)), ...values]);
}

/** V2.4 steps 4–5 with the master password. */
function specDecryptV2(file: Buffer, password: string): { parsed: SpecFileV2; vaultKey: Buffer; body: SpecBody } {
  const parsed = specParseV2(file);
  const vaultKey = specUnwrap(specPasswordKey(password, parsed.header), parsed.header);
  const bodyKey = specSubkey(vaultKey, parsed.header.vaultId, 'keyward/v1/body');
  let body: SpecBody | null = null;
  for (const frame of parsed.frames) {
    const plain = gcmOpen(bodyKey, frame.nonce, frame.sealed, frame.aad);
    if (!plain) throw new SpecError('CORRUPTED', `frame ${frame.seq} does not authenticate`);
    if (body === null) body = specRecord(plain, 'credentials') as unknown as SpecBody;
    else specApply(body, specRecord(plain, 'put') as unknown as SpecChange);
  }
  if (!body || !Array.isArray(body.credentials) || body.schema > 1) throw new SpecError('CORRUPTED', 'body shape');
  return { parsed, vaultKey, body };
}

/** Either version, by the prefix (§2): what a reader of this document does. */
function specDecryptAny(file: Buffer, password: string): { header: SpecHeader; vaultKey: Buffer; body: SpecBody } {
  if (file.length >= 10 && file.subarray(0, 8).equals(MAGIC) && file.readUInt16BE(8) === 2) {
    const { parsed, vaultKey, body } = specDecryptV2(file, password);
    return { header: parsed.header, vaultKey, body };
  }
  const { container, vaultKey, body } = specDecrypt(file, password);
  return { header: container.header, vaultKey, body };
}

/** V2.1–V2.2: one change frame, sealed as the document says, to append after the file's last frame. */
function specChangeFrame(file: Buffer, vaultKey: Buffer, change: SpecChange, encoding: 'sections' | 'json' = 'sections'): Buffer {
  const parsed = specParseV2(file);
  const last = parsed.frames.at(-1)!;
  const chainBefore = file.subarray(last.end - 32, last.end);
  const seq = last.seq + 1;
  const place = Buffer.alloc(9);
  place[0] = 2;
  place.writeBigUInt64BE(BigInt(seq), 1);
  const { put, ...changeHead } = change;
  const plaintext = encoding === 'json' ? Buffer.from(JSON.stringify(change)) : specEncodeRecord(changeHead, put);
  const nonce = randomBytes(12);
  const sealed = gcmSeal(specSubkey(vaultKey, parsed.header.vaultId, 'keyward/v1/body'), nonce, plaintext, Buffer.concat([Buffer.from(`keyward/v2/frame${NUL}`), chainBefore, place]));
  const head = Buffer.alloc(17);
  head.writeUInt32BE(13 + 12 + sealed.length + 32, 0);
  head[4] = 2;
  head.writeBigUInt64BE(BigInt(seq), 5);
  specCheck(head.subarray(0, 13)).copy(head, 13);
  const bytes = Buffer.concat([head, nonce, sealed]);
  return Buffer.concat([bytes, sha256(Buffer.concat([chainBefore, bytes]))]);
}

// ───────────────────────────────────────── fixtures ─────────────────────────────────────────

/** NFD on purpose (e + U+0301): §4.1 says the password is NFC-normalised before use. */
const PASSWORD_AS_TYPED = 'Cafe\u0301 horse battery staple';
const PASSWORD_NFC = 'Caf\u00e9 horse battery staple';
const API_NAME = 'Prod — GitHub 🔑\nline two';
const API_V1 = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
const API_V2 = 'ghp_rotated\u00e9\u{1F600}value';
const PASSWORD_NAME = 'mail';
const PASSWORD_VALUE = 'Tr0ub4dour&3-long-enough';

let root: string;
let vaultPath: string;
/** The core's vault as the v1 file an older Keyward wrote (part I). */
let file: Buffer;
/** The same vault as the core wrote it: v2 (part II). */
let fileV2: Buffer;

async function freshDir(label: string): Promise<string> {
  const dir = join(root, label);
  await mkdir(dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'keyward-format-spec-'));
  vaultPath = join(await freshDir('main'), 'vault.keyward');
  const session = await createVault(vaultPath, { password: PASSWORD_AS_TYPED, kdfIterations: 100_000, useKeychain: false }, realVaultDeps({ useKeychain: false, stateDir: null }));
  const svc = serviceFor(session, 'test');
  await svc.add(
    { name: API_NAME, type: 'api_key', provider: 'GitHub', description: 'CI token', tags: ['ci', 'prod'], fields: { keyId: 'AKIA1', scopes: 'repo' } },
    { value: API_V1 },
  );
  await svc.add({ name: PASSWORD_NAME, type: 'password', fields: { username: 'me@example.com' } }, { value: PASSWORD_VALUE });
  await svc.rotate(API_NAME, { value: API_V2 });
  session.lock();
  fileV2 = await readFile(vaultPath);
  const asV1 = join(await freshDir('as-v1'), 'vault.keyward');
  await writeFile(asV1, fileV2);
  file = await rewriteAsV1(asV1, PASSWORD_AS_TYPED);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// ─────────────────────────────────────────── tests ───────────────────────────────────────────

describe('docs/vault-format.md, followed step by step, decrypts a vault written by the core', () => {
  it('§2 container: magic, version 1, big-endian header length, checksum over everything before it', () => {
    expect(file.subarray(0, 8).toString('hex')).toBe('4b45595741524400');
    expect(file.readUInt16BE(8)).toBe(1);
    const H = file.readUInt32BE(10);
    expect(() => JSON.parse(file.subarray(14, 14 + H).toString('utf8'))).not.toThrow();
    expect(sha256(file.subarray(0, file.length - 32)).equals(file.subarray(file.length - 32))).toBe(true);
  });

  it('§3 header: the documented fields and nothing secret', () => {
    const { header } = specParse(file);
    expect(Object.keys(header).sort()).toEqual(['createdAt', 'generation', 'kdf', 'keyId', 'keychain', 'passwordWrap', 'vaultId']);
    expect(header.kdf).toMatchObject({ algorithm: 'pbkdf2-hmac-sha256', iterations: 100_000 });
    expect(Buffer.from(header.kdf.salt, 'base64')).toHaveLength(32);
    expect(header.keychain).toBe(false);
    // Four saves (creation, two adds, a rotation); the first file written has generation 1.
    expect(header.generation).toBe(4);
    expect(new Date(header.createdAt).toISOString()).toBe(header.createdAt);
  });

  it('§4–§8: password key (NFC) → vault key → body → every secret value', () => {
    // The password exactly as it was typed at creation (decomposed): the decryptor must normalise it.
    const { container, vaultKey, body } = specDecrypt(file, PASSWORD_AS_TYPED);
    const vaultId = container.header.vaultId;
    expect(vaultKey).toHaveLength(32);

    expect(body.schema).toBe(1);
    expect(body.settings).toEqual({ autoLockMinutes: 5, clipboardClearSeconds: 30, backupsToKeep: 10, historyToKeep: 20, vaultKeyRotationDays: 365 });
    expect(body.encryptions).toEqual({ body: 4, secrets: 3 });
    expect(body.credentials.map((c) => c.name)).toEqual([API_NAME, PASSWORD_NAME]);

    const api = body.credentials[0]!;
    expect(api).toMatchObject({
      type: 'api_key',
      provider: 'GitHub',
      description: 'CI token',
      tags: ['ci', 'prod'],
      active: true,
      expiresAt: null,
      fields: { keyId: 'AKIA1', scopes: 'repo' },
    });
    expect(api.lastRotatedAt).not.toBeNull();
    expect(api.versions.map((v) => [v.version, v.stage, v.origin])).toEqual([
      [1, 'previous', 'initial'],
      [2, 'current', 'manual'],
    ]);
    expect(specReveal(vaultKey, vaultId, api, api.versions[0]!)).toBe(API_V1);
    expect(specReveal(vaultKey, vaultId, api, api.versions.find((v) => v.stage === 'current')!)).toBe(API_V2);

    const pw = body.credentials[1]!;
    expect(pw.fields).toEqual({ username: 'me@example.com' });
    expect(specReveal(vaultKey, vaultId, pw, pw.versions[0]!)).toBe(PASSWORD_VALUE);
  });

  it('decrypts the committed golden v1 file (electron/test/fixtures/golden/): every value of every version', async () => {
    const golden = await readFile(join(GOLDEN_DIR, GOLDEN_VAULT));
    const { container, vaultKey, body } = specDecrypt(golden, GOLDEN_PASSWORD);
    expect(body.credentials.map((c) => c.name)).toEqual(GOLDEN_CREDENTIALS.map((c) => c.name));
    for (const expected of GOLDEN_CREDENTIALS) {
      const c = body.credentials.find((x) => x.name === expected.name)!;
      const values = c.versions.map((v) => [v.version, specReveal(vaultKey, container.header.vaultId, c, v)]);
      expect(values, expected.name).toEqual(expected.values.map((value, i) => [i + 1, value]));
    }
  });

  it('§4.1: the password is NFC-normalised; the raw decomposed UTF-8 does not unwrap', () => {
    const { header } = specParse(file);
    expect(specUnwrap(specPasswordKey(PASSWORD_NFC, header), header)).toHaveLength(32);
    const raw = pbkdf2Sync(Buffer.from(PASSWORD_AS_TYPED, 'utf8'), Buffer.from(header.kdf.salt, 'base64'), header.kdf.iterations, 32, 'sha256');
    expect(() => specUnwrap(raw, header)).toThrowError(expect.objectContaining({ code: 'AUTH_FAILED' }));
    expect(() => specDecrypt(file, 'wrong password')).toThrowError(expect.objectContaining({ code: 'AUTH_FAILED' }));
  });

  it('§8: a value is bound to its vault, credential and version', () => {
    const { container, vaultKey, body } = specDecrypt(file, PASSWORD_NFC);
    const [api, pw] = body.credentials as [SpecCredential, SpecCredential];
    const v2 = api.versions[1]!;
    const id = container.header.vaultId;
    expect(() => specReveal(vaultKey, id, api, v2, { id: api.id, version: 1 })).toThrowError(expect.objectContaining({ code: 'CORRUPTED' }));
    expect(() => specReveal(vaultKey, id, api, v2, { id: pw.id, version: 2 })).toThrowError(expect.objectContaining({ code: 'CORRUPTED' }));
    expect(() => specReveal(vaultKey, randomUuidLike(), api, v2)).toThrowError(expect.objectContaining({ code: 'CORRUPTED' }));
  });

  it('§11 backups: earlier vault files named by save time and generation, decrypted the same way', async () => {
    const dir = `${vaultPath}.backups`;
    const names = (await readdir(dir)).sort();
    expect(names).toHaveLength(3);
    for (const [i, name] of names.entries()) {
      const m = /^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)\.g(\d{8})\.keyward$/.exec(name);
      expect(m, name).not.toBeNull();
      const generation = Number(m![2]);
      expect(generation).toBe(i + 1);
      // Backups of a v2 vault are v2 files (copies made before each append of a small vault).
      const backup = await readFile(join(dir, name));
      expect(backup.readUInt16BE(8)).toBe(2);
      const { parsed, body } = specDecryptV2(backup, PASSWORD_NFC);
      expect(parsed.frames.at(-1)!.seq).toBe(generation);
      expect(body.encryptions.body).toBe(generation);
    }
  });

  it('a file written from the document (new body, new nonce) is opened by the core', async () => {
    const { container, body } = specDecrypt(file, PASSWORD_NFC);
    const vaultKey = specUnwrap(specPasswordKey(PASSWORD_NFC, container.header), container.header);
    body.credentials[1]!.description = 'edited by the spec writer';
    const headerJson = Buffer.from(JSON.stringify({ ...container.header, generation: container.header.generation + 1 }), 'utf8');
    const nonce = randomBytes(12);
    const sealed = gcmSeal(specSubkey(vaultKey, container.header.vaultId, 'keyward/v1/body'), nonce, Buffer.from(JSON.stringify(body)), specPrefix(1, headerJson));
    const path = join(await freshDir('spec-written'), 'vault.keyward');
    await writeFile(path, specAssemble(1, headerJson, nonce, sealed));

    const session = await unlockVault(path, { password: PASSWORD_AS_TYPED }, realVaultDeps({ useKeychain: false, stateDir: null }));
    try {
      const svc = serviceFor(session, 'test');
      expect((await svc.show(PASSWORD_NAME)).description).toBe('edited by the spec writer');
      expect(await svc.reveal(API_NAME)).toBe(API_V2);
      expect(session.info.generation).toBe(container.header.generation + 1);
    } finally {
      session.lock();
    }
  });

  it('§10 keychain entry: service "Keyward", account vault:<vaultId>:key:<keyId>, base64 vault key', async () => {
    const keychain = new MemoryKeychain();
    const path = join(await freshDir('keychain'), 'vault.keyward');
    const deps = realVaultDeps({ useKeychain: true, keychain, stateDir: null });
    const session = await createVault(path, { password: PASSWORD_NFC, kdfIterations: 100_000, useKeychain: true }, deps);
    await serviceFor(session, 'test').add({ name: 'k', type: 'secret' }, { value: 'from the keychain' });
    session.lock();

    const { header, vaultKey, body } = specDecryptAny(await readFile(path), PASSWORD_NFC);
    const container = { header };
    expect(container.header.keychain).toBe(true);
    const account = `vault:${container.header.vaultId}:key:${container.header.keyId}`;
    expect([...keychain.entries.keys()]).toEqual([account]);
    const fromKeychain = Buffer.from(keychain.entries.get(account)!, 'base64');
    expect(fromKeychain.equals(vaultKey)).toBe(true);
    // §9: with the keychain, steps 6–7 are skipped (the key opens the same body).
    const c = body.credentials[0]!;
    expect(specReveal(fromKeychain, container.header.vaultId, c, c.versions[0]!)).toBe('from the keychain');
    expect(body.credentials[0]!.id).toBe(c.id);
    // The memory keychain stands in for keytar; the service name the real adapter uses is what §10 documents.
    expect(KEYCHAIN_SERVICE).toBe('Keyward');
  });

  it('§13 lockout file: {failures, lastFailureAt}; removed by a successful password unlock', async () => {
    const path = join(await freshDir('lockout'), 'vault.keyward');
    await writeFile(path, file);
    const deps = realVaultDeps({ useKeychain: false, stateDir: null });
    const before = Date.now();
    await expect(unlockVault(path, { password: 'nope' }, deps)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await expect(unlockVault(path, { password: 'nope again' }, deps)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    const state = JSON.parse(await readFile(`${path}.lockout`, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(state).sort()).toEqual(['failures', 'lastFailureAt']);
    expect(state.failures).toBe(2);
    expect(state.lastFailureAt).toBeGreaterThanOrEqual(before);
    (await unlockVault(path, { password: PASSWORD_NFC }, deps)).lock();
    await expect(readFile(`${path}.lockout`)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('§15 error classification: the document predicts the core', () => {
  const H = () => file.readUInt32BE(10);
  const headerOf = (f: Buffer) => JSON.parse(f.subarray(14, 14 + f.readUInt32BE(10)).toString('utf8')) as SpecHeader;
  const withByte = (f: Buffer, at: number, value: number) => {
    const copy = Buffer.from(f);
    copy[at] = value;
    return copy;
  };
  const flip = (f: Buffer, at: number) => withByte(f, at, f[at]! ^ 0x01);
  /** Re-assembles with a changed header and a recomputed checksum (the body and its tag are kept). */
  const rewriteHeader = (change: (h: SpecHeader) => void) => {
    const h = headerOf(file);
    change(h);
    return specAssemble(1, Buffer.from(JSON.stringify(h), 'utf8'), file.subarray(14 + H(), 26 + H()), file.subarray(26 + H(), file.length - 32));
  };
  const rechecksum = (f: Buffer) => specAssemble(f.readUInt16BE(8), f.subarray(14, 14 + f.readUInt32BE(10)), f.subarray(14 + f.readUInt32BE(10), 26 + f.readUInt32BE(10)), f.subarray(26 + f.readUInt32BE(10), f.length - 32));

  const cases: Array<[string, () => Buffer, 'CORRUPTED' | 'UNSUPPORTED_VERSION' | 'AUTH_FAILED', string?]> = [
    ['an empty file', () => Buffer.alloc(0), 'CORRUPTED'],
    ['random bytes', () => randomBytes(file.length), 'CORRUPTED'],
    ['a file cut short by one byte', () => file.subarray(0, file.length - 1), 'CORRUPTED'],
    ['a file cut inside its prefix', () => file.subarray(0, 12), 'CORRUPTED'],
    ['a flipped magic byte', () => flip(file, 3), 'CORRUPTED'],
    ['version 3', () => withByte(file, 9, 3), 'UNSUPPORTED_VERSION'],
    ['version 2 on v1 bytes', () => withByte(file, 9, 2), 'CORRUPTED'],
    ['version 0', () => withByte(file, 9, 0), 'CORRUPTED'],
    ['a header length beyond 64 KiB', () => withByte(file, 11, 0x10), 'CORRUPTED'],
    ['a flipped byte in the salt', () => flip(file, file.indexOf('"salt":"') + 10), 'CORRUPTED'],
    ['a flipped byte in the iteration count', () => flip(file, file.indexOf('"iterations":') + 14), 'CORRUPTED'],
    ['a flipped byte in the body nonce', () => flip(file, 14 + H() + 3), 'CORRUPTED'],
    ['a flipped byte in the body ciphertext', () => flip(file, 26 + H() + 40), 'CORRUPTED'],
    ['a flipped byte in the checksum', () => flip(file, file.length - 5), 'CORRUPTED'],
    ['iterations below the floor, checksum recomputed', () => rewriteHeader((h) => (h.kdf.iterations = 99_999)), 'CORRUPTED'],
    ['iterations above the cap, checksum recomputed', () => rewriteHeader((h) => (h.kdf.iterations = 50_000_001)), 'CORRUPTED'],
    ['a 16-byte salt, checksum recomputed', () => rewriteHeader((h) => (h.kdf.salt = randomBytes(16).toString('base64'))), 'CORRUPTED'],
    ['another salt, checksum recomputed', () => rewriteHeader((h) => (h.kdf.salt = randomBytes(32).toString('base64'))), 'AUTH_FAILED'],
    ['more iterations, checksum recomputed', () => rewriteHeader((h) => (h.kdf.iterations = 100_001)), 'AUTH_FAILED'],
    ['the keychain flag set, checksum recomputed', () => rewriteHeader((h) => (h.keychain = true)), 'CORRUPTED'],
    ['a later generation, checksum recomputed', () => rewriteHeader((h) => (h.generation += 1)), 'CORRUPTED'],
    ['body ciphertext altered, checksum recomputed', () => rechecksum(flip(file, 26 + H() + 40)), 'CORRUPTED'],
    ['an intact file and the wrong password', () => file, 'AUTH_FAILED', 'not the password'],
  ];

  it.each(cases)('%s → %s', async (label, make, expected, password = PASSWORD_NFC) => {
    const bytes = make();
    let spec: string = 'OPENED';
    try {
      specDecrypt(bytes, password);
    } catch (err) {
      if (!(err instanceof SpecError)) throw err;
      spec = err.code;
    }
    expect(spec).toBe(expected);

    const path = join(await freshDir(`case-${cases.findIndex((c) => c[0] === label)}`), 'vault.keyward');
    await writeFile(path, bytes);
    let core: string = 'OPENED';
    try {
      (await unlockVault(path, { password }, realVaultDeps({ useKeychain: false, stateDir: null }))).lock();
    } catch (err) {
      if (!(err instanceof KeywardError)) throw err;
      core = err.code;
    }
    expect(core).toBe(expected);
    // §15: a CORRUPTED or newer file is never written to.
    expect((await readFile(path)).equals(bytes)).toBe(true);
  });
});

describe('docs/vault-format.md part II, followed step by step, decrypts the v2 vault the core writes', () => {
  it('V2.1: a snapshot at the header’s generation, then one change per save, in sequence', () => {
    expect(fileV2.readUInt16BE(8)).toBe(2);
    const { header, frames, torn } = specParseV2(fileV2);
    // Creation wrote the snapshot (generation 1); two adds and a rotation each appended one record.
    expect(header.generation).toBe(1);
    expect(frames.map((f) => [f.kind, f.seq])).toEqual([
      [1, 1],
      [2, 2],
      [2, 3],
      [2, 4],
    ]);
    expect(torn).toBe(0);
    expect(frames.at(-1)!.end).toBe(fileV2.length);
  });

  it('V2.2–V2.4 and §8: the body is the snapshot with every change applied; every value opens', () => {
    const { parsed, vaultKey, body } = specDecryptV2(fileV2, PASSWORD_AS_TYPED.normalize('NFC'));
    const vaultId = parsed.header.vaultId;
    expect(body.encryptions).toEqual({ body: 4, secrets: 3 });
    expect(body.credentials.map((c) => c.name)).toEqual([API_NAME, PASSWORD_NAME]);
    const api = body.credentials[0]!;
    expect(api.versions.map((v) => [v.version, v.stage, v.origin])).toEqual([
      [1, 'previous', 'initial'],
      [2, 'current', 'manual'],
    ]);
    expect(specReveal(vaultKey, vaultId, api, api.versions[0]!)).toBe(API_V1);
    expect(specReveal(vaultKey, vaultId, api, api.versions[1]!)).toBe(API_V2);
    expect(specReveal(vaultKey, vaultId, body.credentials[1]!, body.credentials[1]!.versions[0]!)).toBe(PASSWORD_VALUE);
    // The v1 file an older Keyward wrote for the same vault holds the same body.
    expect(specDecrypt(file, PASSWORD_NFC).body).toEqual(body);
  });

  it('V2.3: a compacted snapshot holds the credentials in compressed, indexed chunks (0x03), which the document inflates to the same body', async () => {
    const path = join(await freshDir('spec-compacted'), 'vault.keyward');
    await writeFile(path, fileV2);
    const session = await unlockVault(path, { password: PASSWORD_AS_TYPED }, realVaultDeps({ useKeychain: false, stateDir: null }));
    try {
      await session.compactNow({ force: true });
    } finally {
      session.lock();
    }
    const compacted = await readFile(path);
    const { parsed, vaultKey, body } = specDecryptV2(compacted, PASSWORD_NFC);
    expect(parsed.frames.map((f) => f.kind)).toEqual([1]);
    const snapshot = parsed.frames[0]!;
    const plain = gcmOpen(specSubkey(vaultKey, parsed.header.vaultId, 'keyward/v1/body'), snapshot.nonce, snapshot.sealed, snapshot.aad)!;
    expect(plain[0]).toBe(0x03);
    expect(body.credentials).toEqual(specDecryptV2(fileV2, PASSWORD_NFC).body.credentials);
    expect(specReveal(vaultKey, parsed.header.vaultId, body.credentials[0]!, body.credentials[0]!.versions[1]!)).toBe(API_V2);
  });

  it.each(['sections', 'json'] as const)('V2.3: a change record written from the document (an edit and a delete, %s encoding) is appended to the file and opened by the core', async (encoding) => {
    const { vaultKey, body } = specDecryptV2(fileV2, PASSWORD_NFC);
    const edited = { ...body.credentials[0]!, description: 'edited by the spec writer' };
    const withRecord = Buffer.concat([fileV2, specChangeFrame(fileV2, vaultKey, { put: [edited], removed: [body.credentials[1]!.id] }, encoding)]);
    expect(specDecryptV2(withRecord, PASSWORD_NFC).body.credentials).toEqual([edited]);
    const path = join(await freshDir(`spec-appended-${encoding}`), 'vault.keyward');
    await writeFile(path, withRecord);
    const session = await unlockVault(path, { password: PASSWORD_AS_TYPED }, realVaultDeps({ useKeychain: false, stateDir: null }));
    try {
      const svc = serviceFor(session, 'test');
      expect((await svc.list()).map((c) => c.name)).toEqual([API_NAME]);
      expect((await svc.show(API_NAME)).description).toBe('edited by the spec writer');
      expect(await svc.reveal(API_NAME)).toBe(API_V2);
      expect(session.info.generation).toBe(5);
    } finally {
      session.lock();
    }
  });

  it('V2.4: a file that ends inside its last frame (a torn write) opens without it, in the document and in the core', async () => {
    const { frames } = specParseV2(fileV2);
    const last = frames.at(-1)!;
    for (const cut of [last.start + 1, last.start + 17, last.start + 40, last.end - 1]) {
      const torn = fileV2.subarray(0, cut);
      const spec = specDecryptV2(torn, PASSWORD_NFC);
      expect(spec.parsed.torn).toBe(cut - last.start);
      // The rotation (the last save) is gone: the key's first value is current again.
      expect(spec.body.credentials[0]!.versions.map((v) => v.stage)).toEqual(['current']);
      const path = join(await freshDir(`torn-${cut}`), 'vault.keyward');
      await writeFile(path, torn);
      const session = await unlockVault(path, { password: PASSWORD_NFC }, realVaultDeps({ useKeychain: false, stateDir: null }));
      try {
        expect(session.info.generation).toBe(3);
        expect(await serviceFor(session, 'test').reveal(API_NAME)).toBe(API_V1);
      } finally {
        session.lock();
      }
    }
  });

  const flip = (f: Buffer, at: number) => {
    const copy = Buffer.from(f);
    copy[at] = copy[at]! ^ 0x01;
    return copy;
  };
  const framesOfV2 = () => specParseV2(fileV2).frames;
  /** Swaps two records and fixes every unkeyed value (check, chain) as an attacker who read the document would. */
  const swapped = () => {
    const [snapshot, a, b, c] = framesOfV2() as [SpecFrame, SpecFrame, SpecFrame, SpecFrame];
    const reordered = Buffer.concat([fileV2.subarray(0, a.start), fileV2.subarray(b.start, b.end), fileV2.subarray(a.start, a.end), fileV2.subarray(c.start, c.end)]);
    void snapshot;
    return rechain(reordered);
  };
  const rechain = (f: Buffer) => {
    const copy = Buffer.from(f);
    const H = copy.readUInt32BE(10);
    let chain = sha256(copy.subarray(0, 14 + H));
    let offset = 14 + H;
    while (offset + 17 <= copy.length) {
      const end = offset + 4 + copy.readUInt32BE(offset);
      specCheck(copy.subarray(offset, offset + 13)).copy(copy, offset + 13);
      chain = sha256(Buffer.concat([chain, copy.subarray(offset, end - 32)]));
      chain.copy(copy, end - 32);
      offset = end;
    }
    return copy;
  };
  const renumbered = (f: Buffer, frameIndex: number, seq: number) => {
    const copy = Buffer.from(f);
    copy.writeBigUInt64BE(BigInt(seq), framesOfV2()[frameIndex]!.start + 5);
    return rechain(copy);
  };

  const cases: Array<[string, () => Buffer, 'CORRUPTED' | 'UNSUPPORTED_VERSION' | 'AUTH_FAILED' | 'OPENED']> = [
    ['version 3', () => Buffer.concat([fileV2.subarray(0, 8), Buffer.from([0, 3]), fileV2.subarray(10)]), 'UNSUPPORTED_VERSION'],
    ['a flipped byte in a record’s ciphertext', () => flip(fileV2, framesOfV2()[2]!.start + 40), 'CORRUPTED'],
    ['a flipped byte in a record’s length', () => flip(fileV2, framesOfV2()[2]!.start + 3), 'CORRUPTED'],
    ['a flipped byte in the last chain value', () => flip(fileV2, fileV2.length - 1), 'CORRUPTED'],
    ['a record’s ciphertext altered, every unkeyed value recomputed', () => rechain(flip(fileV2, framesOfV2()[2]!.start + 40)), 'CORRUPTED'],
    ['two records swapped, every unkeyed value recomputed', swapped, 'CORRUPTED'],
    ['a record renumbered (and the rest after it), unkeyed values recomputed', () => renumbered(renumbered(renumbered(fileV2, 1, 7), 2, 8), 3, 9), 'CORRUPTED'],
    ['a record from the middle dropped, unkeyed values recomputed', () => rechain(Buffer.concat([fileV2.subarray(0, framesOfV2()[1]!.start), fileV2.subarray(framesOfV2()[2]!.start)])), 'CORRUPTED'],
    ['the header’s iteration count raised, unkeyed values recomputed', () => {
      const H = fileV2.readUInt32BE(10);
      const h = JSON.parse(fileV2.subarray(14, 14 + H).toString('utf8')) as SpecHeader;
      h.kdf.iterations += 1;
      const json = Buffer.from(JSON.stringify(h));
      const prefix = Buffer.from(fileV2.subarray(0, 14));
      prefix.writeUInt32BE(json.length, 10);
      return rechain(Buffer.concat([prefix, json, fileV2.subarray(14 + H)]));
    }, 'AUTH_FAILED'],
    ['cut at the end of the snapshot (the three saves dropped: a rollback the bytes cannot show)', () => fileV2.subarray(0, framesOfV2()[0]!.end), 'OPENED'],
    ['cut inside the snapshot', () => fileV2.subarray(0, framesOfV2()[0]!.end - 1), 'CORRUPTED'],
  ];

  it.each(cases)('V2.8: %s → %s, in the document and in the core', async (label, make, expected) => {
    const bytes = make();
    let spec: string = 'OPENED';
    try {
      specDecryptV2(bytes, PASSWORD_NFC);
    } catch (err) {
      if (!(err instanceof SpecError)) throw err;
      spec = err.code;
    }
    expect(spec).toBe(expected);
    const path = join(await freshDir(`v2-case-${cases.findIndex((c) => c[0] === label)}`), 'vault.keyward');
    await writeFile(path, bytes);
    let core: string = 'OPENED';
    try {
      (await unlockVault(path, { password: PASSWORD_NFC }, realVaultDeps({ useKeychain: false, stateDir: null }))).lock();
    } catch (err) {
      if (!(err instanceof KeywardError)) throw err;
      core = err.code;
    }
    expect(core).toBe(expected);
    expect((await readFile(path)).equals(bytes)).toBe(true);
  });
});

function randomUuidLike(): string {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
