/**
 * Composition root of the desktop app: single instance, security, core services, window, menu,
 * file hand-over, notifications. Everything with logic lives in core/ (plain Node) or in the
 * Electron-free helpers beside this file; this file only wires.
 */
import { app, dialog, Notification } from 'electron';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AppEvent } from '#shared/contract';
import { createCore } from '#core/composition-root';
import { OsKeychain } from '#core/keychain/keychain';
import { ExpiryNotifier } from '#core/notifications/expiry-notifier';
import { WindowStateStore } from '#core/window-state';
import { registerIpc } from './ipc';
import { pfxPathsFromArgv } from './launch-args';
import { installMenu } from './menu';
import type { MenuAction } from './menu-template';
import { applySessionSecurity } from './security';
import type { AppOrigin } from './security-policy';
import { createMainWindow, type MainWindow } from './window';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererFile = join(here, '../renderer/index.html');
const origin: AppOrigin = {
  fileUrl: pathToFileURL(rendererFile).toString(),
  // Set by `electron-vite dev` only; the packaged app never has it.
  devServerUrl: !app.isPackaged ? (process.env['ELECTRON_RENDERER_URL'] ?? null) : null,
};

let main: MainWindow | null = null;
// Files asked for before the window exists (first launch, macOS open-file at start-up).
const early: string[] = pfxPathsFromArgv(process.argv.slice(app.isPackaged ? 1 : 2), process.cwd());

function openFiles(paths: string[]): void {
  if (!paths.length) return;
  if (main) {
    if (main.window.isMinimized()) main.window.restore();
    main.window.focus();
    main.send({ type: 'openFiles', paths });
  } else early.push(...paths);
}

async function onMenu(action: MenuAction): Promise<void> {
  if (!main) return;
  if (action === 'about') {
    await dialog.showMessageBox(main.window, {
      type: 'info',
      title: 'CertDesk',
      message: `CertDesk ${app.getVersion()}`,
      detail: 'Certificados digitais ICP-Brasil A1.',
    });
  } else if (action === 'openFile') {
    const chosen = await dialog.showOpenDialog(main.window, {
      properties: ['openFile', 'multiSelections'],
      filters: [{ name: 'PKCS#12', extensions: ['pfx', 'p12'] }],
    });
    openFiles(chosen.filePaths);
  } else {
    const event: AppEvent =
      action === 'newCertificate'
        ? { type: 'newCertificate' }
        : action === 'reload'
          ? { type: 'reload' }
          : { type: 'navigate', to: action };
    main.send(event);
  }
}

// Why: one CertDesk per user; a second launch hands its files to the first window.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, cwd) => {
    openFiles(pfxPathsFromArgv(argv.slice(1), cwd));
    main?.window.focus();
  });
  // macOS double-click on a .pfx: may arrive before ready.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openFiles([path]);
  });

  app.whenReady().then(async () => {
    applySessionSecurity(origin);
    const dataDir = app.getPath('userData');
    const core = await createCore({ dataDir, shell: 'electron', version: app.getVersion(), keychain: new OsKeychain() });
    registerIpc(core.handlers, origin);
    app.on('will-quit', () => void core.close());
    app.setAboutPanelOptions({ applicationName: 'CertDesk', applicationVersion: app.getVersion() });

    installMenu(core.settings.get().locale, (action) => void onMenu(action));
    core.settings.onChange((settings) => installMenu(settings.locale, (action) => void onMenu(action)));

    const state = await WindowStateStore.open(dataDir);
    const load = (window: Electron.BrowserWindow) =>
      void (origin.devServerUrl ? window.loadURL(origin.devServerUrl) : window.loadFile(rendererFile));
    main = createMainWindow({ here, load, state });
    openFiles(early.splice(0));

    // Expiry notices: the thresholds logic is in the core; the OS shows them.
    const notifier = await ExpiryNotifier.open(
      dataDir,
      (env) => core.workspace.list(env),
      (notice) => {
        if (Notification.isSupported()) new Notification({ title: notice.title, body: notice.body }).show();
      },
    );
    void notifier.check();
    setInterval(() => void notifier.check(), 6 * 60 * 60 * 1000).unref();

    app.on('activate', () => {
      if (!main || main.window.isDestroyed()) main = createMainWindow({ here, load, state });
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
