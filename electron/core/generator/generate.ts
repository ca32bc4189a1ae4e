/**
 * Value generators. Every character is chosen with crypto.randomInt, which
 * draws from the OS CSPRNG and rejects out-of-range samples, so selection is
 * unbiased (no modulo bias).
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { GeneratorRecipe } from '../../../shared/credential-types/index.js';

export const CHARSETS = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  symbols: '!#$%&()*+,-./:;<=>?@[]^_{|}~',
} as const;
export type CharClass = keyof typeof CHARSETS;

/** Characters people confuse when reading a value aloud or off a screen. */
export const LOOK_ALIKES = new Set('Il1O0o|`\'"');

export interface PasswordOptions {
  length: number;
  classes: readonly CharClass[];
  excludeLookAlikes?: boolean;
}

export const MIN_PASSWORD_LENGTH = 4;
export const MAX_PASSWORD_LENGTH = 1024;

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)]!;
}

/** A password containing at least one character of every requested class. */
export function generatePassword(options: PasswordOptions): string {
  const { length, classes } = options;
  if (!Number.isInteger(length) || length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH)
    throw new RangeError(`length must be ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH}`);
  if (classes.length === 0) throw new RangeError('choose at least one character class');
  if (classes.length > length) throw new RangeError('length is shorter than the number of required classes');
  const sets = classes.map((c) => [...CHARSETS[c]].filter((ch) => !(options.excludeLookAlikes && LOOK_ALIKES.has(ch))).join(''));
  const all = sets.join('');
  // Draw uniformly from the union until every class is present. Rejection keeps
  // the result uniform over all valid passwords, unlike forcing one per class.
  for (;;) {
    let out = '';
    for (let i = 0; i < length; i++) out += pick(all);
    if (sets.every((set) => [...out].some((ch) => set.includes(ch)))) return out;
  }
}

const BASE62 = CHARSETS.digits + CHARSETS.upper + CHARSETS.lower;

export type SecretEncoding = 'hex' | 'base64url' | 'base62';

/** A random secret carrying `bytes` bytes of entropy in the chosen encoding. */
export function generateRandomSecret(bytes: number, encoding: SecretEncoding, prefix = ''): string {
  if (!Number.isInteger(bytes) || bytes < 8 || bytes > 1024) throw new RangeError('bytes must be 8–1024');
  if (encoding === 'hex') return prefix + randomBytes(bytes).toString('hex');
  if (encoding === 'base64url') return prefix + randomBytes(bytes).toString('base64url');
  const chars = Math.ceil((bytes * 8) / Math.log2(62));
  let out = prefix;
  for (let i = 0; i < chars; i++) out += pick(BASE62);
  return out;
}

export function generateFromRecipe(recipe: GeneratorRecipe): string {
  if (recipe.kind === 'password') return generatePassword({ length: recipe.length, classes: ['lower', 'upper', 'digits', 'symbols'] });
  return generateRandomSecret(recipe.bytes, recipe.encoding);
}
