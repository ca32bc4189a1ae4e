/**
 * In-memory filtering of the credential list. The search text of each
 * credential is lower-cased once per summary (the index), so a keystroke
 * costs one pass of `includes` over 10,000 short strings.
 */
import type { CredentialSummary } from '../../../shared/domain';
import type { Filters } from '../store';

export interface IndexedCredential {
  credential: CredentialSummary;
  /** name, provider, description and tags, lower-cased, separated by newlines. */
  haystack: string;
  providerKey: string;
}

/**
 * Entries by summary object: a write replaces one summary and keeps every
 * other object (see the vault slice's upsert), so rebuilding the index after
 * it lower-cases one credential, not 10,000.
 */
const entries = new WeakMap<CredentialSummary, IndexedCredential>();

export function buildIndex(credentials: readonly CredentialSummary[]): IndexedCredential[] {
  return credentials.map((c) => {
    let entry = entries.get(c);
    if (!entry) {
      entry = { credential: c, haystack: `${c.name}\n${c.provider}\n${c.description}\n${c.tags.join('\n')}`.toLowerCase(), providerKey: c.provider.toLowerCase() };
      entries.set(c, entry);
    }
    return entry;
  });
}

export function isFiltering(f: Filters): boolean {
  return f.query.trim() !== '' || f.type !== '' || f.provider !== '' || f.tag !== '' || f.status !== 'all';
}

export function applyFilters(index: readonly IndexedCredential[], f: Filters): CredentialSummary[] {
  const q = f.query.trim().toLowerCase();
  const provider = f.provider.toLowerCase();
  const out: CredentialSummary[] = [];
  for (const { credential: c, haystack, providerKey } of index) {
    if (f.type && c.type !== f.type) continue;
    if (f.status === 'active' && !c.active) continue;
    if (f.status === 'inactive' && c.active) continue;
    if (provider && providerKey !== provider) continue;
    if (f.tag && !c.tags.includes(f.tag)) continue;
    if (q && !haystack.includes(q)) continue;
    out.push(c);
  }
  return out;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Distinct providers and tags, sorted, for the filter menus. */
export function facets(credentials: readonly CredentialSummary[]): { providers: string[]; tags: string[] } {
  const providers = new Map<string, string>();
  const tags = new Set<string>();
  for (const c of credentials) {
    if (c.provider && !providers.has(c.provider.toLowerCase())) providers.set(c.provider.toLowerCase(), c.provider);
    for (const t of c.tags) tags.add(t);
  }
  return { providers: [...providers.values()].sort(collator.compare), tags: [...tags].sort(collator.compare) };
}
