/**
 * Proves docs/vault-format.md Part III (grants' files, G.1–G.5, and the body's
 * `grants` member of §7) is complete: an independent reader, written from that
 * document alone with node:crypto, opens the files the real core writes from a
 * token alone, predicts which credentials each grant's scope covers, refuses
 * what the document says is refused (and with the code the core answers), and
 * writes a use the core's next unlock accepts as the grant's. Nothing of
 * electron/core/crypto, electron/core/grants or electron/core/vault/format is
 * imported; the core is used only to create vaults, grants and changes, and as
 * the other party whose verdict the document must predict.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../core/audit/canonical-json.js';
import { openCore } from '../core/composition.js';
import type { KeywardError } from '../core/errors.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { distinctiveSecret, strongPassword, TEST_KDF_ITERATIONS, testDeps } from './helpers/builders.js';
import { useTempDirs } from './helpers/temp-dirs.js';

// ───────────────────────── the spec reader (docs/vault-format.md Part III only) ─────────────────────────

type SpecCode = 'CORRUPTED' | 'AUTH_FAILED';

class SpecError extends Error {
  constructor(
    readonly code: SpecCode,
    message: string,
  ) {
    super(message);
  }
}

const NUL = '\0';
const TOKEN_PREFIX = 'kwg_'; // G.1
const GRANT_ID_BYTES = 12; // G.1
const SECRET_BYTES = 32; // G.1
const INFO = {
  wrap: 'keyward/grant/v1/wrap',
  contents: 'keyward/grant/v1/contents',
  tokenHash: 'keyward/grant/v1/token-hash',
  uses: 'keyward/grant/v1/uses',
} as const;

interface SpecToken {
  id: Buffer;
  /** The grant id as G.1 writes it: 24 lower-case hex digits. */
  idHex: string;
  secret: Buffer;
}

/** G.1: `kwg_` ‖ base64url without padding of grant id (12) ‖ secret (32). */
function specParseToken(token: string): SpecToken {
  if (!token.startsWith(TOKEN_PREFIX)) throw new SpecError('AUTH_FAILED', 'not a grant token');
  const text = token.slice(TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new SpecError('AUTH_FAILED', 'not base64url without padding');
  const raw = Buffer.from(text, 'base64url');
  if (raw.length !== GRANT_ID_BYTES + SECRET_BYTES || raw.toString('base64url') !== text) throw new SpecError('AUTH_FAILED', 'not 44 bytes');
  const id = raw.subarray(0, GRANT_ID_BYTES);
  return { id, idHex: id.toString('hex'), secret: raw.subarray(GRANT_ID_BYTES) };
}

const hkdf = (ikm: Buffer, salt: Buffer, info: string) => Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from(info, 'utf8'), 32));
const hmacHex = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest('hex');
const sha256Hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** G.1: the wrap key, from the token alone. */
const specWrapKey = (t: SpecToken) => hkdf(t.secret, t.id, INFO.wrap);

interface SpecSubkeys {
  contents: Buffer;
  tokenHash: Buffer;
  uses: Buffer;
}

/** G.1: from G, salt = the grant id's 12 bytes. */
function specSubkeys(G: Buffer, grantIdHex: string): SpecSubkeys {
  const salt = Buffer.from(grantIdHex, 'hex');
  return { contents: hkdf(G, salt, INFO.contents), tokenHash: hkdf(G, salt, INFO.tokenHash), uses: hkdf(G, salt, INFO.uses) };
}

/** G.1 and G.2: the AADs, strings as UTF-8 and `\0` one zero byte. */
const specAad = (...parts: string[]) => Buffer.from(parts.join(NUL), 'utf8');
const wrapAad = (vaultId: string, grantId: string) => specAad(INFO.wrap, vaultId, grantId);
const manifestAad = (vaultId: string, grantId: string) => specAad('keyward/grant/v1/manifest', vaultId, grantId);
const entryAad = (vaultId: string, grantId: string, credentialId: string) => specAad('keyward/grant/v1/entry', vaultId, grantId, credentialId);

/** G.1 open(K, seal, A): base64 of nonce (12) ‖ AES-256-GCM ciphertext ‖ tag (16); null when it does not authenticate. */
function specOpen(key: Buffer, sealed: unknown, aad: Buffer): Buffer | null {
  if (typeof sealed !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(sealed)) return null;
  const raw = Buffer.from(sealed, 'base64');
  if (raw.length < 12 + 16) return null;
  const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12), { authTagLength: 16 });
  d.setAAD(aad);
  d.setAuthTag(raw.subarray(raw.length - 16));
  try {
    return Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]);
  } catch {
    return null;
  }
}

/** G.1 seal(K, P, A): what a token holder (who has the keys) can write itself. */
function specSeal(key: Buffer, plain: Buffer, aad: Buffer): string {
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
  c.setAAD(aad);
  return Buffer.concat([nonce, c.update(plain), c.final(), c.getAuthTag()]).toString('base64');
}

/** G.2: the file. */
interface SpecGrantFile {
  'keyward-grant': number;
  vault: string;
  grant: string;
  wrap: string;
  manifest: string;
  entries: Record<string, string>;
}

interface SpecManifest {
  id: string;
  grant: { name: string; role: string; scopes: string[]; allowCommands: string[][]; expiresAt: string | null; ask: boolean };
  generation: number;
  writtenAt: string;
  basis: string;
  entries: Record<string, string>;
}

interface SpecEntry {
  id: string;
  name: string;
  type: string;
  provider: string;
  description: string;
  tags: string[];
  fields: Record<string, string>;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  lastRotatedAt: string | null;
  expiresAt: string | null;
  version: number;
  rotation: { rules: { intervalDays: unknown; maxAgeDays: unknown; reminderLeadDays: unknown }; compromisedAt?: string; snoozedUntil?: string };
  strength?: number;
  value?: string;
}

interface SpecOpened {
  file: SpecGrantFile;
  G: Buffer;
  keys: SpecSubkeys;
  manifest: SpecManifest;
  entries: SpecEntry[];
}

/** G.2: `P.grants/<grant id>`. */
const specGrantPath = (vaultPath: string, grantIdHex: string) => `${vaultPath}.grants/${grantIdHex}`;

function specParseFile(bytes: Buffer): SpecGrantFile {
  let f: SpecGrantFile;
  try {
    f = JSON.parse(bytes.toString('utf8')) as SpecGrantFile;
  } catch {
    throw new SpecError('CORRUPTED', 'not JSON');
  }
  const strings = [f.vault, f.grant, f.wrap, f.manifest];
  if (f['keyward-grant'] !== 1 || strings.some((s) => typeof s !== 'string')) throw new SpecError('CORRUPTED', 'not a grant file');
  if (typeof f.entries !== 'object' || f.entries === null || Array.isArray(f.entries)) throw new SpecError('CORRUPTED', 'no entries');
  return f;
}

/**
 * G.3, steps 1–3, from the token and the vault's path alone. Codes: a missing
 * file and a wrap that does not open are "not this grant's token" (AUTH_FAILED,
 * as for every token that opens nothing); everything the manifest and entries
 * check is CORRUPTED (G.2).
 */
async function specOpenGrant(vaultPath: string, token: string): Promise<SpecOpened> {
  const t = specParseToken(token);
  // 1. The file.
  const bytes = await readFile(specGrantPath(vaultPath, t.idHex)).catch(() => null);
  if (!bytes) throw new SpecError('AUTH_FAILED', 'revoked, suspended, or another vault');
  const file = specParseFile(bytes);
  // 2. G.
  const G = specOpen(specWrapKey(t), file.wrap, wrapAad(file.vault, t.idHex));
  if (!G || G.length !== 32) throw new SpecError('AUTH_FAILED', 'not this grant’s token');
  // 3. The manifest, checked, then each entry.
  const keys = specSubkeys(G, t.idHex);
  const manifestBytes = specOpen(keys.contents, file.manifest, manifestAad(file.vault, file.grant));
  if (!manifestBytes) throw new SpecError('CORRUPTED', 'manifest does not authenticate');
  let manifest: SpecManifest;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as SpecManifest;
  } catch {
    throw new SpecError('CORRUPTED', 'manifest not JSON');
  }
  if (manifest.id !== file.grant || file.grant !== t.idHex) throw new SpecError('CORRUPTED', 'another grant’s manifest');
  const fileIds = Object.keys(file.entries).sort();
  const manifestIds = Object.keys(manifest.entries).sort();
  if (JSON.stringify(fileIds) !== JSON.stringify(manifestIds)) throw new SpecError('CORRUPTED', 'entries added or dropped');
  for (const id of fileIds) {
    const sealed = file.entries[id];
    if (typeof sealed !== 'string' || sha256Hex(Buffer.from(sealed, 'utf8')) !== manifest.entries[id]) throw new SpecError('CORRUPTED', 'an entry is not the manifest’s');
  }
  const entries = fileIds.map((id) => {
    const plain = specOpen(keys.contents, file.entries[id], entryAad(file.vault, file.grant, id));
    if (!plain) throw new SpecError('CORRUPTED', `entry ${id} does not authenticate`);
    return JSON.parse(plain.toString('utf8')) as SpecEntry;
  });
  return { file, G, keys, manifest, entries };
}

const specCode = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof SpecError ? e.code : `not a SpecError: ${String(e)}`));

// ── G.2: which credentials a grant's scopes cover, by the document's words ──

/** `*` any run of characters, `?` one; the whole name, ignoring case. A matcher over code points, no regular expression. */
function docGlob(glob: string, name: string): boolean {
  const g = [...glob.toLowerCase()];
  const n = [...name.toLowerCase()];
  // can[i][j]: g[i..] matches n[j..]
  const can: boolean[][] = Array.from({ length: g.length + 1 }, () => new Array<boolean>(n.length + 1).fill(false));
  can[g.length]![n.length] = true;
  for (let i = g.length - 1; i >= 0; i--) {
    for (let j = n.length; j >= 0; j--) {
      const c = g[i];
      if (c === '*') can[i]![j] = can[i + 1]![j]! || (j < n.length && can[i]![j + 1]!);
      else can[i]![j] = j < n.length && (c === '?' || c === n[j]) && can[i + 1]![j + 1]!;
    }
  }
  return can[0]![0]!;
}

interface Described {
  name: string;
  type: string;
  provider: string;
  tags: string[];
}

const sameIgnoringCase = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function docInScope(scopes: string[], c: Described): boolean {
  if (scopes.length === 0) return true;
  return scopes.some((s) => {
    const colon = s.indexOf(':');
    const kind = s.slice(0, colon);
    const x = s.slice(colon + 1);
    if (kind === 'tag') return c.tags.some((t) => sameIgnoringCase(t, x));
    if (kind === 'provider') return sameIgnoringCase(c.provider, x);
    if (kind === 'type') return c.type === x;
    if (kind === 'name') return docGlob(x, c.name);
    throw new Error(`no such selector in the document: ${s}`);
  });
}

// ───────────────────────── the core, as the party that writes and judges ─────────────────────────

const tempDir = useTempDirs();

async function newVault() {
  const dir = await tempDir();
  const path = join(dir, 'vault.keyward');
  const password = strongPassword() + strongPassword();
  const core = openCore({ actor: 'test', deps: testDeps({ stateDir: join(dir, 'state') }) });
  const lifecycle = core.vault(path);
  const vault = await lifecycle.create({ password, useKeychain: false, kdfIterations: TEST_KDF_ITERATIONS, weakPasswordHint: '' });
  return { dir, path, password, core, lifecycle, vault };
}

async function stripeVault() {
  const v = await newVault();
  const values = { prod: distinctiveSecret('prod'), staging: distinctiveSecret('staging'), bank: distinctiveSecret('bank') };
  const prod = await v.vault.credentials.add(
    { name: 'stripe-prod', type: 'api_key', provider: 'Stripe', tags: ['production', 'payments'], description: 'live key', fields: { keyId: 'pk_live_1' } },
    { value: values.prod },
  );
  const staging = await v.vault.credentials.add({ name: 'stripe-staging', type: 'api_key', provider: 'Stripe', tags: ['staging'] }, { value: values.staging });
  const bank = await v.vault.credentials.add({ name: 'bank', type: 'secret', tags: ['personal'] }, { value: values.bank });
  return { ...v, values, ids: { prod: prod.id, staging: staging.id, bank: bank.id } };
}

const coreCode = (p: Promise<unknown>) => p.then(() => 'ok', (e: KeywardError) => e.code);

const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as SpecGrantFile;

const MANIFEST_MEMBERS = ['basis', 'entries', 'generation', 'grant', 'id', 'writtenAt'];
const DEFINITION_MEMBERS = ['allowCommands', 'ask', 'expiresAt', 'name', 'role', 'scopes'];
const ENTRY_MEMBERS = ['active', 'createdAt', 'description', 'expiresAt', 'fields', 'id', 'lastRotatedAt', 'name', 'provider', 'rotation', 'tags', 'type', 'updatedAt', 'version'];
const ENTRY_OPTIONAL = ['strength', 'value'];
const BODY_GRANT_MEMBERS = ['allowCommands', 'ask', 'createdAt', 'expiresAt', 'id', 'key', 'name', 'role', 'scopes', 'tokenHash', 'wrap'];

describe('docs/vault-format.md Part III: grants’ files, read from the document alone', () => {
  it('G.1–G.3: a token alone opens its grant’s file step by step, exactly what its scope covers, a viewer’s without values', async () => {
    const { path, vault, lifecycle, values, ids } = await stripeVault();
    const rotated = distinctiveSecret('rotated');
    await vault.credentials.rotate('stripe-prod', { value: rotated });
    const { token, grant } = await vault.grants.add({ name: 'ci', role: 'reader', scopes: ['provider:stripe'] });

    // G.1: the token's layout. 44 bytes in base64url without padding are 59 characters: the token is 63.
    expect(token.startsWith('kwg_')).toBe(true);
    expect(token).toHaveLength(4 + Math.ceil((44 * 8) / 6));
    const t = specParseToken(token);
    expect(t.idHex).toMatch(/^[0-9a-f]{24}$/);
    expect(t.idHex).toBe(grant.id);

    // G.2: the file, its folder and their modes.
    const filePath = specGrantPath(path, t.idHex);
    expect((await stat(filePath)).mode & 0o777).toBe(0o600);
    expect((await stat(`${path}.grants`)).mode & 0o777).toBe(0o700);
    const file = await readJson(filePath);
    expect(Object.keys(file).sort()).toEqual(['entries', 'grant', 'keyward-grant', 'manifest', 'vault', 'wrap']);
    expect(file['keyward-grant']).toBe(1);
    expect(file.vault).toBe(vault.info.vaultId);
    expect(file.grant).toBe(t.idHex);

    // G.1: the wrap key, G, the contents key — by hand.
    const G = specOpen(specWrapKey(t), file.wrap, wrapAad(file.vault, t.idHex));
    expect(G).not.toBeNull();
    expect(G!).toHaveLength(32);
    // The wrap does not open under another vault's id or another grant's, nor with another secret.
    expect(specOpen(specWrapKey(t), file.wrap, wrapAad(file.vault.replace(/^./, (c) => (c === '0' ? '1' : '0')), t.idHex))).toBeNull();
    expect(specOpen(hkdf(randomBytes(32), t.id, INFO.wrap), file.wrap, wrapAad(file.vault, t.idHex))).toBeNull();
    const contents = hkdf(G!, t.id, INFO.contents);

    // G.2: the manifest and its checks.
    const manifestBytes = specOpen(contents, file.manifest, manifestAad(file.vault, file.grant));
    expect(manifestBytes).not.toBeNull();
    const manifest = JSON.parse(manifestBytes!.toString('utf8')) as SpecManifest;
    expect(Object.keys(manifest).sort()).toEqual(MANIFEST_MEMBERS);
    expect(Object.keys(manifest.grant).sort()).toEqual(DEFINITION_MEMBERS);
    expect(manifest.id).toBe(file.grant);
    expect(manifest.grant).toEqual({ name: 'ci', role: 'reader', scopes: ['provider:stripe'], allowCommands: [], expiresAt: null, ask: false });
    expect(manifest.generation).toBe(vault.info.generation);
    expect(Number.isNaN(Date.parse(manifest.writtenAt))).toBe(false);
    expect(manifest.basis).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(manifest.entries).sort()).toEqual(Object.keys(file.entries).sort());
    for (const [id, sealed] of Object.entries(file.entries)) expect(manifest.entries[id]).toBe(sha256Hex(Buffer.from(sealed, 'utf8')));

    // G.2: exactly the credentials in scope, by id in clear, and each entry as documented.
    expect(Object.keys(file.entries).sort()).toEqual([ids.prod, ids.staging].sort());
    const entries = Object.entries(file.entries).map(([id, sealed]) => {
      const plain = specOpen(contents, sealed, entryAad(file.vault, file.grant, id));
      expect(plain, `entry ${id}`).not.toBeNull();
      return JSON.parse(plain!.toString('utf8')) as SpecEntry;
    });
    for (const e of entries) {
      expect(ENTRY_MEMBERS.every((m) => m in e), `entry members of ${e.name}`).toBe(true);
      expect(Object.keys(e).every((m) => ENTRY_MEMBERS.includes(m) || ENTRY_OPTIONAL.includes(m)), `no undocumented member in ${e.name}`).toBe(true);
      expect(Object.keys(e.rotation.rules).sort()).toEqual(['intervalDays', 'maxAgeDays', 'reminderLeadDays']);
      expect(Object.keys(e.rotation).every((m) => ['rules', 'compromisedAt', 'snoozedUntil'].includes(m))).toBe(true);
      if (e.strength !== undefined) expect([0, 1, 2, 3, 4]).toContain(e.strength);
      expect(e.provider).toBe('Stripe');
      expect(e.type).toBe('api_key');
    }
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect([...byName.keys()].sort()).toEqual(['stripe-prod', 'stripe-staging']);
    const prod = byName.get('stripe-prod')!;
    expect(prod).toMatchObject({ id: ids.prod, description: 'live key', tags: ['production', 'payments'], fields: { keyId: 'pk_live_1' }, active: true, version: 2, value: rotated });
    expect(prod.lastRotatedAt).not.toBeNull();
    expect(byName.get('stripe-staging')).toMatchObject({ id: ids.staging, tags: ['staging'], version: 1, value: values.staging });
    // Nothing of the credential out of scope, in clear or sealed.
    const text = await readFile(filePath, 'utf8');
    for (const absent of [ids.bank, 'bank', values.bank, values.prod, rotated]) expect(text).not.toContain(absent);

    // The reader as a whole agrees, and so does the core's own reader.
    const opened = await specOpenGrant(path, token);
    expect(opened.entries.map((e) => e.name).sort()).toEqual(['stripe-prod', 'stripe-staging']);
    expect(opened.G.equals(G!)).toBe(true);
    const access = await lifecycle.openGrant(token);
    expect((await access.credentials()).map((c) => c.name).sort()).toEqual(['stripe-prod', 'stripe-staging']);
    expect(await access.value('stripe-prod', 'value')).toBe(rotated);

    // A viewer with no scope: every credential, and no `value` member at all.
    const viewer = await vault.grants.add({ name: 'dash', role: 'viewer' });
    const seen = await specOpenGrant(path, viewer.token);
    expect(seen.entries.map((e) => e.name).sort()).toEqual(['bank', 'stripe-prod', 'stripe-staging']);
    expect(seen.entries.every((e) => !('value' in e))).toBe(true);
    expect(seen.manifest.grant).toMatchObject({ role: 'viewer', scopes: [] });
    // The other roles that G.2 names carry it.
    for (const role of ['runner', 'rotator', 'admin']) {
      const g = await vault.grants.add({ name: `r-${role}`, role, scopes: ['name:bank'] });
      expect((await specOpenGrant(path, g.token)).entries.map((e) => [e.name, e.value])).toEqual([['bank', values.bank]]);
    }
    // Each token opens its own grant only: the viewer's secret does not open the reader's file.
    const mixed = TOKEN_PREFIX + Buffer.concat([t.id, specParseToken(viewer.token).secret]).toString('base64url');
    expect(await specCode(specOpenGrant(path, mixed))).toBe('AUTH_FAILED');
    expect(await coreCode(lifecycle.openGrant(mixed))).toBe('AUTH_FAILED');
  });

  it('G.2: the scope selectors cover what the document’s rule predicts (tag and provider ignoring case, type exactly, name globs)', async () => {
    const { path, vault, lifecycle } = await newVault();
    const credentials: (Described & { type: 'api_key' | 'token' | 'secret' })[] = [
      { name: 'stripe-prod', type: 'api_key', provider: 'Stripe', tags: ['Production', 'payments'] },
      { name: 'stripe-staging', type: 'api_key', provider: 'stripe', tags: ['staging'] },
      { name: 'github-ci', type: 'token', provider: 'GitHub', tags: ['CI', 'production'] },
      { name: 'bank', type: 'secret', provider: '', tags: ['personal'] },
      { name: 'aws-key-1', type: 'api_key', provider: 'AWS', tags: [] },
      { name: 'AWS-key-22', type: 'api_key', provider: 'aws', tags: ['prod'] },
      { name: 'db.pass', type: 'secret', provider: 'Postgres', tags: ['production-db'] },
      { name: 'dbxpass', type: 'secret', provider: 'Postgres', tags: [] },
      { name: 'a*b', type: 'secret', provider: 'stripe-like', tags: ['Personal '] },
      { name: 'multi\nline', type: 'token', provider: 'Misc', tags: ['ci'] },
    ];
    for (const c of credentials) await vault.credentials.add({ name: c.name, type: c.type, provider: c.provider, tags: c.tags }, { value: distinctiveSecret(c.type) });
    // What the vault holds (names and tags as stored), which the prediction is computed from.
    const stored: Described[] = vault.state.credentials.map((c) => ({ name: c.name, type: c.type, provider: c.provider, tags: [...c.tags] }));
    expect(stored.map((c) => c.name).sort()).toEqual(credentials.map((c) => c.name).sort());

    const cases: string[][] = [
      [],
      ['tag:production'],
      ['tag:PRODUCTION'],
      ['tag:prod'],
      ['tag:ci'],
      ['tag:personal'],
      ['provider:STRIPE'],
      ['provider:aws'],
      ['provider:stripe-like'],
      ['type:token'],
      ['type:secret'],
      ['type:API_KEY'],
      ['name:aws-key-?'],
      ['name:aws-*'],
      ['name:AWS-KEY-??'],
      ['name:db.pass'],
      ['name:db?pass'],
      ['name:stripe'],
      ['name:*'],
      ['name:*-*'],
      ['name:a*b'],
      ['name:multi*'],
      ['name:?ank'],
      ['name:*i*n*'],
      ['tag:ci', 'name:bank'],
      ['provider:github', 'type:secret', 'name:stripe-?????'],
    ];
    const predictions = cases.map((scopes) => stored.filter((c) => docInScope(scopes, c)).map((c) => c.name).sort());
    // The cases are not all alike: several cover nothing, several everything, most some.
    expect(predictions.filter((p) => p.length === 0).length).toBeGreaterThanOrEqual(2);
    expect(predictions.filter((p) => p.length > 0 && p.length < stored.length).length).toBeGreaterThanOrEqual(15);

    for (const [i, scopes] of cases.entries()) {
      const { token } = await vault.grants.add({ name: `g${i}`, role: 'viewer', scopes });
      const read = (await specOpenGrant(path, token)).entries.map((e) => e.name).sort();
      expect(read, `scopes ${JSON.stringify(scopes)}`).toEqual(predictions[i]);
      const core = (await (await lifecycle.openGrant(token)).credentials()).map((c) => c.name).sort();
      expect(core, `core, scopes ${JSON.stringify(scopes)}`).toEqual(predictions[i]);
    }
  });

  // Folded comparison (NFC, then lower case, no locale): look-alikes are other values.
  it('G.2: a tag or provider that differs from X by more than case (a look-alike) is not covered', async () => {
    const { path, vault } = await newVault();
    const variants = ['Ｐｒｏｄ', 'pro\u00ADd', 'prod\u200B', 'ﬁx'];
    for (const [i, v] of variants.entries()) await vault.credentials.add({ name: `c${i}`, type: 'secret', provider: v, tags: [v] }, { value: distinctiveSecret('v') });
    await vault.credentials.add({ name: 'plain', type: 'secret', provider: 'PROD', tags: ['Fix'] }, { value: distinctiveSecret('p') });
    const stored: Described[] = vault.state.credentials.map((c) => ({ name: c.name, type: c.type, provider: c.provider, tags: [...c.tags] }));
    const read: Record<string, string[]> = {};
    const predicted: Record<string, string[]> = {};
    for (const [i, scope] of ['tag:prod', 'provider:prod', 'tag:fix'].entries()) {
      const { token } = await vault.grants.add({ name: `u${i}`, role: 'viewer', scopes: [scope] });
      read[scope] = (await specOpenGrant(path, token)).entries.map((e) => e.name).sort();
      predicted[scope] = stored.filter((c) => docInScope([scope], c)).map((c) => c.name).sort();
    }
    expect(predicted).toEqual({ 'tag:prod': [], 'provider:prod': ['plain'], 'tag:fix': ['plain'] });
    expect(read).toEqual(predicted);
  });

  it('G.1–G.3: AAD binding — an entry under another id, another vault, another grant, an entry from another copy: refused as the document predicts', async () => {
    const { path, vault, lifecycle, ids } = await stripeVault();
    const { token, grant } = await vault.grants.add({ name: 'ci', role: 'reader' });
    const other = await vault.grants.add({ name: 'other', role: 'reader' });
    const filePath = specGrantPath(path, grant.id);
    const original = await readFile(filePath);
    const good = await specOpenGrant(path, token);
    const { contents } = good.keys;
    const wrapKey = specWrapKey(specParseToken(token));

    /** Both readers' verdicts on `file` written in place of the grant's file. */
    const verdicts = async (file: SpecGrantFile | Buffer) => {
      await writeFile(filePath, Buffer.isBuffer(file) ? file : JSON.stringify(file));
      return { spec: await specCode(specOpenGrant(path, token)), core: await coreCode(lifecycle.openGrant(token)) };
    };
    /** What a token holder can write: a manifest sealed again, naming `entries`' digests. */
    const resealedManifest = (vaultId: string, entries: Record<string, string>) => {
      const digests = Object.fromEntries(Object.entries(entries).map(([id, sealed]) => [id, sha256Hex(Buffer.from(sealed, 'utf8'))]));
      return specSeal(contents, Buffer.from(JSON.stringify({ ...good.manifest, entries: digests }), 'utf8'), manifestAad(vaultId, grant.id));
    };
    const base = (): SpecGrantFile => JSON.parse(original.toString('utf8')) as SpecGrantFile;

    // Control: a manifest sealed again by the token holder, naming the same entries, is accepted by both — so what follows fails for the reason it names.
    const control = base();
    control.manifest = resealedManifest(control.vault, control.entries);
    expect(await verdicts(control)).toEqual({ spec: 'ok', core: 'ok' });

    // An entry moved under another credential's id (and the manifest made to agree): its AAD names its own id.
    const moved = base();
    [moved.entries[ids.prod], moved.entries[ids.bank]] = [moved.entries[ids.bank]!, moved.entries[ids.prod]!];
    moved.manifest = resealedManifest(moved.vault, moved.entries);
    expect(specOpen(contents, moved.entries[ids.prod], entryAad(moved.vault, grant.id, ids.bank))).not.toBeNull();
    expect(await verdicts(moved)).toEqual({ spec: 'CORRUPTED', core: 'CORRUPTED' });
    // …and without the manifest made to agree, the manifest's digests refuse it first.
    const movedOnly = base();
    [movedOnly.entries[ids.prod], movedOnly.entries[ids.bank]] = [movedOnly.entries[ids.bank]!, movedOnly.entries[ids.prod]!];
    expect(await verdicts(movedOnly)).toEqual({ spec: 'CORRUPTED', core: 'CORRUPTED' });

    // The file's `vault` changed: the wrap's AAD names the vault, so G does not unwrap — step 2, "not this grant's token".
    const otherVault = '00000000-0000-4000-8000-000000000000';
    expect(base().vault).not.toBe(otherVault);
    const revaulted = { ...base(), vault: otherVault };
    expect(await verdicts(revaulted)).toEqual({ spec: 'AUTH_FAILED', core: 'AUTH_FAILED' });
    // …with the wrap sealed again under the new vault (the token holder has the wrap key): the manifest's AAD refuses it.
    const rewrapped = { ...revaulted, wrap: specSeal(wrapKey, good.G, wrapAad(otherVault, grant.id)) };
    expect(await verdicts(rewrapped)).toEqual({ spec: 'CORRUPTED', core: 'CORRUPTED' });
    // …and the manifest too: each entry's AAD refuses it.
    const remanifested = { ...rewrapped, manifest: resealedManifest(otherVault, rewrapped.entries) };
    expect(await verdicts(remanifested)).toEqual({ spec: 'CORRUPTED', core: 'CORRUPTED' });

    // Another grant's file under this grant's id: the token does not unwrap it.
    expect(await verdicts(await readFile(specGrantPath(path, other.grant.id)))).toEqual({ spec: 'AUTH_FAILED', core: 'AUTH_FAILED' });
    // An entry dropped, or one added.
    const dropped = base();
    delete dropped.entries[ids.bank];
    expect(await verdicts(dropped)).toEqual({ spec: 'CORRUPTED', core: 'CORRUPTED' });
    const added = base();
    added.entries['ffffffff-ffff-4fff-bfff-ffffffffffff'] = added.entries[ids.bank]!;
    expect(await verdicts(added)).toEqual({ spec: 'CORRUPTED', core: 'CORRUPTED' });

    // Two copies of the file: before and after a change to one credential.
    await writeFile(filePath, original);
    expect(await verdicts(original)).toEqual({ spec: 'ok', core: 'ok' });
    await vault.credentials.update('stripe-prod', { description: 'changed' });
    const later = await readFile(filePath);
    const before = base();
    const after = JSON.parse(later.toString('utf8')) as SpecGrantFile;
    // G.4: only the entry of the credential that save put is sealed again.
    expect(after.entries[ids.prod]).not.toBe(before.entries[ids.prod]);
    expect(after.entries[ids.staging]).toBe(before.entries[ids.staging]);
    expect(after.entries[ids.bank]).toBe(before.entries[ids.bank]);
    expect(after.manifest).not.toBe(before.manifest);
    // The old entry still authenticates where it stood (same vault, grant, id): only the manifest tells it is not this copy's.
    expect(specOpen(contents, before.entries[ids.prod], entryAad(after.vault, grant.id, ids.prod))).not.toBeNull();
    const swapped = { ...after, entries: { ...after.entries, [ids.prod]: before.entries[ids.prod]! } };
    expect(await verdicts(swapped)).toEqual({ spec: 'CORRUPTED', core: 'CORRUPTED' });
    const oldManifest = { ...after, manifest: before.manifest };
    expect(await verdicts(oldManifest)).toEqual({ spec: 'CORRUPTED', core: 'CORRUPTED' });
    // The copy as written opens, with the change.
    const current = await verdicts(later);
    expect(current).toEqual({ spec: 'ok', core: 'ok' });
    expect((await specOpenGrant(path, token)).entries.find((e) => e.id === ids.prod)?.description).toBe('changed');
  });

  it('G.1 and §7: the body keeps G, the wrap the file holds, and the token’s keyed hash — never the token; suspension and revocation remove the file', async () => {
    const { path, vault, lifecycle } = await stripeVault();
    const made = [await vault.grants.add({ name: 'ci', role: 'reader', scopes: ['tag:production'] }), await vault.grants.add({ name: 'ops', role: 'runner', expiresAt: '2999-01-01', allowCommands: ['npm test'], ask: true })];
    const body = vault.state.grants!;
    expect(body).toHaveLength(2);
    for (const [i, { token }] of made.entries()) {
      const stored = body[i]!;
      expect(Object.keys(stored).sort()).toEqual(BODY_GRANT_MEMBERS);
      const t = specParseToken(token);
      expect(stored.id).toBe(t.idHex);
      const opened = await specOpenGrant(path, token);
      // `key`: base64 of G, 32 bytes; `wrap`: the very text in the file.
      expect(Buffer.from(stored.key, 'base64')).toHaveLength(32);
      expect(Buffer.from(stored.key, 'base64').equals(opened.G)).toBe(true);
      expect(stored.wrap).toBe(opened.file.wrap);
      // `tokenHash` = hex HMAC-SHA256(token-hash key, secret).
      expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored.tokenHash).toBe(hmacHex(hkdf(opened.G, t.id, INFO.tokenHash), t.secret));
      expect(stored.tokenHash).not.toBe(hmacHex(hkdf(opened.G, t.id, INFO.uses), t.secret));
      // The definition in the body is the manifest's.
      expect({ name: stored.name, role: stored.role, scopes: stored.scopes, allowCommands: stored.allowCommands, expiresAt: stored.expiresAt, ask: stored.ask }).toEqual(opened.manifest.grant);
      expect(JSON.stringify(stored)).not.toContain(token);
    }
    expect(body[1]).toMatchObject({ allowCommands: [['npm', 'test']], ask: true, role: 'runner' });
    expect(body[1]!.expiresAt).toMatch(/^2999-01-01T/);

    // Suspended: `"suspended": true` in the body, its file gone (G.4), the token opens nothing (G.3 step 1).
    const opsPath = specGrantPath(path, made[1]!.grant.id);
    await vault.grants.setSuspended('ops', true);
    expect(vault.state.grants![1]!.suspended).toBe(true);
    expect(await stat(opsPath).then(() => 'there', () => 'gone')).toBe('gone');
    expect(await specCode(specOpenGrant(path, made[1]!.token))).toBe('AUTH_FAILED');
    expect(await coreCode(lifecycle.openGrant(made[1]!.token))).toBe('AUTH_FAILED');
    await vault.grants.setSuspended('ops', false);
    expect(await specCode(specOpenGrant(path, made[1]!.token))).toBe('ok');
    // Revoked: removed from the body, its file gone.
    await vault.grants.revoke('ci');
    expect(vault.state.grants!.map((g) => g.name)).toEqual(['ops']);
    expect(await specCode(specOpenGrant(path, made[0]!.token))).toBe('AUTH_FAILED');
    expect(await coreCode(lifecycle.openGrant(made[0]!.token))).toBe('AUTH_FAILED');
  });

  it('G.5: a use written from the document is chained under the grant’s name with its credential; a changed `mac` or another actor is chained as a CORRUPTED failure', async () => {
    const { path, password, core, vault, ids } = await stripeVault();
    const { token } = await vault.grants.add({ name: 'ci', role: 'reader' });
    await vault.grants.add({ name: 'other', role: 'reader' });
    await vault.lock('command-end');

    const opened = await specOpenGrant(path, token);
    const uses = hkdf(opened.G, specParseToken(token).id, INFO.uses);
    const grantId = opened.file.grant;
    /** A pending line (docs/audit-format.md §5) of a grant's use, with its proof: HMAC over the canonical JSON without `mac`. */
    const line = (fields: Record<string, string>) => ({ ...fields, mac: hmacHex(uses, Buffer.from(canonicalJson(fields), 'utf8')) });
    const at = new Date().toISOString();
    const reveal = line({ at, actor: 'grant:ci', action: 'reveal', outcome: 'success', grant: grantId, cred: ids.prod });
    const list = line({ at, actor: 'grant:ci', action: 'list', outcome: 'success', grant: grantId });
    const refused = line({ at, actor: 'grant:ci', action: 'reveal.run', outcome: 'failure', code: 'FORBIDDEN', grant: grantId, cred: ids.staging });
    // One hex digit of the MAC changed.
    const last = reveal.mac.at(-1)!;
    const tampered = { ...reveal, mac: reveal.mac.slice(0, -1) + (last === '0' ? '1' : '0') };
    // A proof made with this grant's key for a line in another grant's name.
    const impostor = line({ at, actor: 'grant:other', action: 'reveal', outcome: 'success', grant: grantId, cred: ids.bank });
    const text = [reveal, list, refused, tampered, impostor].map((l) => `${canonicalJson(l)}\n`).join('');
    await appendFile(vaultPaths(path).audit.pending, text);

    const again = await core.vault(path).unlock({ password });
    const summary = (records: { action: string; outcome: string; credential?: string; code?: string }[]) =>
      records.map((r) => [r.action, r.outcome, r.credential ?? null, r.code ?? null]);
    expect(summary(await again.auditRecords({ actor: 'grant:ci' }))).toEqual([
      ['reveal', 'success', 'stripe-prod', null],
      ['list', 'success', null, null],
      ['reveal.run', 'failure', 'stripe-staging', 'FORBIDDEN'],
      ['reveal', 'failure', null, 'CORRUPTED'],
    ]);
    expect(summary(await again.auditRecords({ actor: 'grant:other' }))).toEqual([['reveal', 'failure', null, 'CORRUPTED']]);
    expect(await stat(vaultPaths(path).audit.pending).then(() => 'there', () => 'gone')).toBe('gone');
  });
});

