/**
 * The allowlist behind `app.openLink`: each link id the renderer may name
 * (shared/links.ts) and the one fixed https URL it opens. Nothing here takes
 * a URL from the page.
 */
import type { LinkId } from '../../shared/links.js';

export const LINK_URLS: Readonly<Record<LinkId, string>> = Object.freeze({
  'docs.security': 'https://github.com/keyward/keyward/blob/main/docs/security.md',
  'docs.rotation': 'https://github.com/keyward/keyward/blob/main/docs/rotation.md',
  'docs.vaultFormat': 'https://github.com/keyward/keyward/blob/main/docs/vault-format.md',
});

/** The URL for a link id, or null when the id is not on the list (own keys only: no "constructor", no "__proto__"). */
export function linkUrl(id: unknown): string | null {
  if (typeof id !== 'string' || !Object.prototype.hasOwnProperty.call(LINK_URLS, id)) return null;
  return LINK_URLS[id as LinkId];
}

/** True only for a URL that is on the allowlist, exactly. */
export function isAllowedLinkUrl(url: unknown): url is string {
  return typeof url === 'string' && Object.values(LINK_URLS).includes(url);
}

/**
 * Wraps `shell.openExternal` for main: refuses anything but an allowlisted
 * URL (a second check, whatever the caller), and opens at most one link per
 * `minIntervalMs` so a compromised page cannot flood the browser with tabs.
 * Resolves true when the link was handed to the system browser.
 */
export function allowlistedOpener(
  openExternal: (url: string) => Promise<void>,
  options: { minIntervalMs?: number; now?: () => number } = {},
): (url: string) => Promise<boolean> {
  const minIntervalMs = options.minIntervalMs ?? 1_000;
  const now = options.now ?? Date.now;
  let last = Number.NEGATIVE_INFINITY;
  return async (url) => {
    if (!isAllowedLinkUrl(url) || !url.startsWith('https://')) return false;
    const t = now();
    if (t - last < minIntervalMs) return false;
    last = t;
    try {
      await openExternal(url);
      return true;
    } catch {
      return false;
    }
  };
}
