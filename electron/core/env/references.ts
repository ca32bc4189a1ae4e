/**
 * Secret references (docs/env.md): how a program's configuration names a
 * credential without holding its value — `kw://NAME` (the current value) or
 * `kw://NAME/FIELD` (one of its fields) — and how values are written for a
 * POSIX shell. Pure: resolving a reference is the caller's, through the
 * vault's audited door.
 */
import { fail } from '../errors.js';
import { safeText } from '../text/safe-text.js';

export interface SecretReference {
  /** The credential's name as written (URI-decoded). */
  name: string;
  /** A field of it; absent for the value itself. */
  field?: string;
  /** The reference as written, for messages. */
  text: string;
}

const SCHEME = 'kw://';

/**
 * A reference: `kw://NAME[/FIELD]`, or a bare credential name. In the URI
 * form, a `/` that belongs to the name is written `%2F` (the last `/` starts
 * the field only when one is given: `kw://service/prod-key` names the
 * credential "service/prod-key" when there is one, else its field — see
 * `candidates`).
 */
export function parseReference(text: string): SecretReference {
  if (!text.startsWith(SCHEME)) {
    if (text.trim() === '') throw fail.badRequest('A secret reference is empty.');
    return { name: text, text };
  }
  const rest = text.slice(SCHEME.length);
  if (rest === '') throw fail.badRequest(`"${shown(text)}" names no credential: write kw://NAME or kw://NAME/FIELD.`);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    throw fail.badRequest(`"${shown(text)}" is not a valid reference (a % not followed by two hex digits).`);
  }
  return { name: decoded, text };
}

/**
 * The ways a `kw://` reference can be read: the whole path as a name, and,
 * when it has a `/`, the part before the last one as a name with the rest as
 * a field. The caller uses the one a credential exists for (both: ambiguous).
 */
export function candidates(ref: SecretReference): { name: string; field?: string }[] {
  if (!ref.text.startsWith(SCHEME)) return [{ name: ref.name }];
  const raw = ref.text.slice(SCHEME.length);
  const slash = raw.lastIndexOf('/');
  const whole = { name: ref.name };
  if (slash <= 0 || slash === raw.length - 1) return [whole];
  return [whole, { name: decodeURIComponent(raw.slice(0, slash)), field: decodeURIComponent(raw.slice(slash + 1)) }];
}

/** What a variable may be called: a POSIX name, and never one of Keyward's own (KEYWARD_*). */
export function checkVariableName(name: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw fail.badRequest(`"${shown(name)}" cannot be an environment variable's name: use letters, digits and _, not starting with a digit.`);
  if (/^KEYWARD_/i.test(name)) throw fail.badRequest(`${name}: variables named KEYWARD_* are Keyward's own and are never given to a program.`);
}

/** The variable a bare reference is exported as: its name in capitals, anything else an underscore ("stripe-prod" → STRIPE_PROD). */
export function variableFor(ref: SecretReference): string {
  const base = (ref.field ? `${ref.name}_${ref.field}` : ref.name).toUpperCase().replace(/[^A-Z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[0-9]/.test(base) || base === '' ? `_${base}` : base;
}

/**
 * `value` as one word a POSIX shell reads back exactly: in single quotes,
 * each `'` written as `'\''`. A NUL cannot be in an environment variable, so
 * a value holding one is refused rather than cut.
 */
export function shellQuote(value: string): string {
  if (value.includes('\0')) throw fail.badRequest('The value holds a NUL character, which no environment variable can carry.');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `{{ kw://NAME }}` or `{{ kw://NAME/FIELD }}` in a template, with spaces inside the braces optional. */
export const TEMPLATE_REFERENCE = /\{\{\s*(kw:\/\/[^\s{}]+)\s*\}\}/g;

/** A reference as typed, safe to repeat in a message: short, control characters escaped. */
function shown(text: string): string {
  return safeText(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
