/**
 * The trail's head mirrored in the OS keychain (docs/audit-format.md §7): a
 * third anchor, beside the head file and the vault body, that lives outside
 * the vault's folder. Rolling the vault, its trail and its head file back
 * together to an earlier consistent state passes every check made of files
 * alone; the keychain still names the later record, so verification reports
 * the records after it as missing.
 *
 * Read whenever a keychain is reachable (an older copy from before the
 * keychain was turned on must not skip it); written, only ever forward, when
 * the vault keeps its key there, as each session ends: one keychain call per
 * opening, never one per record. A keychain that is locked, gone or refuses
 * is passed over: the file anchors still count.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Keychain } from '../keychain/keychain.js';
import { chainPlaceOf, type TrailAnchor } from './trail-records.js';

/**
 * The keychain account that mirrors a vault's trail head: per vault and per
 * place, since a copy of the vault's folder opened elsewhere keeps a trail of
 * its own (it must not make the original's look cut back).
 */
export function trailHeadAccount(vaultId: string, vaultPath: string): string {
  return `vault:${vaultId}:audit-head:${createHash('sha256').update(resolve(vaultPath)).digest('hex').slice(0, 16)}`;
}

/** The later of two anchors (the higher record); either may be absent. */
export function laterAnchor(a: TrailAnchor | null, b: TrailAnchor | null): TrailAnchor | null {
  if (!a) return b;
  if (!b) return a;
  return b.seq > a.seq ? b : a;
}

export class TrailHeadMirror {
  private readonly account: string;

  constructor(
    private readonly keychain: Keychain,
    vaultId: string,
    vaultPath: string,
  ) {
    this.account = trailHeadAccount(vaultId, vaultPath);
  }

  /** The mirrored head, if the keychain holds one that reads as a chain place. */
  async read(): Promise<TrailAnchor | null> {
    const text = await this.keychain.get(this.account).catch(() => null);
    return text ? chainPlaceOf(text) : null;
  }

  /**
   * Mirrors `head` unless the keychain already names a later record. Two
   * processes ending at once may each read before the other writes: each
   * reads back what it wrote and writes again if an earlier head replaced
   * it, so the later one stays.
   */
  async write(head: TrailAnchor): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const current = await this.read();
      if (current && current.seq >= head.seq) return;
      await this.keychain.set(this.account, JSON.stringify({ seq: head.seq, mac: head.mac })).catch(() => undefined);
    }
  }
}
