/**
 * Value generators. Every character is chosen with crypto.randomInt, which
 * draws from the OS CSPRNG and rejects out-of-range samples, so selection is
 * unbiased (no modulo bias).
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { GeneratorRecipe } from '../../../shared/credential-types/index.js';
import { GENERATOR_LIMITS, type GeneratedValue, type GeneratorOptions } from '../../../shared/generator-options.js';
import { fail } from '../errors.js';
import type { PasswordRules } from '../policy/policy-gate.js';

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

let wordList: readonly string[] | null = null;

/** The EFF long word list (7,776 words, shipped in @zxcvbn-ts/language-common as its diceware dictionary). */
export function passphraseWords(): readonly string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  wordList ??= (require('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common')).dictionary['diceware-common'];
  return wordList;
}

export function generatePassphrase(words: number, separator: string, capitalize: boolean, includeNumber: boolean): string {
  const list = passphraseWords();
  const picked = Array.from({ length: words }, () => list[randomInt(list.length)]!);
  const shaped = capitalize ? picked.map((w) => w[0]!.toUpperCase() + w.slice(1)) : picked;
  if (includeNumber) {
    const at = randomInt(shaped.length);
    shaped[at] = shaped[at]! + String(randomInt(10));
  }
  return shaped.join(separator);
}

export function scoreForBits(bits: number): GeneratedValue['score'] {
  return bits < 28 ? 0 : bits < 36 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4;
}

function passwordClasses(o: Extract<GeneratorOptions, { kind: 'password' }>): CharClass[] {
  return (['lower', 'upper', 'digits', 'symbols'] as const).filter((c) => o[c]);
}

/**
 * Checks generator options against the active password policy, so that what
 * the generator makes is always accepted by the vault. Throws BAD_REQUEST naming the rule.
 */
export function checkAgainstPolicy(options: GeneratorOptions, rules: PasswordRules): void {
  if (options.kind !== 'password') return;
  const bad = (message: string, field: string) => {
    throw fail.badRequest(`The active policy requires ${message}.`, field);
  };
  if (options.length < rules.minLength) bad(`at least ${rules.minLength} characters`, 'length');
  if (rules.requireLower && !options.lower) bad('lower-case letters', 'lower');
  if (rules.requireUpper && !options.upper) bad('upper-case letters', 'upper');
  if (rules.requireDigit && !options.digits) bad('digits', 'digits');
  if (rules.requireSpecial && !options.symbols) bad('special characters', 'symbols');
}

/** Generates from explicit options; the entropy is that of the process, computed exactly. */
export function generate(options: GeneratorOptions): GeneratedValue {
  const L = GENERATOR_LIMITS;
  const between = (n: number, min: number, max: number, field: string) => {
    if (!Number.isInteger(n) || n < min || n > max) throw fail.badRequest(`${field} must be a whole number from ${min} to ${max}.`, field);
  };
  let value: string;
  let bits: number;
  if (options.kind === 'password') {
    between(options.length, L.passwordLength.min, L.passwordLength.max, 'length');
    const classes = passwordClasses(options);
    if (classes.length === 0) throw fail.badRequest('Choose at least one kind of character.', 'lower');
    value = generatePassword({ length: options.length, classes, excludeLookAlikes: options.excludeLookAlikes });
    const alphabet = classes.map((c) => [...CHARSETS[c]].filter((ch) => !(options.excludeLookAlikes && LOOK_ALIKES.has(ch))).length).reduce((a, b) => a + b, 0);
    bits = options.length * Math.log2(alphabet);
  } else if (options.kind === 'passphrase') {
    between(options.words, L.passphraseWords.min, L.passphraseWords.max, 'words');
    if (options.separator.length > L.separatorLength) throw fail.badRequest(`The separator is at most ${L.separatorLength} characters.`, 'separator');
    value = generatePassphrase(options.words, options.separator, options.capitalize, options.includeNumber);
    bits = options.words * Math.log2(passphraseWords().length) + (options.includeNumber ? Math.log2(10 * options.words) : 0);
  } else {
    between(options.bytes, L.apiBytes.min, L.apiBytes.max, 'bytes');
    if (options.prefix.length > L.prefixLength || /[^\w.-]/.test(options.prefix))
      throw fail.badRequest(`The prefix is at most ${L.prefixLength} letters, digits, "_", "-" or ".".`, 'prefix');
    value = generateRandomSecret(options.bytes, options.encoding, options.prefix);
    bits = options.bytes * 8;
  }
  const entropyBits = Math.round(bits * 10) / 10;
  return { value, entropyBits, score: scoreForBits(entropyBits) };
}
