/**
 * The cross-process write lock: mutual exclusion, BUSY after the timeout when
 * a live process holds it, and takeover of locks left by dead processes.
 */
import { spawnSync } from 'node:child_process';
import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFileSystem, type FileSystem } from '../core/ports/file-system.js';
import { systemRandom } from '../core/ports/random.js';
import { processIsAlive, WriteLock, DEFAULT_LOCK_TIMEOUT_MS } from '../core/vault/write-lock.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs();

function lock(timeoutMs = 300, isProcessAlive?: (pid: number) => boolean): WriteLock {
  return new WriteLock(nodeFileSystem, systemRandom, { timeoutMs, ...(isProcessAlive ? { isProcessAlive } : {}) });
}

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(child.stdout);
  expect(processIsAlive(pid)).toBe(false);
  return pid;
}

const owner = (pid: number, host = hostname()) => JSON.stringify({ pid, host, token: 'someone-else' });

describe('FileSystem.createExclusive', () => {
  it('makes the file appear with its contents: concurrent readers never see it empty', async () => {
    const path = join(await tempDir(), 'v.lock');
    const payload = Buffer.from(owner(process.pid));
    let creating = true;
    const seen: number[] = [];
    const read = async () => {
      while (creating) {
        const data = await nodeFileSystem.readFile(path);
        if (data) seen.push(data.length);
      }
    };
    const readers = [read(), read()];
    expect(await nodeFileSystem.createExclusive(path, payload)).toBe(true);
    expect(await nodeFileSystem.createExclusive(path, Buffer.from('other'))).toBe(false);
    await nodeFileSystem.unlink(path);
    // A plain O_EXCL open followed by a write shows the file empty in between, a few times in a thousand here.
    for (let i = 0; i < 1_000; i++) {
      expect(await nodeFileSystem.createExclusive(path, payload)).toBe(true);
      await nodeFileSystem.unlink(path);
    }
    creating = false;
    await Promise.all(readers);
    expect(seen.length).toBeGreaterThan(100);
    expect(seen.filter((n) => n !== payload.length)).toEqual([]);
    // No temporary files are left behind.
    expect(await readdir(dirname(path))).toEqual([]);
  });
});

describe('WriteLock', () => {
  it('waits 5 s by default', () => {
    expect(DEFAULT_LOCK_TIMEOUT_MS).toBe(5_000);
  });

  it('lets one holder in at a time and removes its lock file afterwards', async () => {
    const path = join(await tempDir(), 'v.lock');
    const l = lock(5_000);
    let inside = 0;
    let maxInside = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        l.withLock(path, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((r) => setTimeout(r, 15));
          order.push(i);
          inside--;
        }),
      ),
    );
    expect(maxInside).toBe(1);
    expect(order.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('releases the lock when the work throws', async () => {
    const path = join(await tempDir(), 'v.lock');
    await expect(lock().withLock(path, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await lock().withLock(path, async () => 'again')).toBe('again');
  });

  it('fails with BUSY when a live process holds the lock past the timeout, and leaves that lock alone', async () => {
    const path = join(await tempDir(), 'v.lock');
    await writeFile(path, owner(process.pid));
    let ran = false;
    const err = await lock(200)
      .withLock(path, async () => {
        ran = true;
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BUSY', message: expect.stringMatching(/vault is busy/) });
    expect(ran).toBe(false);
    expect(await readFile(path, 'utf8')).toBe(owner(process.pid));
  });

  it('gets in as soon as a live holder lets go', async () => {
    const path = join(await tempDir(), 'v.lock');
    const holder = lock(1_000);
    let release!: () => void;
    const held = holder.withLock(path, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    const waiter = lock(3_000).withLock(path, async () => 'mine');
    setTimeout(() => release(), 150);
    expect(await waiter).toBe('mine');
    await held;
  });

  it('takes over a lock whose owner process is dead (crash, SIGKILL)', async () => {
    const path = join(await tempDir(), 'v.lock');
    await writeFile(path, owner(deadPid()));
    expect(await lock(1_000).withLock(path, async () => 'took over')).toBe('took over');
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(`${path}.takeover`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('clears a takeover marker left by a waiter that died taking over', async () => {
    const path = join(await tempDir(), 'v.lock');
    await writeFile(path, owner(deadPid()));
    const markerPid = deadPid();
    // This waiter judges the lock stale, creates its takeover marker, and "dies" there: every later call hangs.
    let dead = false;
    const hang = () => new Promise<never>(() => undefined);
    const dying: FileSystem = {
      ...nodeFileSystem,
      readFile: (p) => (dead ? hang() : nodeFileSystem.readFile(p)),
      stat: (p) => (dead ? hang() : nodeFileSystem.stat(p)),
      unlink: (p) => (dead ? hang() : nodeFileSystem.unlink(p)),
      async createExclusive(p, data) {
        if (dead) return hang();
        if (!p.includes('.takeover')) return nodeFileSystem.createExclusive(p, data);
        const created = await nodeFileSystem.createExclusive(p, Buffer.from(owner(markerPid)));
        dead = true;
        return created;
      },
    };
    void new WriteLock(dying, systemRandom, { timeoutMs: 60_000 }).withLock(path, async () => 'never');
    // Takeover markers only, not the temporary files createExclusive writes them through.
    const markers = async () => (await readdir(dirname(path))).filter((f) => f.startsWith('v.lock.takeover'));
    while (!dead || (await markers()).length === 0) await new Promise((r) => setTimeout(r, 5));

    expect(await lock(2_000).withLock(path, async () => 'ok')).toBe('ok');
    expect(await markers()).toEqual([]);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('many waiters racing to take over one stale lock: exactly one holder at a time', async () => {
    const path = join(await tempDir(), 'v.lock');
    await writeFile(path, owner(deadPid()));
    let inside = 0;
    let maxInside = 0;
    const done = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        // Separate WriteLock instances, as separate processes would have.
        lock(5_000).withLock(path, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((r) => setTimeout(r, 10));
          inside--;
          return i;
        }),
      ),
    );
    expect(done.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(maxInside).toBe(1);
  });

  it('an unreadable (half-written) lock is respected while young and taken over once old', async () => {
    const path = join(await tempDir(), 'v.lock');
    await writeFile(path, '');
    await expect(lock(150).withLock(path, async () => undefined)).rejects.toMatchObject({ code: 'BUSY' });
    const old = new Date(Date.now() - 10_000);
    await utimes(path, old, old);
    expect(await lock(1_000).withLock(path, async () => 'ok')).toBe('ok');
  });

  it('an unreadable lock dated in the future (the clock ran ahead) is taken over once watched unchanged for 2 s', async () => {
    const path = join(await tempDir(), 'v.lock');
    await writeFile(path, '');
    const future = new Date(Date.now() + 3 * 24 * 60 * 60 * 1000);
    await utimes(path, future, future);
    const started = Date.now();
    expect(await lock(5_000).withLock(path, async () => 'ok')).toBe('ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
  });

  it("never judges a lock from another host stale (its pid cannot be checked here)", async () => {
    const path = join(await tempDir(), 'v.lock');
    await writeFile(path, owner(deadPid(), `not-${hostname()}`));
    await expect(lock(150).withLock(path, async () => undefined)).rejects.toMatchObject({ code: 'BUSY' });
    expect(await readFile(path, 'utf8')).toContain('not-');
  });

  it('asks the injected liveness check, not the OS, when given one', async () => {
    const path = join(await tempDir(), 'v.lock');
    await writeFile(path, owner(process.pid));
    const asked: number[] = [];
    const result = await lock(1_000, (pid) => {
      asked.push(pid);
      return false;
    }).withLock(path, async () => 'ok');
    expect(result).toBe('ok');
    expect(asked).toContain(process.pid);
  });

  it('does not delete a lock that is no longer its own when releasing', async () => {
    const path = join(await tempDir(), 'v.lock');
    await lock().withLock(path, async () => {
      // Someone (wrongly) replaced our lock while we held it: release must leave theirs.
      await writeFile(path, owner(process.pid));
    });
    expect(await readFile(path, 'utf8')).toBe(owner(process.pid));
  });
});
