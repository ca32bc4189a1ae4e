/**
 * Fills a vault with N realistic credentials in one save, through the real core
 * (for the 10k-credential end-to-end test and for trying the UI at scale).
 * Usage: KEYWARD_PASSWORD=… node dist/harness/seed.cjs --vault FILE --count N [--create]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { realVaultDeps } from '../../electron/core/composition.js';
import type { StoredCredential } from '../../electron/core/vault/body.js';
import { generatePassword } from '../../electron/core/generator/generate.js';
import { createVault, unlockVault } from '../../electron/core/vault/vault-session.js';
import { appendCredentials } from '../../electron/core/vault/vault-change.js';

const PROVIDERS = ['stripe', 'github', 'aws', 'openai', 'slack', 'twilio', 'sendgrid', 'datadog', 'gitlab', 'npm'];
const TYPES = ['api_key', 'password', 'token', 'secret'] as const;
const ENVS = ['prod', 'staging', 'dev', 'test'];

function seedValue(type: (typeof TYPES)[number], i: number): string {
  if (type === 'password') return generatePassword({ length: 20, classes: ['lower', 'upper', 'digits', 'symbols'] });
  return `seed${i}_${randomBytes(24).toString('base64url')}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { vault: { type: 'string' }, count: { type: 'string' }, create: { type: 'boolean' }, 'kdf-iterations': { type: 'string', default: '100000' } },
    strict: true,
  });
  const password = process.env.KEYWARD_PASSWORD;
  if (!values.vault || !values.count || !password) throw new Error('need --vault, --count and KEYWARD_PASSWORD');
  const count = Number(values.count);
  const deps = realVaultDeps({ useKeychain: false });
  const session = values.create
    ? await createVault(values.vault, { password, useKeychain: false, kdfIterations: Number(values['kdf-iterations']) }, deps)
    : await unlockVault(values.vault, { password }, deps);
  const now = new Date().toISOString();
  await session.transact((body) => {
    const seeded: StoredCredential[] = [];
    for (let i = 0; i < count; i++) {
      const provider = PROVIDERS[i % PROVIDERS.length]!;
      const env = ENVS[i % ENVS.length]!;
      const type = TYPES[i % TYPES.length]!;
      const id = deps.random.uuid();
      const credential: StoredCredential = {
        id,
        name: `${provider}-${String(i).padStart(5, '0')}/${env}`,
        type,
        provider,
        description: `Seeded credential ${i}`,
        tags: [env, `team-${i % 7}`],
        active: i % 11 !== 0,
        createdAt: now,
        updatedAt: now,
        lastRotatedAt: null,
        expiresAt: null,
        fields: type === 'password' ? { username: `user${i}@example.com` } : {},
        versions: [{ version: 1, createdAt: now, stage: 'current', origin: 'generated', ...session.sealValue(id, 1, seedValue(type, i)) }],
      };
      seeded.push(credential);
    }
    appendCredentials(body, seeded);
    body.encryptions.secrets += count;
  });
  process.stdout.write(`seeded ${count} credentials into ${session.info.path}\n`);
  session.lock();
}

main().catch((err: unknown) => {
  process.stderr.write(`seed: ${err instanceof Error ? err.message : 'failed'}\n`);
  process.exit(1);
});
