/**
 * The one door to the bytes on disk. Everything outside format/ reads and
 * writes vault files through these functions, which dispatch on the version
 * in the file's prefix to that version's codec (one folder per version).
 *
 * Adding a version: a folder v<N>/ with a `FormatCodec`, listed in `CODECS`;
 * `WRITER` names the version new files are written in. Callers do not change.
 */
import { KeywardError, fail } from '../../errors.js';
import type { Random } from '../../ports/random.js';
import type { VaultBody } from '../body.js';
import type { FormatCodec, LogPosition, VaultFile, VaultHeader, WrittenFile } from './codec.js';
import type { VaultChange } from '../vault-change.js';
import { readContainerPrefix } from './container.js';
import { eventLoopPacer, type Pacer } from '../pacing.js';
import { formatV1 } from './v1/codec.js';
import { formatV2, holdsOnlyTornBytes, openChangesAfter, sealChange } from './v2/codec.js';
import { uncommitted } from './v2/frames.js';

export type { LogPosition, VaultFile, VaultHeader, VaultLog, WrittenFile } from './codec.js';

/**
 * The key schedule — how the password becomes a key, how that key wraps the
 * vault key, the subkeys, and how each secret value is sealed. It is v1's, and
 * every version so far shares it; a version that changes it gives its codec
 * its own.
 */
export {
  DEFAULT_KDF_ITERATIONS,
  KDF_ALGORITHM,
  MAX_KDF_ITERATIONS,
  MIN_KDF_ITERATIONS,
  SALT_BYTES,
  type KdfParams,
} from './v1/header.js';
export { derivePasswordKey, unwrapVaultKey, wrapVaultKey } from './v1/key-wrap.js';
export { SecretSealer } from './v1/secret-sealer.js';
export { deriveSubkeys, type Subkeys } from './v1/subkeys.js';

/** Every version this Keyward reads. */
const CODECS: readonly FormatCodec[] = [formatV1, formatV2];
/** The version every save writes, so an older file is upgraded on its next save. */
const WRITER: FormatCodec = formatV2;

/** The format version Keyward writes. */
export const FORMAT_VERSION = WRITER.version;
const NEWEST_READABLE = Math.max(...CODECS.map((c) => c.version));

/** A newer version is UNSUPPORTED_VERSION (update Keyward); one that never existed (0) is damage. */
function codecFor(file: Buffer, what: string): FormatCodec {
  const { version } = readContainerPrefix(file, what);
  if (version > NEWEST_READABLE)
    throw new KeywardError(
      'UNSUPPORTED_VERSION',
      `${what} uses format version ${version}, written by a newer Keyward; this one reads up to version ${NEWEST_READABLE}. Update Keyward to open it.`,
    );
  const codec = CODECS.find((c) => c.version === version);
  if (!codec) throw fail.corrupted(`${what} is corrupted or tampered: invalid format version.`);
  return codec;
}

/**
 * Reads a vault file without any key: CORRUPTED for anything that is not an
 * intact Keyward file with a valid header (the KDF floor included),
 * UNSUPPORTED_VERSION for a newer one. Never runs a KDF.
 */
export function readVaultFile(file: Buffer, what = 'The vault file'): VaultFile {
  return codecFor(file, what).read(file, what);
}

/** The same, with the pacer's pauses while a large file is checked, so the caller's event loop keeps running (pacing.ts). */
export function readVaultFilePaced(file: Buffer, what = 'The vault file', pacer: Pacer = eventLoopPacer()): Promise<VaultFile> {
  return codecFor(file, what).readPaced(file, what, pacer);
}

/** Whether a file is intact (its frame and checksum), with no key and without judging its header: throws as `readVaultFile`. */
export function checkVaultFile(file: Buffer, what = 'The vault file'): void {
  codecFor(file, what).check(file, what);
}

/** The same, with the pacer's pauses during a large file's checksums. */
export function checkVaultFilePaced(file: Buffer, what = 'The vault file', pacer: Pacer = eventLoopPacer()): Promise<void> {
  return codecFor(file, what).checkPaced(file, what, pacer);
}

/**
 * The file to write for `header` and `body`, in the current version: its parts
 * in order (the last ends the file) and its log. A large body is encoded and
 * sealed in steps with the pacer's pauses between them, so the caller's event
 * loop keeps running.
 */
export function writeVaultFile(header: VaultHeader, body: VaultBody, bodyKey: Buffer, random: Random, pacer: Pacer = eventLoopPacer()): Promise<WrittenFile> {
  return WRITER.write(header, body, bodyKey, random, pacer);
}

/** How to append one save's change: the frame to write, uncommitted, at `offset`; then its commit; and the log after it. */
export interface Append {
  /** Where the frame goes: the end of the last committed record (anything after it is torn). */
  offset: number;
  /** The frame with its `check` zeroed: written and fsynced first. */
  bytes: Buffer[];
  /** The `check` bytes and their absolute offset: written and fsynced second, which commits the record. */
  commit: { at: number; bytes: Buffer };
  next: LogPosition;
  /** Whether the bytes from `offset` on (read under the write lock, just before cutting them) are only torn bytes. */
  safeToCut: (tail: Buffer) => boolean;
}

/**
 * One save's change as a record to append after `after` (the end of the file
 * as last read or written, in the current version).
 */
export function appendChange(after: LogPosition, change: VaultChange, bodyKey: Buffer, random: Random): Append {
  const frame = sealChange(after, change, bodyKey, random);
  return {
    offset: after.end,
    bytes: uncommitted(frame),
    commit: { at: after.end + frame.commit.at, bytes: frame.commit.bytes },
    next: frame.next,
    safeToCut: (tail) => holdsOnlyTornBytes(tail, after),
  };
}

/**
 * The records another process appended: `tail` is the file from `after.end`
 * on. Null when one does not authenticate under `bodyKey`; CORRUPTED when one
 * is damaged. A torn last record is left out (the position stops before it).
 */
export function readAppended(tail: Buffer, after: LogPosition, bodyKey: Buffer, what = 'The vault file'): Promise<{ changes: VaultChange[]; position: LogPosition } | null> {
  return openChangesAfter(tail, after, bodyKey, what);
}
