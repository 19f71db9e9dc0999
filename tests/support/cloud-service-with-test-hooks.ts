/**
 * CertDesk Cloud as the end-to-end suite runs it: the production server (cloud-service/run-server.ts,
 * built to cloud-service/dist-testing/ by `npm run build:testing -w cloud-service`) plus what exists
 * only in this entry:
 * - `POST /test/reset` empties every tenant's data (tenants and users stay), between tests;
 * - `--fresh` empties the data folder before starting.
 */
import { rmSync } from 'node:fs';
import { runServer } from '../../cloud-service/run-server';
import { readServerSettings } from '../../cloud-service/server-settings';

const { settings, values } = readServerSettings(process.argv.slice(2), process.env, { fresh: { type: 'boolean' } });
if (values['fresh'] && settings.dataDir) rmSync(settings.dataDir, { recursive: true, force: true });
await runServer(settings, {
  extraRoutes: (app, { db }) =>
    app.post('/test/reset', async (_req, reply) => {
      await db.transaction(async (tx) => {
        for (const table of [
          'warning_log',
          'warning_deliveries',
          'warning_events',
          'warning_settings',
          'certificate_swaps',
          'history',
          'certificate_secrets',
          'certificates',
          'workspaces',
          'sessions',
          'sign_in_throttle',
        ])
          await tx.query(`delete from ${table}`);
      });
      return reply.code(204).send();
    }),
});
