/**
 * Rollback protection across restarts: the highest generation of each vault
 * this user's Keyward has read or written, kept outside the vault's folder
 * (one small file per vault in the user's state folder), so that putting back
 * an older copy of the vault file — a synced-back file, an attacker's replay,
 * the file cut at a record boundary — is refused at the next unlock too, not
 * only by a session that is open (docs/vault-format.md V2.8).
 *
 * Each entry is authenticated with HMAC-SHA256 under a subkey of the vault
 * key: it can be written only by someone holding the key, and a forged or
 * edited entry is ignored (treated as none). A vault that keeps its key in the
 * OS keychain also has its entry mirrored there (account `vault:<id>:seen`);
 * the higher of the two authentic entries counts, so clearing the state
 * folder alone does not remove the protection. Deleting both does; a person
 * who restores a backup on purpose while the vault is locked leaves a
 * one-time allowance for exactly that generation (in the state file).
 */
import { join } from 'node:path';
import { constantTimeEqual, hmacSha256 } from '../crypto/primitives.js';
import type { FileSystem } from '../ports/file-system.js';
import type { Keychain } from '../keychain/keychain.js';

/** What is remembered of a vault: the highest generation seen, and when. */
export interface Seen {
  generation: number;
  at: string;
}

interface SeenFile {
  generation: number;
  at: string;
  /** hex HMAC-SHA256(seen subkey, "keyward/v2/seen" \0 vaultId \0 generation \0 at) */
  mac: string;
  /** A restore the person chose while locked: the next unlock may open exactly this (older) generation once. */
  allowOlder?: number;
}

const LABEL = 'keyward/v2/seen';

function parseEntry(text: string): SeenFile | null {
  try {
    const parsed = JSON.parse(text) as SeenFile;
    return typeof parsed === 'object' && parsed !== null ? parsed : null;
  } catch {
    return null;
  }
}

/** What an entry says, if its MAC is right for this vault under `key`; null for anything else. */
function authenticated(entry: SeenFile | null, vaultId: string, key: Buffer): Seen | null {
  if (!entry || !Number.isSafeInteger(entry.generation) || typeof entry.at !== 'string' || typeof entry.mac !== 'string') return null;
  const expected = Buffer.from(macOf(key, vaultId, entry.generation, entry.at), 'hex');
  const given = Buffer.from(entry.mac, 'hex');
  if (given.length !== expected.length || !constantTimeEqual(given, expected)) return null;
  return { generation: entry.generation, at: entry.at };
}

function macOf(key: Buffer, vaultId: string, generation: number, at: string): string {
  return hmacSha256(key, Buffer.from([LABEL, vaultId, String(generation), at].join('\0'), 'utf8')).toString('hex');
}

/** The keychain account that mirrors a vault's entry. */
export function seenAccount(vaultId: string): string {
  return `vault:${vaultId}:seen`;
}

export class SeenGenerations {
  constructor(
    private readonly fs: FileSystem,
    /** The folder of the per-vault files; null turns the protection off (tests of file contents, fixtures). */
    private readonly dir: string | null,
    /** The OS keychain: a second place the entry is kept (read always, written when `writeMirror`). */
    private readonly mirror: Keychain | null = null,
    /**
     * Whether entries are written to the keychain too: for a vault that keeps
     * its key there. The keychain is read whatever the file says, so an older
     * copy from before the keychain was turned on cannot skip it.
     */
    private readonly writeMirror = false,
  ) {}

  private async readMirror(vaultId: string): Promise<SeenFile | null> {
    if (!this.mirror || !this.pathFor(vaultId)) return null;
    // A keychain that is locked, gone or refuses: the state file still counts.
    const text = await this.mirror.get(seenAccount(vaultId)).catch(() => null);
    return text ? parseEntry(text) : null;
  }

  private pathFor(vaultId: string): string | null {
    return this.dir && /^[0-9a-f-]{36}$/.test(vaultId) ? join(this.dir, `${vaultId}.seen`) : null;
  }

  private async readFile(vaultId: string): Promise<SeenFile | null> {
    const path = this.pathFor(vaultId);
    const data = path ? await this.fs.readFile(path).catch(() => null) : null;
    return data ? parseEntry(data.toString('utf8')) : null;
  }

  /** The highest generation remembered for this vault, in the state file or the keychain, if an authentic entry exists. */
  async highest(vaultId: string, key: Buffer): Promise<Seen | null> {
    const [inFile, inKeychain] = await Promise.all([this.readFile(vaultId), this.readMirror(vaultId)]);
    const authentic = [inFile, inKeychain].map((entry) => authenticated(entry, vaultId, key)).filter((seen) => seen !== null);
    return authentic.reduce<Seen | null>((best, seen) => (!best || seen.generation > best.generation ? seen : best), null);
  }

  /** Whether the person restored exactly this generation on purpose while locked (and clears it). */
  async takeAllowance(vaultId: string, generation: number): Promise<boolean> {
    const entry = await this.readFile(vaultId);
    if (entry?.allowOlder !== generation) return false;
    const { allowOlder: _allowOlder, ...rest } = entry;
    await this.write(vaultId, rest);
    return true;
  }

  /** Remembers `generation` if it is above what is remembered (never lowers it). */
  async record(vaultId: string, generation: number, key: Buffer, now: Date): Promise<void> {
    if (!this.pathFor(vaultId)) return;
    const current = await this.highest(vaultId, key);
    if (current && current.generation >= generation) return;
    const at = now.toISOString();
    const entry: SeenFile = { generation, at, mac: macOf(key, vaultId, generation, at) };
    // (A pending allowance goes: the file it was for has been read or saved over.)
    await this.write(vaultId, entry);
    if (this.writeMirror) await this.mirror?.set(seenAccount(vaultId), JSON.stringify(entry)).catch(() => undefined);
  }

  /** A restore chosen while locked (no key to write an entry with): the next unlock may open that generation once. */
  async allowOlderOnce(vaultId: string, generation: number): Promise<void> {
    if (!this.pathFor(vaultId)) return;
    const entry = await this.readFile(vaultId);
    await this.write(vaultId, { ...(entry ?? { generation: 0, at: '', mac: '' }), allowOlder: generation });
  }

  private async write(vaultId: string, entry: SeenFile): Promise<void> {
    const path = this.pathFor(vaultId)!;
    await this.fs.ensureDir(this.dir!);
    await this.fs.writeFileAtomic(path, Buffer.from(JSON.stringify(entry), 'utf8'));
  }
}
