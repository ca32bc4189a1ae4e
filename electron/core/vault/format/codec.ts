/**
 * What one format version must provide to plug in behind the dispatcher
 * (index.ts): one codec per version, in its own folder (v1/, later v2/…).
 * Callers never see a codec; they read and write through the dispatcher.
 */
import type { Random } from '../../ports/random.js';
import type { VaultBody } from '../body.js';
import type { HeaderV1 } from './v1/header.js';

/**
 * The header as the session works with it. v1 stores exactly these members
 * as JSON; a later version maps its own header onto this model (widening it
 * if it must), so the session does not change with the format.
 */
export type VaultHeader = HeaderV1;

/** A vault file read without any key: intact (checksum) and with a valid header, body still sealed. */
export interface VaultFile {
  readonly version: number;
  readonly header: VaultHeader;
  /**
   * The body, decrypted and decoded (secret values stay sealed). Null when it
   * does not authenticate under `bodyKey`; CORRUPTED when it does but cannot be decoded.
   */
  readonly openBody: (bodyKey: Buffer) => VaultBody | null;
}

export interface FormatCodec {
  readonly version: number;
  /** Whether the file is intact, without a key and without decoding the header: CORRUPTED if not. */
  check(file: Buffer, what: string): void;
  /** Checks the file and decodes its header (CORRUPTED for either failing). Never runs a KDF. */
  read(file: Buffer, what: string): VaultFile;
  /** A whole file holding `header` and `body` sealed under `bodyKey`, as parts to write in order; the last part ends the file. */
  write(header: VaultHeader, body: VaultBody, bodyKey: Buffer, random: Random): Buffer[];
}
