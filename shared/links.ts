/**
 * The links the app may open in the system browser, by id. The renderer asks
 * for a link by one of these ids (`app.openLink`), never by URL: the URLs live
 * in main (electron/app/links.ts), so a compromised page cannot make the app
 * open an address of its choosing — a way to send data out.
 */
export const LINK_IDS = ['docs.security', 'docs.rotation', 'docs.vaultFormat'] as const;

export type LinkId = (typeof LINK_IDS)[number];
