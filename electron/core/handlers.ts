/**
 * The handler table: one function per contract channel, over the services. Electron's IPC and the
 * test bridge both serve exactly this table.
 */
import { mkdir } from 'node:fs/promises';
import type { AppInfo, HandlerTable } from '../../shared/contract';
import { inspectFile } from './pfx/inspect';
import { SettingsService } from './settings/settings-service';
import type { SecretStore } from './keychain/keychain';

export interface CoreOptions {
  dataDir: string;
  shell: AppInfo['shell'];
  version: string;
  keychain: SecretStore;
  /** Injectable clock for validity status. */
  now?: () => Date;
}

export interface Core {
  handlers: HandlerTable;
  settings: SettingsService;
}

export async function createCore(options: CoreOptions): Promise<Core> {
  await mkdir(options.dataDir, { recursive: true });
  const settings = await SettingsService.open(options.dataDir);
  const now = options.now ?? (() => new Date());

  const handlers: HandlerTable = {
    'app:info': async () => ({
      name: 'CertDesk',
      version: options.version,
      platform: process.platform,
      shell: options.shell,
      dataDir: options.dataDir,
    }),
    'settings:get': async () => settings.get(),
    'settings:update': async (patch) => settings.update(patch),
    'pfx:inspect': async ({ path, password }) => inspectFile(path, { password, now: now() }),
  };
  return { handlers, settings };
}
