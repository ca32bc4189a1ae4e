/** The registry of credential types: one module per type, listed once here. */
import { apiKeyType } from './api-key.js';
import { passwordType } from './password.js';
import { secretType } from './secret.js';
import { tokenType } from './token.js';
import type { CredentialType, FieldProblem } from './type-definition.js';

export type { CredentialType, FieldSpec, FieldKind, GeneratorRecipe, FieldProblem } from './type-definition.js';

export const CREDENTIAL_TYPES = [apiKeyType, passwordType, tokenType, secretType] as const;

export type CredentialTypeId = (typeof CREDENTIAL_TYPES)[number]['id'];

export const CREDENTIAL_TYPE_IDS = CREDENTIAL_TYPES.map((t) => t.id) as readonly CredentialTypeId[];

export function isCredentialTypeId(id: string): id is CredentialTypeId {
  return (CREDENTIAL_TYPE_IDS as readonly string[]).includes(id);
}

export function credentialType(id: CredentialTypeId): CredentialType {
  const found = CREDENTIAL_TYPES.find((t) => t.id === id);
  if (!found) throw new Error(`unknown credential type ${id}`);
  return found;
}

/**
 * Checks non-secret fields against the type's declaration. Unknown keys are
 * reported, so a typo never silently drops data.
 */
export function validateFields(typeId: CredentialTypeId, fields: Readonly<Record<string, string>>): FieldProblem[] {
  const type = credentialType(typeId);
  const problems: FieldProblem[] = [];
  const known = new Set(type.fields.map((f) => f.key));
  for (const key of Object.keys(fields)) {
    if (!known.has(key)) problems.push({ field: key, message: `${type.label} has no field "${key}"` });
  }
  for (const spec of type.fields) {
    const value = fields[spec.key] ?? '';
    if (spec.required && value.trim() === '') problems.push({ field: spec.key, message: `${spec.label} is required` });
    if (spec.maxLength !== undefined && value.length > spec.maxLength)
      problems.push({ field: spec.key, message: `${spec.label} is longer than ${spec.maxLength} characters` });
    if (value !== '' && spec.kind === 'url' && !isHttpUrl(value))
      problems.push({ field: spec.key, message: `${spec.label} must be an http(s) URL` });
    if (value !== '' && spec.kind === 'choice' && !(spec.choices ?? []).includes(value))
      problems.push({ field: spec.key, message: `${spec.label} must be one of: ${(spec.choices ?? []).join(', ')}` });
  }
  return problems.concat(type.validate?.(fields) ?? []);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
