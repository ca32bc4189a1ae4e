import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { systemRandom } from '../ports/random.js';
import { readTrail } from './trail-read.js';
import { GENESIS_MAC, recordLine, recordMac, sealName, trailKeys, TRAIL_VERSION, type TrailRecord } from './trail-records.js';

const keys = trailKeys(randomBytes(32), '00000000-0000-4000-8000-000000000000');
const NAMES = ['stripe-prod', 'github', 'aws-root'];

/** A trail of `n` records as a writer makes them: every third a list, the rest reads of a named credential. */
function trail(n: number): Buffer {
  let mac: Buffer = GENESIS_MAC;
  const lines: string[] = [];
  for (let seq = 0; seq < n; seq++) {
    const named = seq % 3 !== 0;
    const record: TrailRecord = {
      v: TRAIL_VERSION,
      seq,
      at: new Date(Date.UTC(2026, 11, 1) + seq * 1000).toISOString(),
      device: '0123456789abcdef',
      actor: seq % 2 ? 'cli' : 'app',
      action: named ? 'reveal' : 'list',
      outcome: seq % 7 ? 'success' : 'failure',
      ...(named ? { name: sealName(keys, seq, NAMES[seq % NAMES.length]!, systemRandom) } : {}),
    };
    mac = recordMac(keys, mac, record);
    lines.push(recordLine(record, mac));
  }
  return Buffer.from(lines.join(''), 'utf8');
}

describe('reading the trail (trail-read.ts)', () => {
  const log = trail(300);
  const all = readTrail(log, keys);

  it('a limited read, which walks back from the end, is the tail of the whole read, for any filter', () => {
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    const filters = [{}, { actor: 'cli' }, { credential: 'github' }, { credential: 'github', outcome: 'failure' as const }, { action: 'reveal', before: 150 }, { since: all[100]!.at, until: all[120]!.at }, { seqs: [3, 5, 299] }];
    for (const filter of filters)
      for (const limit of [1, 7, 1000]) {
        const whole = readTrail(log, keys, filter);
        expect(readTrail(log, keys, { ...filter, limit }), JSON.stringify({ filter, limit })).toEqual(whole.slice(-limit));
      }
  });

  it('opens names, and skips lines that are not records, and a last line without its newline', () => {
    expect(all[1]).toMatchObject({ seq: 1, action: 'reveal', credential: 'github' });
    expect(all[0]).not.toHaveProperty('credential');
    const damaged = Buffer.concat([Buffer.from('not a record\n'), log, Buffer.from('{"seq":300,"at":"2026-12-02T00:00:00.000Z","action":"list","mac":"00"')]);
    // (The torn line is cut JSON: neither a whole read nor one from the end takes it for a record.)
    expect(readTrail(damaged, keys, { limit: 2 }).map((e) => e.seq)).toEqual([298, 299]);
    expect(readTrail(damaged, keys)).toEqual(all);
  });
});
