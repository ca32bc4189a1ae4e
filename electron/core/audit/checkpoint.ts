/**
 * Signed checkpoints of the audit trail (docs/audit-format.md §8): a C2SP
 * signed note (https://c2sp.org/signed-note, https://c2sp.org/tlog-checkpoint)
 * that commits to the first N records by their Merkle Tree Hash (merkle.ts),
 * signed with Ed25519 under a key derived from the trail key.
 *
 * Kept somewhere the vault's files are not (mailed, printed, committed), a
 * checkpoint is the external witness the chain alone cannot be: whoever rolls
 * the vault, the log and its head back together to an earlier consistent
 * state cannot make the trail hold the N records the checkpoint names again.
 * The signature is checkable by anyone with the verifier key it prints
 * (standard signed-note tooling), and unforgeable without the vault.
 */
import { ed25519FromSeed, ed25519Verify, sha256 } from '../crypto/primitives.js';
import { MerkleTreeHash } from './merkle.js';
import type { TrailKeys } from './trail-records.js';

/** Ed25519's signature type byte in a signed note's key id (C2SP signed-note). */
const ED25519_TYPE = 0x01;
const SIGNATURE_DASH = '\u2014 ';

export interface Checkpoint {
  /** The note: body, blank line, signature line. */
  text: string;
  origin: string;
  /** How many records it covers: the first `size` lines of P.audit. */
  size: number;
  /** Base64 of their Merkle Tree Hash. */
  root: string;
  /** The signed-note verifier key: `name+keyid+base64(0x01 ‖ public key)`. */
  verifierKey: string;
}

/** The origin line, which is also the key's name: one per vault. */
export function checkpointOrigin(vaultId: string): string {
  return `keyward.audit/${vaultId}`;
}

function keyId(name: string, publicKey: Buffer): Buffer {
  return sha256(Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.from([ED25519_TYPE]), publicKey])).subarray(0, 4);
}

function verifierKey(name: string, publicKey: Buffer): string {
  return `${name}+${keyId(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([ED25519_TYPE]), publicKey]).toString('base64')}`;
}

/**
 * A trail's records as Merkle leaves: its sealed segments (each a complete
 * subtree, by its root; its lines on demand, null once retention dropped it),
 * then the live log's complete lines.
 */
export interface TrailLeaves {
  sealed: { count: number; root: Buffer; lines: () => string[] | null }[];
  live: readonly string[];
}

export function leafCount(leaves: TrailLeaves): number {
  return leaves.sealed.reduce((n, s) => n + s.count, 0) + leaves.live.length;
}

/** The root of the first `size` records; null when they end inside a segment retention dropped. */
function rootOf(leaves: TrailLeaves, size: number): Buffer | null {
  const tree = new MerkleTreeHash();
  for (const segment of leaves.sealed) {
    const left = size - tree.size;
    if (left <= 0) break;
    if (left >= segment.count) {
      tree.addSubtree(segment.root, segment.count);
      continue;
    }
    const lines = segment.lines();
    if (!lines) return null;
    for (let i = 0; i < left; i++) tree.addLeaf(Buffer.from(lines[i]!, 'utf8'));
  }
  for (let i = 0; tree.size < size && i < leaves.live.length; i++) tree.addLeaf(Buffer.from(leaves.live[i]!, 'utf8'));
  return tree.root();
}

/** The complete lines of a trail's log (a last line without its newline was never acknowledged, and is not a record). */
export function completeLines(log: Buffer | null): string[] {
  const lines = (log?.toString('utf8') ?? '').split('\n');
  lines.pop();
  return lines;
}

/** Signs a checkpoint of every record of the trail. */
export function makeCheckpoint(keys: TrailKeys, vaultId: string, leaves: TrailLeaves, at: Date): Checkpoint {
  const size = leafCount(leaves);
  const origin = checkpointOrigin(vaultId);
  const root = rootOf(leaves, size)!.toString('base64');
  // An extension line (opaque to generic verifiers): when it was made, for the person reading it.
  const body = `${origin}\n${size}\n${root}\ntime ${at.toISOString()}\n`;
  const signer = ed25519FromSeed(keys.checkpoint);
  const signature = Buffer.concat([keyId(origin, signer.publicKey), signer.sign(Buffer.from(body, 'utf8'))]).toString('base64');
  return { text: `${body}\n${SIGNATURE_DASH}${origin} ${signature}\n`, origin, size, root, verifierKey: verifierKey(origin, signer.publicKey) };
}

export interface CheckpointProblem {
  kind: 'checkpoint' | 'rolled-back' | 'rewritten';
  message: string;
}

interface ParsedNote {
  body: string;
  origin: string;
  size: number;
  root: Buffer;
  signatures: { name: string; bytes: Buffer }[];
}

function parseNote(text: string): ParsedNote | string {
  const split = text.lastIndexOf('\n\n');
  if (split < 0 || !text.endsWith('\n')) return 'it is not a signed note (a body, a blank line, signature lines).';
  const body = text.slice(0, split + 1);
  const [origin, sizeLine, rootLine] = body.split('\n');
  if (!origin || !sizeLine || !rootLine) return 'its body does not have the three checkpoint lines (origin, size, root).';
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeLine)) return `its size line "${sizeLine.slice(0, 40)}" is not a count of records.`;
  const root = Buffer.from(rootLine, 'base64');
  if (root.length !== 32 || root.toString('base64') !== rootLine) return 'its root line is not a base64 SHA-256 hash.';
  const signatures: ParsedNote['signatures'] = [];
  for (const line of text.slice(split + 2, -1).split('\n')) {
    const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match) return 'one of its signature lines is not "— NAME SIGNATURE".';
    signatures.push({ name: match[1]!, bytes: Buffer.from(match[2]!, 'base64') });
  }
  return { body, origin, size: Number(sizeLine), root, signatures };
}

/**
 * Checks the trail (its complete lines) against a checkpoint made earlier:
 * signed by this vault's trail key, for this vault, and the trail still
 * holds the records it names, unchanged.
 */
export function checkAgainstCheckpoint(text: string, keys: TrailKeys, vaultId: string, leaves: TrailLeaves): CheckpointProblem[] {
  const note = parseNote(text);
  if (typeof note === 'string') return [{ kind: 'checkpoint', message: `The checkpoint cannot be read: ${note}` }];
  const origin = checkpointOrigin(vaultId);
  if (note.origin !== origin) return [{ kind: 'checkpoint', message: `The checkpoint is for another vault's trail (${note.origin.slice(0, 80)}), not this one (${origin}).` }];
  const signer = ed25519FromSeed(keys.checkpoint);
  const id = keyId(origin, signer.publicKey);
  const ours = note.signatures.filter((s) => s.name === origin && s.bytes.length === 68 && s.bytes.subarray(0, 4).equals(id));
  if (!ours.some((s) => ed25519Verify(signer.publicKey, Buffer.from(note.body, 'utf8'), s.bytes.subarray(4))))
    return [{ kind: 'checkpoint', message: "The checkpoint's signature is not this vault's trail key's: it was changed after it was signed, or made elsewhere." }];
  const held = leafCount(leaves);
  if (held < note.size)
    return [
      {
        kind: 'rolled-back',
        message: `The trail holds ${held} record(s), but the checkpoint signed ${note.size}: it was rolled back or cut off since (with the vault and its head, if nothing else noticed).`,
      },
    ];
  const root = rootOf(leaves, note.size);
  if (!root) return [{ kind: 'checkpoint', message: `The checkpoint ends inside a segment retention has dropped since: its ${note.size} records can no longer be checked one by one.` }];
  if (!root.equals(note.root))
    return [{ kind: 'rewritten', message: `The trail's first ${note.size} record(s) are not the ones the checkpoint signed: records were changed, removed or replaced since.` }];
  return [];
}
