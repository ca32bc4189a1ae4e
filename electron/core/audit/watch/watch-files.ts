/**
 * The watch's two files beside the trail (docs/audit-format.md §9), each
 * sealed with AES-256-GCM under the trail's watch key, the vault id and the
 * file's purpose in the AAD (a file moved to another vault or the other
 * file's place does not open):
 *
 *   "KWW1" ‖ nonce (12) ‖ ciphertext ‖ tag (16)      plaintext: JSON
 *
 * `P.audit-watch` holds the detector's state: derived data, rebuilt from the
 * trail when missing or damaged, so it is rewritten in place without fsync.
 * `P.incidents` holds the incidents and what people said about them: not
 * derivable, so it is replaced atomically and durably.
 */
import { aesGcmDecrypt, aesGcmEncrypt, NONCE_BYTES, TAG_BYTES } from '../../crypto/primitives.js';
import type { FileSystem } from '../../ports/file-system.js';
import type { Random } from '../../ports/random.js';
import type { Anomaly, Incident } from '../../../../shared/incidents.js';
import type { DetectorState } from './detector.js';

const MAGIC = Buffer.from('KWW1', 'ascii');

/** The detector's state and how much of the trail it has seen. */
export interface WatchState {
  v: 1;
  /** The last record observed (-1: none). */
  seq: number;
  /** The log's length in bytes up to and including that record. */
  size: number;
  detector: DetectorState;
}

/** Incidents, and the latest anomalies too minor to open one (shown beside them). */
export interface IncidentBook {
  v: 1;
  incidents: Incident[];
  anomalies: Anomaly[];
}

export const MAX_MINOR_ANOMALIES = 200;

export function emptyBook(): IncidentBook {
  return { v: 1, incidents: [], anomalies: [] };
}

type Purpose = 'state' | 'incidents';

function aad(purpose: Purpose, vaultId: string): Buffer {
  return Buffer.from(`keyward/audit/v1/watch/${purpose}\0${vaultId}`, 'utf8');
}

export function sealWatchFile(key: Buffer, purpose: Purpose, vaultId: string, value: unknown, random: Random): Buffer {
  const nonce = random.bytes(NONCE_BYTES);
  return Buffer.concat([MAGIC, nonce, aesGcmEncrypt(key, nonce, Buffer.from(JSON.stringify(value), 'utf8'), aad(purpose, vaultId))]);
}

/** The file's JSON; null when it is missing, damaged, another vault's or the other file. */
export function openWatchFile<T>(key: Buffer, purpose: Purpose, vaultId: string, bytes: Buffer | null): T | null {
  if (!bytes || bytes.length < MAGIC.length + NONCE_BYTES + TAG_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const plain = aesGcmDecrypt(key, bytes.subarray(MAGIC.length, MAGIC.length + NONCE_BYTES), bytes.subarray(MAGIC.length + NONCE_BYTES), aad(purpose, vaultId));
  if (!plain) return null;
  try {
    return JSON.parse(plain.toString('utf8')) as T;
  } catch {
    return null;
  }
}

export interface WatchFilePaths {
  state: string;
  incidents: string;
}

export class WatchFiles {
  constructor(
    private readonly paths: WatchFilePaths,
    private readonly fs: FileSystem,
    private readonly random: Random,
  ) {}

  async readState(key: Buffer, vaultId: string): Promise<WatchState | null> {
    const state = openWatchFile<WatchState>(key, 'state', vaultId, await this.fs.readFile(this.paths.state));
    return state && state.v === 1 && Number.isSafeInteger(state.seq) && Number.isSafeInteger(state.size) && state.detector?.v === 1 ? state : null;
  }

  writeState(key: Buffer, vaultId: string, state: WatchState): Promise<void> {
    return this.fs.overwrite(this.paths.state, sealWatchFile(key, 'state', vaultId, state, this.random), { sync: false });
  }

  async readBook(key: Buffer, vaultId: string): Promise<IncidentBook | null> {
    const bytes = await this.fs.readFile(this.paths.incidents);
    if (!bytes) return emptyBook();
    const book = openWatchFile<IncidentBook>(key, 'incidents', vaultId, bytes);
    return book && book.v === 1 && Array.isArray(book.incidents) && Array.isArray(book.anomalies) ? book : null;
  }

  /** Moves a book that does not open out of the way (kept, never written over); returns where. */
  async setAside(): Promise<string> {
    const aside = `${this.paths.incidents}.damaged-${Date.now()}`;
    await this.fs.copy(this.paths.incidents, aside);
    await this.fs.unlink(this.paths.incidents);
    return aside;
  }

  writeBook(key: Buffer, vaultId: string, book: IncidentBook): Promise<void> {
    return this.fs.writeFileAtomic(this.paths.incidents, sealWatchFile(key, 'incidents', vaultId, book, this.random));
  }
}
