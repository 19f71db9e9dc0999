/**
 * CertDesk Cloud as the end-to-end suite runs it: the production server (cloud-service/run-server.ts,
 * built to cloud-service/dist-testing/ by `npm run build:testing -w cloud-service`) plus what exists
 * only in this entry:
 * - `POST /test/reset` empties every tenant's data (tenants and users stay), between tests, and the
 *   SEFAZ answers kept in memory;
 * - `POST /test/sefaz {"connectTo": "127.0.0.1:PORT", "rootPem": "…"}` sends the SEFAZ checks to the
 *   stand-in a test started, trusting its root (`{}` forgets it);
 * - `POST /test/run-due {"at": "ISO instant"}` runs the scheduled job's swap step as if the clock read
 *   `at` (the swaps due by then; the server's own clock stays real, so sessions do not expire);
 * - `--fresh` empties the data folder before starting.
 */
import { rmSync } from 'node:fs';
import { runServer } from '../../cloud-service/run-server';
import { readServerSettings } from '../../cloud-service/server-settings';
import { sefazTestTarget } from './sefaz-test-transport';

const { settings, values } = readServerSettings(process.argv.slice(2), process.env, { fresh: { type: 'boolean' } });
if (values['fresh'] && settings.dataDir) rmSync(settings.dataDir, { recursive: true, force: true });
const sefazTarget = sefazTestTarget();
await runServer(settings, {
  sefaz: { connectOverride: sefazTarget.connectOverride, extraTrustAnchors: sefazTarget.extraTrustAnchors },
  extraRoutes: (app, { db, sefaz, swaps }) => {
    app.post('/test/reset', async (_req, reply) => {
      await db.transaction(async (tx) => {
        for (const table of [
          'warning_log',
          'warning_deliveries',
          'warning_events',
          'warning_settings',
          'certificate_swaps',
          'history',
          'sefaz_checks',
          'certificate_secrets',
          'certificates',
          'workspaces',
          'sessions',
          'sign_in_throttle',
        ])
          await tx.query(`delete from ${table}`);
      });
      sefaz.forgetKept();
      return reply.code(204).send();
    });
    app.post('/test/run-due', async (req, reply) => {
      const at = new Date(String((req.body as { at?: unknown } | null)?.at));
      if (Number.isNaN(at.getTime())) return reply.code(400).send({ error: 'at: an ISO instant' });
      const { ran } = await swaps.runDue(at);
      return reply.send({ ran: ran.length });
    });
    app.post('/test/sefaz', async (req, reply) => {
      const problem = sefazTarget.set(req.body);
      return problem ? reply.code(400).send({ error: problem }) : reply.code(204).send();
    });
  },
});
