/**
 * Issue 9, item 5: the add/rotate forms ask main what the health check says about a
 * value not saved yet (analysis.checkValue), so that a malformed GitHub token
 * shows "Invalid format" before saving, as `keyward check` reports it after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MemoryAuditSink } from '../core/audit/audit-sink.js';
import { realVaultDeps } from '../core/composition.js';
import { MemoryKeychain } from '../core/keychain/keychain.js';
import { AppController } from './app-controller.js';

const PASSWORD = 'Test-Master-Password-1';
const MALFORMED_GITHUB_TOKEN = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5' + 'zzzzzz';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyward-value-check-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function unlockedApp(): Promise<AppController> {
  const app = new AppController({
    vaultPath: join(dir, 'vault.keyward'),
    deps: realVaultDeps({ useKeychain: false, keychain: new MemoryKeychain() }),
    clipboard: { writeSecret: async () => undefined, readText: async () => '', clear: async () => undefined },
    actor: 'test',
    audit: new MemoryAuditSink(),
    emit: () => undefined,
  });
  await app.create(PASSWORD, false, 100_000);
  return app;
}

it('reports the findings keyward check reports once the value is saved, without saving or returning the value', async () => {
  const app = await unlockedApp();
  const typed = await app.services.health.value({ value: MALFORMED_GITHUB_TOKEN, type: 'api_key', provider: 'github', name: 'ci' });
  expect(typed.findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'invalid_format', severity: 'high' })]));
  expect(JSON.stringify(typed)).not.toContain(MALFORMED_GITHUB_TOKEN);
  expect(await app.credentials.list()).toHaveLength(0);

  const saved = await app.services.credentials.add({ name: 'ci', type: 'api_key', provider: 'github' }, { value: MALFORMED_GITHUB_TOKEN });
  const checked = await app.services.health.credential(saved.id);
  expect(typed.findings).toEqual(checked.findings);

  // Rotating: the stored credential's provider is used, and its age or reuse is not the new value's.
  const rotating = await app.services.health.value({ value: MALFORMED_GITHUB_TOKEN, id: saved.id });
  expect(rotating.findings).toEqual(checked.findings);
});

it('names placeholders, pasted whitespace and weak passwords, with the password’s strength', async () => {
  const app = await unlockedApp();
  const placeholder = await app.services.health.value({ value: ' your_api_key_here ', type: 'secret' });
  expect(placeholder.findings.map((f) => [f.kind, f.severity])).toEqual(expect.arrayContaining([['placeholder', 'critical'], ['pasted_whitespace', 'medium']]));
  const weak = await app.services.health.value({ value: 'password1', type: 'password', name: 'mail' });
  expect(weak.strength?.score).toBeLessThanOrEqual(1);
  expect(weak.findings.map((f) => f.kind)).toContain('weak_password');
});
