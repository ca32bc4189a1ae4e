import { describe, expect, it } from 'vitest';
import { detail, summary } from '../test/builders';
import { replaced, sortedByName, summaryOf, upsert } from './credential-list';

const names = (list: { name: string }[]) => list.map((c) => c.name);

describe('summaryOf', () => {
  it('keeps the row’s metadata and drops what only the detail panel shows', () => {
    const d = detail({ name: 'github-prod', fields: { username: 'me' } });
    const s = summaryOf(d);
    expect(s).not.toHaveProperty('fields');
    expect(s).not.toHaveProperty('versions');
    expect(s).not.toHaveProperty('rotation');
    expect(s).toMatchObject({ id: d.id, name: 'github-prod', currentVersion: 1 });
  });
});

describe('upsert', () => {
  const list = [summary({ name: 'alpha' }), summary({ name: 'gamma' }), summary({ name: 'omega' })];

  it('inserts a new credential at its place by name, ignoring case and reading numbers as numbers', () => {
    expect(names(upsert(list, detail({ name: 'Beta' })))).toEqual(['alpha', 'Beta', 'gamma', 'omega']);
    const numbered = [summary({ name: 'key-2' }), summary({ name: 'key-10' })];
    expect(names(upsert(numbered, detail({ name: 'key-3' })))).toEqual(['key-2', 'key-3', 'key-10']);
  });

  it('moves a renamed credential to its new place, and keeps every other row object as it was', () => {
    const renamed = detail({ id: list[0]!.id, name: 'zeta' });
    const next = upsert(list, renamed);
    expect(names(next)).toEqual(['gamma', 'omega', 'zeta']);
    expect(next[0]).toBe(list[1]);
    expect(next[1]).toBe(list[2]);
    expect(list).toHaveLength(3);
  });

  it('orders equal names by id', () => {
    const a = summary({ id: 'a', name: 'same' });
    expect(upsert([a], detail({ id: 'b', name: 'same' })).map((c) => c.id)).toEqual(['a', 'b']);
    expect(upsert([a], detail({ id: '0', name: 'same' })).map((c) => c.id)).toEqual(['0', 'a']);
  });
});

describe('sortedByName', () => {
  it('returns a sorted list as it is, without copying', () => {
    const list = [summary({ name: 'a' }), summary({ name: 'b' })];
    expect(sortedByName(list)).toBe(list);
  });

  it('sorts a copy when main’s order is not ours', () => {
    const list = [summary({ name: 'b' }), summary({ name: 'A' }), summary({ name: 'c' })];
    expect(names(sortedByName(list))).toEqual(['A', 'b', 'c']);
    expect(names(list)).toEqual(['b', 'A', 'c']);
  });
});

describe('replaced', () => {
  it('replaces the row where it stands, and leaves the list alone when it is not there', () => {
    const list = [summary({ name: 'a' }), summary({ name: 'b' })];
    const next = replaced(list, detail({ id: list[1]!.id, name: 'b', currentVersion: 4 }));
    expect(next.map((c) => c.currentVersion)).toEqual([1, 4]);
    expect(next[0]).toBe(list[0]);
    expect(replaced(list, detail({ name: 'elsewhere' }))).toEqual(list);
  });
});
