/**
 * Escapes control characters in untrusted text (credential names, commands the
 * user typed) before it reaches a terminal or a native dialog: newlines or
 * terminal escape sequences could forge output, and the bidirectional-text
 * controls (an override, U+202E) would let a crafted string display as
 * something else ("Trojan Source" spoofing). One function for the CLI and for
 * Electron main, so both show the same thing.
 */
export function safeText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\t') return '\\t';
    if (ch === '\r') return '\\r';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
