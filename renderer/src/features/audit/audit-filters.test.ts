import { describe, expect, it } from 'vitest';
import { AUDIT_SCHEMAS, MAX_AUDIT_RECORDS } from '../../../../shared/ipc/audit.schemas';
import type { AuditRecordView } from '../../../../shared/ipc/contract';
import { ACTION_CHOICES, filterProblems, isFiltering, NO_FILTERS, OTHER_ACTION, sameText, toQuery, type AuditFilters } from './audit-filters';
import { nextPageQuery, NO_PAGES, PAGE_SIZE, PREFETCH_ROWS, wantsMore, withPage } from './audit-pages';
import { actorFigures, dayLabel, dayOfMonth, outcomeText, readsPerDaySummary, shownLine } from './audit-words';

const NOW = new Date('2026-12-07T12:00:00.000Z');
const f = (over: Partial<AuditFilters>): AuditFilters => ({ ...NO_FILTERS, ...over });
const schema = AUDIT_SCHEMAS['audit.records'];

describe('toQuery', () => {
  it('asks for everything when nothing is set', () => {
    expect(toQuery(NO_FILTERS, NOW)).toEqual({});
    expect(isFiltering(NO_FILTERS)).toBe(false);
  });

  it('turns a recent range into a since, in the trail’s own ISO form', () => {
    expect(toQuery(f({ time: '24h' }), NOW)).toEqual({ since: '2026-12-06T12:00:00.000Z' });
    expect(toQuery(f({ time: '7d' }), NOW)).toEqual({ since: '2026-11-30T12:00:00.000Z' });
    expect(toQuery(f({ time: '30d' }), NOW)!.since).toBe('2026-11-07T12:00:00.000Z');
  });

  it('takes whole UTC days for a custom range, either end optional', () => {
    expect(toQuery(f({ time: 'custom', from: '2026-12-01', to: '2026-12-03' }), NOW)).toEqual({ since: '2026-12-01T00:00:00.000Z', until: '2026-12-03T23:59:59.999Z' });
    expect(toQuery(f({ time: 'custom', from: '2026-12-01' }), NOW)).toEqual({ since: '2026-12-01T00:00:00.000Z' });
    expect(toQuery(f({ time: 'custom' }), NOW)).toEqual({});
    // Dates typed while another range is chosen do not apply.
    expect(toQuery(f({ time: 'any', from: '2026-12-01' }), NOW)).toEqual({});
  });

  it('sends a chosen action or family as it is, and a typed one trimmed', () => {
    expect(toQuery(f({ action: 'vault.' }), NOW)).toEqual({ action: 'vault.' });
    expect(toQuery(f({ action: OTHER_ACTION, actionText: ' copy.field.username ' }), NOW)).toEqual({ action: 'copy.field.username' });
    expect(toQuery(f({ action: OTHER_ACTION, actionText: '' }), NOW)).toEqual({});
    expect(toQuery(f({ actor: ' cli ', credential: ' stripe/prod ', outcome: 'failure' }), NOW)).toEqual({ actor: 'cli', credential: 'stripe/prod', outcome: 'failure' });
  });

  it('refuses what main would refuse, by field, instead of asking', () => {
    expect(filterProblems(f({ actor: 'a b' })).actor).toMatch(/letters, digits/);
    expect(filterProblems(f({ action: OTHER_ACTION, actionText: 'x'.repeat(101) })).actionText).toMatch(/100/);
    expect(filterProblems(f({ time: 'custom', from: '2026-12-05', to: '2026-12-01' })).to).toMatch(/on or after/);
    expect(filterProblems(f({ time: 'custom', from: '2026-13-45' })).from).toBeDefined();
    expect(toQuery(f({ actor: 'a b' }), NOW)).toBeNull();
    expect(isFiltering(f({ actor: 'a b' }))).toBe(true);
    // Text in a field that does not apply is not judged.
    expect(filterProblems(f({ action: 'reveal', actionText: 'a b' }))).toEqual({});
  });

  it('makes only queries the schema in main accepts', () => {
    const all: AuditFilters[] = [
      ...ACTION_CHOICES.map((c) => f({ action: c.value, actionText: c.value === OTHER_ACTION ? 'audit.verify' : '' })),
      ...(['any', '24h', '7d', '30d'] as const).map((time) => f({ time })),
      f({ time: 'custom', from: '2026-01-01', to: '2026-12-31', actor: 'harness', credential: 'ü name/with spaces', outcome: 'success' }),
    ];
    for (const filters of all) {
      const q = toQuery(filters, NOW)!;
      expect(schema.safeParse(q).success, JSON.stringify(q)).toBe(true);
      expect(schema.safeParse(nextPageQuery(q, { records: [{ seq: 12 } as AuditRecordView], more: true })).success).toBe(true);
    }
  });

  it('tells typed changes from chosen ones', () => {
    expect(sameText(NO_FILTERS, f({ outcome: 'failure', action: 'reveal', time: '7d' }))).toBe(true);
    expect(sameText(NO_FILTERS, f({ credential: 'g' }))).toBe(false);
    expect(sameText(NO_FILTERS, f({ from: '2026-12-01' }))).toBe(false);
  });
});

const rec = (seq: number): AuditRecordView => ({ seq, at: new Date(1_700_000_000_000 + seq * 1000).toISOString(), device: 'd', actor: 'app', action: 'list', outcome: 'success' });
/** A page as main answers it: oldest first. */
const page = (from: number, count: number) => Array.from({ length: count }, (_, i) => rec(from + i));

describe('paging', () => {
  it('asks for pages as big as main allows', () => {
    expect(PAGE_SIZE).toBe(MAX_AUDIT_RECORDS);
  });

  it('asks first for the newest, then before the oldest held', () => {
    expect(nextPageQuery({ actor: 'cli' }, NO_PAGES)).toEqual({ actor: 'cli', limit: PAGE_SIZE });
    const first = withPage(NO_PAGES, page(95_000, PAGE_SIZE));
    expect(first.records[0]!.seq).toBe(99_999);
    expect(first.records.at(-1)!.seq).toBe(95_000);
    expect(first.more).toBe(true);
    expect(nextPageQuery({ actor: 'cli' }, first)).toEqual({ actor: 'cli', limit: PAGE_SIZE, before: 95_000 });
  });

  it('appends older pages newest first, and knows the end by a short page', () => {
    let pages = withPage(NO_PAGES, page(5, PAGE_SIZE));
    pages = withPage(pages, page(0, 5));
    expect(pages.records).toHaveLength(PAGE_SIZE + 5);
    expect(pages.records.slice(-6).map((r) => r.seq)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(pages.more).toBe(false);
    expect(withPage(NO_PAGES, []).more).toBe(false);
  });

  it('never shows a record twice', () => {
    const pages = withPage(withPage(NO_PAGES, page(10, 10)), page(5, 10));
    expect(pages.records.map((r) => r.seq)).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5]);
  });

  it('wants the next page only near the end, and one at a time', () => {
    const pages = withPage(NO_PAGES, page(0, PAGE_SIZE));
    expect(wantsMore(pages, 30, false)).toBe(false);
    expect(wantsMore(pages, PAGE_SIZE - PREFETCH_ROWS, false)).toBe(true);
    expect(wantsMore(pages, PAGE_SIZE - 1, true)).toBe(false);
    expect(wantsMore({ ...pages, more: false }, PAGE_SIZE - 1, false)).toBe(false);
  });
});

describe('words', () => {
  it('says how much is shown, honestly', () => {
    const held = withPage(NO_PAGES, page(95_000, PAGE_SIZE));
    expect(shownLine({ ...held, filtering: false })).toBe('Showing the newest 5,000 records (#95,000 to #99,999), newest first; older ones load as you scroll.');
    expect(shownLine({ ...held, filtering: true })).toBe('Showing the newest 5,000 matching records, newest first; older ones load as you scroll.');
    expect(shownLine({ records: page(0, 19).reverse(), more: false, filtering: false })).toBe('All 19 records, newest first.');
    expect(shownLine({ records: page(0, 3).reverse(), more: false, filtering: true })).toBe('All 3 matching records, newest first.');
    expect(shownLine({ records: [rec(7)], more: false, filtering: true })).toBe('The one matching record.');
    expect(shownLine({ records: [], more: false, filtering: true })).toBe('No records match.');
    // Unfiltered and starting above #0: older records are gone (retention, or a gap Verify names).
    expect(shownLine({ records: [rec(70_000), rec(65_536)], more: false, filtering: false })).toBe('All 2 records, newest first. The trail begins at #65,536: older records are no longer kept.');
  });

  it('names outcomes with their code', () => {
    expect(outcomeText({ outcome: 'success' })).toBe('Succeeded');
    expect(outcomeText({ outcome: 'failure', code: 'WRONG_PASSWORD' })).toBe('Failed (WRONG_PASSWORD)');
    expect(outcomeText({ outcome: 'failure' })).toBe('Failed');
  });

  it('labels days in UTC', () => {
    expect(dayLabel('2026-12-07')).toBe('Mon, Dec 7');
    expect(dayOfMonth('2026-12-07')).toBe('7');
    expect(dayLabel('nonsense')).toBe('nonsense');
  });

  it('sums up 30 days of reads', () => {
    const days = Array.from({ length: 30 }, (_, i) => ({ day: `2026-11-${String(i + 1).padStart(2, '0')}`, reads: 0 }));
    expect(readsPerDaySummary(days)).toBe('No value was read in the last 30 days.');
    days[3]!.reads = 2;
    days[20]!.reads = 1_200;
    expect(readsPerDaySummary(days)).toBe('1,202 value reads in the last 30 days, on 2 days; the most on Sat, Nov 21 (1,200).');
    expect(actorFigures({ actor: 'cli', reads: 1, operations: 40, lastSeenAt: '' })).toBe('1 read · 40 operations');
  });
});
