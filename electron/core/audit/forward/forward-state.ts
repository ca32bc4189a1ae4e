/**
 * What has been forwarded where: `P.audit-forward` beside the vault, one
 * cursor per destination ("127.0.0.1:514/tcp"), each the last record sent
 * there (or passed over on purpose by --since). Written atomically (a
 * temporary file renamed over it, mode 0600) after each delivery, so a crash
 * never loses a cursor, only repeats the last delivery.
 *
 *   {"destinations":{"127.0.0.1:514/tcp":{"lastSeq":41,"mac":"…","recordMac":"…","updatedAt":"…","vaultId":"…"}},"v":1}
 *
 * The vault id keeps a cursor from being applied to another vault put at the
 * same path (its records would be numbered from 0 again). The MAC (under the
 * trail's forward-cursor key, cursorMac) keeps anyone without the vault from
 * raising a cursor so that records are never sent, and the record's own MAC
 * keeps an authentic cursor from being followed on a trail rolled back and
 * rewritten under it: a cursor that does not authenticate, or whose record
 * the trail no longer holds, is not followed (the forwarder starts that
 * destination over, whatever --since says).
 */
import { hmacSha256 } from '../../crypto/primitives.js';
import type { FileSystem } from '../../ports/file-system.js';
import { canonicalJson } from '../canonical-json.js';

export interface ForwardCursor {
  /** The last record handed over (or passed over); -1: none. */
  lastSeq: number;
  vaultId: string;
  /** When the cursor last moved (ISO), for people reading the file. */
  updatedAt: string;
  /** Hex: the chain MAC of record `lastSeq`, so a cursor is only followed on the very trail it was made on. */
  recordMac?: string;
  /** Hex HMAC-SHA256 under the forward-cursor key of the destination, vault id, lastSeq and recordMac (cursorMac); absent in cursors from before it. */
  mac?: string;
}

/** The MAC a cursor for `destination` carries (docs/siem.md, "Where it stands"). */
export function cursorMac(key: Buffer, destination: string, cursor: Pick<ForwardCursor, 'lastSeq' | 'vaultId' | 'recordMac'>): string {
  return hmacSha256(key, Buffer.from(canonicalJson({ destination, lastSeq: cursor.lastSeq, recordMac: cursor.recordMac ?? '', vaultId: cursor.vaultId }), 'utf8')).toString('hex');
}

interface ForwardStateFile {
  v: 1;
  destinations: Record<string, ForwardCursor>;
}

function isCursor(value: unknown): value is ForwardCursor {
  const c = value as Partial<ForwardCursor> | null;
  return !!c && typeof c === 'object' && Number.isSafeInteger(c.lastSeq) && (c.lastSeq ?? -2) >= -1 && typeof c.vaultId === 'string' && typeof c.updatedAt === 'string' && (c.mac === undefined || typeof c.mac === 'string');
}

export class ForwardState {
  constructor(
    readonly path: string,
    private readonly fs: FileSystem,
  ) {}

  /**
   * The file's cursors; null when it cannot be read as one. A damaged file is
   * never a reason to stop forwarding (that would be an easy way to keep
   * records from a SIEM): its cursors are simply not followed.
   */
  private async read(): Promise<ForwardStateFile | null> {
    const bytes = await this.fs.readFile(this.path);
    if (!bytes) return { v: 1, destinations: {} };
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch {
      return null;
    }
    const file = parsed as Partial<ForwardStateFile> | null;
    if (!file || typeof file !== 'object' || file.v !== 1 || !file.destinations || typeof file.destinations !== 'object' || Array.isArray(file.destinations)) return null;
    if (!Object.values(file.destinations).every(isCursor)) return null;
    return { v: 1, destinations: { ...file.destinations } };
  }

  /**
   * The destination's cursor for this vault; null before the first delivery
   * there (or when it was another vault's); 'damaged' when the file cannot be
   * read (the forwarder then starts the destination over).
   */
  async cursor(destination: string, vaultId: string): Promise<ForwardCursor | null | 'damaged'> {
    const file = await this.read();
    if (!file) return 'damaged';
    if (!Object.hasOwn(file.destinations, destination)) return null;
    const cursor = file.destinations[destination]!;
    return cursor.vaultId === vaultId ? cursor : null;
  }

  /** Moves the destination's cursor (read again first: another destination's may have moved meanwhile). */
  async advance(destination: string, cursor: ForwardCursor): Promise<void> {
    // (A damaged file is replaced: the other destinations' cursors in it were not readable anyway.)
    const state = (await this.read()) ?? { v: 1, destinations: {} };
    state.destinations[destination] = cursor;
    await this.fs.writeFileAtomic(this.path, Buffer.from(`${canonicalJson(state)}\n`, 'utf8'));
  }
}
