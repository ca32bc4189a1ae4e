/**
 * The Content-Security-Policy of the renderer, shared by the Electron protocol
 * handler and the test harness so both serve the page under the same rules:
 * only our own scripts and styles, no network, no frames, no plugins.
 */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
