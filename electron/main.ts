/**
 * Electron main: the composition root. Builds the same core services the CLI
 * uses, puts the app controller behind the one IPC dispatcher, and hardens the
 * window (Electron security checklist: docs/security.md). The only file that
 * wires Electron; everything it calls runs in plain Node too.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, powerMonitor, protocol, session, shell, Tray } from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IPC_CHANNELS, type KeywardEvent } from '../shared/ipc/contract.js';
import { electronClipboard } from './adapters/electron-clipboard.js';
import { chooseVaultPath, rememberVaultPath } from './adapters/app-config.js';
import { loadWindowState, trackWindowState } from './adapters/window-state.js';
import { parallelSegmentChecker } from './core/audit/segment-check.js';
import { workerRunner } from './app/health-runner.js';
import { AppController } from './app/app-controller.js';
import { allowlistedOpener } from './app/links.js';
import { ALLOW_BUTTON, rotatorDialogOptions } from './app/rotator-dialog.js';
import { ALLOW_ONCE_BUTTON, cliSessionDialogOptions, grantApprovalDialogOptions } from './app/grant-approvals.js';
import { localApiSocketPath } from './core/api/socket-path.js';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, appProtocolHandler, createMainWindow, installHardening } from './window-hardening.js';
import { realVaultDeps } from './core/composition.js';
import { createDispatcher } from './ipc/dispatcher.js';
import { handlersFor } from './ipc/handlers/index.js';

const RENDERER_DIR = join(__dirname, '..', 'renderer');

// Served from a custom privileged scheme, not file:// (checklist item 18).
protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES);

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
  // Before any window exists: the session's permissions, downloads and network, and every
  // web contents' navigation, new windows, webviews and WebRTC (window-hardening.ts).
  installHardening(app, session.defaultSession);
  const userData = app.getPath('userData');
  // The only way anything opens in the browser: an allowlisted link id, through `app.openLink`.
  const openLink = allowlistedOpener((url) => shell.openExternal(url));

  const controller = new AppController({
    vaultPath: chooseVaultPath(process.argv, process.env, userData),
    deps: realVaultDeps({ useKeychain: true, compactInBackground: true }),
    clipboard: electronClipboard,
    actor: 'app',
    healthRunner: workerRunner(join(__dirname, 'health-worker.cjs')),
    segmentChecker: parallelSegmentChecker(join(__dirname, 'segment-check-worker.cjs')),
    watchFile: true,
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
    notifyIncidents: (incidents) => {
      // One notification per burst of incidents; the explanation names credentials, never values.
      const [first] = incidents;
      if (first && Notification.isSupported())
        new Notification({
          title: `Keyward: security incident${incidents.length === 1 ? '' : `s (${incidents.length})`}`,
          // The kind and severity only: the notification centre keeps what it shows, and an explanation names credentials.
          body: `${first.severity === 'critical' ? 'Critical' : 'High'}: ${first.kind.replace('-', ' ')}. Open Keyward to see it.`,
          urgency: 'critical',
        }).show();
    },
    confirmRotator: async (name, commands) => {
      // Outside the page: a compromised renderer cannot click this for the user. Shows the
      // validated, resolved commands, escaped like the CLI does (rotator-dialog.ts reads only
      // create, test, revoke and folder — never anything else the caller's object may carry).
      const options = rotatorDialogOptions(name, commands);
      const r = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
      return r.response === ALLOW_BUTTON;
    },
    openExternal: async (url) => {
      if (!(await openLink(url))) throw new Error('The link was not opened.');
    },
    // "Ask me each time" grants: asked outside the page, which a compromised renderer cannot click for the user.
    approveGrantUse: async (request, signal) => {
      const options = { ...grantApprovalDialogOptions(request), signal };
      const r = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
      return r.response === ALLOW_ONCE_BUTTON;
    },
    approveCliSession: async (request, signal) => {
      const options = { ...cliSessionDialogOptions(request), signal };
      const r = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
      return r.response === ALLOW_ONCE_BUTTON;
    },
    localApiSocket: (path) => localApiSocketPath(path),
  });
  void controller.startLocalApi();

  const dispatch = createDispatcher(handlersFor(controller), APP_ORIGIN, () => controller.credentialsDecoded());

  // Every call's sender is checked: only the app's own top-level page may talk to main (item 17).
  ipcMain.handle(IPC_CHANNELS.call, (event, method: unknown, request: unknown) => {
    const frame = event.senderFrame;
    const isOurWindow = mainWindow !== null && event.sender === mainWindow.webContents;
    return dispatch({ url: frame?.url ?? '', isMainFrame: isOurWindow && frame === event.sender.mainFrame }, method, request);
  });

  // The built renderer, with the CSP as a header on every file (items 1, 7, 18).
  protocol.handle(APP_SCHEME, appProtocolHandler(RENDERER_DIR, (file) => readFile(file)));

  const createWindow = () => {
    const state = loadWindowState(userData);
    // The hardened web preferences live in window-hardening.ts (tested there).
    mainWindow = createMainWindow(BrowserWindow, {
      bounds: state.hasPosition ? state.bounds : { width: state.bounds.width, height: state.bounds.height },
      preload: join(__dirname, 'preload.cjs'),
      devTools: !app.isPackaged,
    });
    if (state.maximized) mainWindow.maximize();
    trackWindowState(mainWindow, userData);
    // Only a person's input counts as activity — never an IPC call, which a page's own timer could make.
    mainWindow.webContents.on('input-event', () => controller.activity());
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
    void mainWindow.loadURL(APP_ENTRY_URL);
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
    const held = controller.rescuedCount;
    if (held > 0) {
      // A rotator minted a value the vault could not take yet; it lives only in this process's memory.
      const choice = dialog.showMessageBoxSync({
        type: 'warning',
        buttons: ['Keep Keyward running', 'Quit and lose them'],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
        title: 'Rotated values not saved yet',
        message: `${held} rotated value${held === 1 ? ' is' : 's are'} held in memory until you unlock the vault.`,
        detail: 'The provider may already use the new value. Unlock Keyward to write it to the vault before quitting.',
      });
      if (choice === 0) return;
    }
    quitting = true;
    void controller.shutdown().finally(() => app.quit());
  });
  // The tray keeps Keyward running (and locking on idle) when the window is closed.
  app.on('window-all-closed', () => undefined);

  createWindow();
}
