/**
 * Benchmark vaults. Adding 100k credentials one `add` at a time would save the
 * file 100k times, so a fixture is a fresh vault (created by the real core)
 * whose body is filled in one `transact`: realistic records, each secret value
 * sealed by the vault's own SecretSealer, then one atomic save.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CredentialTypeId } from '../shared/credential-types/index.js';
import { realVaultDeps } from '../electron/core/composition.js';
import { MemoryKeychain } from '../electron/core/keychain/keychain.js';
import type { StoredCredential } from '../electron/core/vault/body.js';
import { MIN_KDF_ITERATIONS } from '../electron/core/vault/format/index.js';
import { createVault, type VaultDeps, type VaultSession } from '../electron/core/vault/vault-session.js';
import { appendCredentials } from '../electron/core/vault/vault-change.js';
import { seededRandom } from './stats.js';

export const BENCH_PASSWORD = 'correct horse battery staple — bench only';

/** The query used for search: a provider name that also appears in descriptions (~1 in 16 records match). */
export const SEARCH_QUERY = 'stripe';

const PROVIDERS = [
  'aws', 'github', 'stripe', 'openai', 'google-cloud', 'azure', 'slack', 'twilio',
  'datadog', 'sendgrid', 'cloudflare', 'heroku', 'digitalocean', 'mongodb-atlas', 'anthropic', 'vercel',
];
const ENVS = ['prod', 'staging', 'dev', 'test'];
const TEAMS = ['payments', 'platform', 'growth', 'data', 'infra', 'mobile', 'security', 'web'];
const KINDS: { type: CredentialTypeId; suffix: string; weight: number }[] = [
  { type: 'api_key', suffix: 'api-key', weight: 50 },
  { type: 'password', suffix: 'db-password', weight: 25 },
  { type: 'token', suffix: 'access-token', weight: 15 },
  { type: 'secret', suffix: 'signing-secret', weight: 10 },
];

export interface Fixture {
  dir: string;
  path: string;
  size: number;
  /** Names in the vault, in insertion order (lookups pick from these). */
  names: string[];
  /** Deps with an in-memory keychain holding this vault's key: unlocking through it skips the KDF. */
  deps: VaultDeps;
  bytes: number;
  buildMs: number;
}

function pickKind(r: number): (typeof KINDS)[number] {
  let acc = 0;
  for (const k of KINDS) {
    acc += k.weight / 100;
    if (r < acc) return k;
  }
  return KINDS[0]!;
}

const base62 = (bytes: Buffer) => bytes.toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 32).padEnd(32, 'x');

function valueFor(type: CredentialTypeId): string {
  switch (type) {
    case 'api_key':
      return `sk_live_${base62(randomBytes(30))}`;
    case 'password':
      return `${randomBytes(15).toString('base64')}!7a`;
    case 'token':
      return `ghp_${randomBytes(27).toString('base64url')}`;
    default:
      return randomBytes(32).toString('base64url');
  }
}

export function makeRecord(i: number, rand: () => number, seal: (id: string, version: number, value: string) => { sealed: string }): StoredCredential {
  const provider = PROVIDERS[Math.floor(rand() * PROVIDERS.length)]!;
  const env = ENVS[Math.floor(rand() * ENVS.length)]!;
  const team = TEAMS[Math.floor(rand() * TEAMS.length)]!;
  const kind = pickKind(rand());
  const id = randomUUID();
  const created = new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * 700) * 86_400_000 + Math.floor(rand() * 86_400_000));
  const updated = new Date(created.getTime() + Math.floor(rand() * 30) * 86_400_000);
  const expires = (kind.type === 'api_key' || kind.type === 'token') && rand() < 0.5 ? new Date(updated.getTime() + 365 * 86_400_000).toISOString() : null;
  const fields: Record<string, string> =
    kind.type === 'api_key'
      ? { keyId: `AKIA${randomBytes(10).toString('hex').toUpperCase().slice(0, 16)}`, scopes: 'read, write' }
      : kind.type === 'password'
        ? { username: `svc-${i}@${team}.example.com`, url: `https://${provider}.example.com/login` }
        : kind.type === 'token'
          ? { tokenType: 'bearer', scopes: 'repo, read:org' }
          : {};
  return {
    id,
    name: `service-${i}/${env}-${kind.suffix}`,
    type: kind.type,
    provider,
    description: `${provider} ${kind.suffix.replace('-', ' ')} for service ${i} (${env}), owned by the ${team} team`,
    tags: [env, team],
    active: rand() > 0.05,
    createdAt: created.toISOString(),
    updatedAt: updated.toISOString(),
    lastRotatedAt: null,
    expiresAt: expires,
    fields,
    versions: [{ version: 1, createdAt: created.toISOString(), stage: 'current', origin: 'initial', ...seal(id, 1, valueFor(kind.type)) }],
  };
}

/** Creates a vault of `size` credentials in a fresh temp folder, with the KDF at the floor (100,000 iterations). */
export async function buildFixture(size: number, seed = 1): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), `keyward-bench-${size}-`));
  const path = join(dir, 'bench.keyward');
  const deps = realVaultDeps({ useKeychain: true, keychain: new MemoryKeychain() });
  const start = performance.now();
  const names: string[] = [];
  try {
    const session = await createVault(path, { password: BENCH_PASSWORD, kdfIterations: MIN_KDF_ITERATIONS, useKeychain: true }, deps);
    await fill(session, size, seededRandom(seed), names).finally(() => session.lock());
  } catch (err) {
    removeFixture({ dir });
    throw err;
  }
  const buildMs = performance.now() - start;
  return { dir, path, size, names, deps, bytes: statSync(path).size, buildMs };
}

async function fill(session: VaultSession, size: number, rand: () => number, names: string[]): Promise<void> {
  await session.transact((body) => {
    const seal = (id: string, version: number, value: string) => session.sealValue(id, version, value);
    const records: StoredCredential[] = [];
    for (let i = 0; i < size; i++) {
      const record = makeRecord(10_000 + i, rand, seal);
      records.push(record);
      names.push(record.name);
    }
    appendCredentials(body, records);
    body.encryptions.secrets += size;
  });
}

export function removeFixture(fixture: Pick<Fixture, 'dir'>): void {
  rmSync(fixture.dir, { recursive: true, force: true });
}
