/**
 * Composition root of the desktop app: single instance, security, core services, one window.
 * Everything with logic lives in core/ (plain Node) or security-policy.ts; this file only wires.
 */
import { app, BrowserWindow, Notification } from 'electron';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createCore } from './core/handlers';
import { OsKeychain } from './core/keychain/keychain';
import { ExpiryNotifier } from './core/notifications/expiry-notifier';
import { registerIpc } from './ipc';
import { applySessionSecurity } from './security';
import type { AppOrigin } from './security-policy';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererFile = join(here, '../renderer/index.html');
const origin: AppOrigin = {
  fileUrl: pathToFileURL(rendererFile).toString(),
  // Set by `electron-vite dev` only; the packaged app never has it.
  devServerUrl: !app.isPackaged ? (process.env['ELECTRON_RENDERER_URL'] ?? null) : null,
};

let mainWindow: BrowserWindow | null = null;

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'CertDesk',
    backgroundColor: '#f5f7fa',
    webPreferences: {
      preload: join(here, '../preload/preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  if (origin.devServerUrl) void window.loadURL(origin.devServerUrl);
  else void window.loadFile(rendererFile);
  return window;
}

// Why: one CertDesk per user; a second launch focuses the first (file hand-over comes with issue 8).
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.whenReady().then(async () => {
    applySessionSecurity(origin);
    const core = await createCore({
      dataDir: app.getPath('userData'),
      shell: 'electron',
      version: app.getVersion(),
      keychain: new OsKeychain(),
    });
    registerIpc(core.handlers, origin);
    app.on('will-quit', () => void core.close());
    mainWindow = createWindow();
    // Expiry notices: the thresholds logic is in the core; the OS shows them.
    const notifier = await ExpiryNotifier.open(app.getPath('userData'), (env) => core.workspace.list(env), (notice) => {
      if (Notification.isSupported()) new Notification({ title: notice.title, body: notice.body }).show();
    });
    void notifier.check();
    setInterval(() => void notifier.check(), 6 * 60 * 60 * 1000).unref();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
