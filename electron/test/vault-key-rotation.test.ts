/**
 * Vault key rotation: every value re-encrypted under a new key with a new id,
 * the keychain entry moved from the old id to the new one, a wrong password
 * changing nothing — and a crash at every step (after the new keychain entry,
 * before the file's rename, after it, after the save, deleting the old entry)
 * leaving a vault that opens, with the password and with the keychain, holding
 * all its data. Then real SIGKILLs at random moments of a process rotating in
 * a loop, and of the CLI's `rotate-vault-key`; another process's rotation
 * locking the app ('key-changed'); and the yearly rotation after a password unlock.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { KeywardEvent } from '../../shared/ipc/contract.js';
import { AppController } from '../app/app-controller.js';
import { keychainAccount, KeychainUnavailableError, MemoryKeychain, type Keychain } from '../core/keychain/keychain.js';
import { FakeClock } from '../core/ports/clock.js';
import type { FileSystem } from '../core/ports/file-system.js';
import { nodeFileSystem } from '../core/ports/file-system.js';
import { systemRandom } from '../core/ports/random.js';
import { unlockVault, type VaultDeps, type VaultSession } from '../core/vault/vault-session.js';
import { createTestVault, distinctiveSecret, testDeps, type TestVault } from './helpers/builders.js';
import { CliVault, cliEnv } from './helpers/cli.js';
import { builtCli, repoRoot } from './helpers/paths.js';
import { useTempDirs } from './helpers/temp-dirs.js';
import { findInAnyEncoding, readHeader } from './helpers/vault-file.js';

const tempDir = useTempDirs('keyward-keyrot-');
const buildDir = useTempDirs('keyward-keyrot-child-', 'all');

/** name → version → value */
type Contents = Record<string, Record<number, string>>;

function contentsOf(session: VaultSession): Contents {
  const out: Contents = {};
  for (const c of session.state.credentials) {
    out[c.name] = {};
    for (const v of c.versions) out[c.name]![v.version] = session.openValue(c.id, v.version, v);
  }
  return out;
}

/** A vault with several credentials, several versions each, one deactivated. */
async function seeded(dir: string, options: { keychain?: Keychain; fs?: FileSystem; useKeychain?: boolean } = {}): Promise<TestVault & { expected: Contents }> {
  const deps: Partial<VaultDeps> = {};
  if (options.keychain) deps.keychain = options.keychain;
  if (options.fs) deps.fs = options.fs;
  const v = await createTestVault(dir, { deps, useKeychain: options.useKeychain ?? true });
  const expected: Contents = {};
  for (const name of ['alpha', 'beta', 'gamma']) {
    const first = distinctiveSecret(`${name}-1`);
    await v.service.add({ name, type: 'api_key' }, { value: first });
    expected[name] = { 1: first };
  }
  for (const version of [2, 3]) {
    const value = distinctiveSecret(`beta-${version}`);
    await v.service.rotate('beta', { value });
    expected.beta![version] = value;
  }
  await v.service.setActive('gamma', false);
  return { ...v, expected };
}

async function keyIdOnDisk(path: string): Promise<string> {
  return readHeader(await readFile(path)).keyId;
}

/** Opens the vault from disk with a fresh session and checks every value of every version. */
async function expectIntact(path: string, expected: Contents, method: { password: string } | { keychain: true }, keychain: Keychain): Promise<void> {
  const session = await unlockVault(path, method, testDeps({ keychain }));
  try {
    expect(contentsOf(session)).toEqual(expected);
  } finally {
    session.lock();
  }
}

describe('rotateVaultKey', () => {
  it('re-encrypts every value under a new key id and moves the keychain entry', async () => {
    const keychain = new MemoryKeychain();
    const v = await seeded(await tempDir(), { keychain });
    const vaultId = v.session.info.vaultId;
    const oldKeyId = await keyIdOnDisk(v.path);
    const before = await readFile(v.path);
    const oldCiphertexts = v.session.state.credentials.flatMap((c) => c.versions.map((x) => x.sealed));
    expect([...keychain.entries.keys()]).toEqual([keychainAccount(vaultId, oldKeyId)]);

    await v.session.rotateVaultKey(v.password);

    const newKeyId = await keyIdOnDisk(v.path);
    expect(newKeyId).not.toBe(oldKeyId);
    expect([...keychain.entries.keys()]).toEqual([keychainAccount(vaultId, newKeyId)]);
    // The same session reads everything, and so do fresh ones, with the password and with the keychain.
    expect(contentsOf(v.session)).toEqual(v.expected);
    await expectIntact(v.path, v.expected, { password: v.password }, keychain);
    await expectIntact(v.path, v.expected, { keychain: true }, keychain);
    // Every value really was re-encrypted, and the body counters restart for the new key.
    const newCiphertexts = v.session.state.credentials.flatMap((c) => c.versions.map((x) => x.sealed));
    expect(newCiphertexts.filter((c) => oldCiphertexts.includes(c))).toEqual([]);
    expect(v.session.state.encryptions.secrets).toBe(oldCiphertexts.length);
    expect(v.session.state.encryptions.body).toBe(1);
    expect(v.session.keyCreatedAt).toBe(v.session.state.keyCreatedAt);
    // No value in the new file, in any encoding.
    const after = await readFile(v.path);
    expect(after.equals(before)).toBe(false);
    for (const value of Object.values(v.expected).flatMap((vs) => Object.values(vs))) expect(findInAnyEncoding(after, value)).toBeNull();
    // Backups made under the old key are recognised as such.
    const [newest] = await v.session.backupStore.list();
    await expect(v.session.openSibling(before, `The backup ${newest!.file}`)).rejects.toThrow(/earlier vault key/);

    // The session keeps working under the new key.
    await v.service.add({ name: 'delta', type: 'secret' }, { value: 'delta-value' });
    await expectIntact(v.path, { ...v.expected, delta: { 1: 'delta-value' } }, { keychain: true }, keychain);
    v.session.lock();
  });

  it('a wrong password is AUTH_FAILED and changes nothing', async () => {
    const keychain = new MemoryKeychain();
    const v = await seeded(await tempDir(), { keychain });
    const before = await readFile(v.path);
    const entries = new Map(keychain.entries);
    await expect(v.session.rotateVaultKey(`${v.password}x`)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect((await readFile(v.path)).equals(before)).toBe(true);
    expect(keychain.entries).toEqual(entries);
    expect(contentsOf(v.session)).toEqual(v.expected);
    await v.service.add({ name: 'delta', type: 'secret' }, { value: 'still-works' });
    await expectIntact(v.path, { ...v.expected, delta: { 1: 'still-works' } }, { password: v.password }, keychain);
    v.session.lock();
  });

  it('without a reachable keychain the rotation still completes; the vault then opens with the password alone', async () => {
    let reachable = true;
    const inner = new MemoryKeychain();
    const flaky: Keychain = {
      get: (a) => inner.get(a),
      delete: (a) => inner.delete(a),
      set: async (a, s) => {
        if (!reachable) throw new KeychainUnavailableError('the keychain is locked');
        return inner.set(a, s);
      },
    };
    const v = await seeded(await tempDir(), { keychain: flaky });
    reachable = false;
    await v.session.rotateVaultKey(v.password);
    expect(v.session.info.keychainEnabled).toBe(false);
    expect(readHeader(await readFile(v.path)).keychain).toBe(false);
    expect(inner.entries.size).toBe(0); // the stale entry for the old key was removed
    await expectIntact(v.path, v.expected, { password: v.password }, inner);
    v.session.lock();
  });
});

type CrashPoint = 'after keychain set' | 'write, before rename' | 'write, after rename' | 'after save' | 'deleting the old entry';

describe('killed at every step, then reopened', () => {
  const points: Array<{ point: CrashPoint; newKeyOnDisk: boolean; rejects: boolean }> = [
    { point: 'after keychain set', newKeyOnDisk: false, rejects: true },
    { point: 'write, before rename', newKeyOnDisk: false, rejects: true },
    { point: 'write, after rename', newKeyOnDisk: true, rejects: true },
    { point: 'after save', newKeyOnDisk: true, rejects: true },
    { point: 'deleting the old entry', newKeyOnDisk: true, rejects: false },
  ];

  for (const { point, newKeyOnDisk, rejects } of points) {
    it(`${point}: the vault opens with all data, with the password and with the keychain`, async () => {
      const crash = () => new Error(`crash: ${point}`);
      let armed: CrashPoint | null = null;
      const fs: FileSystem = {
        ...nodeFileSystem,
        writeFileAtomic: async (path, data, options) => {
          if (armed === 'write, before rename') {
            return nodeFileSystem.writeFileAtomic(path, data, {
              beforeReplace: async () => {
                await options?.beforeReplace?.();
                throw crash();
              },
            });
          }
          await nodeFileSystem.writeFileAtomic(path, data, options);
          if (armed === 'write, after rename') throw crash(); // e.g. the folder sync failed
        },
      };
      const memory = new MemoryKeychain();
      const keychain: Keychain = {
        get: (a) => memory.get(a),
        set: (a, s) => memory.set(a, s),
        delete: async (a) => {
          if (armed === 'deleting the old entry') throw crash();
          return memory.delete(a);
        },
      };
      const dir = await tempDir();
      const v = await seeded(dir, { keychain, fs });
      const oldKeyId = await keyIdOnDisk(v.path);
      const before = await readFile(v.path);

      armed = point;
      const hooks = {
        afterKeychainSet: async () => {
          if (point === 'after keychain set') throw crash();
        },
        afterSave: async () => {
          if (point === 'after save') throw crash();
        },
      };
      const rotation = v.session.rotateVaultKey(v.password, hooks);
      if (rejects) await expect(rotation).rejects.toThrow(`crash: ${point}`);
      else await rotation;
      armed = null;

      const keyId = await keyIdOnDisk(v.path);
      expect(keyId !== oldKeyId).toBe(newKeyOnDisk);
      if (!newKeyOnDisk) expect((await readFile(v.path)).equals(before)).toBe(true);
      // The keychain holds the key the file needs (the other entry may linger: keys are told apart by id).
      expect(memory.entries.has(keychainAccount(v.session.info.vaultId, keyId))).toBe(true);
      // No temp file left behind by the failed write.
      expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);

      // A fresh process: the password and the keychain both open it, with every value.
      await expectIntact(v.path, v.expected, { password: v.password }, memory);
      await expectIntact(v.path, v.expected, { keychain: true }, memory);

      // The crashed session never overwrites the file with a stale key: it either still works
      // (the file was not replaced) or, when the file was replaced under it, asks to unlock again.
      if (point === 'write, after rename') {
        await expect(v.service.add({ name: 'late', type: 'secret' }, { value: 'late-value' })).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
        await expectIntact(v.path, v.expected, { password: v.password }, memory);
      } else {
        await v.service.add({ name: 'late', type: 'secret' }, { value: 'late-value' });
        await expectIntact(v.path, { ...v.expected, late: { 1: 'late-value' } }, { keychain: true }, memory);
      }
      v.session.lock();
    });
  }
});

/**
 * The loop child: unlocks with the password, then rotates the vault key again
 * and again, printing the new key id after each rotation resolved. Its keychain
 * is a folder of files (written atomically), so entries outlive a SIGKILL.
 */
const CHILD_SOURCE = `
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { nodeFileSystem } from '../core/ports/file-system.js';
import { systemClock } from '../core/ports/clock.js';
import { systemRandom } from '../core/ports/random.js';
import { unlockVault } from '../core/vault/vault-session.js';

function dirKeychain(dir) {
  mkdirSync(dir, { recursive: true });
  const file = (account) => join(dir, Buffer.from(account).toString('hex'));
  return {
    async get(account) {
      try { return readFileSync(file(account), 'utf8'); } catch { return null; }
    },
    async set(account, secret) {
      const temp = file(account) + '.' + process.pid + '.tmp';
      const fd = openSync(temp, 'w');
      writeFileSync(fd, secret);
      fsyncSync(fd);
      closeSync(fd);
      renameSync(temp, file(account));
    },
    async delete(account) {
      try { rmSync(file(account)); return true; } catch { return false; }
    },
  };
}

async function main() {
  const [vault, password, keychainDir] = process.argv.slice(2);
  const deps = { fs: nodeFileSystem, clock: systemClock, random: systemRandom, keychain: dirKeychain(keychainDir) };
  const session = await unlockVault(vault, { password }, deps);
  process.stdout.write('ready\\n');
  for (;;) {
    await session.rotateVaultKey(password);
    process.stdout.write('rotated\\n');
  }
}
main().catch((err) => {
  process.stderr.write('child failed: ' + err.message + '\\n');
  process.exit(1);
});
`;

/** The parent's view of the child's keychain folder. */
function dirKeychain(dir: string): Keychain {
  const file = (account: string) => join(dir, Buffer.from(account).toString('hex'));
  return {
    get: async (account) => readFile(file(account), 'utf8').catch(() => null),
    set: async (account, secret) => writeFile(file(account), secret),
    delete: async (account) =>
      rm(file(account)).then(
        () => true,
        () => false,
      ),
  };
}

let childScript: string;
beforeAll(async () => {
  childScript = join(await buildDir(), 'key-rotation-child.cjs');
  await build({
    stdin: { contents: CHILD_SOURCE, resolveDir: join(repoRoot, 'electron/test'), loader: 'js', sourcefile: 'key-rotation-child.js' },
    outfile: childScript,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['keytar'],
    logLevel: 'silent',
  });
});

interface Killed {
  rotations: number;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs `argv` under node and SIGKILLs it `killAfterMs` after start, or after its first completed rotation. */
function runAndKill(argv: string[], env: NodeJS.ProcessEnv, kill: { afterMs?: number; afterFirstRotationMs?: number }): Promise<Killed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let armed = false;
    const killIn = (ms: number) => {
      if (armed) return;
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), ms);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (kill.afterFirstRotationMs !== undefined && out.includes('rotated\n')) killIn(kill.afterFirstRotationMs);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    if (kill.afterMs !== undefined) killIn(kill.afterMs);
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(guard);
      resolve({ rotations: out.split('\n').filter((l) => l === 'rotated').length, signal, stderr });
    });
  });
}

const randomInt = (max: number) => Math.floor(Math.random() * max);

describe('SIGKILL during vault key rotation', () => {
  it('a process rotating in a loop, killed at random moments: the vault always opens, with the password and the keychain, with every value', async () => {
    const dir = await tempDir();
    const keychainDir = join(dir, 'keychain');
    await mkdir(keychainDir);
    const keychain = dirKeychain(keychainDir);
    const v = await seeded(dir, { keychain });
    v.session.lock();
    const env = cliEnv();
    const keyIds = new Set([await keyIdOnDisk(v.path)]);
    let rotations = 0;
    const rounds = 10;
    for (let round = 0; round < rounds; round++) {
      const killed = await runAndKill(
        [childScript, v.path, v.password, keychainDir],
        env,
        round % 3 === 0 ? { afterMs: randomInt(800) } : { afterFirstRotationMs: randomInt(120) },
      );
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      expect(killed.stderr).toBe('');
      rotations += killed.rotations;
      const keyId = await keyIdOnDisk(v.path);
      keyIds.add(keyId);
      expect(await keychain.get(keychainAccount(readHeader(await readFile(v.path)).vaultId, keyId)), `round ${round}`).not.toBeNull();
      await expectIntact(v.path, v.expected, { password: v.password }, keychain);
      await expectIntact(v.path, v.expected, { keychain: true }, keychain);
    }
    // The kills really landed among rotations: the key changed many times.
    expect(rotations).toBeGreaterThanOrEqual(rounds / 2);
    expect(keyIds.size).toBeGreaterThan(rounds / 2);
  });

  it('the CLI `rotate-vault-key` killed at random moments; then it completes, and every value is there', async () => {
    const dir = await tempDir();
    const v = await seeded(dir, { useKeychain: false });
    v.session.lock();
    const cli = new CliVault(dir, v.password, 'vault.keyward');
    const env = cliEnv({ KEYWARD_PASSWORD: v.password });
    const argv = [builtCli(), '--vault', v.path, '--no-keychain', 'rotate-vault-key'];
    // One complete run, timed, so that the kills can aim at its second half (unlock and rotation, not Node's start-up).
    const started = performance.now();
    const first = await cli.json<{ rotated: boolean }>(['rotate-vault-key']);
    const duration = performance.now() - started;
    expect(first.rotated).toBe(true);
    for (let round = 0; round < 5; round++) {
      const killed = await runAndKill(argv, env, { afterMs: duration * (0.45 + 0.6 * Math.random()) });
      // Killed, or finished first: either way the vault must be whole.
      if (killed.signal !== 'SIGKILL') expect(killed.stderr).toBe('');
      await expectIntact(v.path, v.expected, { password: v.password }, new MemoryKeychain());
    }
    const keyId = await keyIdOnDisk(v.path);
    const done = await cli.json<{ rotated: boolean }>(['rotate-vault-key']);
    expect(done.rotated).toBe(true);
    expect(await keyIdOnDisk(v.path)).not.toBe(keyId);
    expect((await cli.expectOk(['get', 'beta', '--version', '2'])).stdout).toBe(`${v.expected.beta![2]}\n`);
    await expectIntact(v.path, v.expected, { password: v.password }, new MemoryKeychain());
  });
});

describe('the app and the vault key', () => {
  function app(vaultPath: string, deps: VaultDeps, events: KeywardEvent[]): AppController {
    return new AppController({
      vaultPath,
      deps,
      clipboard: { writeSecret: async () => undefined, readText: async () => '', clear: async () => undefined },
      actor: 'test',
      emit: (e) => events.push(e),
    });
  }

  it('another process rotating the key: the open app sees VAULT_LOCKED on refresh and locks with reason key-changed', async () => {
    const dir = await tempDir();
    const v = await seeded(dir, { useKeychain: false });
    v.session.lock();
    const events: KeywardEvent[] = [];
    const controller = app(v.path, testDeps(), events);
    await controller.unlock({ method: 'password', password: v.password });
    const stale = await unlockVault(v.path, { password: v.password }, testDeps());

    const cli = new CliVault(dir, v.password, 'vault.keyward');
    await cli.expectOk(['rotate-vault-key']);

    expect(await controller.refreshFromDisk()).toBe(false);
    expect(events.at(-1)).toEqual({ type: 'locked', reason: 'key-changed' });
    expect((await controller.state()).phase).toBe('locked');
    // A plain session is told the same, and cannot write over the new file with the old key.
    await expect(stale.refresh()).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
    const file = await readFile(v.path);
    await expect(stale.transact(() => undefined)).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
    expect((await readFile(v.path)).equals(file)).toBe(true);
    stale.lock();

    // Unlocking again with the password shows everything.
    await controller.unlock({ method: 'password', password: v.password });
    expect((await controller.credentials.list()).map((c) => c.name).sort()).toEqual(['alpha', 'beta', 'gamma']);
    expect(await controller.credentials.reveal('beta', 3)).toBe(v.expected.beta![3]);
    await controller.shutdown();
  });

  it('the scheduled rotation: once the key is older than its interval, a password unlock rotates it in the background', async () => {
    const dir = await tempDir();
    const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    const keychain = new MemoryKeychain();
    const deps: VaultDeps = { fs: nodeFileSystem, clock, random: systemRandom, keychain };
    const v = await seeded(dir, { keychain, useKeychain: true });
    await v.session.transact((body) => {
      body.keyCreatedAt = clock.now().toISOString();
    });
    v.session.lock();
    const oldKeyId = await keyIdOnDisk(v.path);
    const events: KeywardEvent[] = [];
    const controller = app(v.path, deps, events);

    // Not due yet (364 days): nothing happens, with either unlock method.
    clock.advance(364 * 86_400_000);
    await controller.unlock({ method: 'password', password: v.password });
    await controller.lock('user');
    expect(await keyIdOnDisk(v.path)).toBe(oldKeyId);

    // Due (366 days): a keychain unlock cannot rotate (it has no password) …
    clock.advance(2 * 86_400_000);
    await controller.unlock({ method: 'keychain' });
    await controller.lock('user');
    expect(await keyIdOnDisk(v.path)).toBe(oldKeyId);
    // … a password unlock does, in the background.
    await controller.unlock({ method: 'password', password: v.password });
    await vi.waitFor(async () => expect(await keyIdOnDisk(v.path)).not.toBe(oldKeyId), { timeout: 10_000, interval: 50 });
    await vi.waitFor(() => expect(events.map((e) => e.type)).toContain('vault-changed'), { timeout: 5_000 });
    const rotated = await unlockVault(v.path, { keychain: true }, deps);
    expect(contentsOf(rotated)).toEqual(v.expected);
    expect(rotated.keyCreatedAt).toBe(clock.now().toISOString());
    rotated.lock();
    // One key entry: the old key's is gone (beside it, the audit trail's head mirrored there).
    expect([...keychain.entries.keys()].filter((account) => account.includes(':key:'))).toHaveLength(1);
    expect([...keychain.entries.keys()].filter((account) => !account.includes(':key:'))).toEqual([expect.stringMatching(/:audit-head:[0-9a-f]{16}$/)]);
    await controller.shutdown();
  });
});
