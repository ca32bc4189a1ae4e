/**
 * The desktop window's security settings, without Electron: the BrowserWindow
 * options, the hardening of every web contents (navigation, new windows,
 * webviews, WebRTC), of the session (permissions, downloads, network) and the
 * app:// protocol handler. Electron main passes the Electron objects in; the
 * unit tests (window-hardening.test.ts) pass fakes to these same functions, so
 * what they check is what the app runs. Only types come from 'electron'
 * (erased at build time): importing this file never loads Electron. It lives
 * beside main.ts, not in app/, because even those types are Electron's, and
 * app/ stays Electron-free (eslint.config.js).
 *
 * Electron security checklist: docs/security.md (item numbers below).
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { CSP } from '../shared/csp.js';
import { MIN_WINDOW_SIZE } from '../shared/window-size.js';
import { contentTypeOf, staticFileFor } from './app/static-files.js';
import { isAppPage } from './ipc/dispatcher.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'keyward';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads (item 18: a custom scheme, never file://). */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** For `protocol.registerSchemesAsPrivileged` (before the app is ready). */
export const APP_SCHEME_PRIVILEGES = [{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }];

/** An Electron event that can be cancelled. */
export interface PreventableEvent {
  preventDefault(): void;
}

/** The parts of Electron's WebContents the hardening uses. */
export interface HardenableWebContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (details: PreventableEvent & { url?: string }, url: string) => void): unknown;
  on(event: 'will-frame-navigate', listener: (details: PreventableEvent & { url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  setWebRTCIPHandlingPolicy(policy: 'disable_non_proxied_udp'): void;
}

type NetworkRequest = { url: string };

/** The parts of Electron's Session the hardening uses. */
export interface HardenableSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
  setSpellCheckerEnabled(enable: boolean): void;
  on(event: 'will-download', listener: (event: PreventableEvent) => void): unknown;
  webRequest: {
    onBeforeRequest(filter: { urls: string[] }, listener: (details: NetworkRequest, callback: (response: { cancel: boolean }) => void) => void): void;
  };
}

/** The part of Electron's App the hardening uses. */
export interface HardenableApp {
  on(event: 'web-contents-created', listener: (event: unknown, contents: HardenableWebContents) => void): unknown;
}

export interface MainWindowSettings {
  bounds: { x?: number; y?: number; width: number; height: number };
  /** Absolute path of the (CommonJS) preload script. */
  preload: string;
  /** DevTools only in unpackaged builds. */
  devTools: boolean;
}

/**
 * Creates the main window with the hardened web preferences. Takes the
 * BrowserWindow class so the options stay one literal here (tests read them
 * through a fake class; Electronegativity reads them in this file).
 */
export function createMainWindow<W>(BrowserWindow: new (options: BrowserWindowConstructorOptions) => W, settings: MainWindowSettings): W {
  return new BrowserWindow({
    ...settings.bounds,
    // The layout is checked at exactly this size (e2e/specs/min-window.spec.ts).
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: 'Keyward',
    show: false,
    backgroundColor: '#0b0d12',
    webPreferences: {
      preload: settings.preload,
      // Items 2–4: no Node anywhere in the page, isolated preload world, OS sandbox.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      // Items 6, 8, 9, 10: keep the web's own rules; no experimental or extra Blink features.
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Middle-click ("auxclick") would ask for a new window; the page has no use for it.
      disableBlinkFeatures: 'Auxclick',
      // Item 11: no <webview> tag at all (and will-attach-webview is refused below).
      webviewTag: false,
      // A file dropped on the window must not replace the page.
      navigateOnDragDrop: false,
      // A page looping alert() can be stopped by the user.
      safeDialogs: true,
      spellcheck: false,
      devTools: settings.devTools,
    },
  });
}

/** True for a URL of our own page (parsed: scheme and host, not a prefix match). */
export function isAppUrl(url: unknown): boolean {
  return typeof url === 'string' && isAppPage(url, APP_ORIGIN);
}

/**
 * Every web contents (the window, DevTools, anything a bug might create):
 * no navigation away from the app, no new windows, no webviews, no WebRTC
 * over UDP outside a proxy (which would also reveal local addresses).
 */
export function hardenWebContents(contents: HardenableWebContents): void {
  // Item 13: navigation stays on app://keyward (main frame, redirects, and sub-frames).
  const stayInApp = (event: PreventableEvent, url: unknown) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', (details, url) => stayInApp(details, details.url ?? url));
  contents.on('will-redirect', (details, url) => stayInApp(details, details.url ?? url));
  contents.on('will-frame-navigate', (details) => stayInApp(details, details.url));
  // Items 14, 15: window.open, target=_blank and middle-click never open anything, in the
  // app or in the browser. Links the app needs go through `app.openLink` (an id, not a URL).
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // Item 12: no webview can be attached.
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // The CSP does not govern WebRTC: at least keep it off direct UDP and local addresses.
  contents.setWebRTCIPHandlingPolicy('disable_non_proxied_udp');
}

const NETWORK_PROTOCOLS = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:']);

/** True for a request that would leave the machine (http, https, ws, wss, ftp). */
export function isNetworkUrl(url: unknown): boolean {
  if (typeof url !== 'string') return true;
  try {
    return NETWORK_PROTOCOLS.has(new URL(url).protocol);
  } catch {
    return true;
  }
}

/**
 * The session (item 5): no permission is ever granted to web content, no
 * device access, no downloads, no spell-check dictionaries fetched, and no
 * network request from any page — a second wall behind the CSP, which the
 * renderer never needs to cross (everything it loads is app://).
 */
export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setSpellCheckerEnabled(false);
  session.on('will-download', (event) => event.preventDefault());
  session.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => callback({ cancel: isNetworkUrl(details.url) }));
}

/** Hardens the session now and every web contents as it is created. Call once, after `app.whenReady()`, before any window. */
export function installHardening(app: HardenableApp, session: HardenableSession): void {
  hardenSession(session);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}

/**
 * The app:// protocol handler (items 1, 7, 18): serves files of the built
 * renderer only, for host `keyward` only, each with the CSP as a header and
 * no content sniffing.
 */
export function appProtocolHandler(rendererDir: string, read: (file: string) => Promise<Uint8Array<ArrayBuffer>>): (request: { url: string }) => Promise<Response> {
  const notFound = () => new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } });
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return notFound();
    }
    const target = staticFileFor(rendererDir, url.pathname);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || !target) return notFound();
    try {
      const body = await read(target.file);
      return new Response(body, {
        headers: { 'content-type': contentTypeOf(target.file), 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' },
      });
    } catch {
      return notFound();
    }
  };
}
