/**
 * Validation of everything a caller may say about a credential except its
 * value. Errors name the field, so forms can show them inline.
 */
import { credentialType, isCredentialTypeId, validateFields } from '../../../shared/credential-types/index.js';
import { LIMITS, type CredentialPatch, type NewCredential } from '../../../shared/domain.js';
import { fail } from '../errors.js';
import type { StoredCredential, VaultBody } from '../vault/body.js';
import { credentialsNamedLike } from '../vault/credential-index.js';

/**
 * Names are stored trimmed and NFC-normalised: " stripe-prod " and
 * "stripe-prod" would otherwise be two entries that look the same.
 */
export function normaliseName(name: unknown): string {
  if (typeof name !== 'string') throw fail.badRequest('The name must be text.', 'name');
  const normalised = name.normalize('NFC').trim();
  if (normalised === '') throw fail.badRequest('The name must not be empty.', 'name');
  if (normalised.length > LIMITS.nameLength) throw fail.badRequest(`The name is longer than ${LIMITS.nameLength} characters.`, 'name');
  return normalised;
}

export { nameKey } from '../vault/credential-index.js';

/** The existing credential whose name clashes with `name`, ignoring `exceptId` (the one being renamed): a lookup, not a scan. */
export function findNameClash(body: Readonly<VaultBody>, name: string, exceptId?: string): StoredCredential | undefined {
  return credentialsNamedLike(body, name).find((c) => c.id !== exceptId);
}

export function nameClashError(existing: { name: string }, wanted: string) {
  const shown = (s: string) => (s.length > 80 ? `${s.slice(0, 80)}…` : s).replace(/[\r\n\t]/g, ' ');
  return existing.name === wanted
    ? fail.exists(`A credential named "${shown(existing.name)}" already exists.`)
    : fail.exists(`A credential named "${shown(existing.name)}" already exists; names that differ only in case are not allowed ("${shown(wanted)}").`);
}

export function normaliseTags(tags: unknown): string[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) throw fail.badRequest('Tags must be a list.', 'tags');
  const out: string[] = [];
  for (const tag of tags) {
    if (typeof tag !== 'string' || tag.trim() === '') throw fail.badRequest('A tag must be non-empty text.', 'tags');
    const t = tag.trim().normalize('NFC');
    if (t.length > LIMITS.tagLength) throw fail.badRequest(`A tag is longer than ${LIMITS.tagLength} characters.`, 'tags');
    if (!out.includes(t)) out.push(t);
  }
  if (out.length > LIMITS.tagCount) throw fail.badRequest(`At most ${LIMITS.tagCount} tags.`, 'tags');
  return out;
}

function text(value: unknown, field: string, max: number): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') throw fail.badRequest(`${field} must be text.`, field);
  if (value.length > max) throw fail.badRequest(`${field} is longer than ${max} characters.`, field);
  return value.normalize('NFC');
}

export function normaliseExpiry(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw fail.badRequest('The expiry must be a date.', 'expiresAt');
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw fail.badRequest(`"${value.slice(0, 40)}" is not a date (use YYYY-MM-DD).`, 'expiresAt');
  return date.toISOString();
}

export function validateNewCredential(input: NewCredential): Required<NewCredential> {
  if (typeof input !== 'object' || input === null) throw fail.badRequest('Missing credential details.');
  if (typeof input.type !== 'string' || !isCredentialTypeId(input.type))
    throw fail.badRequest(`Unknown credential type "${String(input.type).slice(0, 40)}".`, 'type');
  const fields = checkFields(input.type, input.fields ?? {});
  return {
    name: normaliseName(input.name),
    type: input.type,
    provider: text(input.provider, 'provider', LIMITS.providerLength).trim(),
    description: text(input.description, 'description', LIMITS.descriptionLength),
    tags: normaliseTags(input.tags),
    fields,
    expiresAt: normaliseExpiry(input.expiresAt),
  };
}

export function checkFields(type: NewCredential['type'], fields: unknown): Record<string, string> {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw fail.badRequest('Fields must be an object.', 'fields');
  for (const v of Object.values(fields)) if (typeof v !== 'string') throw fail.badRequest('Field values must be text.', 'fields');
  const clean = Object.fromEntries(Object.entries(fields as Record<string, string>).filter(([, v]) => v !== ''));
  for (const spec of credentialType(type).fields)
    if (spec.kind === 'url' && clean[spec.key] !== undefined) clean[spec.key] = withHttpsScheme(clean[spec.key]!);
  const problems = validateFields(type, clean);
  if (problems.length) throw fail.badRequest(problems[0]!.message, problems[0]!.field);
  return clean;
}

/**
 * People type "github.com/login", as into a browser's address bar: a value with
 * no scheme is taken as an https URL. Anything with a scheme is left for the
 * type's check (which accepts only http and https).
 */
export function withHttpsScheme(value: string): string {
  const trimmed = value.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^[^/:]+:\d+(\/|$)/.test(trimmed)) return trimmed;
  if (/^\/\//.test(trimmed)) return `https:${trimmed}`;
  return /^[^\s/?#]+\.[^\s/?#]+|^localhost(:|\/|$)/i.test(trimmed) ? `https://${trimmed}` : trimmed;
}

export function validatePatch(type: NewCredential['type'], patch: CredentialPatch): CredentialPatch {
  if (typeof patch !== 'object' || patch === null) throw fail.badRequest('Missing changes.');
  const out: CredentialPatch = {};
  if (patch.name !== undefined) out.name = normaliseName(patch.name);
  if (patch.provider !== undefined) out.provider = text(patch.provider, 'provider', LIMITS.providerLength).trim();
  if (patch.description !== undefined) out.description = text(patch.description, 'description', LIMITS.descriptionLength);
  if (patch.tags !== undefined) out.tags = normaliseTags(patch.tags);
  if (patch.fields !== undefined) out.fields = checkFields(type, patch.fields);
  if (patch.expiresAt !== undefined) out.expiresAt = normaliseExpiry(patch.expiresAt);
  return out;
}
