/**
 * Access grants for programs (docs/grants.md): what a grant may do (its
 * role), which credentials it covers (its scope), and how both are written.
 * One table of roles and one selector grammar, read by the core that enforces
 * them, the CLI and MCP server that offer them and the screens that show them.
 */

export type GrantRole = 'viewer' | 'runner' | 'reader' | 'rotator' | 'admin';

/** What a role may do; each role may do everything the ones before it may, in this order. */
export type GrantCapability = 'metadata' | 'run' | 'value' | 'rotate' | 'admin';

export interface GrantRoleDef {
  role: GrantRole;
  /** What it lets a program do, in a sentence for the help, the screen and the docs. */
  description: string;
  can: readonly GrantCapability[];
}

export const GRANT_ROLES: readonly GrantRoleDef[] = [
  { role: 'viewer', description: 'sees the metadata of credentials in scope (names, types, dates, due rotations), never a value', can: ['metadata'] },
  { role: 'runner', description: 'may also run a command with secrets in scope in its environment (keyward run, MCP run_with_secrets), but never receives a value', can: ['metadata', 'run'] },
  { role: 'reader', description: 'may also receive the values in scope (keyward get, env, inject; MCP get_credential_value)', can: ['metadata', 'run', 'value'] },
  { role: 'rotator', description: 'may also run the rotators of credentials in scope', can: ['metadata', 'run', 'value', 'rotate'] },
  { role: 'admin', description: 'everything in scope but managing grants and the policy', can: ['metadata', 'run', 'value', 'rotate', 'admin'] },
];

export function grantRole(name: string): GrantRoleDef | undefined {
  return GRANT_ROLES.find((r) => r.role === name);
}

export function roleCan(role: GrantRole, capability: GrantCapability): boolean {
  return grantRole(role)?.can.includes(capability) ?? false;
}

/** Every grant token starts with this, so that a leaked one is recognisable (and secret scanners can look for it). */
export const GRANT_TOKEN_PREFIX = 'kwg_';

/** A grant's name: what the audit trail names its actor after (`grant:NAME`). */
export const GRANT_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function grantNameProblem(name: string): string | null {
  return GRANT_NAME.test(name) ? null : `A grant's name is 1–64 characters of a–z, 0–9, ".", "_" and "-", starting with a letter or digit ("${name.slice(0, 70)}" is not).`;
}

/** A scope selector: which credentials a grant covers. */
export type ScopeSelector = { kind: 'tag' | 'provider' | 'type'; value: string } | { kind: 'name'; glob: string };

export const SCOPE_KINDS = ['tag', 'provider', 'type', 'name'] as const;

/** `tag:X`, `provider:X`, `type:T` or `name:GLOB`; an error message a person can act on for anything else. */
export function parseScope(text: string): ScopeSelector | { error: string } {
  const colon = text.indexOf(':');
  const kind = colon > 0 ? text.slice(0, colon) : '';
  const value = colon > 0 ? text.slice(colon + 1) : '';
  if (!(SCOPE_KINDS as readonly string[]).includes(kind) || value === '' || value.length > 200)
    return { error: `"${text.slice(0, 80)}" is not a scope: write tag:X, provider:X, type:T or name:GLOB (* and ? as wildcards).` };
  return kind === 'name' ? { kind: 'name', glob: value } : { kind: kind as 'tag' | 'provider' | 'type', value };
}

export function scopeText(s: ScopeSelector): string {
  return s.kind === 'name' ? `name:${s.glob}` : `${s.kind}:${s.value}`;
}

/** What a credential offers a scope check. */
export interface ScopedCredential {
  name: string;
  type: string;
  provider: string;
  tags: readonly string[];
}

/**
 * How scope values compare: after Unicode NFC and lower-casing (the default
 * case mapping, no locale), as credential names do — nothing looser, so a
 * look-alike (full-width letters, a ligature, an invisible character) is not
 * the same tag.
 */
function folded(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/**
 * A glob of * (any run) and ? (one code point), anchored, compared folded. In
 * time proportional to the lengths' product at worst (the greedy matcher that
 * backs up to the last star only), never exponential: a hostile pattern
 * cannot stall a save.
 */
export function globMatches(glob: string, text: string): boolean {
  const p = [...folded(glob)];
  const t = [...folded(text)];
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < t.length) {
    if (i < p.length && (p[i] === '?' || (p[i] !== '*' && p[i] === t[j]))) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      mark = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++mark;
    } else return false;
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}

/** In scope when it matches any selector; no selectors cover every credential. Tags and providers compare folded (above). */
export function inScope(selectors: readonly ScopeSelector[], c: ScopedCredential): boolean {
  if (selectors.length === 0) return true;
  const same = (a: string, b: string) => folded(a) === folded(b);
  return selectors.some((s) => {
    switch (s.kind) {
      case 'tag':
        return c.tags.some((t) => same(t, s.value));
      case 'provider':
        return same(c.provider, s.value);
      case 'type':
        return c.type === s.value;
      case 'name':
        return globMatches(s.glob, c.name);
    }
  });
}

/** What the vault's owner decided about a grant (stored in the body, repeated in the grant's sealed manifest). */
export interface GrantDefinition {
  name: string;
  role: GrantRole;
  /** Selector texts (parseScope); none: every credential. */
  scopes: string[];
  /** argv prefixes a runner may run (empty: any command, but never through MCP). */
  allowCommands: string[][];
  expiresAt: string | null;
  /** Every use needs the user's approval in the running app. */
  ask: boolean;
}

/** A grant as anyone but its key material sees it: never a token, never a key. */
export interface GrantView extends GrantDefinition {
  id: string;
  createdAt: string;
  /** Suspended by an incident response or by the user: its key material is gone from disk until resumed. */
  suspended: boolean;
  /** How many credentials it covers now. */
  covers: number;
  /** From the audit trail: uses recorded, and the last one. */
  uses?: number;
  lastUsedAt?: string | null;
  /** Uses on each of the last 30 days (UTC), oldest first: the screen's chart. */
  usesByDay?: { day: string; uses: number }[];
}

/** A grant just made: the token, shown this once and never stored. */
export interface NewGrant {
  grant: GrantView;
  token: string;
}
