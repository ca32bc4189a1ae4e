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
  /** The user's answer to an approval the page shows (where no native dialog asks): false when it was no longer waiting. */
  'grants.answerApproval': { request: { id: string; allow: boolean }; response: { answered: boolean } };
}

/** A use of an "ask" grant waiting for the user (shown in the page where no native dialog asks), and its end. */
export interface GrantApproval {
  id: string;
  /** A grant's use (the default), or a terminal asking to use the CLI through the app. */
  kind?: 'grant' | 'cli';
  /** For kind "cli": the terminal, as the CLI says, and for how long. */
  terminal?: string;
  minutes?: number;
  grant: string;
  /** Values for the program itself, for a command Keyward runs, a rotator run on the credential (no value leaves), or a change to it (an admin grant). */
  purpose: 'value' | 'run' | 'rotate' | 'change';
  credentials: string[];
  command?: string[];
  /** Who asks, as it says: a claim, shown as such. */
  program?: { pid: number; argv: string[] };
}

export type GrantApprovalEvent = { type: 'grant-approval'; approval: GrantApproval } | { type: 'grant-approval-ended'; id: string };
