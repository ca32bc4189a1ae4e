/**
 * The app controller's side of rotators (issue 8, items 4 and 8): the
 * confirmation outside the page shows the commands exactly as they will be
 * stored (programs resolved to absolute paths, the folder steps run in); a
 * value a rotator minted while the vault locked is held by the controller's
 * one store and written at the next unlock, with an event naming it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeywardEvent } from '../../shared/ipc/contract.js';
import { MemoryAuditSink } from '../core/audit/audit-sink.js';
import { realVaultDeps } from '../core/composition.js';
import { MemoryKeychain } from '../core/keychain/keychain.js';
import { AppController, type AppControllerOptions } from './app-controller.js';
import type { ClipboardPort } from './clipboard-guard.js';
import type { RotatorCommandsToConfirm } from './rotator-dialog.js';

const PASSWORD = 'Test-Master-Password-1';
const NEW_VALUE = 'sk_live_minted_while_locked_0123456789';

let dir: string;
let events: KeywardEvent[];
const clipboard: ClipboardPort = { writeSecret: async () => undefined, readText: async () => '', clear: async () => undefined };

function controller(extra: Partial<AppControllerOptions> = {}) {
  return new AppController({
    vaultPath: join(dir, 'vault.keyward'),
    deps: realVaultDeps({ useKeychain: false, keychain: new MemoryKeychain() }),
    clipboard,
    actor: 'test',
    audit: new MemoryAuditSink(),
    emit: (e) => events.push(e),
    ...extra,
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyward-rotation-wiring-'));
  events = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('configuring a rotator from the app', () => {
  it('the dialog is shown the resolved commands and the step folder, and exactly those are stored', async () => {
    const shown: RotatorCommandsToConfirm[] = [];
    const app = controller({ confirmRotator: async (_name, commands) => (shown.push(commands), true) });
    await app.create(PASSWORD, false, 100_000);
    const added = await app.services.credentials.add({ name: 'Stripe', type: 'api_key' }, { value: 'sk_live_original_value_0123456789' });
    const detail = await app.setRotator({ id: added.id, create: '  node -e "console.log(1)"  ', password: PASSWORD });
    expect(shown).toHaveLength(1);
    expect(shown[0]!.create).toMatch(/^\/\S*\/node -e "console.log\(1\)"$/); // bare "node" resolved through PATH, trimmed
    expect(shown[0]!.folder).toBeTruthy();
    expect(Object.keys(shown[0]!)).not.toContain('password');
    expect(detail.rotation.rotator?.create).toBe(shown[0]!.create);
    await app.shutdown();
  });

  it('a refusal stores nothing', async () => {
    const app = controller({ confirmRotator: async () => false });
    await app.create(PASSWORD, false, 100_000);
    const added = await app.services.credentials.add({ name: 'Stripe', type: 'api_key' }, { value: 'sk_live_original_value_0123456789' });
    await expect(app.setRotator({ id: added.id, create: 'node -e 1', password: PASSWORD })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await app.credentials.show(added.id)).rotation.rotator ?? null).toBeNull();
    await app.shutdown();
  });
});

describe('a value minted while the vault locked', () => {
  it('is held by the controller, counted for the quit warning, and written at the next unlock', async () => {
    const app = controller();
    await app.create(PASSWORD, false, 100_000);
    const added = await app.services.credentials.add({ name: 'Stripe', type: 'api_key' }, { value: 'sk_live_original_value_0123456789' });
    // The create step takes a while; the vault locks meanwhile (auto-lock, the user, sleep).
    const script = join(dir, 'create.mjs');
    writeFileSync(script, `setTimeout(() => console.log(${JSON.stringify(NEW_VALUE)}), 700);\n`);
    await app.setRotator({ id: added.id, create: `node ${script}`, password: PASSWORD });
    const running = app.rotating((r) => r.runRotator(added.id)).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await app.lock('user');
    expect(await running).toMatchObject({ code: 'ROTATION_FAILED', extra: { step: 'set' } });
    expect(app.rescuedCount).toBe(1);

    await app.unlock({ method: 'password', password: PASSWORD });
    expect(app.rescuedCount).toBe(0);
    expect(events).toContainEqual({ type: 'rotation-rescued', names: ['Stripe'], left: 0 });
    const detail = await app.credentials.show(added.id);
    expect(detail.versions.map((v) => [v.version, v.stage])).toEqual([
      [2, 'history'],
      [1, 'current'],
    ]);
    expect(await app.credentials.reveal(added.id, 2)).toBe(NEW_VALUE);
    await app.shutdown();
  });
});
