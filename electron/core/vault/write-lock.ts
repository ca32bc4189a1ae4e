/**
 * One writer at a time across processes (the app, any number of CLIs).
 *
 * The lock is a file created with O_EXCL holding the owner's pid and a random
 * token. A lock whose owner process is gone (crash, SIGKILL) is stale and is
 * taken over; the takeover itself is serialised through a second exclusive
 * file so that two waiters can never both "steal" and then delete each other's
 * fresh locks.
 */
import { hostname } from 'node:os';
import { KeywardError } from '../errors.js';
import type { FileSystem } from '../ports/file-system.js';
import type { Random } from '../ports/random.js';

export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;
const POLL_MS = 25;

interface LockOwner {
  pid: number;
  host: string;
  token: string;
}

export interface WriteLockOptions {
  timeoutMs?: number;
  isProcessAlive?: (pid: number) => boolean;
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
    for (;;) {
      if (await this.fs.createExclusive(lockPath, payload)) return;
      await this.removeIfStale(lockPath);
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
    const current = await this.readOwner(lockPath);
    if (current !== null && current !== 'unreadable' && current.token === owner.token) await this.fs.unlink(lockPath);
  }

  private async readOwner(path: string): Promise<LockOwner | null | 'unreadable'> {
    const data = await this.fs.readFile(path);
    if (!data) return null;
    try {
      const parsed = JSON.parse(data.toString('utf8')) as LockOwner;
      return typeof parsed.pid === 'number' && typeof parsed.token === 'string' ? parsed : 'unreadable';
    } catch {
      return 'unreadable';
    }
  }

  private isStale(owner: LockOwner | 'unreadable', ageMs: number): boolean {
    // A half-written lock file (crash between create and write) is stale once it is old enough.
    if (owner === 'unreadable') return ageMs > 2_000;
    if (owner.host !== hostname()) return false; // cannot check a pid on another machine
    const alive = this.options.isProcessAlive ?? processIsAlive;
    return !alive(owner.pid);
  }

  private async removeIfStale(lockPath: string): Promise<void> {
    const owner = await this.readOwner(lockPath);
    if (owner === null) return;
    const stat = await this.fs.stat(lockPath);
    if (!stat || !this.isStale(owner, Date.now() - stat.mtimeMs)) return;

    const stealPath = `${lockPath}.takeover`;
    const stealer: LockOwner = { pid: process.pid, host: hostname(), token: this.random.bytes(16).toString('hex') };
    if (!(await this.fs.createExclusive(stealPath, Buffer.from(JSON.stringify(stealer))))) {
      // Someone else is taking over; if they died doing it, clear their marker.
      const other = await this.readOwner(stealPath);
      const otherStat = await this.fs.stat(stealPath);
      if (other !== null && otherStat && this.isStale(other, Date.now() - otherStat.mtimeMs)) {
        await this.fs.unlink(stealPath);
      }
      return;
    }
    try {
      // Re-check under the takeover marker: only delete the very lock we judged stale.
      const again = await this.readOwner(lockPath);
      const sameOwner = again === owner || (again !== null && again !== 'unreadable' && owner !== 'unreadable' && again.token === owner.token);
      if (sameOwner) await this.fs.unlink(lockPath);
    } finally {
      await this.fs.unlink(stealPath);
    }
  }
}
