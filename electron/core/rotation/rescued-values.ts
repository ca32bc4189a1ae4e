/**
 * Values a rotator minted that could not be written to the vault (it was
 * locked while the create command ran, busy, the disk failed), and failed runs
 * that could not be recorded. The provider may already have replaced the old
 * key with the new one, so the value must not be lost: it is held here, in
 * memory only, sealed with AES-256-GCM under a random key that exists only in
 * this process (made when the first value arrives, wiped when the store is
 * emptied), until `RotationService.flushRescued` writes it at the next unlock.
 *
 * One store per process (the app controller's, or one per CLI run), passed to
 * RotationService in its options — never a hidden global. Nothing here is ever
 * written to disk; a process that exits with values held loses them, so the
 * callers say so.
 */
import { randomBytes } from 'node:crypto';
import type { ErrorCode } from '../../../shared/errors.js';
import type { RotationRun } from '../../../shared/rotation.js';
import { aesGcmDecrypt, aesGcmEncrypt, KEY_BYTES, NONCE_BYTES } from '../crypto/primitives.js';

export interface RescueRecord {
  vaultId: string;
  credentialId: string;
  /** For telling the user (a name, never a value). */
  credentialName: string;
  /** The failed run to record; its `version` is set to the kept value's version when one is written. */
  run: RotationRun;
  /** Why the write failed. */
  reason: ErrorCode;
  /** A version the run left `pending` on disk, to be kept as noted history (set when only the record is rescued). */
  pendingVersion?: number;
  /** The run's hold on the credential (rotation-service.ts startRun): writing the record ends it. */
  lease?: string;
}

export interface HeldRecord extends RescueRecord {
  /** Whether a value is held (otherwise only the run record). */
  hasValue: boolean;
}

interface Held extends RescueRecord {
  seq: number;
  sealed?: { nonce: Buffer; ciphertext: Buffer };
}

/** One held entry, handed to the writer: `open` gives the value (if any), `remove` drops the entry once it is written. */
export interface HeldEntry {
  readonly record: HeldRecord;
  open(): string | undefined;
  remove(): void;
}

export class RescuedValues {
  private key: Buffer | null = null;
  /** Keyed by vault id + credential id; several failed runs of one credential are all kept. */
  private readonly held = new Map<string, Held[]>();
  private seq = 0;

  /** Keeps a record (and the value, sealed) until it is written. */
  keep(record: RescueRecord, value?: string): void {
    const seq = ++this.seq;
    const entry: Held = { ...record, run: { ...record.run }, seq };
    if (value !== undefined) {
      this.key ??= randomBytes(KEY_BYTES);
      const nonce = randomBytes(NONCE_BYTES);
      const plain = Buffer.from(value, 'utf8');
      entry.sealed = { nonce, ciphertext: aesGcmEncrypt(this.key, nonce, plain, this.aad(entry)) };
      plain.fill(0);
    }
    const k = keyOf(record.vaultId, record.credentialId);
    this.held.set(k, [...(this.held.get(k) ?? []), entry]);
  }

  /** How many entries are held (values and records), for every vault or one. */
  count(vaultId?: string): number {
    return this.all().filter((e) => vaultId === undefined || e.vaultId === vaultId).length;
  }

  get size(): number {
    return this.count();
  }

  /** What is held, without values, oldest first. */
  list(vaultId?: string): HeldRecord[] {
    return this.all()
      .filter((e) => vaultId === undefined || e.vaultId === vaultId)
      .map(describe);
  }

  /** The entries held for one vault, oldest first, to be written and removed one by one. */
  entries(vaultId: string): HeldEntry[] {
    return this.all()
      .filter((e) => e.vaultId === vaultId)
      .map((e) => ({
        record: describe(e),
        open: () => this.open(e),
        remove: () => this.remove(e),
      }));
  }

  /** Drops everything and wipes the key. */
  clear(): void {
    this.held.clear();
    this.wipeKey();
  }

  private all(): Held[] {
    return [...this.held.values()].flat().sort((a, b) => a.seq - b.seq);
  }

  private open(e: Held): string | undefined {
    if (!e.sealed) return undefined;
    if (!this.key) throw new Error('rescued value without a key');
    const plain = aesGcmDecrypt(this.key, e.sealed.nonce, e.sealed.ciphertext, this.aad(e));
    if (!plain) throw new Error('rescued value failed its integrity check');
    const text = plain.toString('utf8');
    plain.fill(0);
    return text;
  }

  private remove(e: Held): void {
    const k = keyOf(e.vaultId, e.credentialId);
    const left = (this.held.get(k) ?? []).filter((x) => x !== e);
    if (left.length) this.held.set(k, left);
    else this.held.delete(k);
    e.sealed?.ciphertext.fill(0);
    if (this.held.size === 0) this.wipeKey();
  }

  private wipeKey(): void {
    this.key?.fill(0);
    this.key = null;
  }

  private aad(e: Held): Buffer {
    return Buffer.from(['keyward/rescued', e.vaultId, e.credentialId, String(e.seq)].join('\0'), 'utf8');
  }

  /** For tests: whether a key is held right now. */
  get holdsKey(): boolean {
    return this.key !== null;
  }
}

function keyOf(vaultId: string, credentialId: string): string {
  return `${vaultId}\0${credentialId}`;
}

function describe(e: Held): HeldRecord {
  const { seq: _seq, sealed, ...record } = e;
  return { ...record, run: { ...record.run }, hasValue: Boolean(sealed) };
}
