/**
 * What one credential type declares. Adding a type = one module exporting a
 * `CredentialType` plus one line in `index.ts`. The core stores, validates and
 * generates from this description; the renderer builds its forms from it.
 */
export type FieldKind = 'text' | 'url' | 'list' | 'date' | 'choice';

export interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  /** For 'choice' fields. */
  choices?: readonly string[];
  placeholder?: string;
  maxLength?: number;
}

/** How a fresh value is generated for this type (the core implements each recipe). */
export type GeneratorRecipe =
  | { kind: 'password'; length: number }
  | { kind: 'random'; bytes: number; encoding: 'hex' | 'base64url' | 'base62' };

export interface FieldProblem {
  field: string;
  message: string;
}

export interface CredentialType {
  id: string;
  label: string;
  /** What the secret value is called in forms ("Secret key", "Password"). */
  secretLabel: string;
  /** Non-secret fields stored beside the value. */
  fields: readonly FieldSpec[];
  /** Whether the type has a natural expiry (the form shows an expiry date). */
  expires: boolean;
  generator: GeneratorRecipe | null;
  /** Extra checks beyond required/maxLength/kind. */
  validate?: (fields: Readonly<Record<string, string>>) => FieldProblem[];
}
