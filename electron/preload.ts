/**
 * Exposes `window.certdesk`: one named function per contract channel (pfxInspect, settingsGet…),
 * nothing generic, so the renderer can never send to a channel that does not exist.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { apiName, CHANNELS, type CertdeskApi } from '../shared/contract';

const api = Object.fromEntries(
  CHANNELS.map((channel) => [apiName(channel), (request?: unknown) => ipcRenderer.invoke(channel, request)]),
) as Omit<CertdeskApi, 'pathForFile'>;

const certdesk: CertdeskApi = {
  ...api,
  // Why: with contextIsolation the renderer's File has no path; webUtils gives it for dropped files.
  pathForFile: (file: File) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('certdesk', certdesk);
