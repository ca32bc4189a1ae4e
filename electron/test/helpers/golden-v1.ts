/**
 * The golden v1 files (electron/test/fixtures/golden/, see its README.md): what
 * the vault holds, its password, the tampered variants and the error each must
 * give. `writeGoldenV1` made the committed files with the code of its day
 * (scripts/make-golden-vaults.mjs); golden-v1.test.ts opens those exact files.
 * Regenerating is for adding files, never for making a test pass: every later
 * format must keep opening what is committed.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CredentialTypeId } from '../../../shared/credential-types/index.js';
import type { CredentialFields, IsoTime } from '../../../shared/domain.js';
import { FakeClock } from '../../core/ports/clock.js';
import { systemRandom, type Random } from '../../core/ports/random.js';
import { createVault } from '../../core/vault/vault-session.js';
import { testDeps, testService, TEST_KDF_ITERATIONS } from './builders.js';
import { repoRoot } from './paths.js';
import { flipByte, forgeHeader, regionsOf, withValidChecksum, withVersion } from './vault-file.js';

export const GOLDEN_DIR = resolve(repoRoot, 'electron/test/fixtures/golden');

/** Not ASCII on purpose: the KDF takes the password's NFC UTF-8 bytes (docs/vault-format.md §4.1). */
export const GOLDEN_PASSWORD = 'golden v1 — Pässwörd';
export const GOLDEN_KDF_ITERATIONS = TEST_KDF_ITERATIONS;
/** The vault was created at this time; each later save one minute after the one before. */
export const GOLDEN_START = '2026-12-01T09:00:00.000Z';
const MINUTE = 60_000;

export interface GoldenCredential {
  name: string;
  type: CredentialTypeId;
  provider: string;
  description: string;
  tags: string[];
  fields: CredentialFields;
  expiresAt: IsoTime | null;
  active: boolean;
  /** The value of version 1, 2, … in order; the last is current. */
  values: string[];
}

export const GOLDEN_CREDENTIALS: readonly GoldenCredential[] = [
  {
    name: 'GitHub login',
    type: 'password',
    provider: 'github',
    description: 'Personal account',
    tags: ['work', 'code'],
    fields: { username: 'ada@example.com', url: 'https://github.com/login' },
    expiresAt: null,
    active: true,
    values: ['Tr0ub4dor&3-first!', 'Correct-Horse-Battery-9', 'Zebra#Staple-2026-third'],
  },
  {
    name: 'Café Zoë — wifi',
    type: 'password',
    provider: '',
    description: 'Mot de passe du réseau · 鍵 · 🔑',
    tags: ['maison'],
    fields: { username: 'Zoë Åström 🗝', url: 'https://例え.jp/ログイン' },
    expiresAt: null,
    active: true,
    values: ['Ünïcödé-Wïfï-Pässwörd-1'],
  },
  {
    name: 'Stripe live key',
    type: 'api_key',
    provider: 'stripe',
    description: '',
    tags: [],
    fields: { keyId: 'acct_1GoldenV1Example', scopes: 'read, write' },
    expiresAt: '2027-06-30T00:00:00.000Z',
    active: true,
    values: ['sk_live_golden_v1_first_0000000000', 'sk_live_golden_v1_second_111111111'],
  },
  {
    name: 'OpenAI key',
    type: 'api_key',
    provider: 'openai',
    description: 'Batch jobs',
    tags: ['ml'],
    fields: {},
    expiresAt: null,
    active: false,
    values: ['sk-proj-golden-v1-openai-000000000000'],
  },
  {
    name: 'CI deploy token',
    type: 'token',
    provider: 'gitlab',
    description: 'Pipeline deploys',
    tags: ['ci'],
    fields: { tokenType: 'personal_access', scopes: 'api, read_repository' },
    expiresAt: '2027-01-15T12:00:00.000Z',
    active: true,
    values: ['gl-golden-v1-token-1', 'gl-golden-v1-token-2', 'gl-golden-v1-token-3', 'gl-golden-v1-token-4'],
  },
  {
    name: 'Refresh token',
    type: 'token',
    provider: '',
    description: '',
    tags: [],
    fields: { tokenType: 'oauth_refresh' },
    expiresAt: null,
    active: true,
    values: ['1//golden-v1-refresh-token'],
  },
  {
    name: 'Recovery codes',
    type: 'secret',
    provider: '',
    description: 'Printed copy in the safe',
    tags: ['backup', '2fa'],
    fields: {},
    expiresAt: null,
    active: true,
    values: ['1111-2222\n3333-4444\n5555-6666', 'aaaa-bbbb\ncccc-dddd ✓'],
  },
  {
    name: 'SSH passphrase',
    type: 'secret',
    provider: '',
    description: '',
    tags: [],
    fields: {},
    expiresAt: null,
    active: true,
    values: ['  leading and trailing spaces kept  '],
  },
];

export const GOLDEN_VAULT = 'v1.keyward';

/** Each tampered variant of the golden vault, and what opening it with the right password must give. */
export interface GoldenTamper {
  file: string;
  what: string;
  code: 'CORRUPTED' | 'UNSUPPORTED_VERSION';
  message: RegExp;
  make: (intact: Buffer) => Buffer;
}

export const GOLDEN_TAMPERED: readonly GoldenTamper[] = [
  {
    file: 'v1-flipped-header-byte.keyward',
    what: 'one byte of the header JSON (inside the salt) changed',
    code: 'CORRUPTED',
    message: /checksum does not match/,
    make: (f) => flipByte(f, middleOf(regionsOf(f).kdfSalt)),
  },
  {
    file: 'v1-flipped-body-byte.keyward',
    what: 'one byte of the sealed body changed',
    code: 'CORRUPTED',
    message: /checksum does not match/,
    make: (f) => flipByte(f, middleOf(regionsOf(f).bodyCiphertext)),
  },
  {
    file: 'v1-flipped-body-byte-checksum-fixed.keyward',
    what: 'one byte of the sealed body changed and the checksum recomputed: only the GCM tag notices',
    code: 'CORRUPTED',
    message: /password is right but the contents do not authenticate/,
    make: (f) => withValidChecksum(flipByte(f, middleOf(regionsOf(f).bodyCiphertext))),
  },
  {
    file: 'v1-truncated.keyward',
    what: 'the first 100 bytes only (the file ends inside the header)',
    code: 'CORRUPTED',
    message: /truncated or corrupted \(100 bytes\)/,
    make: (f) => Buffer.from(f.subarray(0, 100)),
  },
  {
    file: 'v1-wrong-magic.keyward',
    what: 'the magic reads "KEYWARE\\0" instead of "KEYWARD\\0"',
    code: 'CORRUPTED',
    message: /not a Keyward vault/,
    make: (f) => {
      const copy = Buffer.from(f);
      copy.write('E', 6, 'latin1');
      return copy;
    },
  },
  {
    file: 'v1-unknown-version.keyward',
    // Made when version 2 did not exist yet. Now that it does, these are v1 bytes under a v2 label: damage.
    // (A version newer than any Keyward reads is still UNSUPPORTED_VERSION: tamper.test.ts.)
    what: 'format version 2 in the prefix, checksum recomputed',
    code: 'CORRUPTED',
    message: /corrupted or tampered/,
    make: (f) => withVersion(f, 2),
  },
  {
    file: 'v1-kdf-below-floor.keyward',
    what: 'kdf.iterations 99999 (below the floor) in the header, checksum recomputed',
    code: 'CORRUPTED',
    message: /99999 PBKDF2 iterations is below the minimum of 100000/,
    make: (f) =>
      forgeHeader(f, (h) => {
        h.kdf.iterations = 99_999;
      }),
  },
];

function middleOf(region: { start: number; end: number }): number {
  return Math.floor((region.start + region.end) / 2);
}

export type GoldenStep = { at: IsoTime; credential: GoldenCredential } & (
  | { kind: 'add'; value: string }
  | { kind: 'rotate'; value: string; version: number }
  | { kind: 'deactivate' }
);

/**
 * What the generator did, in order, one minute apart: every credential added,
 * then for each its rotations and, if inactive, its deactivation. The test
 * derives every expected timestamp from it.
 */
export function goldenSteps(): GoldenStep[] {
  let minutes = 0;
  const at = () => new Date(Date.parse(GOLDEN_START) + ++minutes * MINUTE).toISOString();
  const steps: GoldenStep[] = GOLDEN_CREDENTIALS.map((credential) => ({ at: at(), credential, kind: 'add', value: credential.values[0]! }));
  for (const credential of GOLDEN_CREDENTIALS) {
    credential.values.slice(1).forEach((value, i) => steps.push({ at: at(), credential, kind: 'rotate', value, version: i + 2 }));
    if (!credential.active) steps.push({ at: at(), credential, kind: 'deactivate' });
  }
  return steps;
}

/**
 * Writes the golden vault and its tampered variants into `outDir`, through the
 * core as any user would: create (keychain off, KDF at the floor), then
 * `goldenSteps()`. `random` is the real one for the committed files; a fixed
 * one makes two runs comparable byte for byte.
 */
export async function writeGoldenV1(outDir: string, random: Random = systemRandom): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'keyward-golden-'));
  try {
    const clock = new FakeClock(new Date(GOLDEN_START));
    const deps = testDeps({ clock, random });
    const path = join(work, GOLDEN_VAULT);
    const session = await createVault(path, { password: GOLDEN_PASSWORD, kdfIterations: GOLDEN_KDF_ITERATIONS, useKeychain: false }, deps);
    const service = testService(session, { clock, random });
    for (const step of goldenSteps()) {
      clock.set(step.at);
      const c = step.credential;
      // Forced: the contents are chosen to cover the format, not to pass the value policy.
      if (step.kind === 'add')
        await service.add(
          { name: c.name, type: c.type, provider: c.provider, description: c.description, tags: c.tags, fields: c.fields, expiresAt: c.expiresAt },
          { value: step.value },
          { force: true },
        );
      else if (step.kind === 'rotate') await service.rotate(c.name, { value: step.value }, { force: true });
      else await service.setActive(c.name, false);
    }
    session.lock();
    const intact = await readFile(path);
    await writeFile(join(outDir, GOLDEN_VAULT), intact);
    for (const t of GOLDEN_TAMPERED) await writeFile(join(outDir, t.file), t.make(intact));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
