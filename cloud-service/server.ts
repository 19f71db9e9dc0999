/**
 * CertDesk Cloud's server entry (built to dist/server.js; `node cloud-service/dist/server.js`, or
 * `npm run cloud:server` from sources). Options in server-settings.ts; operation in docs/CLOUD.md.
 */
import { runServer } from './run-server';
import { readServerSettings, SettingsError } from './server-settings';

try {
  await runServer(readServerSettings(process.argv.slice(2), process.env).settings);
} catch (error) {
  if (error instanceof SettingsError) console.error(error.message);
  process.exit(error instanceof SettingsError ? 2 : 1);
}
