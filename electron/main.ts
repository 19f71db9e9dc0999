/**
 * Composition root of the desktop app: single instance, the app:// scheme, security, core services,
 * window, menu, file hand-over, notifications, and a dialog when start-up fails. Everything with
 * logic lives in core/ (plain Node) or in the Electron-free helpers beside this file
 * (app-protocol.ts, security-policy.ts, startup-failure.ts…); this file only wires.
 */
import { app, dialog, Notification, protocol, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppEvent } from '@certdesk/shared/contract';
import { createCore, type Core } from '#desktop/composition-root';
import { errorKind, logAndContinue } from '@certdesk/core/errors';
import { OsKeychain } from '#desktop/keychain';
import { ExpiryNotifier, listThroughBackends } from '#desktop/notifications/expiry-notifier';
import { WindowStateStore } from '#desktop/window-state';
import { APP_PAGE_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, respondToAppRequest } from './app-protocol';
import { registerIpc } from './ipc';
import { pfxPathsFromArgv } from './launch-args';
import { installMenu } from './menu';
import type { MenuAction } from './menu-template';
import { applySessionSecurity } from './security';
import { contentSecurityPolicy, type AppOrigin } from './security-policy';
import { STARTUP_FAILURE_TITLE, startupFailureMessage, type StartupStep } from './startup-failure';
import { createMainWindow, type MainWindow } from './window';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererDir = join(here, '../renderer');
const origin: AppOrigin = {
  appUrl: APP_PAGE_URL,
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

// Why: the renderer is served from app://certdesk/, not file:// (privileges must be set before ready).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

let step: StartupStep = 'security';
let core: Core | null = null;

async function start(): Promise<void> {
  step = 'security';
  applySessionSecurity(origin);
  const csp = contentSecurityPolicy(null);
  protocol.handle(APP_SCHEME, (request) => respondToAppRequest(request, rendererDir, { contentSecurityPolicy: csp }));

  step = 'data';
  const dataDir = app.getPath('userData');
  // The background revocation recheck found a certificate revoked: say so now, not at the next 6-hour check.
  let noticesNow: () => void = () => undefined;
  const started = await createCore({
    dataDir,
    shell: 'electron',
    version: app.getVersion(),
    keychain: new OsKeychain(),
    showInFolder: (file) => shell.showItemInFolder(file),
    onRevoked: () => noticesNow(),
  });
  core = started;
  registerIpc(started.handlers, origin);
  app.on('will-quit', () => void started.close());

  step = 'window';
  app.setAboutPanelOptions({ applicationName: 'CertDesk', applicationVersion: app.getVersion() });
  installMenu(started.settings.get().locale, (action) => void onMenu(action));
  started.settings.onChange((settings) => installMenu(settings.locale, (action) => void onMenu(action)));

  const state = await WindowStateStore.open(dataDir);
  const load = (window: Electron.BrowserWindow) =>
    void window.loadURL(origin.devServerUrl ?? APP_PAGE_URL).catch(logAndContinue('page load', undefined));
  main = createMainWindow({ here, load, state });
  openFiles(early.splice(0));
  app.on('activate', () => {
    if (!main || main.window.isDestroyed()) main = createMainWindow({ here, load, state });
  });

  // Expiry notices: the thresholds logic is in the core; the OS shows them. The window is up by
  // now, so a failure here is logged rather than fatal.
  const notifier = await ExpiryNotifier.open(
    dataDir,
    listThroughBackends(started.handlers), // each environment's own backend (embedded or cloud)
    (notice) => {
      if (Notification.isSupported()) new Notification({ title: notice.title, body: notice.body }).show();
    },
  ).catch(logAndContinue('expiry notifier', null));
  if (notifier) {
    noticesNow = () => void notifier.check();
    void notifier.check();
    setInterval(() => void notifier.check(), 6 * 60 * 60 * 1000).unref();
  }
}

// Why: a failed start must say why (in Portuguese, without library text) instead of leaving no window.
async function failStartup(error: unknown): Promise<void> {
  console.error(`[certdesk] start-up failed (${step}): ${errorKind(error)}`);
  dialog.showErrorBox(STARTUP_FAILURE_TITLE, startupFailureMessage(error, step));
  await core?.close().catch(() => undefined);
  app.exit(1);
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

  app.whenReady().then(start).catch(failStartup);

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
