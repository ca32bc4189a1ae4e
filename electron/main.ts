/**
 * Electron main: the composition root. Builds the same core services the CLI
 * uses, puts the app controller behind the one IPC dispatcher, and hardens the
 * window (Electron security checklist: docs/security.md). The only file that
 * wires Electron; everything it calls runs in plain Node too.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, powerMonitor, protocol, session, shell, Tray } from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CSP } from '../shared/csp.js';
import { IPC_CHANNELS, type KeywardEvent } from '../shared/ipc/contract.js';
import { electronClipboard } from './adapters/electron-clipboard.js';
import { chooseVaultPath, rememberVaultPath } from './adapters/app-config.js';
import { loadWindowState, trackWindowState } from './adapters/window-state.js';
import { workerRunner } from './app/analysis-runner.js';
import { AppController } from './app/app-controller.js';
import { contentTypeOf, staticFileFor } from './app/static-files.js';
import { realVaultDeps } from './core/composition.js';
import { createDispatcher } from './ipc/dispatcher.js';
import { handlersFor } from './ipc/handlers.js';

const SCHEME = 'app';
const APP_ORIGIN = `${SCHEME}://keyward`;
const RENDERER_DIR = join(__dirname, '..', 'renderer');

// Served from a custom privileged scheme, not file:// (checklist item 18).
protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void start();
}

let mainWindow: BrowserWindow | null = null;
let tray: Tray | null = null;

function send(event: KeywardEvent): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(IPC_CHANNELS.event, event);
}

async function start(): Promise<void> {
  app.enableSandbox();
  await app.whenReady();
  const userData = app.getPath('userData');

  const controller = new AppController({
    vaultPath: chooseVaultPath(process.argv, process.env, userData),
    deps: realVaultDeps({ useKeychain: true }),
    clipboard: electronClipboard,
    actor: 'app',
    analysis: workerRunner(join(__dirname, 'analysis-worker.cjs')),
    watchFile: true,
    systemIdleMs: () => powerMonitor.getSystemIdleTime() * 1000,
    emit: (event) => {
      send(event);
      // Locking reloads the renderer so nothing it held survives in its memory.
      if (event.type === 'locked') mainWindow?.webContents.reload();
    },
    pickVaultFile: async (mode) => {
      const options = { title: mode === 'open' ? 'Open a Keyward vault' : 'Create a Keyward vault', filters: [{ name: 'Keyward vault', extensions: ['keyward'] }] };
      if (mode === 'open') {
        const r = await dialog.showOpenDialog(mainWindow!, { ...options, properties: ['openFile'] });
        return r.canceled ? null : (r.filePaths[0] ?? null);
      }
      const r = await dialog.showSaveDialog(mainWindow!, { ...options, defaultPath: 'vault.keyward' });
      return r.canceled ? null : (r.filePath ?? null);
    },
    onVaultPathChanged: (path) => rememberVaultPath(userData, path),
    notifyReminders: (fresh, total) => {
      // One notification for the group, never one per credential; names only, never values.
      const names = fresh.slice(0, 3).map((d) => d.name.slice(0, 60)).join(', ');
      const more = fresh.length > 3 ? ` and ${fresh.length - 3} more` : '';
      if (Notification.isSupported())
        new Notification({ title: `Keyward: ${total} credential${total === 1 ? '' : 's'} due for rotation`, body: `${names}${more}`, silent: false }).show();
      app.setBadgeCount(total);
      tray?.setToolTip(`Keyward — ${total} due for rotation`);
    },
    confirmRotator: async (name, commands) => {
      // Outside the page: a compromised renderer cannot click this for the user.
      const detail = [`create: ${commands.create}`, commands.test ? `test: ${commands.test}` : '', commands.revoke ? `revoke: ${commands.revoke}` : ''].filter(Boolean).join('\n');
      const options = { type: 'warning' as const, buttons: ['Cancel', 'Allow'], defaultId: 0, cancelId: 0, message: `Allow these commands to run when "${name.slice(0, 80)}" is rotated?`, detail };
      const r = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
      return r.response === 1;
    },
  });

  const dispatch = createDispatcher(handlersFor(controller), APP_ORIGIN, () => controller.activity());

  // Every call's sender is checked: only the app's own top-level page may talk to main (item 17).
  ipcMain.handle(IPC_CHANNELS.call, (event, method: unknown, request: unknown) => {
    const frame = event.senderFrame;
    const isOurWindow = mainWindow !== null && event.sender === mainWindow.webContents;
    return dispatch({ url: frame?.url ?? '', isMainFrame: isOurWindow && frame === event.sender.mainFrame }, method, request);
  });

  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    const target = staticFileFor(RENDERER_DIR, url.pathname);
    if (url.host !== 'keyward' || !target) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(target.file);
      return new Response(body, {
        headers: { 'content-type': contentTypeOf(target.file), 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });

  // No permission (camera, notifications from the page, …) is ever granted to web content (item 5).
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  app.on('web-contents-created', (_event, contents) => {
    // No navigation away from the app, no new windows, no webviews (items 11–14).
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      // Links to documentation open in the browser, only http(s); never inside the app (item 15).
      if (/^https:\/\//.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  const createWindow = () => {
    const state = loadWindowState(userData);
    mainWindow = new BrowserWindow({
      ...(state.hasPosition ? state.bounds : { width: state.bounds.width, height: state.bounds.height }),
      minWidth: 720,
      minHeight: 480,
      title: 'Keyward',
      show: false,
      backgroundColor: '#0b0d12',
      webPreferences: {
        preload: join(__dirname, 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        spellcheck: false,
        devTools: !app.isPackaged,
      },
    });
    if (state.maximized) mainWindow.maximize();
    trackWindowState(mainWindow, userData);
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
    void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
  };

  const showWindow = () => {
    if (!mainWindow) createWindow();
    else {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.show();
      mainWindow.focus();
    }
  };

  app.on('second-instance', showWindow);
  app.on('activate', showWindow);

  powerMonitor.on('suspend', () => void controller.lock('suspend'));
  powerMonitor.on('lock-screen', () => void controller.lock('screen-lock'));
  powerMonitor.on('resume', () => controller.onWake());

  const icon = nativeImage.createFromPath(join(__dirname, '..', '..', 'assets', 'tray.png'));
  tray = new Tray(icon.isEmpty() ? nativeImage.createEmpty() : icon);
  tray.setToolTip('Keyward');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open Keyward', click: showWindow },
      { label: 'Lock', click: () => void controller.lock('user') },
      { type: 'separator' },
      { label: 'Quit', click: () => app.quit() },
    ]),
  );
  tray.on('click', showWindow);

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void controller.shutdown().finally(() => app.quit());
  });
  // The tray keeps Keyward running (and locking on idle) when the window is closed.
  app.on('window-all-closed', () => undefined);

  createWindow();
}
