/**
 * Browser mode's entry: the whole app in a browser tab on the embedded workspace. Started by
 * `node scripts/start.mjs` when there is no Electron and by `npm run dev:browser`. Options in
 * browser-mode.ts (`--port`, `--data`, `--token`, `--static`, `--service`, and their variables).
 * Prints one line `CERTDESK_URL=<address with the access key>` for whoever started it.
 */
import { readFileSync } from 'node:fs';
import { CertdeskError } from '@certdesk/core/errors';
import { ensurePrivateDir } from '@certdesk/core/private-dir';
import { createCore } from '../composition-root';
import { OsKeychain } from '../keychain';
import { announceAndStayUp, listenBrowserMode, readBrowserModeSettings, UsageError } from './browser-mode';

try {
  const { settings } = readBrowserModeSettings(process.argv.slice(2), process.env);
  const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
  await ensurePrivateDir(settings.dataDir);
  const core = await createCore({
    dataDir: settings.dataDir,
    shell: 'browser',
    version,
    keychain: new OsKeychain(settings.keychainService),
  });
  const serving = { handlers: () => core.handlers, close: () => core.close() };
  const server = await listenBrowserMode(settings, serving).catch(async (error: unknown) => {
    await core.close();
    throw error;
  });
  announceAndStayUp(settings, server, serving);
} catch (error) {
  // Say what is wrong (folder in use, damaged document, port taken) instead of a stack trace.
  if (
    error instanceof UsageError ||
    error instanceof CertdeskError ||
    (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
  )
    console.error((error as Error).message);
  else console.error('Não foi possível iniciar o CertDesk no navegador.', error);
  process.exit(error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1);
}
