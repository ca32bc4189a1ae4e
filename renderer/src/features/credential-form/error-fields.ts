import type { ErrorInfo } from '../../lib/api';

/**
 * Which form field an error belongs to. Main names it either plainly ("name",
 * "url") or as a schema path ("credential.fields.url", "value.value"): the
 * first segment the form knows wins.
 */
export function fieldOfError(error: ErrorInfo, known: readonly string[]): string | null {
  if (!error.field) return null;
  const parts = error.field.split('.');
  for (let i = parts.length - 1; i >= 0; i--) if (known.includes(parts[i]!)) return parts[i]!;
  return null;
}
