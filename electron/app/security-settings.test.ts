/**
 * Security settings (issue 8, item 11): turning the keychain on, raising the
 * auto-lock or clipboard timer beyond their secure defaults and turning
 * auto-lock off need the master password again; only user input counts as
 * activity; auto-lock follows the app's own idleness.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppState, KeywardEvent } from '../../shared/ipc/contract.js';
import { MemoryAuditSink } from '../core/audit/audit-sink.js';
import { realVaultDeps } from '../core/composition.js';
import { KeywardError } from '../core/errors.js';
import { MemoryKeychain } from '../core/keychain/keychain.js';
import { FakeClock } from '../core/ports/clock.js';
import { weakeningChanges } from '../core/vault/settings-rules.js';
import { createDispatcher } from '../ipc/dispatcher.js';
import { handlersFor } from '../ipc/handlers/index.js';
import { AppController, type AppControllerOptions } from './app-controller.js';
import type { ClipboardPort } from './clipboard-guard.js';

const PASSWORD = 'Test-Master-Password-1';
const ORIGIN = 'http://127.0.0.1:9';
const PAGE = { url: `${ORIGIN}/index.html`, isMainFrame: true };

let dir: string;
let events: KeywardEvent[];
let clock: FakeClock;
let keychain: MemoryKeychain;
const clipboard: ClipboardPort = { writeSecret: async () => undefined, readText: async () => '', clear: async () => undefined };

function controller(extra: Partial<AppControllerOptions> = {}) {
  return new AppController({
    vaultPath: join(dir, 'vault.keyward'),
    deps: realVaultDeps({ useKeychain: true, keychain, clock }),
    clipboard,
    actor: 'test',
    audit: new MemoryAuditSink(),
    emit: (e) => events.push(e),
    ...extra,
  });
}

async function errorOf(work: Promise<unknown>): Promise<{ code: string; field?: string; message: string } | 'ok'> {
  try {
    await work;
    return 'ok';
  } catch (err) {
    if (err instanceof KeywardError) return { code: err.code, field: err.extra.field, message: err.message };
    throw err;
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyward-settings-'));
  events = [];
  clock = new FakeClock();
  keychain = new MemoryKeychain();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('which settings changes weaken protection', () => {
  const defaults = { autoLockMinutes: 5, clipboardClearSeconds: 30 };
  it('raising a timer beyond its secure default, or turning auto-lock off, does', () => {
    expect(weakeningChanges(defaults, { autoLockMinutes: 6 })).toEqual(['auto-lock later than 5 minutes']);
    expect(weakeningChanges(defaults, { autoLockMinutes: 0 })).toEqual(['turning auto-lock off']);
    expect(weakeningChanges(defaults, { clipboardClearSeconds: 31 })).toEqual(['clearing the clipboard later than 30 seconds']);
    expect(weakeningChanges(defaults, { autoLockMinutes: 60, clipboardClearSeconds: 90 })).toHaveLength(2);
    expect(weakeningChanges(defaults, { auditFailClosed: false })).toEqual(['letting operations go on when the audit trail cannot be written']);
  });
  it('lowering, staying within the default, or leaving a raised value as it is does not', () => {
    expect(weakeningChanges(defaults, { autoLockMinutes: 1, clipboardClearSeconds: 5 })).toEqual([]);
    expect(weakeningChanges(defaults, { auditRetentionDays: 90 })).toEqual(['keeping the audit trail for 90 days instead of 365']);
    expect(weakeningChanges(defaults, { auditRetentionDays: 0 })).toEqual([]);
    expect(weakeningChanges({ ...defaults, auditRetentionDays: 0 }, { auditRetentionDays: 3650 })).toEqual(['keeping the audit trail for 3650 days instead of for ever']);
    expect(weakeningChanges(defaults, { autoLockMinutes: 5, clipboardClearSeconds: 30 })).toEqual([]);
    expect(weakeningChanges(defaults, { auditFailClosed: true })).toEqual([]);
    expect(weakeningChanges({ ...defaults, auditFailClosed: false }, { auditFailClosed: false })).toEqual([]);
    expect(weakeningChanges({ autoLockMinutes: 60, clipboardClearSeconds: 90 }, { autoLockMinutes: 30, clipboardClearSeconds: 90 })).toEqual([]);
    expect(weakeningChanges({ autoLockMinutes: 0, clipboardClearSeconds: 30 }, { autoLockMinutes: 120 })).toEqual([]);
  });
});

describe('security settings need the master password', () => {
  it('raising auto-lock: refused without the password (field "password"), refused with a wrong one, saved with the right one', async () => {
    const app = controller();
    await app.create(PASSWORD, false, 100_000);
    expect(await errorOf(app.updateSettings({ autoLockMinutes: 60 }))).toMatchObject({ code: 'BAD_REQUEST', field: 'password' });
    expect((await app.state()).settings?.autoLockMinutes).toBe(5);
    expect(await errorOf(app.updateSettings({ autoLockMinutes: 60 }, 'wrong'))).toMatchObject({ code: 'AUTH_FAILED' });
    expect((await app.updateSettings({ autoLockMinutes: 60 }, PASSWORD)).autoLockMinutes).toBe(60);
    // Lowering needs nothing.
    expect((await app.updateSettings({ autoLockMinutes: 2 })).autoLockMinutes).toBe(2);
    await app.shutdown();
  });

  it('the clipboard timer and turning auto-lock off, through the IPC dispatcher as the page calls them', async () => {
    const app = controller();
    await app.create(PASSWORD, false, 100_000);
    const dispatch = createDispatcher(handlersFor(app), ORIGIN);
    const noPassword = await dispatch(PAGE, 'settings.update', { clipboardClearSeconds: 120 });
    expect(noPassword.ok ? 'ok' : noPassword.error).toMatchObject({ code: 'BAD_REQUEST', field: 'password' });
    const off = await dispatch(PAGE, 'settings.update', { autoLockMinutes: 0 });
    expect(off.ok ? 'ok' : off.error.code).toBe('BAD_REQUEST');
    const confirmed = await dispatch(PAGE, 'settings.update', { autoLockMinutes: 0, clipboardClearSeconds: 120, password: PASSWORD });
    expect(confirmed.ok && confirmed.value).toEqual({ autoLockMinutes: 0, clipboardClearSeconds: 120, auditRetentionDays: 365, auditForward: null, detection: {}, auditFailClosed: true });
    // Keeping the audit trail for less time erases evidence sooner: the password again; a value out of range never reaches the core.
    const shorter = await dispatch(PAGE, 'settings.update', { auditRetentionDays: 90 });
    expect(shorter.ok ? 'ok' : shorter.error).toMatchObject({ code: 'BAD_REQUEST', field: 'password' });
    expect((await dispatch(PAGE, 'settings.update', { auditRetentionDays: 7, password: PASSWORD })).ok).toBe(false);
    const kept = await dispatch(PAGE, 'settings.update', { auditRetentionDays: 90, password: PASSWORD });
    expect(kept.ok && kept.value).toMatchObject({ auditRetentionDays: 90 });
    await app.shutdown();
  });

  it('turning the keychain on needs the password; turning it off does not', async () => {
    const app = controller();
    await app.create(PASSWORD, false, 100_000);
    const dispatch = createDispatcher(handlersFor(app), ORIGIN);
    const bare = await dispatch(PAGE, 'vault.setKeychain', { enabled: true });
    expect(bare.ok ? 'ok' : bare.error).toMatchObject({ code: 'BAD_REQUEST', field: 'password' });
    expect(keychain.entries.size).toBe(0);
    const wrong = await dispatch(PAGE, 'vault.setKeychain', { enabled: true, password: 'nope' });
    expect(wrong.ok ? 'ok' : wrong.error.code).toBe('AUTH_FAILED');
    const right = await dispatch(PAGE, 'vault.setKeychain', { enabled: true, password: PASSWORD });
    expect(right.ok && (right.value as { state: AppState }).state.vault?.keychainEnabled).toBe(true);
    // The vault key, and the generation remembered beside it (rollback protection).
    expect([...keychain.entries.keys()].map((account) => account.split(':')[2])).toEqual(['key', 'seen']);
    const off = await dispatch(PAGE, 'vault.setKeychain', { enabled: false });
    expect(off.ok && (off.value as { state: AppState }).state.vault?.keychainEnabled).toBe(false);
    await app.shutdown();
  });
});

describe('auto-lock', () => {
  it('calls the page makes by itself do not push the idle lock back; app.activity (user input) does', async () => {
    const app = controller();
    await app.create(PASSWORD, false, 100_000);
    await app.updateSettings({ autoLockMinutes: 1 });
    const dispatch = createDispatcher(handlersFor(app), ORIGIN);
    clock.advance(50_000);
    await dispatch(PAGE, 'credentials.list', {});
    await dispatch(PAGE, 'rotation.schedule', {});
    clock.advance(11_000);
    await app.checkIdle();
    expect((await app.state()).phase).toBe('locked');
    expect(events.at(-1)).toEqual({ type: 'locked', reason: 'idle' });

    await app.unlock({ method: 'password', password: PASSWORD });
    clock.advance(50_000);
    await dispatch(PAGE, 'app.activity', {});
    clock.advance(11_000);
    await app.checkIdle();
    expect((await app.state()).phase).toBe('unlocked');
    await app.shutdown();
  });

  it('fires on the app\'s own idleness even while the person is busy in other programs', async () => {
    // Before the fix the app also waited for the whole system to be idle; an option
    // reporting system idleness must no longer keep the vault open.
    const app = controller({ systemIdleMs: () => 0 } as unknown as Partial<AppControllerOptions>);
    await app.create(PASSWORD, false, 100_000);
    await app.updateSettings({ autoLockMinutes: 1 });
    clock.advance(61_000);
    await app.checkIdle();
    expect((await app.state()).phase).toBe('locked');
    await app.shutdown();
  });

  it('auto-lock off (0) never locks on idle', async () => {
    const app = controller();
    await app.create(PASSWORD, false, 100_000);
    await app.updateSettings({ autoLockMinutes: 0 }, PASSWORD);
    clock.advance(30 * 86_400_000);
    await app.checkIdle();
    expect((await app.state()).phase).toBe('unlocked');
    await app.shutdown();
  });
});
