/** The policy domain: the vault's security policy (shared/security-policy.ts; docs/policies.md). */
import type { PolicyView } from '../security-policy.js';

export interface PolicyApi {
  /** Every key, its value and where it comes from. */
  'policy.get': { request: Record<string, never>; response: PolicyView };
  /** One key, from what the person typed; loosening it needs `password` (BAD_REQUEST with field "password" otherwise). */
  'policy.set': { request: { key: string; value: string | number | boolean; password?: string }; response: PolicyView };
  /** Every key a preset names; loosening any of them needs `password`. */
  'policy.preset': { request: { name: string; password?: string }; response: PolicyView };
  /** A custom rule (shared/policy-rules.ts): it only tightens, so no password. */
  'policy.addRule': { request: { name: string; scopes: string[]; settings: Record<string, number | boolean | string> }; response: PolicyView };
  /** Removes a custom rule; that loosens, so it needs `password`. */
  'policy.removeRule': { request: { name: string; password?: string }; response: PolicyView };
}
