/**
 * Stale-lock takeover under adversarial interleavings. Each WriteLock gets its
 * own file-system wrapper (as separate processes would have) that can stop at
 * a chosen operation, so a test can line the waiters up exactly where a race
 * would hurt: one waiter judged a lock stale, another took it over and has
 * just created its own fresh lock, and the first one now carries on.
 *
 * The wrappers create files the way a plain O_EXCL open does — the file exists,
 * empty, before its contents are written — so the lock must be correct even
 * when a fresh lock can be seen half-written.
 */
import { spawnSync } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileSystem } from '../core/ports/file-system.js';
import { nodeFileSystem } from '../core/ports/file-system.js';
import { systemRandom } from '../core/ports/random.js';
import { processIsAlive, WriteLock } from '../core/vault/write-lock.js';
import { useTempDirs } from './helpers/temp-dirs.js';

const tempDir = useTempDirs();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(child.stdout);
  expect(processIsAlive(pid)).toBe(false);
  return pid;
}

type Op = 'readFile' | 'stat' | 'unlink' | 'create' | 'created-empty';

/** A one-shot stop: the first operation matching `op` and `path` waits until released. */
class Gate {
  isReached = false;
  private onReach!: () => void;
  private opened!: () => void;
  readonly reached = new Promise<void>((r) => (this.onReach = r));
  private readonly open = new Promise<void>((r) => (this.opened = r));
  constructor(
    readonly op: Op,
    readonly path: (p: string) => boolean,
  ) {}
  async pass(): Promise<void> {
    this.isReached = true;
    this.onReach();
    await this.open;
  }
  release(): void {
    this.opened();
  }
}

interface Actor {
  fs: FileSystem;
  /** createExclusive calls on the lock path that found it taken. */
  busyCreates: number;
  /** What this actor last wrote into the lock file it created. */
  lockPayload: Buffer | null;
  gates: Gate[];
}

interface ActorOptions {
  /** Random delay before each operation; one operation in five stalls for up to 8 times as long (preemption). */
  jitterMs?: number;
  /** Random delay between creating a file and writing its contents (a slow write). */
  slowWriteMs?: number;
  /** Replaces the contents written by createExclusive. */
  onCreate?: (path: string, data: Buffer) => Buffer;
  /** Simulates a crash: right after creating a matching file, every further operation hangs forever. */
  dieAfterCreating?: (path: string) => boolean;
  /** Creates files with the real adapter (atomically, contents included) instead of open-then-write. */
  atomicCreate?: boolean;
}

const never = new Promise<never>(() => undefined);

function actor(lockPath: string, options: ActorOptions = {}): Actor {
  const a: Actor = { fs: nodeFileSystem, busyCreates: 0, lockPayload: null, gates: [] };
  let dead = false;
  const step = async (op: Op, path: string) => {
    if (dead) await never;
    if (options.jitterMs) await sleep(Math.random() * options.jitterMs * (Math.random() < 0.2 ? 8 : 1));
    const gate = a.gates.find((g) => !g.isReached && g.op === op && g.path(path));
    if (gate) await gate.pass();
  };
  a.fs = {
    ...nodeFileSystem,
    async readFile(path) {
      await step('readFile', path);
      return nodeFileSystem.readFile(path);
    },
    async stat(path) {
      await step('stat', path);
      return nodeFileSystem.stat(path);
    },
    async unlink(path) {
      await step('unlink', path);
      return nodeFileSystem.unlink(path);
    },
    async createExclusive(path, data) {
      await step('create', path);
      if (options.atomicCreate) {
        const created = await nodeFileSystem.createExclusive(path, data);
        if (path === lockPath) {
          if (created) a.lockPayload = data;
          else a.busyCreates++;
        }
        return created;
      }
      let handle: fsp.FileHandle;
      try {
        handle = await fsp.open(path, 'wx', 0o600);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        if (path === lockPath) a.busyCreates++;
        return false;
      }
      try {
        await step('created-empty', path); // the file exists, still empty
        if (options.slowWriteMs) await sleep(Math.random() * options.slowWriteMs);
        const written = options.onCreate ? options.onCreate(path, data) : data;
        await handle.writeFile(written);
        if (path === lockPath) a.lockPayload = written;
      } finally {
        await handle.close();
      }
      if (options.dieAfterCreating?.(path)) dead = true;
      return true;
    },
  };
  return a;
}

/** Waits until `condition` holds (polling), failing after `ms`. */
async function until(condition: () => boolean | Promise<boolean>, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('timed out waiting for the interleaving');
    await sleep(5);
  }
}

/**
 * Counts holders inside the critical section (`max` must never exceed 1) and,
 * when told who holds, checks that the holder's own lock file is in place on
 * entry and on exit (`lost` lists holders whose lock someone else deleted).
 */
class Section {
  inside = 0;
  max = 0;
  entered: string[] = [];
  lost: string[] = [];
  async run(name: string, holdMs: number, holder?: { actor: Actor; path: string }): Promise<string> {
    this.inside++;
    this.max = Math.max(this.max, this.inside);
    this.entered.push(name);
    await this.check(name, holder);
    await sleep(holdMs);
    await this.check(name, holder);
    this.inside--;
    return name;
  }
  private async check(name: string, holder?: { actor: Actor; path: string }): Promise<void> {
    if (!holder) return;
    const onDisk = await nodeFileSystem.readFile(holder.path);
    if (!onDisk || !holder.actor.lockPayload || !onDisk.equals(holder.actor.lockPayload)) this.lost.push(name);
  }
}

/** A takeover marker (not a temporary file it is being written through). */
const isTakeover = (p: string) => p.includes('.takeover') && !p.endsWith('.tmp');
const newLock = (a: Actor, timeoutMs = 5_000) => new WriteLock(a.fs, systemRandom, { timeoutMs });

async function staleUnreadableLock(): Promise<string> {
  const path = join(await tempDir(), 'v.lock');
  await fsp.writeFile(path, ''); // half-written by a process that crashed
  const old = new Date(Date.now() - 10_000);
  await fsp.utimes(path, old, old);
  return path;
}

describe('stale-lock takeover, interleaved', () => {
  it('an unreadable stale lock: the waiter that judged it stale never deletes the fresh lock of the waiter that took over', async () => {
    const path = await staleUnreadableLock();
    const a = actor(path);
    const b = actor(path);
    // B judges the old lock stale, then stops just before taking the takeover marker.
    const bBeforeMarker = new Gate('create', isTakeover);
    b.gates.push(bBeforeMarker);
    // A takes over and stops with its fresh lock created but not yet written (empty, like the stale one).
    const aFreshEmpty = new Gate('created-empty', (p) => p === path);
    a.gates.push(aFreshEmpty);
    const section = new Section();

    const bDone = newLock(b).withLock(path, () => section.run('B', 150));
    await bBeforeMarker.reached;
    const aDone = newLock(a).withLock(path, () => section.run('A', 150));
    await aFreshEmpty.reached;
    expect((await fsp.readFile(path)).length).toBe(0);

    bBeforeMarker.release();
    // B either (wrongly) removes A's fresh lock and gets in, or keeps finding the lock taken.
    await until(() => section.entered.includes('B') || b.busyCreates >= 3);
    aFreshEmpty.release();

    expect(await Promise.all([aDone, bDone])).toEqual(['A', 'B']);
    expect(section.max).toBe(1);
    expect(section.entered).toEqual(['A', 'B']);
  });

  it('a takeover marker left by a crashed process: clearing it never lets two takeovers delete each other\'s locks', async () => {
    const path = join(await tempDir(), 'v.lock');
    await fsp.writeFile(path, JSON.stringify({ pid: deadPid(), host: hostname(), token: 'dead-owner' }));
    const markerOwnerPid = deadPid();

    // K judges the lock stale, takes the takeover marker (stamped with a dead pid) and dies on the spot.
    const k = actor(path, {
      onCreate: (p, data) => (isTakeover(p) ? Buffer.from(JSON.stringify({ pid: markerOwnerPid, host: hostname(), token: 'dead-marker' })) : data),
      dieAfterCreating: isTakeover,
    });
    void newLock(k).withLock(path, async () => 'K never gets in');
    const markers = async () => (await fsp.readdir(join(path, '..'))).filter(isTakeover);
    await until(async () => (await markers()).length === 1 && (await fsp.readFile(join(path, '..', (await markers())[0]!), 'utf8')).includes('dead-marker'));

    const b = actor(path);
    const c = actor(path);
    // B stops just before removing a takeover file (the dead marker, or whatever it then deems stale).
    const bBeforeMarkerUnlink = new Gate('unlink', isTakeover);
    b.gates.push(bBeforeMarkerUnlink);
    // C stops just before it deletes the lock file itself.
    const cBeforeLockUnlink = new Gate('unlink', (p) => p === path);
    c.gates.push(cBeforeLockUnlink);
    const section = new Section();

    const bDone = newLock(b).withLock(path, () => section.run('B', 200));
    await bBeforeMarkerUnlink.reached;
    const cDone = newLock(c).withLock(path, () => section.run('C', 50));
    // C either clears the dead marker itself and gets ready to delete the lock under a marker of its own
    // (which B, once let go, then deletes as "the dead marker"), or finds the takeover blocked and waits.
    await until(() => cBeforeLockUnlink.isReached || c.busyCreates >= 3);
    const cPoisedFirst = cBeforeLockUnlink.isReached;
    bBeforeMarkerUnlink.release();
    // If C was poised, B now takes the lock over and gets in, then C is let go onto B's fresh lock.
    // Otherwise C may (rightly) win the takeover after B cleared the dead marker, and stops before deleting.
    await until(() => section.entered.includes('B') || (!cPoisedFirst && cBeforeLockUnlink.isReached));
    cBeforeLockUnlink.release();

    expect((await Promise.all([bDone, cDone])).sort()).toEqual(['B', 'C']);
    expect(section.max).toBe(1);
    expect(section.entered.sort()).toEqual(['B', 'C']);
    expect((await fsp.readdir(join(path, '..'))).filter(isTakeover)).toEqual([]); // the dead marker is gone too
  });
});

describe('stale-lock takeover, stress', () => {
  it('many acquirers, an initially unreadable stale lock, jittery file operations: never two holders at once', async () => {
    const rounds = 12;
    const acquirers = 8;
    for (let round = 0; round < rounds; round++) {
      const path = await staleUnreadableLock();
      const section = new Section();
      const results = await Promise.all(
        Array.from({ length: acquirers }, (_, i) => {
          // Half create files the way the real adapter does (atomically), half with a visible empty moment.
          const a = actor(path, { jitterMs: 6, slowWriteMs: 20, atomicCreate: i % 2 === 0 });
          return newLock(a, 20_000).withLock(path, () => section.run(String(i), 5, { actor: a, path }));
        }),
      );
      expect(results.sort(), `round ${round}`).toEqual(Array.from({ length: acquirers }, (_, i) => String(i)).sort());
      expect(section.lost, `round ${round}: holders whose lock was deleted`).toEqual([]);
      expect(section.max, `round ${round}: holders at once`).toBe(1);
      await expect(fsp.stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    }
  });
});
