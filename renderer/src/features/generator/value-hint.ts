/**
 * What a value field says under itself about whitespace, before saving (the
 * add and rotate forms alike), and which finding that sentence already makes:
 * the form says it once, in the field's own words (which end, which character),
 * rather than again as the "Pasted whitespace" finding main reports.
 */
import type { FindingKind } from '../../../../shared/health/findings';
import { edgeWhitespaceWarning, isOnlyWhitespace } from '../../../../shared/value-whitespace';

/** Said before saving: a value of only spaces is refused on save, and spaces at its ends are usually an accident. */
export function valueHint(value: string): string | undefined {
  if (isOnlyWhitespace(value)) return 'The value is only spaces — paste the real value.';
  return edgeWhitespaceWarning(value) ?? undefined;
}

/** The findings `valueHint` already states for this value, for the findings list to leave out. */
export function findingsStatedByHint(value: string): readonly FindingKind[] {
  return edgeWhitespaceWarning(value) ? ['pasted_whitespace'] : [];
}
