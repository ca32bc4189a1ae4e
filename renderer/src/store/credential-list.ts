/**
 * The credential list the store mirrors, kept sorted by name (then id, so the
 * order is total) the way main lists it. Pure: no store, no calls.
 */
import type { CredentialDetail, CredentialSummary } from '../../../shared/domain';

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
export const byName = (a: CredentialSummary, b: CredentialSummary) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1);

/** A list row from a detail: the detail without what only the detail panel shows. */
export function summaryOf(detail: CredentialDetail): CredentialSummary {
  const { fields: _f, versions: _v, rotation: _r, ...summary } = detail;
  return summary;
}

/**
 * One credential in or out of the sorted list: a binary search for its place,
 * not a re-sort, and every other summary object kept as it was — so at 10,000
 * credentials a write costs one insertion, and memoised rows stay memoised.
 */
export function upsert(list: CredentialSummary[], detail: CredentialDetail): CredentialSummary[] {
  const summary = summaryOf(detail);
  const next = list.filter((c) => c.id !== summary.id);
  let lo = 0;
  let hi = next.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (byName(next[mid]!, summary) < 0) lo = mid + 1;
    else hi = mid;
  }
  next.splice(lo, 0, summary);
  return next;
}

/** Main already lists by name: checking that costs one comparison per row; sorting 10,000 costs ~14 each. */
export function sortedByName(list: CredentialSummary[]): CredentialSummary[] {
  for (let i = 1; i < list.length; i++) if (byName(list[i - 1]!, list[i]!) > 0) return list.slice().sort(byName);
  return list;
}

/** Replaces a credential's row where it stands (a rotation never renames); the list is unchanged if it is not there. */
export function replaced(list: CredentialSummary[], detail: CredentialDetail): CredentialSummary[] {
  const summary = summaryOf(detail);
  return list.map((c) => (c.id === summary.id ? summary : c));
}
