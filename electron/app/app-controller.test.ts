import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeywardEvent } from '../../shared/ipc/contract.js';
import { MemoryAuditSink } from '../core/audit/audit-sink.js';
import { openCore, realVaultDeps } from '../core/composition.js';
import { serviceFor } from '../test/helpers/builders.js';
import { MemoryKeychain } from '../core/keychain/keychain.js';
import { unlockVault } from '../core/vault/vault-session.js';
import { appendCredentials } from '../core/vault/vault-change.js';
import { AppController } from './app-controller.js';
import type { ClipboardPort } from './clipboard-guard.js';

const PASSWORD = 'Test-Master-Password-1';
const ITERATIONS = 100_000;

class FakeClipboard implements ClipboardPort {
  text = '';
  writes = 0;
  async writeSecret(text: string) {
    this.text = text;
    this.writes++;
  }
  async readText() {
    return this.text;
  }
  async clear() {
    this.text = '';
  }
}

let dir: string;
let vaultPath: string;
let events: KeywardEvent[];
let clipboard: FakeClipboard;
let keychain: MemoryKeychain;

function controller(audit = new MemoryAuditSink()) {
  return new AppController({
    vaultPath,
    deps: realVaultDeps({ useKeychain: true, keychain }),
    clipboard,
    actor: 'test',
    audit,
    emit: (e) => events.push(e),
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyward-app-'));
  vaultPath = join(dir, 'vault.keyward');
  events = [];
  clipboard = new FakeClipboard();
  keychain = new MemoryKeychain();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('AppController', () => {
  it('moves through no-vault → unlocked → locked → unlocked, with the keychain', async () => {
    const app = controller();
    expect((await app.state()).phase).toBe('no-vault');
    const created = await app.create(PASSWORD, true, ITERATIONS);
    expect(created.state.phase).toBe('unlocked');
    expect(created.state.vaultUsesKeychain).toBe(true);
    expect(created.state.keychainUnavailableReason).toBeNull();
    const locked = await app.lock('user');
    expect(locked.phase).toBe('locked');
    expect(locked.vaultUsesKeychain).toBe(true);
    expect(() => app.credentials).toThrow(/locked/);
    expect((await app.unlock({ method: 'keychain' })).phase).toBe('unlocked');
    expect(events.map((e) => e.type)).toEqual(['unlocked', 'locked', 'unlocked']);
  });

  it('locks every replaced session when unlocks overlap: none is left open with its keys (review M2)', async () => {
    // A sink that takes its time (like a durable one writing to disk) keeps each
    // replaced session's lock in flight while the other unlocks land.
    const audit = new (class extends MemoryAuditSink {
      override async record(event: Parameters<MemoryAuditSink['record']>[0]) {
        if (event.action === 'vault.lock.reopen') await new Promise((r) => setTimeout(r, 30));
        super.record(event);
      }
    })();
    const app = controller(audit);
    await app.create(PASSWORD, true, ITERATIONS);
    const first = app.services;
    // Five keychain unlocks at once: each replaces the one before it.
    await Promise.all(Array.from({ length: 5 }, () => app.unlock({ method: 'keychain' })));
    expect(first.isLocked).toBe(true);
    // Six sessions were opened (create + five unlocks) and one is open: five were locked on replace.
    expect(audit.events.filter((e) => e.action === 'vault.lock.reopen')).toHaveLength(5);
    expect(app.services.isLocked).toBe(false);
    await app.lock('user');
  });

  it('drops the keys before waiting on the clipboard when locking (review M1)', async () => {
    const app = controller();
    await app.create(PASSWORD, false, ITERATIONS);
    const added = await app.services.credentials.add({ name: 'k', type: 'api_key' }, { value: 'sk_live_lock_order' });
    await app.copy(added.id, 'value');
    const vault = app.services;
    let lockedWhenClipboardAsked: boolean | null = null;
    clipboard.readText = async () => {
      lockedWhenClipboardAsked = vault.isLocked;
      return clipboard.text;
    };
    await app.lock('user');
    expect(lockedWhenClipboardAsked).toBe(true);
    expect(clipboard.text).toBe('');
  });

  it('copies a secret in main and clears the clipboard only if it still holds that secret', async () => {
    const app = controller();
    await app.create(PASSWORD, false, ITERATIONS);
    const added = await app.services.credentials.add({ name: 'stripe', type: 'api_key', fields: { keyId: 'pk_123' } }, { value: 'sk_live_secret_value' });
    const copy = await app.copy(added.id, 'value');
    expect(clipboard.text).toBe('sk_live_secret_value');
    expect(copy.clearAfterSeconds).toBe(30);
    expect(events.at(-1)).toMatchObject({ type: 'clipboard-copied' });

    // The user copied something else meanwhile: it must be left alone.
    clipboard.text = 'something the user copied';
    await app.lock('user');
    expect(clipboard.text).toBe('something the user copied');
    expect(events.some((e) => e.type === 'clipboard-cleared')).toBe(false);
    expect(events.some((e) => e.type === 'clipboard-left-alone')).toBe(true);

    await app.unlock({ method: 'password', password: PASSWORD });
    await app.copy(added.id, { field: 'keyId' });
    expect(clipboard.text).toBe('pk_123');
    await app.lock('user');
    expect(clipboard.text).toBe('');
    expect(events.some((e) => e.type === 'clipboard-cleared')).toBe(true);
  });

  it('clears the clipboard by itself after the configured delay', async () => {
    const app = controller();
    await app.create(PASSWORD, false, ITERATIONS);
    await app.updateSettings({ clipboardClearSeconds: 1 });
    const added = await app.services.credentials.add({ name: 'db', type: 'secret' }, { value: 'db-password-xyz' });
    await app.copy(added.id, 'value');
    expect(clipboard.text).toBe('db-password-xyz');
    await new Promise((r) => setTimeout(r, 1_400));
    expect(clipboard.text).toBe('');
    expect(events.at(-1)).toEqual({ type: 'clipboard-cleared' });
  });

  it('locks when idle longer than the auto-lock setting, and not before', async () => {
    const app = controller();
    await app.create(PASSWORD, false, ITERATIONS);
    await app.updateSettings({ autoLockMinutes: 1 });
    app.activity();
    await app.checkIdle(Date.now() + 30_000);
    expect((await app.state()).phase).toBe('unlocked');
    await app.checkIdle(Date.now() + 61_000);
    expect((await app.state()).phase).toBe('locked');
    expect(events.at(-1)).toEqual({ type: 'locked', reason: 'idle' });
  });

  it('reports how far a vault key rotation got, a whole percent at a time, ending with every credential', async () => {
    const app = controller();
    await app.create(PASSWORD, false, ITERATIONS);
    await app.lock('user');
    // 1,000 credentials in one save (one add each would save the file 1,000 times).
    const other = await unlockVault(vaultPath, { password: PASSWORD }, realVaultDeps({ useKeychain: false }));
    await other.transact((body) => {
      const now = new Date().toISOString();
      const added = Array.from({ length: 1000 }, (_, i) => {
        const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        return { id, name: `c${i}`, type: 'secret' as const, provider: '', description: '', tags: [], active: true, createdAt: now, updatedAt: now, lastRotatedAt: null, expiresAt: null, fields: {}, versions: [{ version: 1, createdAt: now, stage: 'current' as const, origin: 'manual' as const, ...other.sealValue(id, 1, `v${i}`) }] };
      });
      appendCredentials(body, added);
      body.encryptions.secrets += added.length;
    });
    other.lock();
    await app.unlock({ method: 'password', password: PASSWORD });
    events = [];
    await app.rotateVaultKey(PASSWORD);
    const progress = events.filter((e) => e.type === 'vault-progress');
    expect(progress.map((e) => e.type === 'vault-progress' && e.done)).toEqual([256, 512, 768, 1000]);
    expect(progress.every((e) => e.type === 'vault-progress' && e.total === 1000 && e.operation === 'rotate-key' && !e.failed)).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'vault-changed' });
    expect(await app.credentials.reveal('c999')).toBe('v999');
    // A rotation that fails (a wrong password) says so, and reports nothing of a run that never started.
    events = [];
    await expect(app.rotateVaultKey('wrong')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(events.filter((e) => e.type === 'vault-progress')).toEqual([]);
  });

  it('sees changes another process saved, without losing its own', async () => {
    const app = controller();
    await app.create(PASSWORD, false, ITERATIONS);
    await app.services.credentials.add({ name: 'mine', type: 'secret' }, { value: 'v1' });

    const other = await unlockVault(vaultPath, { password: PASSWORD }, realVaultDeps({ useKeychain: false }));
    await serviceFor(other, 'cli').add({ name: 'from-cli', type: 'secret' }, { value: 'v2' });
    other.lock();

    expect(await app.refreshFromDisk()).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'vault-changed' });
    expect((await app.credentials.list()).map((c) => c.name).sort()).toEqual(['from-cli', 'mine']);
    // A write from the app after that keeps the CLI's credential (no older view overwrites a newer file).
    await app.services.credentials.add({ name: 'mine-2', type: 'secret' }, { value: 'v3' });
    const reopened = await unlockVault(vaultPath, { password: PASSWORD }, realVaultDeps({ useKeychain: false }));
    expect(reopened.state.credentials.map((c) => c.name).sort()).toEqual(['from-cli', 'mine', 'mine-2']);
    reopened.lock();
  });

  it('reports a tampered vault with its restorable backups, and restores while locked', async () => {
    const app = controller();
    await app.create(PASSWORD, false, ITERATIONS);
    await app.services.credentials.add({ name: 'keep-me', type: 'secret' }, { value: 'v' });
    await app.services.credentials.add({ name: 'last-change', type: 'secret' }, { value: 'w' });
    await app.lock('user');
    const bytes = readFileSync(vaultPath);
    bytes[bytes.length - 100]! ^= 0x01;
    writeFileSync(vaultPath, bytes);

    const state = await app.state();
    expect(state.phase).toBe('locked');
    expect(state.problem?.code).toBe('CORRUPTED');
    expect(state.problem?.backups.length).toBeGreaterThan(0);
    await expect(app.unlock({ method: 'password', password: PASSWORD })).rejects.toMatchObject({ code: 'CORRUPTED' });

    const restored = await app.restoreBackup();
    expect(restored.problem).toBeNull();
    await app.unlock({ method: 'password', password: PASSWORD });
    // Backups are taken before each save: the newest is the vault as it was before the last change.
    expect((await app.credentials.list()).map((c) => c.name)).toEqual(['keep-me']);
  });

  it('refuses a weak master password unless the person allowed it, and records the allowed choice (issue 9, item 9)', async () => {
    const audit = new MemoryAuditSink();
    const app = controller(audit);
    // "Summer2024!": the password the review saw accepted with only a "Fair" meter.
    await expect(app.create('Summer2024!', false, ITERATIONS)).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'password' } });
    expect((await app.state()).phase).toBe('no-vault');
    expect((await app.create('Summer2024!', false, ITERATIONS, true)).state.phase).toBe('unlocked');
    expect(audit.events.map((e) => `${e.action}:${e.outcome}`)).toEqual(['vault.create:failure', 'vault.create:success', 'vault.weakMasterPasswordAllowed:success']);
    // The same minimum for a new master password in Settings.
    await expect(app.changePassword('Summer2024!', 'Summer2025!')).rejects.toMatchObject({ code: 'BAD_REQUEST', extra: { field: 'password' } });
    expect(JSON.stringify(audit.events)).not.toContain('Summer20');
  });

  it('responds to incidents: tells the page, and locks itself for a sweep but not for a compromised mark', async () => {
    const app = controller();
    await app.create(PASSWORD, false, ITERATIONS);
    const ids: string[] = [];
    for (let i = 0; i < 15; i++) ids.push((await app.credentials.add({ name: `svc-${i}`, type: 'api_key' }, { value: `sk_test_${i}_${'x'.repeat(24)}` })).id);
    await app.services.rotation().markCompromised(ids[0]!);
    const compromised = events.filter((e) => e.type === 'incidents-opened');
    expect(compromised).toEqual([{ type: 'incidents-opened', incidents: [expect.objectContaining({ kind: 'compromised', responses: ['notify', 'flag-for-rotation'] })] }]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await app.state()).phase).toBe('unlocked');
    for (const id of ids) await app.credentials.reveal(id);
    for (let i = 0; i < 200 && !events.some((e) => e.type === 'locked'); i++) await new Promise((r) => setTimeout(r, 25));
    const opened = events.filter((e) => e.type === 'incidents-opened').at(-1);
    expect(opened).toEqual({ type: 'incidents-opened', incidents: [expect.objectContaining({ kind: 'sweep', responses: ['notify', 'lock'] })] });
    const state = await app.state();
    expect(state.phase).toBe('locked');
    expect(state.lastLock).toMatchObject({ reason: 'incident' });
    expect(events.at(-1)).toEqual({ type: 'locked', reason: 'incident' });
  });

  it('responds to an incident another process opened (a CLI sweep): tells the page and locks', async () => {
    const app = new AppController({ vaultPath, deps: realVaultDeps({ useKeychain: true, keychain }), clipboard, actor: 'test', emit: (e) => events.push(e), watchFile: true });
    await app.create(PASSWORD, false, ITERATIONS);
    for (let i = 0; i < 15; i++) await app.credentials.add({ name: `svc-${i}`, type: 'api_key' }, { value: `sk_test_${i}_${'y'.repeat(24)}` });
    // The other process: its own core and session on the same file, reading fifteen values.
    const cli = await openCore({ actor: 'cli', deps: realVaultDeps({ useKeychain: false }) }).vault(vaultPath).unlock({ password: PASSWORD });
    for (let i = 0; i < 15; i++) await cli.credentials.reveal(`svc-${i}`);
    await cli.lock('command-end');
    // (The 'locked' event comes once the lock is complete, its reason kept.)
    for (let i = 0; i < 200 && !events.some((e) => e.type === 'locked'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(events.find((e) => e.type === 'incidents-opened')).toEqual({ type: 'incidents-opened', incidents: [expect.objectContaining({ kind: 'sweep', actor: 'cli' })] });
    expect((await app.state()).lastLock).toMatchObject({ reason: 'incident' });
    await app.shutdown();
  });

  it('records audit events for what the app does, never values', async () => {
    const audit = new MemoryAuditSink();
    const app = controller(audit);
    await app.create(PASSWORD, false, ITERATIONS);
    const added = await app.services.credentials.add({ name: 'audited', type: 'secret' }, { value: 'very-secret-audit-value' });
    await app.copy(added.id, 'value');
    await app.lock('user');
    await expect(app.unlock({ method: 'password', password: 'Wrong-Password-1' })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(audit.events.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'vault.create:success',
      'add:success',
      'reveal:success',
      'vault.lock.user:success',
      'vault.unlock.password:failure',
    ]);
    expect(audit.events.at(-1)?.errorCode).toBe('AUTH_FAILED');
    expect(JSON.stringify(audit.events)).not.toContain('very-secret-audit-value');
  });

  it('analyses the vault in a runner, reuses the result until the vault changes, and generates policy-compliant values', async () => {
    const app = controller();
    await app.create(PASSWORD, false, ITERATIONS);
    const weak = await app.services.credentials.add({ name: 'weak', type: 'password' }, { value: 'password123' }, { force: true });
    await app.services.credentials.add({ name: 'twin', type: 'password' }, { value: 'password123' }, { force: true });
    const first = await app.services.health.vault();
    expect(first.credentialCount).toBe(2);
    expect(first.score).toBeLessThan(60);
    expect((await app.services.health.credential(weak.id)).findings.map((f) => f.kind)).toEqual(expect.arrayContaining(['weak_password', 'reused', 'policy_violation']));
    expect(await app.services.health.vault()).toBe(first);
    // Each version's strength is estimated once and kept in the (encrypted) vault for every later analysis.
    const reopened = await unlockVault(vaultPath, { password: PASSWORD }, realVaultDeps({ useKeychain: false }));
    const kept = reopened.state.credentials.find((c) => c.id === weak.id)!.versions[0]!.strength;
    expect(kept).toMatchObject({ score: first.reports.find((r) => r.id === weak.id)!.strength!.score });
    reopened.lock();
    await app.services.credentials.rotate(weak.id, { generate: true });
    const second = await app.services.health.vault();
    expect(second).not.toBe(first);
    expect((await app.services.health.credential(weak.id)).findings.map((f) => f.kind)).not.toContain('weak_password');

    const generated = await app.generate({ kind: 'password', length: 24, lower: true, upper: true, digits: true, symbols: true, excludeLookAlikes: true });
    expect(generated.value).toHaveLength(24);
    expect(generated.score).toBe(4);
    await expect(app.generate({ kind: 'password', length: 24, lower: true, upper: true, digits: true, symbols: false, excludeLookAlikes: false })).rejects.toThrow(/special characters/);
    expect((await app.generate({ kind: 'password', length: 8, lower: true, upper: false, digits: false, symbols: false, excludeLookAlikes: false }, true)).value).toMatch(/^[a-z]{8}$/);
  });
});
