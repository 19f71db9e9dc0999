/**
 * The main window: secure webPreferences, remembered size and position, and a queue for events sent
 * before the page has loaded (a file opened from the OS at launch).
 */
import { BrowserWindow, screen } from 'electron';
import { join } from 'node:path';
import { APP_EVENT_CHANNEL, type AppEvent } from '@certdesk/shared/contract';
import type { WindowStateStore } from '#desktop/window-state';

export interface MainWindow {
  window: BrowserWindow;
  send(event: AppEvent): void;
}

export function createMainWindow(options: { here: string; load: (w: BrowserWindow) => void; state: WindowStateStore }): MainWindow {
  const saved = options.state.restore(screen.getAllDisplays().map((d) => d.workArea));
  const window = new BrowserWindow({
    ...saved,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'CertDesk',
    backgroundColor: '#f5f7fa',
    webPreferences: {
      preload: join(options.here, '../preload/preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (saved.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  const persist = () => {
    if (window.isDestroyed()) return;
    const bounds = window.getNormalBounds();
    void options.state.save({ ...bounds, maximized: window.isMaximized() });
  };
  window.on('close', persist);

  let loaded = false;
  const pending: AppEvent[] = [];
  window.webContents.on('did-finish-load', () => {
    loaded = true;
    for (const event of pending.splice(0)) window.webContents.send(APP_EVENT_CHANNEL, event);
  });
  options.load(window);
  return {
    window,
    send: (event) => (loaded ? window.webContents.send(APP_EVENT_CHANNEL, event) : pending.push(event)),
  };
}
