/**
 * Crash safety: processes SIGKILLed in the middle of saves, again and again,
 * after which the vault opens and every acknowledged write is there; and saves
 * that fail part-way (full disk, a failing backup link, a failing folder
 * fsync) never leave the file or the session claiming what was not written.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FileSystem } from '../core/ports/file-system.js';
import { nodeFileSystem } from '../core/ports/file-system.js';
import { unlockVault } from '../core/vault/vault-session.js';
import { vaultPaths } from '../core/vault/vault-paths.js';
import { createTestVault, testDeps, testService } from './helpers/builders.js';
import { CliVault, cliEnv } from './helpers/cli.js';
import { builtCli } from './helpers/paths.js';
import { buildSaveLoopChild, runSaveLoop } from './helpers/save-loop.js';
import { valueFor } from './helpers/save-loop-child.js';
import { useTempDirs } from './helpers/temp-dirs.js';
import { rewriteAsV1 } from './helpers/v1-file.js';

const tempDir = useTempDirs();
const buildDir = useTempDirs('keyward-test-child-', 'all');
let childScript: string;

beforeAll(async () => {
  childScript = await buildSaveLoopChild(await buildDir());
});

const randomInt = (max: number) => Math.floor(Math.random() * max);

describe('SIGKILL in the middle of saves', () => {
  it('again and again: the vault always opens and holds every acknowledged write, with its value', async () => {
    const v = await createTestVault(await tempDir());
    v.session.lock();
    const acknowledged: string[] = [];
    const rounds = 16;
    for (let round = 0; round < rounds; round++) {
      // Every fourth kill may land anywhere (start-up, unlock); the others land among saves.
      const killed = await runSaveLoop(
        childScript,
        v.path,
        v.password,
        `r${round}`,
        round % 4 === 0 ? { killAfterMs: randomInt(250) } : { killAfterFirstAckMs: randomInt(60) },
      );
      expect(killed.signal).toBe('SIGKILL');
      expect(killed.stderr).toBe('');
      acknowledged.push(...killed.acknowledged);

      const session = await unlockVault(v.path, { password: v.password }, testDeps());
      const byName = new Map(session.state.credentials.map((c) => [c.name, c]));
      for (const name of acknowledged) {
        const c = byName.get(name);
        expect(c, `round ${round}: acknowledged "${name}" is missing`).toBeDefined();
        expect(session.openValue(c!.id, 1, c!.versions[0]!)).toBe(valueFor(name));
      }
      session.lock();
    }
    // Most rounds waited for a first acknowledgement, so the kills really landed among saves.
    expect(acknowledged.length).toBeGreaterThanOrEqual((rounds * 3) / 4);

    // A later writer is not blocked by whatever the killed ones left behind, and the CLI agrees.
    const cli = new CliVault(join(v.path, '..'), v.password, 'vault.keyward');
    await cli.expectOk(['add', 'after-the-storm', '--type', 'secret'], { stdin: 'calm' });
    const listed = await cli.json<{ name: string }[]>(['list']);
    expect(listed.map((c) => c.name)).toContain('after-the-storm');
    for (const name of acknowledged) expect(listed.some((c) => c.name === name)).toBe(true);
    expect((await readdir(vaultPaths(v.path).backupsDir)).length).toBeLessThanOrEqual(10);
  });

  it('the CLI killed at random moments during `add`: every add that exited 0 is there', async () => {
    const cli = new CliVault(await tempDir());
    await cli.init();
    const acknowledged: string[] = [];
    for (let round = 0; round < 8; round++) {
      const name = `cli-${round}`;
      const result = await new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [builtCli(), '--vault', cli.path, '--no-keychain', 'add', name, '--type', 'secret'], {
          env: cliEnv({ KEYWARD_PASSWORD: cli.password }),
          stdio: ['pipe', 'ignore', 'ignore'],
          detached: true,
        });
        child.stdin.end(`${valueFor(name)}\n`);
        setTimeout(() => child.kill('SIGKILL'), 60 + randomInt(300));
        child.on('close', (code) => resolve(code));
      });
      if (result === 0) acknowledged.push(name);
    }
    const listed = (await cli.json<{ name: string }[]>(['list'])).map((c) => c.name);
    for (const name of acknowledged) {
      expect(listed).toContain(name);
      expect((await cli.expectOk(['get', name])).stdout).toBe(`${valueFor(name)}\n`);
    }
  });
});

/** The real file system with one operation made to fail, as a full disk or a crash would. */
function failing(overrides: Partial<FileSystem>): FileSystem {
  return { ...nodeFileSystem, ...overrides };
}

/**
 * The two ways a save writes: a record appended in place to a v2 file (a copy
 * of a small vault is made first, as its backup), or a whole new file renamed
 * into place (here: the upgrade of a v1 file; also a compaction or a new
 * header), the replaced one hard-linked as its backup.
 */
const writePaths = [
  { path: 'an appended record', prepare: async () => undefined, write: 'writeAt', backup: 'copy' },
  { path: 'a whole new file (the upgrade of a v1 file)', prepare: rewriteAsV1, write: 'writeFileAtomic', backup: 'linkOrCopy' },
] as const;

describe.each(writePaths)('saves that fail part-way: $path', ({ prepare, write, backup }) => {
  it('a full disk: the add fails, the file is unchanged, the session does not claim it', async () => {
    const dir = await tempDir();
    const v = await createTestVault(dir);
    await v.service.add({ name: 'kept', type: 'secret' }, { value: 'k' });
    v.session.lock();
    await prepare(v.path, v.password);
    const before = await readFile(v.path);
    const deps = testDeps({
      fs: failing({
        [write]: async () => {
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        },
      }),
    });
    const session = await unlockVault(v.path, { password: v.password }, deps);
    const svc = testService(session);
    await expect(svc.add({ name: 'lost', type: 'secret' }, { value: 'x' })).rejects.toThrow(/ENOSPC/);
    expect((await readFile(v.path)).equals(before)).toBe(true);
    expect(session.state.credentials.map((c) => c.name)).toEqual(['kept']);
    expect(await readdir(dir)).not.toContain(expect.stringMatching(/\.tmp$/));
    session.lock();
  });

  it('a failing backup: the save is abandoned before anything is written and nothing changes', async () => {
    const dir = await tempDir();
    const v = await createTestVault(dir);
    v.session.lock();
    await prepare(v.path, v.password);
    const before = await readFile(v.path);
    const session = await unlockVault(v.path, { password: v.password }, testDeps({
      fs: failing({
        [backup]: async () => {
          throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
        },
      }),
    }));
    await expect(testService(session).add({ name: 'x', type: 'secret' }, { value: 'x' })).rejects.toThrow(/EIO/);
    expect((await readFile(v.path)).equals(before)).toBe(true);
    expect(session.state.credentials).toEqual([]);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    session.lock();
  });

  it('a failure after the bytes were written: the error is reported, and the session re-reads what is really on disk', async () => {
    const dir = await tempDir();
    const v = await createTestVault(dir);
    v.session.lock();
    await prepare(v.path, v.password);
    const session = await unlockVault(v.path, { password: v.password }, testDeps({
      fs: failing({
        [write]: async (...args: unknown[]) => {
          await (nodeFileSystem[write] as (...a: unknown[]) => Promise<void>)(...args);
          throw Object.assign(new Error('EIO: fsync failed'), { code: 'EIO' });
        },
      }),
    }));
    const svc = testService(session);
    await expect(svc.add({ name: 'written', type: 'secret' }, { value: 'w' })).rejects.toThrow(/EIO/);
    // The file did change: the session shows the truth rather than its hopes.
    expect(session.state.credentials.map((c) => c.name)).toEqual(['written']);
    const again = await unlockVault(v.path, { password: v.password }, testDeps());
    expect(again.state.credentials.map((c) => c.name)).toEqual(['written']);
    again.lock();
    session.lock();
  });
});

describe('a backup copy cut short never shows as a backup', () => {
  it('copy and linkOrCopy write under a temporary name and put the file in place only whole; an existing name is refused', async () => {
    const dir = await tempDir();
    const from = join(dir, 'from');
    await writeFile(from, Buffer.alloc(1 << 20, 7));
    await nodeFileSystem.copy(from, join(dir, 'to'));
    expect((await readFile(join(dir, 'to'))).equals(await readFile(from))).toBe(true);
    await expect(nodeFileSystem.copy(from, join(dir, 'to'))).rejects.toMatchObject({ code: 'EEXIST' });
    // Nothing is left under another name, either way.
    expect((await readdir(dir)).sort()).toEqual(['from', 'to']);
  });

  it('a save clears what a killed copy left in the backups folder', async () => {
    const v = await createTestVault(await tempDir());
    await v.service.add({ name: 'one', type: 'secret' }, { value: 'v1' });
    const backupsDir = vaultPaths(v.path).backupsDir;
    // What a SIGKILL in the middle of copyIntoPlace leaves.
    const leftover = join(backupsDir, '2026-01-01T00-00-00-000Z.g00000002.keyward.0a1b2c3d4e5f.partial');
    await writeFile(leftover, Buffer.from('KEYWARD half a copy'));
    await v.service.add({ name: 'two', type: 'secret' }, { value: 'v2' });
    expect((await readdir(backupsDir)).filter((f) => f.endsWith('.partial'))).toEqual([]);
    v.session.lock();
  });
});

