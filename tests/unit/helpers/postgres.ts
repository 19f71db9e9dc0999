/**
 * A real PostgreSQL database for one test file. scripts/test.sh starts one throwaway cluster per run
 * (scripts/postgres-cluster.mjs) and passes its URL in CERTDESK_TEST_DATABASE_URL; each caller gets
 * a fresh database of its own in it, dropped by stop(). Run alone (no variable), the file starts and
 * stops a cluster of its own, so `vitest run tests/unit/x.test.ts` works too.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  /** postgres://… of a database no other test uses. */
  url: string;
  stop(): Promise<void>;
}

const CLUSTER_SCRIPT = new URL('../../../scripts/postgres-cluster.mjs', import.meta.url).pathname;

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function startPostgres(): Promise<TestDatabase> {
  let clusterUrl = process.env['CERTDESK_TEST_DATABASE_URL'];
  let clusterDir: string | null = null;
  if (!clusterUrl) {
    const started = JSON.parse(execFileSync('node', [CLUSTER_SCRIPT, 'start'], { encoding: 'utf8' })) as { dir: string; url: string };
    clusterUrl = started.url;
    clusterDir = started.dir;
  }
  // Letters and digits only: the name goes into CREATE DATABASE, which takes no parameters.
  const database = `certdesk_test_${randomBytes(6).toString('hex')}`;
  await admin(clusterUrl, (client) => client.query(`CREATE DATABASE ${database}`));
  const base = clusterUrl;
  return {
    url: withDatabase(base, database),
    async stop() {
      await admin(base, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
      if (clusterDir) execFileSync('node', [CLUSTER_SCRIPT, 'stop', clusterDir]);
    },
  };
}
