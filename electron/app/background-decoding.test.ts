/**
 * The app unlocks before its credentials are decoded (issue 11) and decodes
 * them in the background: its requests wait for the whole list, and a vault
 * whose credentials turn out undecodable is closed and reported as an eager
 * unlock reported it — CORRUPTED, with the backups to restore. Real files,
 * real crypto; the one thing simulated is a writer's bug (an index sealed with
 * chunks it does not describe), which no Keyward writes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryAuditSink } from '../core/audit/audit-sink.js';
import { realVaultDeps } from '../core/composition.js';
import { MemoryKeychain } from '../core/keychain/keychain.js';
import type { StoredCredential } from '../core/vault/body.js';
import { hasCredentialsOnDemand } from '../core/vault/credentials-on-demand.js';
import { CREDENTIALS_PER_CHUNK } from '../core/vault/format/v2/records.js';
import { appendCredentials } from '../core/vault/vault-change.js';
import { unlockVault, type VaultSession } from '../core/vault/vault-session.js';
import { createDispatcher } from '../ipc/dispatcher.js';
import { handlersFor } from '../ipc/handlers/index.js';
import { AppController } from './app-controller.js';
import { storedCredential, uuidOf } from '../test/helpers/stored-credential.js';

/** When set, the next snapshot is written with the index of a body whose credential 3 has another id: a writer's bug. */
const writerBug = vi.hoisted(() => ({ on: false }));

vi.mock('../core/vault/format/v2/records.js', async (original) => {
  const records = await original<typeof import('../core/vault/format/v2/records.js')>();
  return {
    ...records,
    *encodeSnapshotSteps(body: Parameters<typeof records.encodeSnapshotSteps>[0], options?: Parameters<typeof records.encodeSnapshotSteps>[1]) {
      const written = Buffer.concat(yield* records.encodeSnapshotSteps(body, options));
      if (!writerBug.on) return [written];
      writerBug.on = false;
      const misdescribed = { ...body, credentials: body.credentials.map((c, i) => (i === 3 ? { ...c, id: `${c.id.slice(0, -1)}x` } : c)) };
      const index = indexOf(Buffer.concat(runAll(records.encodeSnapshotSteps(misdescribed, options))));
      return [Buffer.concat([written.subarray(0, afterHead(written)), index, written.subarray(afterIndex(written))])];
    },
  };
});

function runAll<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
const afterHead = (plain: Buffer) => 1 + 4 + plain.readUInt32BE(1);
const afterIndex = (plain: Buffer) => afterHead(plain) + 4 + plain.readUInt32BE(afterHead(plain));
const indexOf = (plain: Buffer) => plain.subarray(afterHead(plain), afterIndex(plain));

const PASSWORD = 'Test-Master-Password-1';
let dir: string;
let vaultPath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyward-background-'));
  vaultPath = join(dir, 'vault.keyward');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Credential i, its value sealed by the session. */
function record(session: VaultSession, i: number): StoredCredential {
  const id = uuidOf(i);
  const created = Date.UTC(2026, 0, 1) + i * 1000;
  const at = new Date(created).toISOString();
  return storedCredential(created, { id, name: `service-${i}`, provider: 'stripe', versions: [{ version: 1, createdAt: at, stage: 'current', origin: 'initial', ...session.sealValue(id, 1, `value-${i}`) }] });
}

/** An app over a vault of three chunks, compacted into one snapshot (written with the writer's bug when asked). */
async function appOverVault(options: { writerBug?: boolean } = {}) {
  const deps = realVaultDeps({ useKeychain: false, keychain: new MemoryKeychain() });
  const app = new AppController({ vaultPath, deps, clipboard: { writeSecret: async () => undefined, readText: async () => '', clear: async () => undefined }, actor: 'test', audit: new MemoryAuditSink(), emit: () => undefined });
  await app.create(PASSWORD, false, 100_000);
  await app.lock('user');
  const session = await unlockVault(vaultPath, { password: PASSWORD }, deps);
  const count = CREDENTIALS_PER_CHUNK * 2 + 10;
  await session.transact((body) => {
    appendCredentials(body, Array.from({ length: count }, (_, i) => record(session, i)));
    body.encryptions.secrets += count;
  });
  // A backup of the good file first, then the snapshot (with the bug, if asked).
  await session.compactNow({ force: true });
  writerBug.on = options.writerBug === true;
  await session.compactNow({ force: true });
  writerBug.on = false;
  session.lock();
  const dispatch = createDispatcher(handlersFor(app), 'app://keyward', () => app.credentialsDecoded());
  const call = (method: string, request: unknown = {}) => dispatch({ url: 'app://keyward/index.html', isMainFrame: true }, method, request);
  return { app, count, call };
}

describe('the app decodes its credentials in the background', () => {
  it('is unlocked before the list is decoded; its requests answer from the whole list', async () => {
    const { app, count, call } = await appOverVault();
    const unlocked = await call('vault.unlock', { method: 'password', password: PASSWORD });
    expect(unlocked).toMatchObject({ ok: true, value: { phase: 'unlocked', vault: { credentialCount: count } } });
    // A request made at once waits for the list instead of decoding it in one go.
    const listed = (await call('credentials.list')) as { ok: true; value: { name: string }[] };
    expect(listed.value.map((c) => c.name)).toEqual(Array.from({ length: count }, (_, i) => `service-${i}`));
    expect(hasCredentialsOnDemand(app.services.state)).toBe(false);
    await app.lock('user');
  });

  it('a vault whose credentials cannot be decoded is closed and shown as CORRUPTED with its backups, as an eager unlock showed it', async () => {
    const { app, call } = await appOverVault({ writerBug: true });
    // The index opens, so the unlock itself succeeds (answering 'locked' when the decoding failed already) …
    expect(await call('vault.unlock', { method: 'password', password: PASSWORD })).toMatchObject({ ok: true });
    // … and the first request that needs the list finds the vault closed.
    expect(await call('credentials.list')).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
    const state = (await call('app.state')) as { ok: true; value: { phase: string; problem: { code: string; message: string; backups: string[] } | null } };
    expect(state.value.phase).toBe('locked');
    expect(state.value.problem).toMatchObject({ code: 'CORRUPTED', message: expect.stringMatching(/unexpected shape.*newest intact backup/) });
    expect(state.value.problem!.backups.length).toBeGreaterThan(0);
    // Restoring the newest intact backup puts a file that decodes in place: the problem goes with it.
    expect(await call('vault.restoreBackup', {})).toMatchObject({ ok: true, value: { phase: 'locked', problem: null } });
    expect(await call('vault.unlock', { method: 'password', password: PASSWORD })).toMatchObject({ ok: true, value: { phase: 'unlocked' } });
    expect(await call('credentials.list')).toMatchObject({ ok: true });
    await app.lock('user');
  });
});
