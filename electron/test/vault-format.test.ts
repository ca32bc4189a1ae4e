/**
 * The vault file as written by the core (v2): its layout and header, fresh
 * nonces and salts, file modes, per-value sealing bound to vault, credential
 * and version, rolling backups, password change, and the keychain unlock path
 * (with an in-memory keychain; the real one is in keychain.test.ts).
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEY_BYTES, NONCE_BYTES } from '../core/crypto/primitives.js';
import { KeywardError } from '../core/errors.js';
import { disabledKeychain, keychainAccount, MemoryKeychain } from '../core/keychain/keychain.js';
import { FakeClock } from '../core/ports/clock.js';
import { systemRandom } from '../core/ports/random.js';
import { emptyBody } from '../core/vault/body.js';
import { MAGIC } from '../core/vault/format/container.js';
import { DEFAULT_KDF_ITERATIONS, deriveSubkeys, FORMAT_VERSION, KDF_ALGORITHM, MIN_KDF_ITERATIONS, readVaultFile, SALT_BYTES, SecretSealer } from '../core/vault/format/index.js';
import { decodeBody, encodeBody } from '../core/vault/format/v1/body.js';
import { sealFileParts } from '../core/vault/format/v1/file-layout.js';
import { createVault, probeVault, unlockVault } from '../core/vault/vault-session.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { createTestVault, distinctiveSecret, testDeps, testPassword, TEST_KDF_ITERATIONS } from './helpers/builders.js';
import { useTempDirs } from './helpers/temp-dirs.js';
import { framesOf, readHeader, regionsOf } from './helpers/vault-file.js';
import { editCredential } from '../core/vault/vault-change.js';
import { storedCredential } from './helpers/stored-credential.js';

const tempDir = useTempDirs();

describe('a new vault file', () => {
  it('has the documented layout, a valid v1 header and a body that opens with the password', async () => {
    const v = await createTestVault(await tempDir());
    v.session.lock();
    const file = await readFile(v.path);
    expect(file.subarray(0, 8).equals(MAGIC)).toBe(true);
    expect(file.readUInt16BE(8)).toBe(FORMAT_VERSION);
    const r = regionsOf(file);
    expect(r.header.end - r.header.start).toBe(file.readUInt32BE(10));
    const header = readHeader(file);
    expect(header).toMatchObject({ generation: 1, keychain: false, kdf: { algorithm: KDF_ALGORITHM, iterations: TEST_KDF_ITERATIONS } });
    expect(header.vaultId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Buffer.from(header.kdf.salt, 'base64')).toHaveLength(SALT_BYTES);
    expect(Buffer.from(header.passwordWrap.nonce, 'base64')).toHaveLength(NONCE_BYTES);
    expect(Buffer.from(header.passwordWrap.ciphertext, 'base64')).toHaveLength(KEY_BYTES + 16);
    // One snapshot frame, nothing after it (docs/vault-format.md V2.1).
    const frames = framesOf(file);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.end).toBe(file.length);
    expect(frames[0]!.nonce.end - frames[0]!.nonce.start).toBe(NONCE_BYTES);
    const reopened = await unlockVault(v.path, { password: v.password }, v.deps);
    expect(reopened.info).toMatchObject({ vaultId: header.vaultId, credentialCount: 0, kdfIterations: TEST_KDF_ITERATIONS, generation: 1 });
    reopened.lock();
  });

  it('defaults to 600,000 iterations and refuses fewer than 100,000 or an empty password', async () => {
    expect(DEFAULT_KDF_ITERATIONS).toBe(600_000);
    expect(MIN_KDF_ITERATIONS).toBe(100_000);
    const dir = await tempDir();
    for (const kdfIterations of [99_999, 0, -1, 1.5, Number.NaN]) {
      await expect(createVault(join(dir, 'v.keyward'), { password: 'p', kdfIterations, useKeychain: false }, testDeps())).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        extra: { field: 'kdfIterations' },
      });
    }
    await expect(createVault(join(dir, 'v.keyward'), { password: '', kdfIterations: TEST_KDF_ITERATIONS, useKeychain: false }, testDeps())).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('is created 0600 in a 0700 folder it makes, and never over an existing file (EXISTS, untouched)', async () => {
    const dir = await tempDir();
    const v = await createTestVault(dir, { file: 'nested/deeper/vault.keyward' });
    v.session.lock();
    expect((await stat(v.path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'nested/deeper'))).mode & 0o777).toBe(0o700);
    const before = await readFile(v.path);
    await expect(createVault(v.path, { password: 'other', kdfIterations: TEST_KDF_ITERATIONS, useKeychain: false }, testDeps())).rejects.toMatchObject({ code: 'EXISTS' });
    expect((await readFile(v.path)).equals(before)).toBe(true);
  });

  it('opening a missing vault is NOT_FOUND with a hint to create one', async () => {
    await expect(unlockVault(join(await tempDir(), 'none.keyward'), { password: 'x' }, testDeps())).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/keyward init/),
    });
  });

  it('two vaults with the same password share no salt, key or id', async () => {
    const dir = await tempDir();
    const a = await createTestVault(dir, { password: 'same', file: 'a.keyward' });
    const b = await createTestVault(dir, { password: 'same', file: 'b.keyward' });
    const [ha, hb] = [readHeader(await readFile(a.path)), readHeader(await readFile(b.path))];
    expect(ha.kdf.salt).not.toBe(hb.kdf.salt);
    expect(ha.vaultId).not.toBe(hb.vaultId);
    expect(ha.passwordWrap.ciphertext).not.toBe(hb.passwordWrap.ciphertext);
    a.session.lock();
    b.session.lock();
  });
});

describe('saving', () => {
  it('appends one record per save with a fresh nonce, bumps the generation, and counts encryptions', async () => {
    const v = await createTestVault(await tempDir());
    const nonceOf = (file: Buffer, frame: { nonce: { start: number; end: number } }) => file.subarray(frame.nonce.start, frame.nonce.end).toString('hex');
    const nonces = new Set<string>();
    let previous = await readFile(v.path);
    nonces.add(nonceOf(previous, framesOf(previous)[0]!));
    for (let i = 0; i < 5; i++) {
      await v.service.add({ name: `c${i}`, type: 'secret' }, { value: 'same value' });
      const file = await readFile(v.path);
      // A save appends: the file before it is a prefix of the file after it.
      expect(file.subarray(0, previous.length).equals(previous)).toBe(true);
      const frames = framesOf(file);
      expect(frames).toHaveLength(i + 2);
      nonces.add(nonceOf(file, frames.at(-1)!));
      expect(readVaultFile(file).header.generation).toBe(i + 2);
      previous = file;
    }
    expect(nonces.size).toBe(6);
    expect(v.session.state.encryptions).toEqual({ body: 6, secrets: 5 });
    // The same value stored twice is sealed under different nonces.
    const [c0, c1] = v.session.state.credentials;
    expect(c0!.versions[0]!.sealed).not.toBe(c1!.versions[0]!.sealed);
    v.session.lock();
  });

  it('keeps a rolling set of 10 backups, each a byte-exact earlier vault that opens on its own', async () => {
    const clock = new FakeClock();
    const v = await createTestVault(await tempDir(), { deps: { clock } });
    const generations: Buffer[] = [await readFile(v.path)];
    for (let i = 0; i < 13; i++) {
      clock.advance(1000);
      await v.service.add({ name: `c${i}`, type: 'secret' }, { value: `v${i}` });
      generations.push(await readFile(v.path));
    }
    v.session.lock();
    const dir = vaultPaths(v.path).backupsDir;
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(10);
    expect(files.every((f) => /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.g\d{8}\.keyward$/.test(f))).toBe(true);
    const listed = await v.session.backupStore.list();
    expect(listed.map((b) => b.file)).toEqual([...files].reverse());
    // Backups hold generations 4..13: the 10 before the current (14).
    for (const f of files) {
      const bytes = await readFile(join(dir, f));
      const gen = Number(/\.g(\d+)\./.exec(f)![1]);
      expect(bytes.equals(generations[gen - 1]!)).toBe(true);
    }
    const copy = join(await tempDir(), 'restored.keyward');
    await writeFile(copy, await readFile(join(dir, files[0]!)));
    const old = await unlockVault(copy, { password: v.password }, testDeps());
    expect(old.state.credentials).toHaveLength(3);
    old.lock();
  });
});

describe('secret values', () => {
  it('are sealed one by one and bound to vault, credential and version', () => {
    const key = systemRandom.bytes(32);
    const sealer = new SecretSealer(key, 'vault-a', systemRandom);
    const sealed = sealer.seal('cred-1', 1, 'the value');
    expect(sealer.open('cred-1', 1, sealed)).toBe('the value');
    for (const [s, cred, version] of [
      [sealer, 'cred-2', 1],
      [sealer, 'cred-1', 2],
      [new SecretSealer(key, 'vault-b', systemRandom), 'cred-1', 1],
      [new SecretSealer(systemRandom.bytes(32), 'vault-a', systemRandom), 'cred-1', 1],
    ] as const)
      expect(() => s.open(cred, version, sealed)).toThrow(expect.objectContaining({ code: 'CORRUPTED', message: expect.stringMatching(/moved or altered/) }));
  });

  it('copied from one credential into another fail to reveal instead of showing the wrong secret', async () => {
    const v = await createTestVault(await tempDir());
    await v.service.add({ name: 'a', type: 'secret' }, { value: distinctiveSecret('a') });
    await v.service.add({ name: 'b', type: 'secret' }, { value: distinctiveSecret('b') });
    const [a, b] = v.session.state.credentials;
    await v.session.transact((body) => Object.assign(editCredential(body, b!.id).versions[0]!, { sealed: a!.versions[0]!.sealed }));
    await expect(v.service.reveal('b')).rejects.toMatchObject({ code: 'CORRUPTED' });
    v.session.lock();
  });

  it('are not decrypted by unlocking or listing: the body holds only sealed values', async () => {
    const v = await createTestVault(await tempDir());
    const value = distinctiveSecret();
    await v.service.add({ name: 'a', type: 'secret' }, { value });
    v.session.lock();
    const reopened = await unlockVault(v.path, { password: v.password }, v.deps);
    expect(JSON.stringify(reopened.state)).not.toContain(value);
    reopened.lock();
  });
});

describe('the body', () => {
  it('refuses a newer schema, a wrong shape and non-JSON as CORRUPTED', () => {
    expect(() => decodeBody(encodeBody({ ...emptyBody(), schema: 2 }))).toThrow(expect.objectContaining({ code: 'CORRUPTED', message: expect.stringMatching(/newer/) }));
    expect(() => decodeBody(Buffer.from('{"credentials":{}}'))).toThrow(expect.objectContaining({ code: 'CORRUPTED' }));
    expect(() => decodeBody(Buffer.from('nope'))).toThrow(expect.objectContaining({ code: 'CORRUPTED' }));
    expect(decodeBody(Buffer.from('{"schema":1,"credentials":[]}')).settings.backupsToKeep).toBe(10);
  });

  it('reads a missing schema as schema 1 and refuses one that is not a positive integer', () => {
    expect(decodeBody(Buffer.from('{"credentials":[]}')).schema).toBe(1);
    for (const schema of ['"1"', '"abc"', '1.5', '0', '-1', 'null', 'true', '{}'])
      expect(() => decodeBody(Buffer.from(`{"schema":${schema},"credentials":[]}`)), schema).toThrow(expect.objectContaining({ code: 'CORRUPTED' }));
  });

  it('a sealed value that is too short, cut, extended or empty is CORRUPTED, not an internal error', async () => {
    const v = await createTestVault(await tempDir());
    await v.service.add({ name: 'a', type: 'secret' }, { value: 'x' });
    const c = v.session.state.credentials[0]!;
    const stored = c.versions[0]!;
    expect(v.session.openValue(c.id, 1, stored)).toBe('x');
    const cases = ['', stored.sealed.slice(0, 12 + 16), stored.sealed.slice(0, -1), `${stored.sealed}\0`, `\0${stored.sealed.slice(1)}`];
    for (const sealed of cases) expect(() => v.session.openValue(c.id, 1, { sealed }), JSON.stringify(sealed.length)).toThrow(expect.objectContaining({ code: 'CORRUPTED' }));
  });

  it('a v1 body whose value is not canonical base64 or has a wrong-size nonce opens, and only that value is refused', () => {
    const version = { version: 1, createdAt: 'x', stage: 'current', origin: 'initial' };
    const good = { nonce: Buffer.alloc(12, 1).toString('base64'), ciphertext: Buffer.alloc(40, 2).toString('base64') };
    const bad = [
      { nonce: Buffer.alloc(8).toString('base64'), ciphertext: good.ciphertext },
      { nonce: good.nonce.slice(0, -1), ciphertext: good.ciphertext },
      { nonce: good.nonce, ciphertext: `${good.ciphertext} ` },
      { nonce: 12, ciphertext: good.ciphertext },
    ];
    const credentials = [good, ...bad].map((pair, i) => storedCredential(0, { id: `c${i}`, name: `c${i}`, versions: [{ ...version, ...pair } as never] }));
    const body = decodeBody(Buffer.from(JSON.stringify({ schema: 1, credentials })));
    expect(Buffer.from(body.credentials[0]!.versions[0]!.sealed, 'latin1').equals(Buffer.concat([Buffer.alloc(12, 1), Buffer.alloc(40, 2)]))).toBe(true);
    expect(body.credentials.slice(1).map((c) => c.versions[0]!.sealed)).toEqual(['', '', '', '']);
    expect(body.credentials.every((c) => !('nonce' in c.versions[0]!) && !('ciphertext' in c.versions[0]!))).toBe(true);
  });

  it('a body that authenticates but is not valid JSON is CORRUPTED, not a crash', async () => {
    const v = await createTestVault(await tempDir());
    const file = await readFile(v.path);
    const header = readHeader(file);
    // Reseal garbage under the real body key, as a buggy writer might.
    const vaultKey = (v.session as unknown as { vaultKey: Buffer }).vaultKey;
    const bodyKey = deriveSubkeys(vaultKey, header.vaultId).body;
    await writeFile(v.path, Buffer.concat(sealFileParts(header, Buffer.from('not json'), bodyKey, systemRandom.bytes(12))));
    v.session.lock();
    await expect(unlockVault(v.path, { password: v.password }, v.deps)).rejects.toMatchObject({ code: 'CORRUPTED' });
  });
});

describe('changing the master password', () => {
  it('re-wraps the same vault key: the new password opens, the old one does not, values survive', async () => {
    const v = await createTestVault(await tempDir());
    const value = distinctiveSecret();
    await v.service.add({ name: 'a', type: 'secret' }, { value });
    const before = readHeader(await readFile(v.path));
    const next = testPassword();
    await v.session.changePassword(v.password, next, 150_000);
    v.session.lock();
    const after = readHeader(await readFile(v.path));
    expect(after.keyId).toBe(before.keyId);
    expect(after.kdf.salt).not.toBe(before.kdf.salt);
    expect(after.kdf.iterations).toBe(150_000);
    await expect(unlockVault(v.path, { password: v.password }, v.deps)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    const s = await unlockVault(v.path, { password: next }, v.deps);
    expect(s.openValue(s.state.credentials[0]!.id, 1, s.state.credentials[0]!.versions[0]!)).toBe(value);
    s.lock();
  });

  it('refuses an empty new password and iterations outside the accepted range, leaving the vault openable', async () => {
    const v = await createTestVault(await tempDir());
    const before = await readFile(v.path);
    await expect(v.session.changePassword(v.password, '')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    for (const iterations of [50_000, 0, Number.NaN, 60_000_000]) {
      await expect(v.session.changePassword(v.password, 'new-password', iterations)).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        extra: { field: 'kdfIterations' },
      });
    }
    expect((await readFile(v.path)).equals(before)).toBe(true);
    v.session.lock();
    (await unlockVault(v.path, { password: v.password }, v.deps)).lock();
  });
});

describe('the keychain unlock path (in-memory keychain)', () => {
  it('stores the vault key under service Keyward / vault:<id>:key:<keyId> and unlocks with it', async () => {
    const keychain = new MemoryKeychain();
    const v = await createTestVault(await tempDir(), { deps: { keychain }, useKeychain: true });
    const header = readHeader(await readFile(v.path));
    expect(header.keychain).toBe(true);
    const stored = keychain.entries.get(keychainAccount(header.vaultId, header.keyId));
    expect(Buffer.from(stored!, 'base64')).toHaveLength(32);
    await v.service.add({ name: 'a', type: 'secret' }, { value: 'x' });
    v.session.lock();
    const s = await unlockVault(v.path, { keychain: true }, v.deps);
    expect(s.state.credentials).toHaveLength(1);
    expect(await probeVault(v.path, v.deps)).toMatchObject({ keychain: true, vaultId: header.vaultId });
    s.lock();
  });

  it('a wrong key in the keychain is AUTH_FAILED; a missing one or a vault without the flag is KEYCHAIN_UNAVAILABLE', async () => {
    const keychain = new MemoryKeychain();
    const v = await createTestVault(await tempDir(), { deps: { keychain }, useKeychain: true });
    v.session.lock();
    const [account] = [...keychain.entries.keys()];
    keychain.entries.set(account!, systemRandom.bytes(32).toString('base64'));
    await expect(unlockVault(v.path, { keychain: true }, v.deps)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    keychain.entries.set(account!, 'c2hvcnQ=');
    await expect(unlockVault(v.path, { keychain: true }, v.deps)).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    keychain.entries.clear();
    await expect(unlockVault(v.path, { keychain: true }, v.deps)).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    const plain = await createTestVault(await tempDir());
    plain.session.lock();
    await expect(unlockVault(plain.path, { keychain: true }, plain.deps)).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
  });

  it('with no keychain, creation explains why and the password alone opens the vault (no plaintext fallback)', async () => {
    const dir = await tempDir();
    const deps = testDeps({ keychain: disabledKeychain('No Secret Service here.') });
    const session = await createVault(join(dir, 'v.keyward'), { password: 'pw', kdfIterations: TEST_KDF_ITERATIONS, useKeychain: true }, deps);
    expect(session.keychainNote).toBe('The vault key was not stored in the OS keychain: No Secret Service here.');
    expect(session.info.keychainEnabled).toBe(false);
    session.lock();
    expect(await readdir(dir)).toEqual(['v.keyward']);
    (await unlockVault(join(dir, 'v.keyward'), { password: 'pw' }, deps)).lock();
  });

  it('turning the keychain off deletes the entry and clears the flag; on stores it again', async () => {
    const keychain = new MemoryKeychain();
    const v = await createTestVault(await tempDir(), { deps: { keychain }, useKeychain: true });
    await v.session.setKeychainEnabled(false);
    expect(keychain.entries.size).toBe(0);
    expect(readHeader(await readFile(v.path)).keychain).toBe(false);
    await v.session.setKeychainEnabled(true, v.password);
    expect(keychain.entries.size).toBe(1);
    expect(readHeader(await readFile(v.path)).keychain).toBe(true);
    v.session.lock();
  });
});

describe('a locked session', () => {
  it('refuses every use and has wiped its keys', async () => {
    const v = await createTestVault(await tempDir());
    const key = (v.session as unknown as { vaultKey: Buffer }).vaultKey;
    v.session.lock();
    expect(key.equals(Buffer.alloc(32))).toBe(true);
    expect(v.session.isLocked).toBe(true);
    for (const use of [() => v.session.state, () => v.session.info, () => v.session.openValue('any', 1, { sealed: '' }), () => v.session.fingerprint('any')]) expect(use).toThrow(KeywardError);
    await expect(v.service.list()).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
  });
});
