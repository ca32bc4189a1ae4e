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
import { localApiSocketPath } from '../core/api/socket-path.js';
import { connectLocalApi } from '../cli/local-api-client.js';
import { runCli } from '../test/helpers/cli.js';

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

describe('a rotator grant, through the local API', () => {
  it('runs the rotator of a credential in scope in the app, recorded as the grant; answers no value; refuses the rest', async () => {
    const runtime = join(dir, 'run');
    const audit = new MemoryAuditSink();
    const app = controller({ audit, localApiSocket: (path) => localApiSocketPath(path, { KEYWARD_RUNTIME_DIR: runtime }) });
    await app.create(PASSWORD, false, 100_000);
    const prod = await app.services.credentials.add({ name: 'stripe-prod', type: 'api_key', tags: ['production'] }, { value: 'sk_live_original_value_0123456789' });
    const bank = await app.services.credentials.add({ name: 'bank', type: 'api_key' }, { value: 'sk_live_bank_value_0123456789abcd' });
    const script = join(dir, 'create.mjs');
    writeFileSync(script, `console.log('sk_live_by_the_rotator_' + process.pid + '0123456789');\n`);
    for (const c of [prod, bank]) await app.setRotator({ id: c.id, create: `node ${script}`, password: PASSWORD });
    const { token: rotator } = await app.services.grants.add({ name: 'rotate-prod', role: 'rotator', scopes: ['tag:production'] });
    const { token: reader } = await app.services.grants.add({ name: 'read-all', role: 'reader' });
    const socket = await app.startLocalApi();
    expect(socket).toBeTruthy();
    const vaultPath = join(dir, 'vault.keyward');
    try {
      const api = (await connectLocalApi(socket!, rotator, vaultPath))!;
      const done = (await api.call('rotate', { name: 'stripe-prod' })) as Record<string, unknown>;
      expect(done).toEqual({ name: 'stripe-prod', currentVersion: 2, revokeFailed: false });
      expect(JSON.stringify(done)).not.toContain('sk_live');
      const now = await app.credentials.reveal('stripe-prod');
      expect(now).toMatch(/^sk_live_by_the_rotator_\d+0123456789$/);
      // Out of scope: as if it did not exist; nothing ran.
      expect(await api.call('rotate', { name: 'bank' }).then(() => 'ok', (e: { code: string }) => e.code)).toBe('NOT_FOUND');
      expect((await app.credentials.show('bank')).currentVersion).toBe(1);
      api.close();
      // A reader may read, not rotate.
      const readerApi = (await connectLocalApi(socket!, reader, vaultPath))!;
      expect(await readerApi.call('rotate', { name: 'bank' }).then(() => 'ok', (e: { code: string }) => e.code)).toBe('FORBIDDEN');
      readerApi.close();
      expect((await app.credentials.show('bank')).currentVersion).toBe(1);
      // The run is recorded under the grant's name, never the app's.
      const byGrant = audit.events.filter((e) => e.actor === 'grant:rotate-prod').map((e) => [e.action, e.outcome]);
      expect(byGrant).toContainEqual(['rotate.rotator', 'success']);
      expect(audit.events.filter((e) => e.action === 'rotate.rotator').map((e) => e.actor)).toEqual(['grant:rotate-prod']);

      // The CLI with the token: only --run-rotator, by the app.
      const env = { KEYWARD_TOKEN: rotator, KEYWARD_RUNTIME_DIR: runtime };
      const cli = await runCli(vaultPath, ['rotate', 'stripe-prod', '--run-rotator'], { password: null, env });
      expect([cli.code, cli.stdout], cli.stderr).toEqual([0, 'Rotated "stripe-prod" with its rotator: version 3 is now current.\n']);
      const plain = await runCli(vaultPath, ['rotate', 'stripe-prod'], { password: null, env, stdin: 'sk_live_typed_by_the_grant_0123456789\n' });
      expect([plain.code, plain.stderr]).toEqual([1, expect.stringMatching(/The grant "rotate-prod" is a rotator: it may not change credentials/)]);
      await app.lock('user');
      const locked = await runCli(vaultPath, ['rotate', 'stripe-prod', '--run-rotator'], { password: null, env });
      expect([locked.code, locked.stderr]).toEqual([3, expect.stringMatching(/Keyward is locked/)]);
    } finally {
      await app.shutdown();
    }
    // Without the app: refused, saying so.
    const absent = await runCli(join(dir, 'vault.keyward'), ['rotate', 'stripe-prod', '--run-rotator'], { password: null, env: { KEYWARD_TOKEN: rotator, KEYWARD_RUNTIME_DIR: runtime } });
    expect(absent.stderr).toMatch(/is done by the running Keyward app, and no app serves/);
  });
});
