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
import type { Keychain } from '../keychain/keychain.js';
import { chainPlaceOf, type TrailAnchor } from './trail-records.js';

/** The keychain account that mirrors a vault's trail head. */
export function trailHeadAccount(vaultId: string): string {
  return `vault:${vaultId}:audit-head`;
}

/** The later of two anchors (the higher record); either may be absent. */
export function laterAnchor(a: TrailAnchor | null, b: TrailAnchor | null): TrailAnchor | null {
  if (!a) return b;
  if (!b) return a;
  return b.seq > a.seq ? b : a;
}

export class TrailHeadMirror {
  constructor(
    private readonly keychain: Keychain,
    private readonly vaultId: string,
  ) {}

  /** The mirrored head, if the keychain holds one that reads as a chain place. */
  async read(): Promise<TrailAnchor | null> {
    const text = await this.keychain.get(trailHeadAccount(this.vaultId)).catch(() => null);
    return text ? chainPlaceOf(text) : null;
  }

  /** Mirrors `head` unless the keychain already names a later record. */
  async write(head: TrailAnchor): Promise<void> {
    const current = await this.read();
    if (current && current.seq >= head.seq) return;
    await this.keychain.set(trailHeadAccount(this.vaultId), JSON.stringify({ seq: head.seq, mac: head.mac })).catch(() => undefined);
  }
}
