/** The grants domain: access grants for programs (shared/grants.ts; docs/grants.md). */
import type { GrantView, NewGrant } from '../grants.js';

export interface GrantsApi {
  /** Every grant with its uses (never a token or a key). */
  'grants.list': { request: Record<string, never>; response: GrantView[] };
  /** A new grant and its token, which is answered this once and never again. */
  'grants.add': {
    request: { name: string; role: string; scopes: string[]; allowCommands: string[]; expiresAt?: string | null; ask?: boolean };
    response: NewGrant;
  };
  /** Deletes the grant and its key material: its token opens nothing. */
  'grants.revoke': { request: { name: string }; response: { name: string } };
  /** Suspends (its key material removed from disk) or resumes a grant. */
  'grants.setSuspended': { request: { name: string; suspended: boolean }; response: GrantView };
}
