/**
 * The Merkle Tree Hash of RFC 9162 §2.1.1 (as RFC 6962), over the trail's
 * records: what a signed checkpoint commits to (checkpoint.ts), and later what
 * a sealed segment's root is. Domain separation as the RFC: a leaf is hashed
 * after a 0x00 byte, an inner node after 0x01, so a leaf can never pass for a
 * node.
 */
import { createHash } from 'node:crypto';

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

export function leafHash(entry: Buffer): Buffer {
  return createHash('sha256').update(LEAF).update(entry).digest();
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE).update(left).update(right).digest();
}

/**
 * MTH over leaves given one at a time, in O(log n) memory: complete subtrees
 * of equal size are merged as soon as both exist, which builds exactly the
 * RFC's tree (it splits at the largest power of two below n, so every left
 * subtree is complete).
 */
export class MerkleTreeHash {
  /** Roots of complete subtrees, largest first, with their sizes. */
  readonly #stack: { size: number; hash: Buffer }[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  addLeaf(entry: Buffer): void {
    this.addLeafHash(leafHash(entry));
  }

  addLeafHash(hash: Buffer): void {
    let node = { size: 1, hash };
    for (let top = this.#stack.at(-1); top && top.size === node.size; top = this.#stack.at(-1)) {
      this.#stack.pop();
      node = { size: top.size * 2, hash: nodeHash(top.hash, node.hash) };
    }
    this.#stack.push(node);
    this.#size++;
  }

  /**
   * Adds a complete subtree of `size` leaves (a power of two) by its root, as
   * the next leaves: possible only where the RFC's tree has one, at a
   * multiple of its size (a sealed segment of the trail).
   */
  addSubtree(root: Buffer, size: number): void {
    if (size < 1 || (size & (size - 1)) !== 0 || this.#size % size !== 0) throw new Error('a subtree is a power of two of leaves, at a multiple of its size');
    let node = { size, hash: root };
    for (let top = this.#stack.at(-1); top && top.size === node.size; top = this.#stack.at(-1)) {
      this.#stack.pop();
      node = { size: top.size * 2, hash: nodeHash(top.hash, node.hash) };
    }
    this.#stack.push(node);
    this.#size += size;
  }

  /** The root of the leaves so far: the complete subtrees folded right to left. SHA-256 of nothing for none. */
  root(): Buffer {
    if (this.#stack.length === 0) return createHash('sha256').digest();
    let hash = this.#stack.at(-1)!.hash;
    for (let i = this.#stack.length - 2; i >= 0; i--) hash = nodeHash(this.#stack[i]!.hash, hash);
    return hash;
  }
}

export function merkleRoot(entries: Iterable<Buffer>): Buffer {
  const tree = new MerkleTreeHash();
  for (const entry of entries) tree.addLeaf(entry);
  return tree.root();
}
