/** The test harness's PostgreSQL (helpers/postgres.ts): a real server, one private database per caller. */
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startPostgres, type TestDatabase } from './helpers/postgres';

let first: TestDatabase;
let second: TestDatabase;
beforeAll(async () => {
  first = await startPostgres();
  second = await startPostgres();
}, 120_000);
afterAll(async () => {
  await second?.stop();
  await first?.stop();
});

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

test('each caller gets its own database on a real PostgreSQL, reachable only with the password', async () => {
  const version = await query(first.url, 'SHOW server_version_num');
  expect(Number(version.rows[0].server_version_num)).toBeGreaterThanOrEqual(130000);
  await query(first.url, 'CREATE TABLE only_here (id int)');
  await expect(query(second.url, 'SELECT * FROM only_here')).rejects.toThrow(/only_here/);
  const wrong = new URL(first.url);
  wrong.password = 'not-the-password';
  await expect(query(wrong.toString(), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
});
