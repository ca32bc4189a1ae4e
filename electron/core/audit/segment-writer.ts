/**
 * Keeps the trail's segments (segments.ts) as it grows: under the trail's
 * lock, before each append, seals the live log's first SEGMENT_RECORDS lines
 * once it holds that many, finishes a seal a crash interrupted, and drops
 * segments retention no longer keeps. Cheap when there is nothing to do: one
 * stat of the index, and the live log is only read once it is long enough to
 * possibly hold a full segment.
 */
import type { Clock } from '../ports/clock.js';
import type { FileSystem } from '../ports/file-system.js';
import { chainPlaceOf, GENESIS_MAC, type TrailKeys } from './trail-records.js';
import { MerkleTreeHash } from './merkle.js';
import { linesVerify } from './trail-verify.js';
import { eventLoopPacer } from '../vault/pacing.js';
import { indexLine, indexMac, parseIndex, SEGMENT_RECORDS, segmentFile, type DropEntry, type SealEntry, type SegmentIndex, type SegmentPaths } from './segments.js';

/** No record line is shorter than this (its MAC alone is 64 hex): a log smaller than per × this cannot hold a full segment. */
const MIN_RECORD_BYTES = 128;
const DAY_MS = 86_400_000;
const RETENTION_CHECK_MS = 60_000;

export interface SegmentWriterDeps {
  fs: FileSystem;
  clock: Clock;
  /** Lines per segment (a power of two; tests use small ones). */
  perSegment?: number;
}

/** A segment retention dropped, to be recorded in the chain. */
export interface Dropped {
  first: number;
  last: number;
  retentionDays: number;
}

export class SegmentWriter {
  readonly #per: number;
  /** The index as last read, with its size then. */
  #index: { size: number; index: SegmentIndex } | null = null;
  /** The live log's size when its lines were last counted, and how many it held: no recount until it can hold a segment. */
  #counted: { size: number; lines: number } | null = null;
  /** When retention was last judged (clock ms): segments age by days, so once a minute is plenty. */
  #retentionCheckedAt = -Infinity;

  constructor(
    private readonly logPath: string,
    private readonly paths: SegmentPaths,
    private readonly deps: SegmentWriterDeps,
  ) {
    const per = deps.perSegment ?? SEGMENT_RECORDS;
    if (per < 2 || (per & (per - 1)) !== 0) throw new Error('segment size must be a power of two');
    this.#per = per;
  }

  /** The index (read again when its size changed: another process sealed or dropped). */
  async index(): Promise<SegmentIndex> {
    const stat = await this.deps.fs.stat(this.paths.index);
    const size = stat?.size ?? 0;
    if (this.#index && this.#index.size === size) return this.#index.index;
    const index = parseIndex(size ? await this.deps.fs.readFile(this.paths.index) : null);
    this.#index = { size, index };
    this.#counted = null;
    return index;
  }

  /**
   * Before an append (the caller holds the trail's lock): returns the live
   * log's size afterwards and what retention dropped. `liveSize` is the log's
   * length up to its last complete line.
   */
  async maintain(keys: TrailKeys, liveSize: number, retentionDays: number): Promise<{ size: number; dropped: Dropped[] }> {
    let size = liveSize;
    const counted = this.#counted;
    const mayBeFull = size >= this.#per * MIN_RECORD_BYTES && (!counted || size >= counted.size + (this.#per - counted.lines) * MIN_RECORD_BYTES);
    // (An interrupted seal leaves at least a segment's worth of lines: found by the same test.)
    if (mayBeFull) size = await this.sealIfFull(keys, await this.index(), size);
    const now = this.deps.clock.now().getTime();
    const judge = retentionDays > 0 && (mayBeFull || Math.abs(now - this.#retentionCheckedAt) >= RETENTION_CHECK_MS);
    if (judge) this.#retentionCheckedAt = now;
    const dropped = judge ? await this.dropExpired(keys, retentionDays) : [];
    return { size, dropped };
  }

  /** Seals the first `per` lines when the log holds them; first cuts off lines an interrupted seal already moved. */
  private async sealIfFull(keys: TrailKeys, index: SegmentIndex, liveSize: number): Promise<number> {
    const log = ((await this.deps.fs.readFrom(this.logPath, 0)) ?? Buffer.alloc(0)).subarray(0, liveSize);
    let lines = log.toString('utf8').split('\n');
    lines.pop();
    // A crash between a seal's index entry and the live log's rewrite leaves the sealed lines in both: cut them here.
    let moved = 0;
    while (moved < lines.length && (chainPlaceOf(lines[moved]!)?.seq ?? Infinity) <= index.lastSealed) moved++;
    lines = lines.slice(moved);
    if (moved === 0 && lines.length < this.#per) {
      this.#counted = { size: liveSize, lines: lines.length };
      return liveSize;
    }
    while (lines.length >= this.#per) {
      const sealed = lines.slice(0, this.#per);
      await this.seal(keys, await this.index(), sealed);
      lines = lines.slice(this.#per);
    }
    const rest = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
    await this.deps.fs.writeFileAtomic(this.logPath, rest);
    this.#counted = { size: rest.length, lines: lines.length };
    return rest.length;
  }

  private async seal(keys: TrailKeys, index: SegmentIndex, lines: string[]): Promise<void> {
    const first = chainPlaceOf(lines[0]!);
    const last = chainPlaceOf(lines.at(-1)!);
    if (!first || !last) throw new Error('the audit trail is damaged: a segment cannot be sealed');
    const pacer = eventLoopPacer();
    const tree = new MerkleTreeHash();
    for (let i = 0; i < lines.length; i++) {
      tree.addLeaf(Buffer.from(lines[i]!, 'utf8'));
      if (i % 4096 === 4095) await pacer.pause();
    }
    const lastAt = (JSON.parse(lines.at(-1)!) as { at?: unknown }).at;
    const prev = (index.seals.length ? index.tail : GENESIS_MAC).toString('hex');
    // Checked once here, record by record, so that verifying a segment later needs only its Merkle root. Lines that
    // do not verify are sealed all the same (the trail goes on; verification finds them, at their line).
    const checked = await linesVerify(lines, prev, index.lastSealed + 1, keys, pacer);
    const entry: SealEntry = {
      v: 1,
      n: index.entries.length,
      kind: 'seal',
      first: first.seq,
      last: last.seq,
      count: lines.length,
      root: tree.root().toString('base64'),
      prev,
      tail: last.mac,
      lastAt: typeof lastAt === 'string' ? lastAt : this.deps.clock.now().toISOString(),
      at: this.deps.clock.now().toISOString(),
      ...(checked ? { checked: true as const } : {}),
    };
    await this.deps.fs.ensureDir(this.paths.dir);
    // The segment is whole on disk before the index names it; the live log is cut only after both.
    await this.deps.fs.writeFileAtomic(segmentFile(this.paths, entry.first), Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8'));
    await this.appendEntry(keys, index, entry);
  }

  private async dropExpired(keys: TrailKeys, retentionDays: number): Promise<Dropped[]> {
    const cutoff = this.deps.clock.now().getTime() - retentionDays * DAY_MS;
    const dropped: Dropped[] = [];
    for (const seal of (await this.index()).seals) {
      if (seal.dropped) continue;
      // Judged on when it was sealed (this writer's clock, under the index's MAC), never on a time a record
      // claims: a line's `at` is not checked when sealing, and a forged old one must not get records dropped early.
      if (Date.parse(seal.at) >= cutoff) break; // (oldest first: the rest are newer)
      const entry: DropEntry = { v: 1, n: (await this.index()).entries.length, kind: 'drop', segment: seal.n, retentionDays, at: this.deps.clock.now().toISOString() };
      // Said in the index first: a crash then leaves a file nobody needs, never a gap nobody explains.
      await this.appendEntry(keys, await this.index(), entry);
      await this.deps.fs.unlink(segmentFile(this.paths, seal.first)).catch(() => undefined);
      dropped.push({ first: seal.first, last: seal.last, retentionDays });
    }
    return dropped;
  }

  private async appendEntry(keys: TrailKeys, index: SegmentIndex, entry: SealEntry | DropEntry): Promise<void> {
    await this.deps.fs.ensureDir(this.paths.dir);
    await this.deps.fs.append(this.paths.index, Buffer.from(indexLine(entry, indexMac(keys, index.mac, entry)), 'utf8'), { sync: true });
    this.#index = null;
  }
}
