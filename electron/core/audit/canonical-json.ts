/**
 * Canonical JSON (RFC 8785, JCS) for the values audit records hold: objects,
 * arrays, strings, safe integers, booleans and null. Members are sorted by
 * their names' UTF-16 code units, there is no whitespace, and strings and
 * numbers are written as ECMAScript's JSON.stringify writes them — which is
 * what RFC 8785 specifies. Anything else (a fraction, NaN, undefined, a
 * function) is refused rather than written some other way.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error('canonicalJson: only safe integers are written');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    // Default sort compares UTF-16 code units, as RFC 8785 §3.2.3 requires.
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new Error(`canonicalJson: cannot write a ${typeof value}`);
}

const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * Whether `text` is the canonical JSON of `value` — quickly for a flat
 * object (a trail record), whose canonical form is JSON.stringify's own when
 * its members are already in order: no key an array index (JavaScript puts
 * those first, numerically), every value a string, boolean, null or safe
 * integer. Anything else is serialised and compared.
 */
export function isCanonicalJsonOf(text: string, value: unknown): boolean {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    let previous: string | null = null;
    let flat = true;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const scalar = v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isSafeInteger(v));
      if (!scalar || ARRAY_INDEX.test(key) || (previous !== null && !(previous < key))) {
        flat = false;
        break;
      }
      previous = key;
    }
    if (flat) return text === JSON.stringify(value);
  }
  try {
    return text === canonicalJson(value);
  } catch {
    return false;
  }
}
