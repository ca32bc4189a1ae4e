/**
 * Forwards what the trail holds after a destination's cursor, in deliveries
 * of at most RECORDS_PER_DELIVERY records, moving the cursor after each one
 * the transport accepted. Nothing is sent twice across runs unless a delivery
 * fails after the receiver got it (then it is sent again: at least once), and
 * nothing is skipped: a failed delivery leaves the cursor where it was.
 */
import type { AuditEntry } from '../trail-read.js';
import type { SyslogDestination } from './destination.js';
import type { ForwardState } from './forward-state.js';
import type { SyslogTransport } from './syslog-transport.js';
import type { AuditFeed, FeedRecord } from './trail-feed.js';

/** Records per TCP connection (or burst of datagrams): bounds memory, and what a failure makes us send again. */
export const RECORDS_PER_DELIVERY = 500;

export interface ForwarderDeps {
  feed: AuditFeed;
  destination: SyslogDestination;
  state: ForwardState;
  transport: SyslogTransport;
  /** A record as the message the transport sends (rfc5424.ts). */
  message: (record: AuditEntry) => string;
  vaultId: string;
  now: () => Date;
}

export interface ForwardResult {
  /** Records handed to the receiver by this call. */
  sent: number;
  /** The first of them. */
  firstSeq?: number;
  /** The cursor afterwards: the last record sent or passed over (-1: none yet). */
  lastSeq: number;
  /** Records before --since, passed over on the first delivery to this destination. */
  skipped: number;
  /** Nothing had been forwarded there before this call. */
  firstRun: boolean;
  /**
   * The remembered cursor did not authenticate (changed by someone without
   * the vault, or written before cursors carried a MAC): it was not followed,
   * and this destination started over, so nothing is skipped.
   */
  cursorDistrusted?: true;
}

export class AuditForwarder {
  /** The cursor, once read from the state (then kept here: this process is the one moving it). */
  #after: number | null = null;
  #loaded = false;

  constructor(private readonly deps: ForwarderDeps) {}

  /**
   * Sends the records after the cursor. `since` (ISO) only matters when
   * nothing was ever sent to this destination: the first record sent is then
   * the first made at or after it, and the ones before are passed over.
   */
  async forwardNew(since?: string): Promise<ForwardResult> {
    const { feed, destination, transport } = this.deps;
    let cursorDistrusted = false;
    if (!this.#loaded) {
      const cursor = await this.deps.state.cursor(destination.key, this.deps.vaultId);
      // A raised cursor would have records never sent: one this vault's key did not write on this very trail, or a
      // state file that cannot be read, is not followed.
      cursorDistrusted = cursor === 'damaged' || (cursor !== null && !(await feed.cursorIsAuthentic(destination.key, cursor)));
      this.#after = cursor && cursor !== 'damaged' && !cursorDistrusted ? cursor.lastSeq : null;
      this.#loaded = true;
    }
    const firstRun = this.#after === null;
    let records = await feed.after(this.#after ?? -1);
    let skipped = 0;
    // (--since is for a destination that never had a cursor: one that was not followed gets everything again.)
    if (firstRun && since !== undefined && !cursorDistrusted) {
      const start = records.findIndex((r) => r.at >= since);
      skipped = start < 0 ? records.length : start;
      if (skipped > 0) {
        // Passed over for good: the cursor moves past them before anything is sent.
        await this.moveTo(records[skipped - 1]!);
        records = records.slice(skipped);
      }
    }
    const firstSeq = records[0]?.seq;
    let sent = 0;
    for (let i = 0; i < records.length; i += RECORDS_PER_DELIVERY) {
      const delivery = records.slice(i, i + RECORDS_PER_DELIVERY);
      await transport(destination, delivery.map(this.deps.message));
      await this.moveTo(delivery.at(-1)!);
      sent += delivery.length;
    }
    return { sent, ...(firstSeq !== undefined ? { firstSeq } : {}), lastSeq: this.#after ?? -1, skipped, firstRun, ...(cursorDistrusted ? { cursorDistrusted: true as const } : {}) };
  }

  private async moveTo({ seq, mac }: FeedRecord): Promise<void> {
    const key = this.deps.destination.key;
    await this.deps.state.advance(key, await this.deps.feed.signCursor(key, { lastSeq: seq, recordMac: mac, vaultId: this.deps.vaultId, updatedAt: this.deps.now().toISOString() }));
    this.#after = seq;
  }
}

/** What to tell the person when a remembered cursor was not followed (ForwardResult.cursorDistrusted). */
export function distrustedCursorNotice(destination: string): string {
  return `The record ${destination} was last sent did not authenticate (the forwarding state was changed, or written by an older Keyward), so the trail was sent there again from the start: the receiver may hold some records twice, and has none missing.`;
}
