/**
 * The few file operations the vault needs, as a port. `nodeFileSystem` is the
 * real adapter; tests can inject failures (full disk, crashes) through a wrapper.
 */
import { constants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface FileStat {
  size: number;
  mtimeMs: number;
  ino: number;
}

/** What an append checks before it cuts and writes, and how it commits. */
export interface AppendGuard {
  /** The bytes the file must hold just before `offset` (the last record's end). */
  before: Buffer;
  /** Whether the bytes from `offset` to the end may be cut off (a torn tail, or nothing). */
  safeToCut: (tail: Buffer) => boolean;
  /** Written (and fsynced) after the data is on disk: what makes the record count. */
  commit: { at: number; bytes: Buffer };
}

/** The file is not what the appender last saw (another writer, or a stale stat cache): nothing was written. */
export class FileChangedError extends Error {
  constructor() {
    super('The vault file changed while saving; nothing was written.');
  }
}

export interface FileSystem {
  /** Null when the file does not exist. */
  readFile(path: string): Promise<Buffer | null>;
  /** Temp file in the same folder, fsync, rename over `path`, fsync the folder. `data` may come in consecutive parts. */
  writeFileAtomic(path: string, data: Buffer | readonly Buffer[], options?: { beforeReplace?: () => Promise<void> }): Promise<void>;
  /**
   * Creates `path` with `data` only if it does not exist; false when it exists.
   * Where hard links work the file appears complete or not at all (never empty
   * or half-written); elsewhere, or with `atomic: false` (a lock held for a
   * millisecond, which may then be seen empty for an instant and is judged
   * accordingly), it is an O_EXCL create followed by the write.
   */
  createExclusive(path: string, data: Buffer, options?: { sync?: boolean; atomic?: boolean }): Promise<boolean>;
  /** The file's bytes from `offset` to its end (empty past the end); null when the file does not exist. */
  readFrom(path: string, offset: number): Promise<Buffer | null>;
  /**
   * Appends in place, on one open handle: checks that the `before` bytes end
   * exactly at `offset` and that `safeToCut` accepts what lies after it
   * (else FileChangedError, nothing written); cuts the file to `offset`
   * (dropping a torn tail a crash left); writes `data` there; fsyncs; then
   * writes `commit` and fsyncs again. Only for a format whose readers drop a
   * record that is not committed.
   */
  writeAt(path: string, offset: number, data: readonly Buffer[], guard: AppendGuard): Promise<void>;
  /** Hard link where the platform allows, otherwise a copy. */
  linkOrCopy(from: string, to: string): Promise<void>;
  /** A copy that never shares the file's bytes with it (a file that is appended to in place cannot be hard-linked); fails if `to` exists. */
  copy(from: string, to: string): Promise<void>;
  /** Appends `data` at the end of the file (created 0600 if missing), fsynced when `sync`. */
  append(path: string, data: Buffer, options?: { sync?: boolean }): Promise<void>;
  /**
   * Replaces a small file's content in place (no temporary file, no rename),
   * fsynced when `sync`: for a few bytes that are rewritten often and that a
   * reader checks against something else (the audit trail's head).
   */
  overwrite(path: string, data: Buffer, options?: { sync?: boolean }): Promise<void>;
  /** Cuts the file to `length` bytes and fsyncs it. */
  truncate(path: string, length: number): Promise<void>;
  unlink(path: string): Promise<void>;
  stat(path: string): Promise<FileStat | null>;
  list(dir: string): Promise<string[]>;
  ensureDir(dir: string): Promise<void>;
}

/** link() errors that mean "no hard links here" (FAT, some network shares), not "the name exists". */
const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Copies `from` under a temporary sibling name, then puts it in place as `to`
 * only if no file has that name (EEXIST otherwise): a copy cut short — a
 * crash, a SIGKILL — never shows under `to`, only as a `.partial` file.
 */
async function copyIntoPlace(from: string, to: string): Promise<void> {
  const partial = `${to}.${randomBytes(6).toString('hex')}${PARTIAL_SUFFIX}`;
  try {
    // A reflink where the file system offers one (copy-on-write: instant), otherwise a byte copy.
    await fsp.copyFile(from, partial, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
    try {
      await fsp.link(partial, to);
    } catch (err) {
      if (!LINK_UNSUPPORTED.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
      // No hard links here: a rename, once the name is seen free (callers hold the vault's write lock).
      if (await fsp.stat(to).then(() => true, () => false)) throw Object.assign(new Error(`EEXIST: file already exists, copy '${from}' -> '${to}'`), { code: 'EEXIST' });
      await fsp.rename(partial, to);
    }
  } finally {
    await fsp.unlink(partial).catch(() => undefined);
  }
}

/** What a copy cut short leaves (copyIntoPlace); whoever cleans the folder may delete it. */
export const PARTIAL_SUFFIX = '.partial';

async function createExclusiveInPlace(path: string, data: Buffer, sync: boolean): Promise<boolean> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await handle.writeFile(data);
    if (sync) await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/** Reads into `into` from `position` until it is full or the file ends; returns how many bytes were read. */
async function readInto(handle: fsp.FileHandle, into: Buffer, position: number): Promise<number> {
  let read = 0;
  while (read < into.length) {
    const { bytesRead } = await handle.read(into, read, into.length - read, position + read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return read;
}

/** As readInto, for bytes that must be there: a file that ends first was changed under us. */
async function readFully(handle: fsp.FileHandle, into: Buffer, position: number): Promise<void> {
  if ((await readInto(handle, into, position)) < into.length) throw new FileChangedError();
}

/** Opens `path` with `flags` (created 0600), writes `data` from where the flags put it, fsyncs when `sync`, closes. */
async function writeThrough(path: string, flags: 'a' | 'w', data: Buffer, sync: boolean): Promise<void> {
  const handle = await fsp.open(path, flags, 0o600);
  try {
    await handle.writeFile(data);
    if (sync) await handle.sync();
  } finally {
    await handle.close();
  }
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT';
}

async function fsyncDir(dir: string): Promise<void> {
  // Makes the rename itself durable. Windows cannot open folders; there NTFS journaling covers it.
  if (process.platform === 'win32') return;
  const handle = await fsp.open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export const nodeFileSystem: FileSystem = {
  async readFile(path) {
    try {
      return await fsp.readFile(path);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  },

  async writeFileAtomic(path, data, options) {
    const dir = dirname(path);
    const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    // 0600: the vault is encrypted, but there is no reason for other users to read it.
    const handle = await fsp.open(temp, 'wx', 0o600);
    try {
      // writeFile on a handle writes from the current position, so parts land one after another.
      for (const part of Buffer.isBuffer(data) ? [data] : data) await handle.writeFile(part);
      await handle.sync();
    } catch (err) {
      await handle.close().catch(() => undefined);
      await fsp.unlink(temp).catch(() => undefined);
      throw err;
    }
    await handle.close();
    try {
      await options?.beforeReplace?.();
      await fsp.rename(temp, path);
    } catch (err) {
      await fsp.unlink(temp).catch(() => undefined);
      throw err;
    }
    await fsyncDir(dir);
  },

  async createExclusive(path, data, options) {
    const sync = options?.sync ?? true;
    if (options?.atomic === false) return createExclusiveInPlace(path, data, sync);
    // Written in full under a temporary name, then hard-linked into place: link() fails
    // with EEXIST when `path` exists, so the file appears with its contents or not at all.
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await fsp.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      if (sync) await handle.sync();
    } catch (err) {
      await handle.close().catch(() => undefined);
      await fsp.unlink(temp).catch(() => undefined);
      throw err;
    }
    await handle.close();
    try {
      await fsp.link(temp, path);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return false;
      if (!LINK_UNSUPPORTED.has(code)) throw err;
    } finally {
      await fsp.unlink(temp).catch(() => undefined);
    }
    return createExclusiveInPlace(path, data, sync);
  },

  async readFrom(path, offset) {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(path, 'r');
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
    try {
      const { size } = await handle.stat();
      const length = Math.max(0, size - offset);
      const buffer = Buffer.alloc(length);
      return buffer.subarray(0, await readInto(handle, buffer, offset));
    } finally {
      await handle.close();
    }
  },

  async writeAt(path, offset, data, guard) {
    // r+: the file must exist (an append never creates a vault), and is not truncated on open.
    const handle = await fsp.open(path, 'r+');
    try {
      // Compare-and-append: what this handle reads is the file that will be cut, whatever a stat said.
      const { size } = await handle.stat();
      if (offset < guard.before.length || size < offset) throw new FileChangedError();
      const before = Buffer.alloc(guard.before.length);
      const tail = Buffer.alloc(size - offset);
      await readFully(handle, before, offset - before.length);
      await readFully(handle, tail, offset);
      if (!before.equals(guard.before) || !guard.safeToCut(tail)) throw new FileChangedError();
      await handle.truncate(offset);
      let position = offset;
      for (const part of data) {
        let written = 0;
        while (written < part.length) {
          const { bytesWritten } = await handle.write(part, written, part.length - written, position);
          written += bytesWritten;
          position += bytesWritten;
        }
      }
      await handle.sync();
      // Only now, with every byte of the record on disk, does the record count.
      await handle.write(guard.commit.bytes, 0, guard.commit.bytes.length, guard.commit.at);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },

  async linkOrCopy(from, to) {
    try {
      await fsp.link(from, to);
    } catch (err) {
      if (!LINK_UNSUPPORTED.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
      await copyIntoPlace(from, to);
    }
  },

  append(path, data, options) {
    return writeThrough(path, 'a', data, options?.sync ?? false);
  },

  overwrite(path, data, options) {
    return writeThrough(path, 'w', data, options?.sync ?? false);
  },

  async truncate(path, length) {
    const handle = await fsp.open(path, 'r+');
    try {
      await handle.truncate(length);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },

  copy(from, to) {
    return copyIntoPlace(from, to);
  },

  async unlink(path) {
    try {
      await fsp.unlink(path);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },

  async stat(path) {
    try {
      const s = await fsp.stat(path);
      return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  },

  async list(dir) {
    try {
      return await fsp.readdir(dir);
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
  },

  async ensureDir(dir) {
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  },
};
