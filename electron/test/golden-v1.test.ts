/**
 * The committed golden v1 files (electron/test/fixtures/golden/) open, through
 * the public core API, to exactly what was written, and each tampered variant
 * is refused with exactly its error. Every later format must keep passing this
 * on these very files: they are never regenerated to make it pass.
 */
import { copyFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeywardError } from '../core/errors.js';
import { derivePasswordKey, deriveSubkeys, FORMAT_VERSION, readVaultFile, unwrapVaultKey } from '../core/vault/format/index.js';
import { formatV1 } from '../core/vault/format/v1/codec.js';
import { probeVault, unlockVault } from '../core/vault/vault-session.js';
import { testDeps, testService } from './helpers/builders.js';
import {
  GOLDEN_CREDENTIALS,
  GOLDEN_DIR,
  GOLDEN_KDF_ITERATIONS,
  GOLDEN_PASSWORD,
  GOLDEN_START,
  GOLDEN_TAMPERED,
  GOLDEN_VAULT,
  goldenSteps,
} from './helpers/golden-v1.js';
import { useTempDirs } from './helpers/temp-dirs.js';
import { regionsOf } from './helpers/vault-file.js';

const tempDir = useTempDirs();

const committed = (file: string) => readFile(join(GOLDEN_DIR, file));

/** A copy of a committed file to open: unlocking writes a lockout file beside the vault, never into the fixtures. */
async function copyOf(file: string): Promise<string> {
  const path = join(await tempDir(), file);
  await copyFile(join(GOLDEN_DIR, file), path);
  expect((await readFile(path)).equals(await committed(file))).toBe(true);
  return path;
}

async function openGolden(password = GOLDEN_PASSWORD) {
  const path = await copyOf(GOLDEN_VAULT);
  const session = await unlockVault(path, { password }, testDeps());
  return { path, session, service: testService(session) };
}

/** What each credential must look like, derived from the generator's steps. */
function expectedCredentials() {
  const steps = goldenSteps();
  return GOLDEN_CREDENTIALS.map((c) => {
    const mine = steps.filter((s) => s.credential === c);
    const rotations = mine.filter((s) => s.kind === 'rotate');
    const n = c.values.length;
    const stageOf = (version: number) => (version === n ? 'current' : version === n - 1 ? 'previous' : 'history');
    return {
      summary: {
        name: c.name,
        type: c.type,
        provider: c.provider,
        description: c.description,
        tags: c.tags,
        active: c.active,
        createdAt: mine[0]!.at,
        updatedAt: mine.at(-1)!.at,
        lastRotatedAt: rotations.at(-1)?.at ?? null,
        expiresAt: c.expiresAt,
        currentVersion: n,
      },
      fields: c.fields,
      // Newest first, as the API lists them.
      versions: c.values
        .map((_, i) => ({
          version: i + 1,
          createdAt: i === 0 ? mine[0]!.at : rotations[i - 1]!.at,
          stage: stageOf(i + 1),
          origin: i === 0 ? 'initial' : 'manual',
        }))
        .reverse(),
      values: c.values,
    };
  });
}

describe('the golden v1 vault', () => {
  it('is read by the format seam as version 1, keychain off, KDF at the floor', async () => {
    const file = readVaultFile(await committed(GOLDEN_VAULT));
    expect(file.version).toBe(1);
    expect(FORMAT_VERSION).toBe(2); // the writer is v2; every other test here still holds for the v1 bytes
    expect(file.header).toMatchObject({ createdAt: GOLDEN_START, generation: goldenSteps().length + 1, keychain: false, kdf: { iterations: GOLDEN_KDF_ITERATIONS } });
    const probe = await probeVault(await copyOf(GOLDEN_VAULT), testDeps());
    expect(probe).toMatchObject({ vaultId: file.header.vaultId, keychain: false, kdfIterations: 100_000 });
  });

  it('opens with its password and holds exactly what was written: every credential, field, version and value', async () => {
    const { session, service } = await openGolden();
    expect(session.info).toMatchObject({ createdAt: GOLDEN_START, kdfIterations: 100_000, keychainEnabled: false, credentialCount: GOLDEN_CREDENTIALS.length });
    const expected = expectedCredentials();
    const listed = await service.list();
    expect(listed.map((c) => c.name)).toEqual(expected.map((c) => c.summary.name));
    for (const want of expected) {
      const detail = await service.show(want.summary.name);
      expect(detail, want.summary.name).toMatchObject(want.summary);
      expect(detail.fields, want.summary.name).toEqual(want.fields);
      expect(detail.versions.map(({ version, createdAt, stage, origin }) => ({ version, createdAt, stage, origin })), want.summary.name).toEqual(want.versions);
      for (const [i, value] of want.values.entries()) expect(await service.reveal(want.summary.name, i + 1), `${want.summary.name} v${i + 1}`).toBe(value);
      expect(await service.reveal(want.summary.name)).toBe(want.values.at(-1));
    }
    session.lock();
  });

  it('opens with the password typed in decomposed form (NFD): the KDF takes its NFC bytes', async () => {
    const nfd = GOLDEN_PASSWORD.normalize('NFD');
    expect(nfd).not.toBe(GOLDEN_PASSWORD);
    const { session } = await openGolden(nfd);
    expect(session.info.credentialCount).toBe(GOLDEN_CREDENTIALS.length);
    session.lock();
  });

  it('refuses a wrong password with AUTH_FAILED and leaves the file as it is', async () => {
    const path = await copyOf(GOLDEN_VAULT);
    await expect(unlockVault(path, { password: `${GOLDEN_PASSWORD}x` }, testDeps())).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect((await readFile(path)).equals(await committed(GOLDEN_VAULT))).toBe(true);
  });

  it('is what the v1 writer still writes, byte for byte, for the same header, body, key and nonce', async () => {
    const bytes = await committed(GOLDEN_VAULT);
    const file = readVaultFile(bytes);
    const passwordKey = await derivePasswordKey(GOLDEN_PASSWORD, file.header.kdf);
    const bodyKey = deriveSubkeys(unwrapVaultKey(passwordKey, file.header)!, file.header.vaultId).body;
    const body = (await file.openBody(bodyKey))!;
    const { bodyNonce } = regionsOf(bytes);
    const nonceOfTheFile = { bytes: () => Buffer.from(bytes.subarray(bodyNonce.start, bodyNonce.end)), uuid: () => 'unused' };
    expect(Buffer.concat((await formatV1.write(file.header, body, bodyKey, nonceOfTheFile)).parts).equals(bytes)).toBe(true);
  });
});

describe('the tampered golden files', () => {
  it('are exactly the listed variants of the committed vault, and the folder holds nothing untested', async () => {
    const intact = await committed(GOLDEN_VAULT);
    for (const t of GOLDEN_TAMPERED) expect((await committed(t.file)).equals(t.make(intact)), t.file).toBe(true);
    const listed = [GOLDEN_VAULT, ...GOLDEN_TAMPERED.map((t) => t.file), 'README.md'].sort();
    expect((await readdir(GOLDEN_DIR)).sort()).toEqual(listed);
  });

  it.each(GOLDEN_TAMPERED.map((t) => [t.file, t] as const))('%s → its exact error, the file untouched', async (file, t) => {
    const path = await copyOf(file);
    const err = await unlockVault(path, { password: GOLDEN_PASSWORD }, testDeps()).then(
      (session) => {
        session.lock();
        throw new Error(`${file} opened`);
      },
      (e: unknown) => e as KeywardError,
    );
    expect(err).toBeInstanceOf(KeywardError);
    expect(err.code, err.message).toBe(t.code);
    expect(err.message).toMatch(t.message);
    expect((await readFile(path)).equals(await committed(file))).toBe(true);
  });
});
