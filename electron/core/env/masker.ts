/**
 * Conceals secret values in a program's output as it streams (docs/env.md):
 * each occurrence of a value becomes `<concealed:NAME>`, also when it arrives
 * split across chunks. Only the longest end of what has arrived that could
 * still be the start of a value is held back (a prompt that ends in anything
 * else shows at once), and it is let out when the stream ends.
 *
 * Values shorter than MIN_MASKED_BYTES are not masked: replacing every "1" or
 * "ab" in an output would make it unreadable, and a secret that short is no
 * secret; `keyward run` says which ones it could not mask.
 */

export const MIN_MASKED_BYTES = 4;

export interface MaskedValue {
  value: string;
  /** What it is shown as: <concealed:NAME>. */
  name: string;
}

interface Secret {
  bytes: Buffer;
  replacement: Buffer;
}

export class OutputMasker {
  readonly #secrets: Secret[];
  readonly #longest: number;
  #pending: Buffer = Buffer.alloc(0);

  constructor(values: readonly MaskedValue[]) {
    const unique = new Map<string, MaskedValue>();
    for (const v of values) if (Buffer.byteLength(v.value, 'utf8') >= MIN_MASKED_BYTES && !unique.has(v.value)) unique.set(v.value, v);
    // Longest first: where two values start at the same place, the longer one is what was printed.
    this.#secrets = [...unique.values()]
      .map((v) => ({ bytes: Buffer.from(v.value, 'utf8'), replacement: Buffer.from(`<concealed:${v.name}>`, 'utf8') }))
      .sort((a, b) => b.bytes.length - a.bytes.length);
    this.#longest = this.#secrets.reduce((n, s) => Math.max(n, s.bytes.length), 0);
  }

  /** What of `chunk` (after what was held back) can be shown now, values concealed. */
  push(chunk: Buffer): Buffer {
    return this.#run(this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk, false);
  }

  /** The rest, at the end of the stream. */
  end(): Buffer {
    return this.#run(this.#pending, true);
  }

  #run(data: Buffer, final: boolean): Buffer {
    if (this.#secrets.length === 0) {
      this.#pending = Buffer.alloc(0);
      return data;
    }
    const out: Buffer[] = [];
    let at = 0;
    for (;;) {
      let found: { pos: number; secret: Secret } | null = null;
      for (const secret of this.#secrets) {
        const pos = data.indexOf(secret.bytes, at);
        if (pos >= 0 && (!found || pos < found.pos)) found = { pos, secret };
      }
      if (!found) break;
      out.push(data.subarray(at, found.pos), found.secret.replacement);
      at = found.pos + found.secret.bytes.length;
    }
    const keep = final ? 0 : this.#heldBack(data, at);
    out.push(data.subarray(at, data.length - keep));
    // (A copy: the caller's chunk may be reused once this returns.)
    this.#pending = Buffer.from(data.subarray(data.length - keep));
    return Buffer.concat(out);
  }

  /** How many bytes at the end of `data` (after `from`) could be the start of a value. */
  #heldBack(data: Buffer, from: number): number {
    for (let k = Math.min(this.#longest - 1, data.length - from); k > 0; k--) {
      const tail = data.subarray(data.length - k);
      if (this.#secrets.some((s) => s.bytes.length > k && s.bytes.subarray(0, k).equals(tail))) return k;
    }
    return 0;
  }
}
