import { describe, expect, it } from 'vitest';
import { canonicalJson, isCanonicalJsonOf } from './canonical-json.js';

describe('canonical JSON (RFC 8785)', () => {
  it('sorts members by UTF-16 code units, recursively, with no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, { d: 'x', c: '\u00e9\n' }], '\u20ac': 1, '\ud83d\ude00': 2 })).toBe('{"a":[true,null,{"c":"é\\n","d":"x"}],"b":1,"€":1,"😀":2}');
    expect(() => canonicalJson({ a: 1.5 })).toThrow(/safe integers/);
  });

  it('tells a canonical line from any other writing of the same value, fast path and slow', () => {
    const record = { action: 'reveal', actor: 'app', seq: 3, v: 1 };
    const line = canonicalJson(record);
    expect(isCanonicalJsonOf(line, JSON.parse(line))).toBe(true);
    // Members moved, spaces, another escape of the same string, a repeated member: all the same value, none canonical.
    for (const other of ['{"actor":"app","action":"reveal","seq":3,"v":1}', '{"action": "reveal","actor":"app","seq":3,"v":1}', '{"action":"r\\u0065veal","actor":"app","seq":3,"v":1}', '{"action":"list","action":"reveal","actor":"app","seq":3,"v":1}'])
      expect(isCanonicalJsonOf(other, JSON.parse(other)), other).toBe(false);
    // Slow path: nested objects and array-index keys (JavaScript orders those numerically, JCS by code units).
    const nested = { a: 1, gap: { expected: 2, found: 1, kind: 'truncated' } };
    expect(isCanonicalJsonOf(canonicalJson(nested), JSON.parse(canonicalJson(nested)))).toBe(true);
    expect(isCanonicalJsonOf('{"gap":{"kind":"truncated","expected":2},"a":1}', { gap: { kind: 'truncated', expected: 2 }, a: 1 })).toBe(false);
    const indexKeys = { '10': 'x', '9': 'y' };
    expect(canonicalJson(indexKeys)).toBe('{"10":"x","9":"y"}');
    expect(isCanonicalJsonOf('{"10":"x","9":"y"}', JSON.parse('{"10":"x","9":"y"}'))).toBe(true);
    expect(isCanonicalJsonOf('{"9":"y","10":"x"}', JSON.parse('{"9":"y","10":"x"}'))).toBe(false);
    expect(isCanonicalJsonOf('{"a":1.5}', { a: 1.5 })).toBe(false);
  });
});
