/**
 * Exposes `window.certdesk`: one named function per contract channel (pfxInspect, settingsGet…),
 * nothing generic, so the renderer can never send to a channel that does not exist.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { apiName, APP_EVENT_CHANNEL, CHANNELS, type AppEvent, type CertdeskApi } from '@certdesk/shared/contract';

const api = Object.fromEntries(
  CHANNELS.map((channel) => [apiName(channel), (request?: unknown) => ipcRenderer.invoke(channel, request)]),
) as unknown as Omit<CertdeskApi, 'pathForFile' | 'onAppEvent'>;

const certdesk: CertdeskApi = {
  ...api,
  // Why: with contextIsolation the renderer's File has no path; webUtils gives it for dropped files.
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  // Why a wrapper: the renderer never receives the IpcRendererEvent (it carries the sender).
  onAppEvent: (listener: (event: AppEvent) => void) => {
    const handler = (_event: unknown, payload: AppEvent) => listener(payload);
    ipcRenderer.on(APP_EVENT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(APP_EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('certdesk', certdesk);
