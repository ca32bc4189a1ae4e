/**
 * What one format version must provide to plug in behind the dispatcher
 * (index.ts): one codec per version, in its own folder (v1/, later v2/…).
 * Callers never see a codec; they read and write through the dispatcher.
 */
import type { Random } from '../../ports/random.js';
import type { VaultBody } from '../body.js';
import type { Pacer } from '../pacing.js';
import type { HeaderV1 } from './v1/header.js';

/**
 * The header as the session works with it. v1 stores exactly these members
 * as JSON; a later version maps its own header onto this model (widening it
 * if it must), so the session does not change with the format.
 */
export type VaultHeader = HeaderV1;

/** Where an appending file's log stands: what the next record chains to, and where it goes. */
export interface LogPosition {
  /** The sequence number of the last complete record (the file's generation). */
  readonly seq: number;
  /** That record's chain value. */
  readonly chain: Buffer;
  /** The byte offset just past it. */
  readonly end: number;
}

/** What an appending format (v2 on) tells about its log. */
export interface VaultLog {
  readonly position: LogPosition;
  /** Where the snapshot ends: the log after it is what compaction folds in. */
  readonly snapshotEnd: number;
  /** Bytes after the last complete record: a write a crash cut short (dropped; cut off by the next writer). */
  readonly tornBytes: number;
}

export interface OpenBodyOptions {
  /**
   * Decode the credentials when first used (credentials-on-demand.ts), where
   * the file allows it (a v2 snapshot with an index); otherwise, and by
   * default, all of them now. The CLI, which may need one credential of many,
   * opens this way, and the app, which then decodes the rest in the
   * background (vault-session.ts `UnlockOptions.credentials`).
   */
  credentialsOnDemand?: boolean;
}

/** A vault file read without any key: intact (checksum) and with a valid header, body still sealed. */
export interface VaultFile {
  readonly version: number;
  readonly header: VaultHeader;
  /** Present for formats that append (v2 on); absent for v1, which is rewritten whole (and so upgraded) on its next save. */
  readonly log?: VaultLog;
  /**
   * The body, decrypted and decoded (secret values stay sealed). Null when it
   * does not authenticate under `bodyKey`; CORRUPTED when it does but cannot be decoded.
   * A large body is decoded in steps with the pacer's pauses between them, so the
   * caller's event loop keeps running (default: pacing.ts `eventLoopPacer`).
   */
  readonly openBody: (bodyKey: Buffer, pacer?: Pacer, options?: OpenBodyOptions) => Promise<VaultBody | null>;
}

/** A whole file to write: its parts in order (the last one ends the file), and where its log stands. */
export interface WrittenFile {
  readonly parts: Buffer[];
  readonly log?: VaultLog;
}

export interface FormatCodec {
  readonly version: number;
  /** Whether the file is intact, without a key and without decoding the header: CORRUPTED if not. */
  check(file: Buffer, what: string): void;
  /** The same, with the pacer's pauses during a large file's checksums. */
  checkPaced(file: Buffer, what: string, pacer: Pacer): Promise<void>;
  /** Checks the file and decodes its header (CORRUPTED for either failing). Never runs a KDF. */
  read(file: Buffer, what: string): VaultFile;
  /** The same, with the pacer's pauses during long checks (a large file's checksums). */
  readPaced(file: Buffer, what: string, pacer: Pacer): Promise<VaultFile>;
  /**
   * A whole file holding `header` and `body` sealed under `bodyKey`, as parts to write in order, and its log if
   * the version appends; a large body is encoded and sealed with the pacer's pauses.
   */
  write(header: VaultHeader, body: VaultBody, bodyKey: Buffer, random: Random, pacer?: Pacer): Promise<WrittenFile>;
}
