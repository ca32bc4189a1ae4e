/**
 * Checks on a secret value that need no dictionary: placeholders, characters
 * pasted by accident, JWT expiry, entropy and patterns. Pure functions.
 */

const PLACEHOLDER_WORDS =
  /^(your[ _-]?(api[ _-]?)?(key|token|secret|password|pass)([ _-]?here)?|(api[ _-]?)?(key|token|secret)[ _-]?here|changeme|change[ _-]?me|replace[ _-]?me|placeholder|dummy|example|sample|test|testing|secret|password|passwd|todo|fixme|null|undefined|none|n\/a|tbd|redacted|insert[ _-]?.*[ _-]?here)$/i;

/** Well-known example keys published in provider documentation. */
const DOCUMENTED_EXAMPLES = new Set(['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc']);

export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (DOCUMENTED_EXAMPLES.has(v)) return true;
  if (PLACEHOLDER_WORDS.test(v)) return true;
  if (/^(.)\1{3,}$/.test(v)) return true; // "xxxxxxxx", "00000000", "********"
  // <API_KEY>, {{token}}, ${SECRET}: a template names a variable, so the inside reads as words (a random
  // password may well start with "<" and end with ">").
  const VARIABLE = /^[A-Za-z_][\w .:-]{0,79}$/;
  const template = /^<(.+)>$/s.exec(v) ?? /^\{\{\s*(.+?)\s*\}\}$/s.exec(v) ?? /^\$\{(.+)\}$/s.exec(v);
  if (template && VARIABLE.test(template[1]!)) return true;
  if (/x{6,}/i.test(v) && v.replace(/[^x]/gi, '').length / v.length > 0.6) return true; // sk_live_xxxxxxxxxxxx
  return false;
}

/** Characters that end up in a value when it is copied from a web page or a config file. */
export function pastedArtifacts(value: string): string[] {
  const problems: string[] = [];
  if (/^\s/.test(value) || /\s$/.test(value)) problems.push('leading or trailing whitespace');
  if (/^(["'`]).*\1$/s.test(value) && value.length >= 2) problems.push('surrounding quotes');
  if (/^bearer\s+/i.test(value)) problems.push('a "Bearer " prefix');
  const isPem = value.includes('-----BEGIN');
  if (!isPem && /[\r\n]/.test(value.trim())) problems.push('a line break inside the value');
  if (/[\u200b-\u200d\u2060\ufeff]/.test(value)) problems.push('an invisible zero-width character');
  return problems;
}

export interface JwtInfo {
  alg: string | null;
  expiresAt: Date | null;
}

function decodeSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

/** Reads a JWT's header and `exp` claim. Never verifies or sends it. */
export function readJwt(value: string): JwtInfo | null {
  const parts = value.trim().split('.');
  if (parts.length !== 3 || !parts[0]!.startsWith('eyJ')) return null;
  const header = decodeSegment(parts[0]!) as { alg?: unknown } | null;
  const payload = decodeSegment(parts[1]!) as { exp?: unknown } | null;
  if (!header || typeof header !== 'object') return null;
  const exp = payload && typeof payload === 'object' && typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : null;
  return { alg: typeof header.alg === 'string' ? header.alg : null, expiresAt: exp };
}

const CLASSES: Array<[RegExp, number]> = [
  [/[a-z]/, 26],
  [/[A-Z]/, 26],
  [/[0-9]/, 10],
  [/[^a-zA-Z0-9]/, 33],
];

/**
 * Estimated entropy in bits: the smaller of the alphabet bound (length ×
 * log2 of the character classes present) and the Shannon bound of the actual
 * character distribution, with repeated and sequential runs counted once.
 */
export function entropyBits(value: string): number {
  const chars = [...value];
  if (chars.length === 0) return 0;
  const effective = collapsePatterns(chars);
  const alphabet = CLASSES.reduce((sum, [re, size]) => (re.test(value) ? sum + size : sum), 0) || 1;
  const alphabetBits = effective * Math.log2(alphabet);
  const counts = new Map<string, number>();
  for (const ch of chars) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let shannon = 0;
  for (const n of counts.values()) {
    const p = n / chars.length;
    shannon -= p * Math.log2(p);
  }
  return Math.round(Math.min(alphabetBits, shannon * effective) * 10) / 10;
}

/** Length after collapsing runs of repeats ("aaaa") and sequences ("abcd", "4321") to one character each. */
function collapsePatterns(chars: string[]): number {
  let length = 0;
  let i = 0;
  while (i < chars.length) {
    let j = i + 1;
    const step = j < chars.length ? chars[j]!.codePointAt(0)! - chars[i]!.codePointAt(0)! : 0;
    if (Math.abs(step) <= 1) {
      while (j < chars.length && chars[j]!.codePointAt(0)! - chars[j - 1]!.codePointAt(0)! === step) j++;
    }
    length += j - i >= 3 ? 1 : j - i;
    i = j;
  }
  return length;
}

/** Describes repeated or sequential runs of 4+ characters, or a repeated block. */
export function patternProblems(value: string): string[] {
  const problems: string[] = [];
  if (/(.)\1{3,}/u.test(value)) problems.push('a character repeated 4 or more times');
  const codes = [...value].map((c) => c.codePointAt(0)!);
  for (let i = 0; i + 3 < codes.length; i++) {
    const d = codes[i + 1]! - codes[i]!;
    if ((d === 1 || d === -1) && codes[i + 2]! - codes[i + 1]! === d && codes[i + 3]! - codes[i + 2]! === d) {
      problems.push('a sequence such as "abcd" or "4321"');
      break;
    }
  }
  if (value.length >= 8 && /^(.{2,})\1+$/su.test(value)) problems.push('one block repeated');
  return problems;
}
