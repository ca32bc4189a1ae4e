/**
 * Which known key format a value has, and whether it is well formed and its
 * checksum holds. The formats themselves are data in shared/health/key-formats.ts;
 * the checksum needs Node's Buffer (crc32.ts), so detection stays in the core.
 */
import { KEY_FORMATS, type KeyFormat } from '../../../shared/health/key-formats.js';
import { BASE62_DIGITS_LOWER_FIRST, BASE62_DIGITS_UPPER_FIRST, crc32, toBase62 } from './crc32.js';

/** Formats ordered so that longer prefixes are tried first ("sk-ant-" before "sk-"). */
const BY_PREFIX = KEY_FORMATS.flatMap((format) => format.prefixes.map((prefix) => ({ prefix, format }))).sort(
  (a, b) => b.prefix.length - a.prefix.length,
);

export interface FormatMatch {
  format: KeyFormat;
  /** The value matches the format's full pattern. */
  wellFormed: boolean;
  /** null when the format has no checksum; false when it has one and it fails. */
  checksumValid: boolean | null;
}

/**
 * GitHub-style tokens end in six base62 characters encoding the CRC32 of the
 * 30 random characters before them. Implementations disagree on the base62
 * digit order, so both orders are accepted.
 */
export function githubChecksumValid(token: string): boolean {
  const body = token.slice(token.indexOf('_') + 1);
  if (body.length !== 36) return false;
  const random = body.slice(0, 30);
  const given = body.slice(30);
  const crc = crc32(random);
  return toBase62(crc, BASE62_DIGITS_UPPER_FIRST, 6) === given || toBase62(crc, BASE62_DIGITS_LOWER_FIRST, 6) === given;
}

export function detectFormat(value: string): FormatMatch | null {
  const hit = BY_PREFIX.find(({ prefix }) => value.startsWith(prefix));
  if (!hit) return null;
  const { format } = hit;
  const wellFormed = format.pattern.test(value);
  const checksumValid = format.checksum === 'github-crc32' && wellFormed ? githubChecksumValid(value) : null;
  return { format, wellFormed, checksumValid };
}

