/**
 * The detector on synthetic histories (issue 12): eight quiet weeks of a
 * person, a CLI and two nightly jobs, then a week with known anomalies. Quiet,
 * ordinary use opens nothing; each planted anomaly is found once.
 */
import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../../../shared/incidents.js';
import { checkOverride, DEFAULT_DETECTION_RULES, rulesWith } from './detection-rules.js';
import { Detector, emptyDetectorState, type WatchedRecord } from './detector.js';
import { responsesFor } from './audit-watch.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A Monday, 00:00 UTC. */
const START = Date.parse('2026-09-07T00:00:00Z');
const utcHourOfWeek = (ms: number) => new Date(ms).getUTCDay() * 24 + new Date(ms).getUTCHours();

/** A small deterministic PRNG (mulberry32): the same history every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Event = Omit<WatchedRecord, 'seq' | 'at'> & { t: number };
const cred = (name: string) => ({ cred: `k-${name}`, name });
const CREDENTIALS = Array.from({ length: 40 }, (_, i) => `service-${i}`);

function quietWeeks(weeks: number): Event[] {
  const rand = prng(7);
  const events: Event[] = [{ t: START, actor: 'app', action: 'vault.create', outcome: 'success' }];
  for (let day = 0; day < weeks * 7; day++) {
    const base = START + day * DAY;
    const weekday = day % 7 < 5;
    if (weekday) {
      // Nightly jobs 00:00–06:00: a deploy key every 10 minutes, a metrics token 18 times per 10 minutes.
      for (let w = 0; w < 36; w++) {
        const t0 = base + w * 10 * MINUTE;
        events.push({ t: t0, actor: 'harness', action: 'reveal', outcome: 'success', ...cred('deploy-key') });
        for (let i = 0; i < 18; i++) events.push({ t: t0 + 5_000 + i * 30_000, actor: 'harness', action: 'reveal', outcome: 'success', ...cred('metrics-token') });
      }
      // A person at work, 08:00–18:00: unlocks (a typo now and then), about 25 reads, lists and shows; a CLI now and then.
      const unlock = base + 8 * HOUR + Math.floor(rand() * 50) * MINUTE;
      if (rand() < 0.25) events.push({ t: unlock - MINUTE, actor: 'app', action: 'vault.unlock.password', outcome: 'failure', code: 'AUTH_FAILED', locked: true });
      events.push({ t: unlock, actor: 'app', action: 'vault.unlock.password', outcome: 'success' });
      for (let i = 0; i < 25; i++) {
        const t = base + 9 * HOUR + Math.floor(rand() * 9 * HOUR);
        const name = CREDENTIALS[Math.floor(rand() ** 2 * CREDENTIALS.length)]!;
        events.push({ t, actor: rand() < 0.8 ? 'app' : 'cli', action: rand() < 0.5 ? 'reveal' : 'copy.field', outcome: 'success', ...cred(name) });
        if (rand() < 0.2) events.push({ t: t + MINUTE, actor: 'app', action: 'reveal', outcome: 'success', ...cred(name) });
      }
      for (let i = 0; i < 5; i++) events.push({ t: base + 9 * HOUR + Math.floor(rand() * 9 * HOUR), actor: 'app', action: 'list', outcome: 'success' });
      events.push({ t: base + 18 * HOUR + 30 * MINUTE, actor: 'app', action: 'vault.lock.idle', outcome: 'success' });
    } else if (Math.floor(day / 7) % 2 === 0 && day % 7 === 5) {
      // Every other Saturday morning, 10:00–11:00.
      events.push({ t: base + 10 * HOUR, actor: 'app', action: 'vault.unlock.password', outcome: 'success' });
      events.push({ t: base + 10 * HOUR + 5 * MINUTE, actor: 'app', action: 'reveal', outcome: 'success', ...cred('service-1') });
    }
  }
  return events;
}

function run(events: Event[]) {
  const detector = new Detector(DEFAULT_DETECTION_RULES, utcHourOfWeek);
  const state = emptyDetectorState();
  const found: Anomaly[] = [];
  [...events]
    .sort((a, b) => a.t - b.t)
    .forEach(({ t, ...e }, seq) => found.push(...detector.observe(state, { ...e, seq, at: new Date(t).toISOString() })));
  return { found, state };
}

describe('the detector', () => {
  const QUIET_WEEKS = 8;
  const quiet = quietWeeks(QUIET_WEEKS);

  it('finds nothing in eight quiet weeks but the first access of each program (info)', () => {
    const { found } = run(quiet);
    expect(quiet.length).toBeGreaterThan(25_000);
    // The only anomalies: the first time the CLI and the nightly job appeared (never an incident).
    expect(found.map((a) => [a.kind, a.severity, a.actor])).toEqual([
      ['new-actor', 'info', 'harness'],
      ['new-actor', 'info', 'cli'],
    ]);
  });

  it('finds each planted anomaly once, explained, with the records behind it', () => {
    const week9 = START + QUIET_WEEKS * 7 * DAY;
    const planted: Event[] = [];
    // Tuesday 14:00: one credential read 25 times in 4 minutes.
    for (let i = 0; i < 25; i++) planted.push({ t: week9 + DAY + 14 * HOUR + i * 10_000, actor: 'cli', action: 'reveal', outcome: 'success', ...cred('service-30') });
    // Tuesday 02:00: the metrics token at 28 reads in 10 minutes — above 20, but within 10× its own usual rate: nothing.
    for (let i = 0; i < 28; i++) planted.push({ t: week9 + DAY + 2 * HOUR + 7_000 + i * 20_000, actor: 'harness', action: 'reveal', outcome: 'success', ...cred('metrics-token') });
    // Wednesday 02:10: 45 in 10 minutes — above its own limit.
    for (let i = 0; i < 45; i++) planted.push({ t: week9 + 2 * DAY + 2 * HOUR + 10 * MINUTE + 8_000 + i * 13_000, actor: 'harness', action: 'reveal', outcome: 'success', ...cred('metrics-token') });
    // Wednesday 15:00: 16 different credentials in 3 minutes.
    for (let i = 0; i < 16; i++) planted.push({ t: week9 + 2 * DAY + 15 * HOUR + i * 10_000, actor: 'cli', action: 'copy.field', outcome: 'success', ...cred(`service-${20 + i}`) });
    // Thursday 08:00: six wrong passwords in 10 minutes.
    for (let i = 0; i < 6; i++) planted.push({ t: week9 + 3 * DAY + 8 * HOUR + i * 2 * MINUTE, actor: 'app', action: 'vault.unlock.password', outcome: 'failure', code: 'AUTH_FAILED', locked: true });
    // Thursday 10:00: a program never seen before.
    planted.push({ t: week9 + 3 * DAY + 10 * HOUR, actor: 'test', action: 'list', outcome: 'success' });
    // Sunday 03:00: a read in an hour of the week that has been silent.
    planted.push({ t: week9 + 6 * DAY + 3 * HOUR, actor: 'cli', action: 'reveal', outcome: 'success', ...cred('service-2') });
    // Sunday 04:00: the trail found cut back.
    planted.push({ t: week9 + 6 * DAY + 4 * HOUR, actor: 'cli', action: 'audit.gap', outcome: 'failure', code: 'CORRUPTED' });

    const { found } = run([...quiet, ...planted]);
    const after = found.filter((a) => Date.parse(a.at) >= week9);
    expect(after.map((a) => [a.kind, a.severity])).toEqual([
      ['burst', 'high'],
      ['burst', 'high'],
      ['sweep', 'high'],
      ['failed-unlocks', 'high'],
      ['new-actor', 'info'],
      ['odd-hour', 'low'],
      ['tamper', 'critical'],
    ]);
    const [burst, adaptive, sweep, failures, actor, oddHour] = after as [Anomaly, Anomaly, Anomaly, Anomaly, Anomaly, Anomaly];
    expect(burst).toMatchObject({ credential: 'service-30', credentialKey: 'k-service-30', actor: 'cli' });
    expect(burst.explanation).toMatch(/^"service-30" was read 21 times within 10 minutes .*the limit is 20\.$/);
    expect(burst.seqs).toHaveLength(21);
    expect(adaptive.credential).toBe('metrics-token');
    expect(adaptive.explanation).toMatch(/usually about 3 times per 10 minutes\); the limit is 3\d\./);
    expect(sweep.explanation).toMatch(/^15 different credentials were read within 5 minutes \(the limit is 14\)/);
    expect(sweep.seqs).toHaveLength(15);
    expect(failures.explanation).toBe('5 wrong master passwords within 15 minutes (the limit is 4).');
    expect(actor).toMatchObject({ actor: 'test' });
    expect(oddHour.explanation).toMatch(/^Used on a Sunday between 03:00 and 04:00/);
  });

  it('keeps a baseline per grant: a nightly job is judged by its own pace and hours, and the person by theirs', () => {
    const events: Event[] = [{ t: START, actor: 'app', action: 'vault.create', outcome: 'success' }];
    // Three weeks: every night at 03:00, the grant "ci" runs the deploy with 30 values injected (and reads 2 more);
    // a person works 09:00–17:00.
    for (let day = 0; day < 21; day++) {
      const night = START + day * DAY + 3 * HOUR;
      for (let i = 0; i < 30; i++) events.push({ t: night + i * 1_000, actor: 'grant:ci', action: 'reveal.run', outcome: 'success', ...cred(`service-${i}`) });
      for (let i = 0; i < 2; i++) events.push({ t: night + 40_000 + i * 1_000, actor: 'grant:ci', action: 'reveal', outcome: 'success', ...cred(`service-${i}`) });
      for (let h = 9; h < 17; h++) events.push({ t: START + day * DAY + h * HOUR, actor: 'app', action: 'reveal', outcome: 'success', ...cred('service-39') });
    }
    const week4 = START + 21 * DAY;
    const planted: Event[] = [
      // Night 22, 03:00: 50 uses — more than it ever used, but within twice its busiest night (32): nothing.
      ...Array.from({ length: 50 }, (_, i): Event => ({ t: week4 + 3 * HOUR + i * 1_000, actor: 'grant:ci', action: 'reveal.run', outcome: 'success', ...cred(`service-${i % 39}`) })),
      // Night 23, 03:00: 120 uses within a minute — more than twice its busiest (now 50): the grant's own burst, once.
      ...Array.from({ length: 120 }, (_, i): Event => ({ t: week4 + DAY + 3 * HOUR + i * 500, actor: 'grant:ci', action: 'reveal.run', outcome: 'success', ...cred(`service-${i % 39}`) })),
      // Day 23, 03:30: the person at 03:30 — the grant's usual hour, never theirs.
      { t: week4 + DAY + 3 * HOUR + 30 * MINUTE, actor: 'app', action: 'reveal', outcome: 'success', ...cred('service-39') },
      // Day 24, 13:00: the grant in the afternoon — the person's usual hour, never its own.
      { t: week4 + 2 * DAY + 13 * HOUR, actor: 'grant:ci', action: 'reveal.run', outcome: 'success', ...cred('service-0') },
    ];
    const { found, state } = run([...events, ...planted]);
    expect(found.filter((a) => Date.parse(a.at) < week4).map((a) => a.kind)).toEqual(['new-actor']);
    const after = found.filter((a) => Date.parse(a.at) >= week4);
    expect(after.map((a) => [a.kind, a.actor, Math.floor((Date.parse(a.at) - week4) / HOUR)])).toEqual([
      ['burst', 'grant:ci', 27],
      ['odd-hour', 'app', 27],
      ['odd-hour', 'grant:ci', 61],
    ]);
    const burst = after[0]!;
    expect(burst.credentialKey).toBeUndefined();
    // The 101st use is the first above twice its busiest window before (50, the night before): that limit spoke,
    // not the burst rule's 20 nor 10× its usual pace.
    expect(burst.seqs).toHaveLength(101);
    expect(burst.explanation).toBe('The grant "ci" used 101 values within 10 minutes: its busiest 10 minutes before had 50, and it usually uses less than one per 10 minutes; the limit is 100.');
    expect(responsesFor(burst, DEFAULT_DETECTION_RULES)).toEqual(['notify', 'suspend-grant']);
    // The window that crossed the limit is not learnt: its busiest is still the night before's.
    expect(state.grants?.['grant:ci']?.busiest).toBe(50);
  });

  it('a grant cannot teach itself a higher limit by doubling its pace window after window: within a day its busiest at most doubles', () => {
    const events: Event[] = [{ t: START, actor: 'app', action: 'vault.create', outcome: 'success' }];
    // Two weeks of learning: 10 values every night.
    for (let day = 0; day < 15; day++) for (let i = 0; i < 10; i++) events.push({ t: START + day * DAY + 3 * HOUR + i * 1_000, actor: 'grant:job', action: 'reveal.run', outcome: 'success', ...cred('service-1') });
    const start = START + 15 * DAY + 12 * HOUR;
    // Then a stolen token ramps up: 20, 40, 80 uses in successive windows — each one exactly twice the last, which is
    // each time within "twice its busiest window" if every window were learnt whole.
    let t = start;
    for (const count of [20, 40, 80]) {
      for (let i = 0; i < count; i++) events.push({ t: t + i * 1_000, actor: 'grant:job', action: 'reveal.run', outcome: 'success', ...cred('service-1') });
      t += 15 * MINUTE;
    }
    const { found, state } = run(events);
    const bursts = found.filter((a) => a.kind === 'burst');
    expect(bursts).toHaveLength(1);
    // The third window: the day began with a busiest of 10, so no window today taught more than 20; the limit is 40.
    expect(Date.parse(bursts[0]!.at)).toBeGreaterThanOrEqual(start + 30 * MINUTE);
    expect(bursts[0]!.explanation).toMatch(/used 41 values within 10 minutes: its busiest 10 minutes before had 20, .* the limit is 40\.$/);
    expect(state.grants?.['grant:job']?.busiest).toBe(20);
  });

  it('a grant made again under a revoked one’s name starts a baseline of its own', () => {
    const events: Event[] = [{ t: START, actor: 'app', action: 'vault.create', outcome: 'success' }];
    // "job" used 60 values every night for two weeks, then was revoked and made again (say, for another program).
    for (let day = 0; day < 15; day++) for (let i = 0; i < 60; i++) events.push({ t: START + day * DAY + 3 * HOUR + i * 1_000, actor: 'grant:job', action: 'reveal.run', outcome: 'success', ...cred('service-1') });
    const later = START + 15 * DAY + 12 * HOUR;
    events.push({ t: later, actor: 'app', action: 'grant.revoke.job', outcome: 'success' }, { t: later + 1_000, actor: 'app', action: 'grant.add.job', outcome: 'success' });
    const { state } = run(events);
    expect(state.grants?.['grant:job']).toBeUndefined();
    // Its first use begins its own learning, with nothing of the old grant's busiest nights.
    const { state: after } = run([...events, { t: later + MINUTE, actor: 'grant:job', action: 'reveal.run', outcome: 'success', ...cred('service-1') }]);
    expect(after.grants?.['grant:job']).toMatchObject({ since: later + MINUTE, uses: 1, busiest: 0 });
  });

  it('counts a grant’s uses that arrive out of time order in their place: one from before the window is not in it', () => {
    const events: Event[] = [{ t: START, actor: 'app', action: 'vault.create', outcome: 'success' }];
    for (let day = 0; day < 15; day++) for (let i = 0; i < 10; i++) events.push({ t: START + day * DAY + 3 * HOUR + i * 1_000, actor: 'grant:job', action: 'reveal.run', outcome: 'success', ...cred('service-1') });
    const night = START + 15 * DAY + 3 * HOUR;
    const detector = new Detector(DEFAULT_DETECTION_RULES, utcHourOfWeek);
    const state = emptyDetectorState();
    const found: Anomaly[] = [];
    let seq = 0;
    const feed = (e: Event) => found.push(...detector.observe(state, { ...e, seq: seq++, at: new Date(e.t).toISOString() }));
    events.forEach(feed);
    const use = (t: number): Event => ({ t, actor: 'grant:job', action: 'reveal.run', outcome: 'success', ...cred('service-1') });
    // 19 uses in a minute, then one from 20 minutes before (another process's record, late: outside the window), then
    // one from 2 minutes before (inside it): 20 in the window, the limit (20) not crossed.
    for (let i = 0; i < 19; i++) feed(use(night + 5 * MINUTE + i * 1_000));
    feed(use(night - 15 * MINUTE));
    feed(use(night + 3 * MINUTE));
    expect(found.filter((a) => a.kind === 'burst')).toEqual([]);
    // The 21st in the window crosses it: counted as 21, the late one from outside not among them.
    feed(use(night + 6 * MINUTE));
    const burst = found.filter((a) => a.kind === 'burst');
    expect(burst).toHaveLength(1);
    expect(burst[0]!.seqs).toHaveLength(21);
    expect(burst[0]!.explanation).toMatch(/^The grant "job" used 21 values within 10 minutes: its busiest 10 minutes before had 10,/);
  });

  it('a sweep of a whole vault is one anomaly, and its window then forgets every read older than the window', () => {
    const detector = new Detector(DEFAULT_DETECTION_RULES, utcHourOfWeek);
    let state = emptyDetectorState();
    const found: Anomaly[] = [];
    const read = (t: number, name: string, seq: number) => found.push(...detector.observe(state, { seq, at: new Date(t).toISOString(), actor: 'cli', action: 'reveal', outcome: 'success', ...cred(name) }));
    read(START, 'first', 0);
    // 10,000 different credentials in 100 seconds, the state saved and read back half way.
    for (let i = 1; i <= 10_000; i++) {
      if (i === 5_000) state = JSON.parse(JSON.stringify(state)) as typeof state;
      read(START + HOUR + i * 10, `sweep-${i}`, i);
    }
    expect(found.filter((a) => a.kind === 'sweep')).toHaveLength(1);
    expect(Object.keys(state.sweepReads)).toHaveLength(10_000);
    // Six minutes on, one more read: the window holds it alone, in memory and in what is saved.
    read(START + HOUR + 100_000 + 6 * MINUTE, 'later', 10_001);
    expect(Object.keys(state.sweepReads)).toEqual(['k-later']);
    expect(Object.keys((JSON.parse(JSON.stringify(state)) as typeof state).sweepReads)).toEqual(['k-later']);
  });

  it('a read from a clock that is behind does not make reads from different windows one sweep', () => {
    const detector = new Detector(DEFAULT_DETECTION_RULES, utcHourOfWeek);
    const state = emptyDetectorState();
    const found: Anomaly[] = [];
    const read = (t: number, name: string, seq: number) => found.push(...detector.observe(state, { seq, at: new Date(t).toISOString(), actor: 'cli', action: 'reveal', outcome: 'success', ...cred(name) }));
    const later = START + HOUR + 10 * MINUTE;
    for (let i = 0; i < 13; i++) read(later + i * 1000, `now-${i}`, i);
    read(START + HOUR, 'ten-minutes-behind', 13); // another process's clock, 10 minutes behind
    read(later + 20_000, 'one-more', 14);
    // 14 different credentials within 5 minutes (13 + 1); the one 10 minutes earlier is in no window with them.
    expect(found.filter((a) => a.kind === 'sweep')).toEqual([]);
    read(later + 21_000, 'and-another', 15);
    expect(found.filter((a) => a.kind === 'sweep')).toHaveLength(1);
  });

  it('keeps its state as plain data: a detector restarted from the saved state goes on as if it never stopped', () => {
    const events = quietWeeks(3).sort((a, b) => a.t - b.t);
    const whole = run(events);
    const detector = new Detector(DEFAULT_DETECTION_RULES, utcHourOfWeek);
    let state = emptyDetectorState();
    const found: Anomaly[] = [];
    events.forEach(({ t, ...e }, seq) => {
      if (seq % 1000 === 0) state = JSON.parse(JSON.stringify(state)) as typeof state;
      found.push(...detector.observe(state, { ...e, seq, at: new Date(t).toISOString() }));
    });
    expect(found).toEqual(whole.found);
    expect(state).toEqual(whole.state);
  });
});

describe('the rules in force', () => {
  it('are the defaults with the vault’s overrides: thresholds in minutes and days, locks on or off', () => {
    expect(rulesWith({})).toBe(DEFAULT_DETECTION_RULES);
    const rules = rulesWith({ 'sweep.credentials': 40, 'sweep.minutes': 2, 'burst.history-days': 30, 'lock.sweep': false, 'lock.burst': true });
    expect(rules.sweep).toEqual({ credentials: 40, windowMs: 2 * MINUTE });
    expect(rules.burst.historyMs).toBe(30 * DAY);
    expect(rules.responses.sweep).toEqual(['notify']);
    expect(rules.responses.burst).toEqual(['notify', 'lock']);
    expect(rules.responses.tamper).toEqual(['notify', 'lock']);
    expect(DEFAULT_DETECTION_RULES.responses.sweep).toEqual(['notify', 'lock']);
  });

  it('refuse an unknown setting, a number out of range, and a lock of a kind that cannot lock, saying what would do', () => {
    expect(checkOverride('burst.reads', 4)).toBe('burst.reads is a whole number from 5 to 10000.');
    expect(checkOverride('burst.reads', 2.5)).toMatch(/whole number/);
    expect(checkOverride('burst.speed', 3)).toMatch(/is not a detection setting: burst.reads, burst.minutes/);
    expect(checkOverride('lock.odd-hour', true)).toMatch(/is not a kind that can lock: lock.burst, lock.sweep/);
    expect(checkOverride('lock.sweep', 3)).toBe('lock.sweep is on or off.');
    expect(checkOverride('sweep.minutes', 30)).toBeNull();
  });

  it('change what the detector finds', () => {
    const detector = new Detector(rulesWith({ 'sweep.credentials': 3 }), utcHourOfWeek);
    const state = emptyDetectorState();
    const found = ['a', 'b', 'c'].flatMap((name, seq) => detector.observe(state, { seq, at: new Date(START + seq * 1000).toISOString(), actor: 'cli', action: 'reveal', outcome: 'success', ...cred(name) }));
    expect(found.map((a) => a.kind)).toEqual(['sweep']);
  });
});
