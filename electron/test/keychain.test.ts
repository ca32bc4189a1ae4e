/**
 * The real OS keychain through keytar (a private gnome-keyring on its own
 * D-Bus, from scripts/with-desktop-session.sh), the fallback when there is no
 * keychain, and proof that --no-keychain never even loads the keychain module.
 *
 * Tests that need the desktop session are skipped outside it: run them with
 *   bash scripts/with-desktop-session.sh npx vitest run electron/test/keychain.test.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VaultInfo } from '../../shared/domain.js';
import { trailHeadAccount } from '../core/audit/trail-head-mirror.js';
import { KEYCHAIN_SERVICE } from '../core/keychain/keychain.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { distinctiveSecret } from './helpers/builders.js';
import { CliVault, type CliOptions } from './helpers/cli.js';
import { useTempDirs } from './helpers/temp-dirs.js';
import { readHeader } from './helpers/vault-file.js';

const tempDir = useTempDirs();
const inDesktopSession = process.env.KEYWARD_DESKTOP_SESSION === '1';
/** Shown in the suite's title when skipped, so the reason is in the report. */
const SKIP_REASON = inDesktopSession ? '' : ' [skipped: needs the private desktop session, KEYWARD_DESKTOP_SESSION=1 — run under bash scripts/with-desktop-session.sh]';

type Keytar = typeof import('keytar');
async function keytar(): Promise<Keytar> {
  const m = (await import('keytar')) as Keytar & { default?: Keytar };
  return m.default ?? m;
}

/** An environment with no Secret Service to find: no session bus, no X display to autolaunch one, an empty runtime dir. */
async function headlessEnv(): Promise<Record<string, string | undefined>> {
  return { DBUS_SESSION_BUS_ADDRESS: undefined, DISPLAY: undefined, WAYLAND_DISPLAY: undefined, XDG_RUNTIME_DIR: await tempDir() };
}

/**
 * A preload that records, at exit, whether the keytar module (JS or native)
 * was ever loaded in the CLI process.
 */
async function keytarProbe(): Promise<{ nodeArgs: string[]; env: Record<string, string>; loaded: () => Promise<boolean> }> {
  const dir = await tempDir();
  const hook = join(dir, 'keytar-probe.cjs');
  const out = join(dir, 'probe.json');
  await writeFile(
    hook,
    `const fs = require('fs');
process.on('exit', () => {
  const cached = Object.keys(require.cache).filter((k) => /[\\\\/]keytar[\\\\/]/.test(k));
  let maps = '';
  try { maps = fs.readFileSync('/proc/self/maps', 'utf8'); } catch {}
  fs.writeFileSync(${JSON.stringify(out)}, JSON.stringify({ cached, native: maps.includes('keytar.node') }));
});
`,
  );
  return {
    nodeArgs: ['-r', hook],
    env: {},
    loaded: async () => {
      const probe = JSON.parse(await readFile(out, 'utf8')) as { cached: string[]; native: boolean };
      return probe.cached.length > 0 || probe.native;
    },
  };
}

const created: { vaultId: string }[] = [];
afterAll(async () => {
  if (!inDesktopSession || created.length === 0) return;
  const k = await keytar();
  for (const { account } of await k.findCredentials(KEYCHAIN_SERVICE)) {
    if (created.some((c) => account.startsWith(`vault:${c.vaultId}:`))) await k.deletePassword(KEYCHAIN_SERVICE, account);
  }
});

/** The vault's keychain entries (normally one). */
async function entriesFor(vaultId: string): Promise<{ account: string; password: string }[]> {
  return (await (await keytar()).findCredentials(KEYCHAIN_SERVICE)).filter((c) => c.account.startsWith(`vault:${vaultId}:key:`));
}

async function keychainVault(): Promise<{ cli: CliVault; info: VaultInfo }> {
  const cli = new CliVault(await tempDir());
  const init = await cli.init([], { keychain: true });
  expect(init.stdout).toMatch(/\(key also kept in the OS keychain\)/);
  const header = readHeader(await readFile(cli.path));
  created.push({ vaultId: header.vaultId });
  return { cli, info: { vaultId: header.vaultId, keychainEnabled: header.keychain } as VaultInfo };
}

/** Without any password: the CLI has only the keychain (stdin is a pipe, and there is no terminal to prompt on). */
const noPassword = (extra: CliOptions = {}): CliOptions => ({ keychain: true, password: null, ...extra });

describe('without an OS keychain (no Secret Service reachable)', () => {
  it('init explains why the keychain was skipped, the master password alone works, and keychain on explains (exit 3)', async () => {
    const cli = new CliVault(await tempDir());
    const env = await headlessEnv();
    const init = await cli.init([], { keychain: true, env });
    expect(init.stderr).toBe(
      'keyward: note: The vault key was not stored in the OS keychain: No OS keychain is reachable (no Secret Service on D-Bus — e.g. a headless or SSH session). Unlock with the master password instead.\n',
    );
    expect(readHeader(await readFile(cli.path)).keychain).toBe(false);
    const value = distinctiveSecret();
    await cli.expectOk(['add', 'k', '--type', 'secret'], { keychain: true, env, stdin: value });
    const get = await cli.run(['get', 'k'], { keychain: true, env });
    expect(get.code).toBe(0);
    expect(get.stdout).toBe(`${value}\n`);
    expect(get.stderr).toBe('');

    const before = await readFile(cli.path);
    const on = await cli.run(['keychain', 'on'], { keychain: true, env });
    expect(on.code).toBe(3);
    expect(on.stderr).toMatch(/^keyward: No OS keychain is reachable/);
    expect((await readFile(cli.path)).equals(before)).toBe(true);
  });

  it('--no-keychain never loads the keychain module at all (and a run without it does, as a control)', async () => {
    const cli = new CliVault(await tempDir());
    const env = await headlessEnv();
    const probe = await keytarProbe();
    await cli.init([], { nodeArgs: probe.nodeArgs, env });
    expect(await probe.loaded()).toBe(false);
    for (const args of [['add', 'x', '--type', 'secret'], ['get', 'x']]) {
      await cli.expectOk(args, { nodeArgs: probe.nodeArgs, env, stdin: 'v' });
      expect(await probe.loaded(), args[0]).toBe(false);
    }
    const control = new CliVault(await tempDir());
    await control.init([], { keychain: true, nodeArgs: probe.nodeArgs, env });
    expect(await probe.loaded()).toBe(true);
  });

  it('keychain on/off cannot be combined with --no-keychain (exit 2)', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    const r = await cli.run(['keychain', 'on']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot be combined with --no-keychain/);
  });
});

describe(`the real OS keychain (gnome-keyring through keytar)${SKIP_REASON}`, () => {
  it.skipIf(!inDesktopSession)('keeps the vault key under service "Keyward" and unlocks with it alone', async () => {
    const { cli, info } = await keychainVault();
    expect(info.keychainEnabled).toBe(true);
    const entries = await entriesFor(info.vaultId);
    expect(entries).toHaveLength(1);
    expect(Buffer.from(entries[0]!.password, 'base64')).toHaveLength(32);

    // No password anywhere, stdin not a terminal: the keychain opens the vault.
    const value = distinctiveSecret();
    const add = await cli.run(['add', 'via-keychain', '--type', 'secret'], noPassword({ stdin: `${value}\n` }));
    expect(add.code, add.stderr).toBe(0);
    expect(add.stderr).toBe('');
    const get = await cli.run(['get', 'via-keychain'], noPassword());
    expect(get.stdout).toBe(`${value}\n`);
    // The password still works too.
    expect((await cli.run(['get', 'via-keychain'], { keychain: true })).stdout).toBe(`${value}\n`);
  });

  it.skipIf(!inDesktopSession)('mirrors the audit trail’s head there: the trail and its head file rolled back together fail verification (exit 5)', async () => {
    const { cli, info } = await keychainVault();
    await cli.expectOk(['add', 'k', '--type', 'secret'], noPassword({ stdin: `${distinctiveSecret()}\n` }));
    const files = vaultPaths(cli.path).audit;
    const [log, head] = [await readFile(files.log), await readFile(files.head)];
    const mirrored = async () => JSON.parse((await (await keytar()).getPassword(KEYCHAIN_SERVICE, trailHeadAccount(info.vaultId, cli.path)))!) as { seq: number };
    const before = (await mirrored()).seq;
    expect(JSON.parse(head.toString())).toMatchObject({ seq: before });
    for (let i = 0; i < 2; i++) await cli.expectOk(['get', 'k'], noPassword());
    expect((await mirrored()).seq).toBeGreaterThan(before);
    await writeFile(files.log, log);
    await writeFile(files.head, head);
    const verify = await cli.run(['audit', 'verify'], noPassword());
    expect(verify.code, verify.stdout + verify.stderr).toBe(5);
    expect(verify.stdout + verify.stderr).toMatch(/cut back/);
  });

  it.skipIf(!inDesktopSession)('keychain off deletes the entry and requires the password; on stores it again', async () => {
    const { cli, info } = await keychainVault();
    const off = await cli.run(['keychain', 'off'], noPassword());
    expect(off.code, off.stderr).toBe(0);
    expect(off.stdout).toBe('The vault key is no longer kept in the OS keychain.\n');
    expect(await entriesFor(info.vaultId)).toEqual([]);
    expect(readHeader(await readFile(cli.path)).keychain).toBe(false);
    const without = await cli.run(['list'], noPassword());
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/No terminal to ask on: set KEYWARD_PASSWORD/);
    expect((await cli.run(['list'], { keychain: true })).code).toBe(0);

    const on = await cli.run(['keychain', 'on'], { keychain: true });
    expect(on.code, on.stderr).toBe(0);
    expect(await entriesFor(info.vaultId)).toHaveLength(1);
    expect((await cli.run(['list'], noPassword())).code).toBe(0);
  });

  it.skipIf(!inDesktopSession)("--no-keychain ignores a vault's keychain entry and never loads keytar", async () => {
    const { cli, info } = await keychainVault();
    const probe = await keytarProbe();
    const r = await cli.run(['list'], { password: null, keychain: false, nodeArgs: probe.nodeArgs });
    expect(r.code).toBe(2); // it would have opened via the keychain; it asked for a password instead
    expect(r.stderr).toMatch(/No terminal to ask on/);
    expect(await probe.loaded()).toBe(false);
    const fresh = new CliVault(await tempDir());
    const init = await fresh.init([], { nodeArgs: probe.nodeArgs });
    expect(init.stdout).not.toMatch(/keychain/);
    expect(await probe.loaded()).toBe(false);
    expect(readHeader(await readFile(fresh.path)).keychain).toBe(false);
    expect(await entriesFor(readHeader(await readFile(fresh.path)).vaultId)).toEqual([]);
    expect(await entriesFor(info.vaultId)).toHaveLength(1);
  });

  it.skipIf(!inDesktopSession)('when the keychain becomes unreachable the note explains and KEYWARD_PASSWORD still works', async () => {
    const { cli } = await keychainVault();
    const env = await headlessEnv();
    const without = await cli.run(['list'], noPassword({ env }));
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/^keyward: note: No OS keychain is reachable \(no Secret Service on D-Bus/);
    expect(without.stderr).toMatch(/No terminal to ask on: set KEYWARD_PASSWORD/);
    const withPassword = await cli.run(['list', '--json'], { keychain: true, env });
    expect(withPassword.code, withPassword.stderr).toBe(0);
    expect(withPassword.stderr).toBe(''); // a given password never touches the keychain
    expect(JSON.parse(withPassword.stdout)).toEqual([]);
  });

  it.skipIf(!inDesktopSession)('a wrong key in the keychain is explained, and the password still opens the vault', async () => {
    const { cli, info } = await keychainVault();
    const [entry] = await entriesFor(info.vaultId);
    await (await keytar()).setPassword(KEYCHAIN_SERVICE, entry!.account, Buffer.alloc(32, 7).toString('base64'));
    const r = await cli.run(['list'], noPassword());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^keyward: note: The key stored in the OS keychain does not open this vault/);
    expect((await cli.run(['list'], { keychain: true })).code).toBe(0);
  });
});
