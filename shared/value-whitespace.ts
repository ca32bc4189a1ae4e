/**
 * Whitespace in a secret value: a value of nothing but whitespace is refused
 * (by the core, for every caller); whitespace at either end is kept — some
 * secrets really have it — but the form warns, since it is usually a
 * copy-and-paste accident.
 */
export function isOnlyWhitespace(value: string): boolean {
  return value.length > 0 && value.trim() === '';
}

function nameOf(ch: string): string {
  if (ch === ' ' || ch === '\u00a0') return 'a space';
  if (ch === '\t') return 'a tab';
  if (ch === '\n' || ch === '\r') return 'a line break';
  return 'an invisible space';
}

/** A sentence about whitespace at the ends of `value`, or null when there is none worth a word. */
export function edgeWhitespaceWarning(value: string): string | null {
  if (!value || isOnlyWhitespace(value)) return null;
  const first = /^\s/.test(value) ? value[0]! : null;
  const last = /\s$/.test(value) ? value[value.length - 1]! : null;
  if (!first && !last) return null;
  const where = first && last ? 'starts and ends' : first ? 'starts' : 'ends';
  const what = [first, last].filter((c): c is string => c !== null).map(nameOf);
  const unique = [...new Set(what)];
  return `The value ${where} with whitespace (${unique.join(' and ')}), which is usually a copy-and-paste accident.`;
}
