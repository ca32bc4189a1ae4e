/**
 * Serving the built renderer, shared by Electron's app:// protocol and the
 * harness: content types, and mapping a URL path to a file that must stay
 * inside the renderer folder (no "..", no encoded traversal).
 */
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
}

/** The file for a URL path under `root`, or null when the path would leave it. */
export function staticFileFor(root: string, pathname: string): { file: string; relative: string } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return null;
  }
  const relative = normalize(decoded).replace(/^[/\\]+/, '');
  const file = join(root, relative);
  return file.startsWith(root + sep) ? { file, relative } : null;
}
