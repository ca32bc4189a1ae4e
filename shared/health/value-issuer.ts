/**
 * Whether a credential's value is issued by its provider, so that Keyward must
 * not generate one: a random string is no Stripe key (Keyward's own format
 * check would then flag it as invalid). The knowledge comes from the known key
 * formats (key-formats.ts): a provider with a known secret-key format issues
 * that credential's values. One rule for every process: the core refuses to
 * generate such a value, and the forms do not offer to.
 */
import type { CredentialTypeId } from '../credential-types/index.js';
import { formatsForProvider } from './key-formats.js';

/** Types whose values a provider mints (a password or a generic secret is the user's own). */
const PROVIDER_MINTED_TYPES: ReadonlySet<string> = new Set<CredentialTypeId>(['api_key', 'token']);

export interface ValueIssuer {
  /** The provider as the credential names it ("stripe"). */
  provider: string;
  /** What its keys are called ("Stripe secret or restricted key"). */
  label: string;
}

export function valueIssuer(c: { type: CredentialTypeId | string; provider: string }): ValueIssuer | null {
  if (!PROVIDER_MINTED_TYPES.has(c.type)) return null;
  const secretFormat = formatsForProvider(c.provider).find((f) => !f.identifier);
  return secretFormat ? { provider: c.provider.trim(), label: secretFormat.label } : null;
}
