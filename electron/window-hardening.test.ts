/**
 * Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security),
 * checked against the real settings and handlers main installs — the functions
 * of window-hardening.ts that electron/main.ts calls — driven with fake
 * Electron objects (EventEmitters), since no Electron binary runs here.
 * Item numbers follow the checklist and docs/security.md.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CSP } from '../shared/csp.js';
import { LINK_URLS } from './app/links.js';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  appProtocolHandler,
  createMainWindow,
  hardenSession,
  hardenWebContents,
  installHardening,
  isNetworkUrl,
} from './window-hardening.js';

const root = join(import.meta.dirname, '..');

/** A cancellable Electron event. */
function fakeEvent(extra: Record<string, unknown> = {}) {
  const event = { defaultPrevented: false, preventDefault: vi.fn(() => void (event.defaultPrevented = true)), ...extra };
  return event;
}

class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  webRTCPolicy: string | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
    this.windowOpenHandler = handler;
  }
  setWebRTCIPHandlingPolicy(policy: string) {
    this.webRTCPolicy = policy;
  }
  /** What Electron does on will-navigate / will-redirect: the event (with url) and the deprecated url argument. */
  navigate(kind: 'will-navigate' | 'will-redirect', url: string) {
    const event = fakeEvent({ url });
    this.emit(kind, event, url);
    return event.defaultPrevented;
  }
  frameNavigate(url: string, isMainFrame = false) {
    const event = fakeEvent({ url, isMainFrame });
    this.emit('will-frame-navigate', event);
    return event.defaultPrevented;
  }
  /** window.open / target=_blank / middle-click: Electron asks the handler; no handler means allow. */
  open(url: string) {
    return this.windowOpenHandler ? this.windowOpenHandler({ url }).action : 'allow';
  }
}

class FakeSession extends EventEmitter {
  requestHandler: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  checkHandler: ((wc: unknown, permission: string) => boolean) | null = null;
  deviceHandler: ((details: unknown) => boolean) | null = null;
  spellChecker = true;
  beforeRequest: { filter: { urls: string[] }; listener: (details: { url: string }, callback: (r: { cancel: boolean }) => void) => void } | null = null;
  webRequest = {
    onBeforeRequest: (filter: { urls: string[] }, listener: (details: { url: string }, callback: (r: { cancel: boolean }) => void) => void) => {
      this.beforeRequest = { filter, listener };
    },
  };
  setPermissionRequestHandler(h: FakeSession['requestHandler']) {
    this.requestHandler = h;
  }
  setPermissionCheckHandler(h: FakeSession['checkHandler']) {
    this.checkHandler = h;
  }
  setDevicePermissionHandler(h: FakeSession['deviceHandler']) {
    this.deviceHandler = h;
  }
  setSpellCheckerEnabled(enable: boolean) {
    this.spellChecker = enable;
  }
  /** True when the request would be cancelled. */
  request(url: string): boolean {
    let answer: boolean | null = null;
    this.beforeRequest!.listener({ url }, (r) => (answer = r.cancel));
    if (answer === null) throw new Error('the listener never answered');
    return answer;
  }
}

/** A BrowserWindow class that only records what it was built with. */
class FakeBrowserWindow {
  static last: BrowserWindowConstructorOptions | null = null;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    FakeBrowserWindow.last = options;
  }
}

function hardenedContents() {
  const contents = new FakeWebContents();
  hardenWebContents(contents);
  return contents;
}

function hardenedSession() {
  const session = new FakeSession();
  hardenSession(session);
  return session;
}

describe('BrowserWindow options (the ones main creates its window with)', () => {
  const win = createMainWindow(FakeBrowserWindow, { bounds: { width: 1000, height: 700 }, preload: '/app/dist/electron/preload.cjs', devTools: false });
  const prefs = win.options.webPreferences!;

  it('items 2, 3, 4: no Node integration anywhere, context isolation, sandbox', () => {
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
  });

  it('items 6, 8, 9, 10: web security kept, no insecure content, no experimental or extra Blink features', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.disableBlinkFeatures).toContain('Auxclick');
  });

  it('item 11: no <webview> tag; no navigation by dropping a file', () => {
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('uses the preload it is given, and DevTools only when asked', () => {
    expect(prefs.preload).toBe('/app/dist/electron/preload.cjs');
    expect(prefs.devTools).toBe(false);
    expect(createMainWindow(FakeBrowserWindow, { bounds: { width: 1000, height: 700 }, preload: 'p', devTools: true }).options.webPreferences!.devTools).toBe(true);
  });

  it('sets nothing that weakens the defaults (every key is one we reviewed)', () => {
    expect(Object.keys(prefs).sort()).toEqual(
      [
        'allowRunningInsecureContent',
        'contextIsolation',
        'devTools',
        'disableBlinkFeatures',
        'experimentalFeatures',
        'navigateOnDragDrop',
        'nodeIntegration',
        'nodeIntegrationInSubFrames',
        'nodeIntegrationInWorker',
        'preload',
        'safeDialogs',
        'sandbox',
        'spellcheck',
        'webSecurity',
        'webviewTag',
      ].sort(),
    );
  });
});

describe('items 1, 7, 18: our own content, from a custom protocol, under a CSP', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyward-renderer-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Keyward</title>');
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads app://keyward, a privileged standard secure scheme — never file://', () => {
    expect(APP_SCHEME).toBe('app');
    expect(APP_SCHEME).not.toBe('file');
    expect(new URL(APP_ENTRY_URL).protocol).toBe('app:');
    expect(new URL(APP_ENTRY_URL).host).toBe('keyward');
    expect(APP_ENTRY_URL.startsWith(`${APP_ORIGIN}/`)).toBe(true);
    expect(APP_SCHEME_PRIVILEGES).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true } }]);
    // Nothing beyond standard + secure (no bypassCSP, no corsEnabled, no supportFetchAPI…).
    expect(Object.keys(APP_SCHEME_PRIVILEGES[0]!.privileges).sort()).toEqual(['secure', 'standard']);
  });

  it('the CSP allows only our own scripts and styles, no inline code, no plugins, frames, forms or base changes', () => {
    const directives = new Map(CSP.split(';').map((d) => d.trim().split(/\s+/) as [string, ...string[]]).map(([name, ...values]) => [name, values]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CSP).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|\*|https?:|ws:/);
  });

  it('serves the renderer with the CSP and nosniff on every file', async () => {
    const handle = appProtocolHandler(dir, (file) => readFile(file));
    for (const url of [APP_ENTRY_URL, `${APP_ORIGIN}/`, `${APP_ORIGIN}/assets/app.js`]) {
      const res = await handle({ url });
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(CSP);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect((await handle({ url: APP_ENTRY_URL })).headers.get('content-type')).toMatch(/^text\/html/);
    expect((await handle({ url: `${APP_ORIGIN}/assets/app.js` })).headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('refuses other hosts, missing files and paths that leave the renderer folder', async () => {
    const secret = join(dir, '..', `keyward-secret-${process.pid}.txt`);
    writeFileSync(secret, 'not for the page');
    try {
      const handle = appProtocolHandler(dir, (file) => readFile(file));
      for (const url of [
        'app://evil/index.html',
        'app://keyward.evil/index.html',
        `${APP_ORIGIN}/missing.js`,
        `${APP_ORIGIN}/%2e%2e/keyward-secret-${process.pid}.txt`,
        `${APP_ORIGIN}/..%2fkeyward-secret-${process.pid}.txt`,
        `${APP_ORIGIN}/../keyward-secret-${process.pid}.txt`,
        'not a url',
      ]) {
        const res = await handle({ url });
        expect(res.status, url).toBe(404);
        expect(await res.text()).not.toContain('not for the page');
      }
    } finally {
      rmSync(secret, { force: true });
    }
  });
});

describe('web contents: navigation, new windows, webviews, WebRTC', () => {
  it('item 13: will-navigate and will-redirect stay on app://keyward', () => {
    const contents = hardenedContents();
    for (const kind of ['will-navigate', 'will-redirect'] as const) {
      expect(contents.navigate(kind, APP_ENTRY_URL), kind).toBe(false);
      expect(contents.navigate(kind, `${APP_ORIGIN}/index.html#/vault`), kind).toBe(false);
      for (const url of [
        'https://evil.example/?leak=secret',
        'http://127.0.0.1:8080/',
        'file:///etc/passwd',
        'app://evil/index.html',
        'app://keyward.evil.example/',
        'app://keyward@evil.example/',
        'javascript:alert(1)',
        'data:text/html,<script>1</script>',
        'about:blank',
        '',
      ]) {
        expect(contents.navigate(kind, url), `${kind} ${url}`).toBe(true);
      }
    }
  });

  it('item 13: sub-frame navigations are limited the same way (will-frame-navigate)', () => {
    const contents = hardenedContents();
    expect(contents.frameNavigate(`${APP_ORIGIN}/index.html`, true)).toBe(false);
    expect(contents.frameNavigate('https://evil.example/')).toBe(true);
    expect(contents.frameNavigate('about:blank')).toBe(true);
  });

  it('items 14, 15: every new window is denied — outside URLs and our own alike — and none goes to the browser', () => {
    const contents = hardenedContents();
    for (const url of ['https://evil.example/?data=secret', 'http://evil.example/', APP_ENTRY_URL, `${APP_ORIGIN}/`, 'about:blank', 'file:///etc/passwd', 'mailto:x@evil.example', LINK_URLS['docs.security']]) {
      expect(contents.open(url), url).toBe('deny');
    }
    // The handler is handed nothing that could open a URL: hardenWebContents takes no shell, and
    // main's only shell.openExternal sits behind the link allowlist (checked below and in links.test.ts).
    expect(hardenWebContents.length).toBe(1);
  });

  it('item 12: attaching a webview is always prevented', () => {
    const contents = hardenedContents();
    const event = fakeEvent();
    contents.emit('will-attach-webview', event, { nodeIntegration: true }, { src: 'https://evil.example/' });
    expect(event.defaultPrevented).toBe(true);
  });

  it('WebRTC cannot use UDP outside a proxy (no local-address leak, no direct UDP channel)', () => {
    expect(hardenedContents().webRTCPolicy).toBe('disable_non_proxied_udp');
  });

  it('every web contents the app creates is hardened as it is created', () => {
    const app = new EventEmitter();
    const session = new FakeSession();
    installHardening(app, session);
    expect(session.requestHandler).not.toBeNull();
    const contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.open('https://evil.example/')).toBe('deny');
    expect(contents.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.webRTCPolicy).toBe('disable_non_proxied_udp');
    expect(contents.listenerCount('will-attach-webview')).toBe(1);
  });
});

describe('session: permissions, devices, downloads, network', () => {
  it('item 5: every permission request is denied, and every check answers no', () => {
    const session = hardenedSession();
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write', 'fullscreen', 'midi', 'hid', 'serial', 'usb', 'display-capture', 'unknown']) {
      const callback = vi.fn();
      session.requestHandler!({}, permission, callback);
      expect(callback, permission).toHaveBeenCalledExactlyOnceWith(false);
      expect(session.checkHandler!({}, permission), permission).toBe(false);
    }
    expect(session.deviceHandler!({ deviceType: 'usb' })).toBe(false);
  });

  it('downloads are cancelled and no spell-check dictionary is fetched', () => {
    const session = hardenedSession();
    const event = fakeEvent();
    session.emit('will-download', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
    expect(session.spellChecker).toBe(false);
  });

  it('no request from any page leaves the machine (a wall behind the CSP); our own files load', () => {
    const session = hardenedSession();
    expect(session.beforeRequest!.filter.urls).toEqual(['<all_urls>']);
    for (const url of ['https://evil.example/x', 'http://127.0.0.1/', 'wss://evil.example/', 'ws://localhost:1/', 'ftp://evil.example/']) expect(session.request(url), url).toBe(true);
    for (const url of [APP_ENTRY_URL, `${APP_ORIGIN}/assets/app.js`, 'data:image/png;base64,AAAA', 'devtools://devtools/bundled/inspector.html']) expect(session.request(url), url).toBe(false);
    expect(isNetworkUrl('not a url')).toBe(true);
  });
});

describe('main.ts uses this module (a guard beside the behavioural tests above)', () => {
  const main = readFileSync(join(root, 'electron', 'main.ts'), 'utf8');
  const code = main.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

  it('imports the hardening and calls each part of it', () => {
    expect(code).toMatch(/import \{[^}]*\bcreateMainWindow\b[^}]*\} from '\.\/window-hardening\.js'/);
    expect(code).toMatch(/import \{[^}]*\binstallHardening\b[^}]*\} from '\.\/window-hardening\.js'/);
    expect(code).toContain('installHardening(app, session.defaultSession)');
    expect(code).toContain('createMainWindow(BrowserWindow,');
    expect(code).toContain('protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES)');
    expect(code).toContain('protocol.handle(APP_SCHEME, appProtocolHandler(');
    expect(code).toContain('loadURL(APP_ENTRY_URL)');
    expect(code).toContain('app.enableSandbox()');
  });

  it('hardens before it creates any window', () => {
    expect(code.indexOf('installHardening(')).toBeGreaterThan(code.indexOf('await app.whenReady()'));
    expect(code.indexOf('installHardening(')).toBeLessThan(code.indexOf('createMainWindow('));
    expect(code.indexOf('installHardening(')).toBeLessThan(code.lastIndexOf('createWindow()'));
  });

  it('builds no window, handler or web preference of its own beside the module', () => {
    expect(code).not.toMatch(/new BrowserWindow\s*\(/);
    expect(code).not.toMatch(/webPreferences|setWindowOpenHandler|setPermission\w*Handler|will-navigate|will-attach-webview/);
    // shell.openExternal appears once: behind the allowlist.
    expect(code.match(/shell\.openExternal/g)).toHaveLength(1);
    expect(code).toMatch(/allowlistedOpener\(\(url\) => shell\.openExternal\(url\)\)/);
  });

  it('window-hardening.ts takes only types from electron (it is loaded here, in plain Node)', () => {
    const source = readFileSync(join(root, 'electron', 'window-hardening.ts'), 'utf8');
    const electronImports = source.match(/^import[^;]*from 'electron';$/gm) ?? [];
    expect(electronImports.length).toBeGreaterThan(0);
    for (const line of electronImports) expect(line).toMatch(/^import type /);
    expect(source).not.toMatch(/require\(['"]electron['"]\)/);
  });
});

describe('item 16: a current, pinned Electron', () => {
  it('is pinned to an exact version, 45 or later', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const version = pkg.devDependencies.electron!;
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(45);
  });
});
