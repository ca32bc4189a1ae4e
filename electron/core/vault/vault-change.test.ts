import { describe, expect, it } from 'vitest';
import { emptyBody, type StoredCredential, type VaultBody } from './body.js';
import { applyChange, beginChange, endChange, freezeCredentials, putCredential, removeCredential } from './vault-change.js';

function credential(id: string, name = id): StoredCredential {
  return { id, name, type: 'secret', provider: '', description: '', tags: [], active: true, createdAt: '', updatedAt: '', lastRotatedAt: null, expiresAt: null, fields: {}, versions: [] };
}

function bodyWith(...ids: string[]): VaultBody {
  return freezeCredentials({ ...emptyBody(), credentials: ids.map((id) => credential(id)) });
}

describe('a change read back (applyChange) rebuilds the writer’s list', () => {
  it('an undone delete put back in the middle lands at its place, as the writer had it', () => {
    const writer = bodyWith('a', 'b', 'c');
    const reader = bodyWith('a', 'b', 'c');
    beginChange(writer);
    const b = removeCredential(writer, 'b');
    applyChange(reader, endChange(writer));
    beginChange(writer);
    putCredential(writer, structuredClone(b), 1);
    const change = endChange(writer);
    expect(change.insertedAt).toEqual({ b: 1 });
    applyChange(reader, change);
    expect(reader.credentials.map((c) => c.id)).toEqual(writer.credentials.map((c) => c.id));
  });

  it('a place given for a credential the reader already holds moves it (the writer’s order wins)', () => {
    const reader = bodyWith('a', 'b', 'c');
    applyChange(reader, { put: [credential('c')], removed: [], insertedAt: { c: 0 } });
    expect(reader.credentials.map((c) => c.id)).toEqual(['c', 'a', 'b']);
  });

  it('the rest is replaced whole: a member the writer no longer has goes', () => {
    const reader = { ...bodyWith('a'), keyCreatedAt: '2026-01-01T00:00:00.000Z' };
    const { credentials: _c, keyCreatedAt: _k, ...rest } = reader;
    applyChange(reader, { put: [], removed: [], rest });
    expect('keyCreatedAt' in reader).toBe(false);
  });
});
