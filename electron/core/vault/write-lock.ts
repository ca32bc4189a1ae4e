/**
 * One writer at a time across processes (the app, any number of CLIs).
 *
 * The lock is a file created exclusively holding the owner's pid and a random
 * token. A lock whose owner process is gone (crash, SIGKILL) is stale and is
 * taken over. Takeover deletes a file someone else created, and POSIX has no
 * "delete this file only if it is still the one I looked at", so it is made
 * safe like this:
 *
 * - A lock is judged from a snapshot of one file *instance*: its bytes read
 *   between two stats that agree on inode, size and mtime. A file that changes
 *   meanwhile (being written) is never judged.
 * - The waiter that deletes it must first create a takeover marker named after
 *   that instance (`<lock>.takeover-<digest of inode, size, mtime, bytes>`), so
 *   all waiters that judged the same instance stale compete for one name, and
 *   at most one of them at a time can delete it. Under the marker it re-reads
 *   the lock and deletes it only if it is still that very instance, still
 *   stale. A lock created after the judgment is a new instance (new mtime, new
 *   token): it is never deleted by a waiter that judged an older one.
 * - The only other process that could delete the instance, its owner, is dead
 *   (or, for an unreadable lock, never deletes a lock that is not its own).
 * - A marker left by a waiter that died mid-takeover is itself a stale file
 *   instance and is taken over the same way, through a marker named after it.
 *
 * An unreadable lock (empty or half-written: a crash between create and write
 * by a creator that cannot create atomically) is stale once its mtime is more
 * than 2 s old, or once this waiter has watched it unchanged for 2 s (so a
 * future mtime, from a clock that ran ahead, does not block forever). Locks
 * written by this code appear complete (see FileSystem.createExclusive), so a
 * live owner's lock is never unreadable.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { KeywardError } from '../errors.js';
import type { FileStat, FileSystem } from '../ports/file-system.js';
import type { Random } from '../ports/random.js';

export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;
const POLL_MS = 25;
/** An unreadable lock or marker this old (by mtime, or watched unchanged this long) is stale. */
const UNREADABLE_STALE_MS = 2_000;
/** Markers of markers are only needed when a waiter dies mid-takeover; a few levels are plenty. */
const MAX_TAKEOVER_DEPTH = 3;

interface LockOwner {
  pid: number;
  host: string;
  token: string;
}

/** One file instance at a path, read consistently: its identity digest, mtime and parsed owner. */
interface Snapshot {
  id: string;
  mtimeMs: number;
  owner: LockOwner | 'unreadable';
}

/** When this acquisition first saw each unreadable instance (monotonic clock). */
type Watched = Map<string, number>;

function sameInstance(a: FileStat, b: FileStat): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

function parseOwner(data: Buffer): LockOwner | 'unreadable' {
  try {
    const parsed = JSON.parse(data.toString('utf8')) as Partial<LockOwner> | null;
    return parsed && typeof parsed.pid === 'number' && typeof parsed.token === 'string' ? (parsed as LockOwner) : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

export interface WriteLockOptions {
  timeoutMs?: number;
  isProcessAlive?: (pid: number) => boolean;
  /**
   * Whether the lock file is fsynced when taken (default true). A lock held for
   * a millisecond (the audit trail's, per record) can skip it: after a power
   * loss an empty or missing lock file is only ever judged stale.
   */
  durable?: boolean;
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else — alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class WriteLock {
  constructor(
    private readonly fs: FileSystem,
    private readonly random: Random,
    private readonly options: WriteLockOptions = {},
  ) {}

  /** Runs `work` holding the lock at `lockPath`; waits up to the timeout, then fails with BUSY. */
  async withLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
    const owner: LockOwner = { pid: process.pid, host: hostname(), token: this.random.bytes(16).toString('hex') };
    await this.acquire(lockPath, owner);
    try {
      return await work();
    } finally {
      await this.release(lockPath, owner);
    }
  }

  private async acquire(lockPath: string, owner: LockOwner): Promise<void> {
    const deadline = Date.now() + (this.options.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
    const payload = Buffer.from(JSON.stringify(owner));
    const watched: Watched = new Map();
    for (;;) {
      // A lock that is not durable is also not written atomically (three file operations instead of six): one seen
      // empty for an instant is "unreadable", which is judged stale only after 2 s — never taken from its live owner.
      const durable = this.options.durable ?? true;
      if (await this.fs.createExclusive(lockPath, payload, { sync: durable, atomic: durable })) return;
      await this.takeOverIfStale(lockPath, watched, 0);
      if (Date.now() >= deadline) {
        throw new KeywardError(
          'BUSY',
          'The vault is busy: another Keyward process is writing to it. Try again in a moment.',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async release(lockPath: string, owner: LockOwner): Promise<void> {
    const data = await this.fs.readFile(lockPath);
    const current = data ? parseOwner(data) : null;
    if (current !== null && current !== 'unreadable' && current.token === owner.token) await this.fs.unlink(lockPath);
  }

  /**
   * The file at `path` as one instance: bytes read between two stats that agree.
   * Null when there is no file; 'changing' when it changed while being read.
   */
  private async snapshot(path: string): Promise<Snapshot | null | 'changing'> {
    const before = await this.fs.stat(path);
    if (!before) return null;
    const data = await this.fs.readFile(path);
    if (!data) return null;
    const after = await this.fs.stat(path);
    if (!after) return null;
    if (!sameInstance(before, after) || after.size !== data.length) return 'changing';
    const id = createHash('sha256').update(`${after.ino}:${after.size}:${after.mtimeMs}:`).update(data).digest('hex').slice(0, 32);
    return { id, mtimeMs: after.mtimeMs, owner: parseOwner(data) };
  }

  private isStale(file: Snapshot, watched: Watched): boolean {
    if (file.owner === 'unreadable') {
      // Half-written (a crash between create and write). Never while young: a creator
      // that cannot create atomically has the file empty for a moment.
      const now = performance.now();
      const firstSeen = watched.get(file.id) ?? now;
      watched.set(file.id, firstSeen);
      // By its mtime only where a live owner's lock is never seen empty (atomic, durable locks): a lock created in
      // place is empty for an instant, and a file server's clock may lag ours — only what this waiter watched counts.
      const oldByMtime = (this.options.durable ?? true) && Date.now() - file.mtimeMs > UNREADABLE_STALE_MS;
      return oldByMtime || now - firstSeen > UNREADABLE_STALE_MS;
    }
    if (file.owner.host !== hostname()) return false; // cannot check a pid on another machine
    const alive = this.options.isProcessAlive ?? processIsAlive;
    return !alive(file.owner.pid);
  }

  /**
   * Deletes the file at `path` if it is stale, and only the very instance judged
   * stale (see the top of this file). `path` is the lock, or at depth > 0 the
   * takeover marker of a waiter that died taking over.
   */
  private async takeOverIfStale(path: string, watched: Watched, depth: number): Promise<void> {
    const judged = await this.snapshot(path);
    if (judged === null || judged === 'changing' || !this.isStale(judged, watched)) return;

    const marker = `${path}.takeover-${judged.id}`;
    const me: LockOwner = { pid: process.pid, host: hostname(), token: this.random.bytes(16).toString('hex') };
    if (!(await this.fs.createExclusive(marker, Buffer.from(JSON.stringify(me))))) {
      // Someone else is taking over this instance; if they died doing it, their marker is stale.
      if (depth < MAX_TAKEOVER_DEPTH) await this.takeOverIfStale(marker, watched, depth + 1);
      return;
    }
    try {
      // Under the marker nobody else can delete this instance: delete it only if it is still there, still stale.
      const again = await this.snapshot(path);
      if (again !== null && again !== 'changing' && again.id === judged.id && this.isStale(again, watched)) await this.fs.unlink(path);
    } finally {
      await this.fs.unlink(marker);
    }
  }
}
