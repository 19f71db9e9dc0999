/**
 * CertDesk Cloud as an operator runs it — the built server (`node cloud-service/dist/server.js`):
 * no test route in the production build, liveness and readiness, a JSON log with request ids and
 * no secret in it after a whole flow, a wrong KEK refused at start, metrics on their own listener,
 * and a SIGTERM during installs that cuts none and loses none.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../fixtures';
import { parseKek } from '../../cloud-service/crypto';
import { startBuiltServer, type BuiltServer } from './helpers/built-cloud-server';
import { ADMIN_PASSWORD, call, installBody, START_TIMEOUT, TEST_KEK, testDatabase, type TestDatabase } from './helpers/cloud-service';

const ROOT = new URL('../..', import.meta.url).pathname;
const P = '/environments/producao';
const KEK_ENV = { CERTDESK_CLOUD_KEK: TEST_KEK.key.toString('base64') };
const FILES = ['v01_default.pfx', 'v23_ecpf.pfx', 'v26_ec_p256.pfx', 'v41_alnum_cnpj.pfx', 'v42_other_company.pfx'];

async function jsText(dir: string): Promise<string> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.js'));
  return (await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')))).join('\n');
}

async function filesUnder(dir: string): Promise<{ path: string; mode: number }[]> {
  const out = [{ path: dir, mode: (await lstat(dir)).mode }];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    out.push(...(entry.isDirectory() ? await filesUnder(path) : [{ path, mode: (await lstat(path)).mode }]));
  }
  return out;
}

const origin = (server: BuiltServer) => server.url.replace(/\/api\/v1$/, '');

async function signInDemo(server: BuiltServer, headers: Record<string, string> = {}): Promise<string> {
  const answer = await call(server.url, 'POST', '/auth/sign-in', {
    body: { method: 'cloud', login: 'EXEMPLO.admin', password: ADMIN_PASSWORD },
    operationId: 'signIn',
    headers,
  });
  expect(answer.status).toBe(200);
  return answer.data.token as string;
}

describe('CertDesk Cloud as built for production', () => {
  const started: BuiltServer[] = [];
  const databases: TestDatabase[] = [];
  const start = async (args: string[], env: Record<string, string> = KEK_ENV) => {
    const server = await startBuiltServer(args, env);
    started.push(server);
    return server;
  };
  const stop = async (server: BuiltServer) => {
    if (server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited();
    }
  };
  afterAll(async () => {
    for (const server of started) await stop(server);
    for (const db of databases) await db.stop();
  });

  it(
    'has no test route: none in the production files, 404 over HTTP; the suite’s own build has it',
    async () => {
      expect(await jsText(join(ROOT, 'cloud-service/dist'))).not.toContain('/test/reset');
      expect(await jsText(join(ROOT, 'cloud-service/dist-testing'))).toContain('/test/reset');
      const db = await testDatabase('postgres');
      databases.push(db);
      const server = await start(['--data', db.dataDir, '--demo'], { ...KEK_ENV, DATABASE_URL: db.url! });
      const reset = await fetch(`${origin(server)}/test/reset`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(reset.status).toBe(404);
      await stop(server);
    },
    START_TIMEOUT,
  );

  it(
    'answers liveness and readiness, logs JSON with request ids and never a secret, serves metrics apart and keeps its files private while running',
    async () => {
      // PGlite creates its cluster here (no template copy): the files it extracts must be private too.
      const db = await testDatabase('pglite', { fresh: true });
      databases.push(db);
      const server = await start(['--data', db.dataDir, '--demo', '--metrics-port', '0']);
      const live = await fetch(`${origin(server)}/health/live`);
      expect(live.status).toBe(200);
      const ready = await fetch(`${origin(server)}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', kek: 'ok' } });

      // A whole flow with every kind of secret on the wire.
      const token = await signInDemo(server, { 'X-Request-Id': 'lb-request-0001' });
      expect((await call(server.url, 'POST', `${P}/workspace/setup`, { token, body: { kind: 'example' } })).status).toBe(200);
      const body = await installBody('v01_default.pfx', [{ branch: '0001', modules: ['faturamento'] }]);
      const installed = await call(server.url, 'POST', `${P}/certificates`, { token, body, operationId: 'installCertificate' });
      expect(installed.status).toBe(201);
      expect(installed.headers.get('x-content-type-options')).toBe('nosniff');
      expect(installed.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect((await call(server.url, 'GET', `${P}/certificates`, { token })).status).toBe(200);
      const wrong = await call(server.url, 'POST', '/auth/sign-in', {
        body: { method: 'cloud', login: 'EXEMPLO.joao', password: 'Errada#1' },
      });
      expect(wrong.status).toBe(401);
      expect((await call(server.url, 'POST', '/auth/sign-out', { token })).status).toBe(204);

      const metricsUrl = server.entries().find((e) => typeof e['metrics'] === 'string')?.['metrics'] as string;
      expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect(new URL(metricsUrl).port).not.toBe(new URL(server.url).port);
      const metrics = await (await fetch(metricsUrl)).text();
      expect(metrics).toMatch(
        /certdesk_cloud_http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/environments\/:environment\/certificates"/,
      );
      expect(metrics).toMatch(/certdesk_cloud_sign_in_failures_total\{reason="wrong-password"\} 1/);
      expect(metrics).toMatch(/certdesk_cloud_inspections_running \d+/);
      expect((await fetch(`${origin(server)}/metrics`)).status).toBe(404); // not on the public port
      // While it runs, nothing of the embedded database is readable by another account.
      const open = (await filesUnder(db.dataDir)).filter((f) => f.mode & 0o077);
      expect(open.map((f) => `${(f.mode & 0o777).toString(8)} ${f.path}`)).toEqual([]);

      await stop(server);
      const log = server.log();
      const entries = server.entries(); // every line is JSON
      expect(entries.length).toBeGreaterThan(10);
      expect(entries.some((e) => e['requestId'] === 'lb-request-0001')).toBe(true);
      expect(entries.filter((e) => e['msg'] === 'request completed').every((e) => typeof e['requestId'] === 'string')).toBe(true);
      for (const secret of [
        ADMIN_PASSWORD,
        PASSWORD,
        token,
        body.pfxBase64.slice(0, 40),
        body.pfxBase64.slice(-40),
        'Errada#1',
        TEST_KEK.key.toString('base64'),
      ])
        expect(log.includes(secret), `a secret in the log: ${secret.slice(0, 6)}…`).toBe(false);
      expect(entries.some((e) => e['msg'] === 'encerrado')).toBe(true);
    },
    START_TIMEOUT,
  );

  it(
    'refuses to start with a KEK that cannot open the tenants’ data keys, naming the key id it needs',
    async () => {
      const db = await testDatabase('postgres');
      databases.push(db);
      await stop(await start(['--data', db.dataDir, '--demo'], { ...KEK_ENV, DATABASE_URL: db.url! }));
      const other = parseKek('ab'.repeat(32));
      const refused = await start(['--data', db.dataDir], { CERTDESK_CLOUD_KEK: other.key.toString('base64'), DATABASE_URL: db.url! }).then(
        () => null,
        (error: { code: number; log: string }) => error,
      );
      expect(refused, 'the server started with the wrong KEK').not.toBeNull();
      expect(refused!.code).toBe(1);
      expect(refused!.log).toContain(`KEK de id ${TEST_KEK.id}`);
      expect(refused!.log).toContain(other.id);
      expect(refused!.log).not.toContain('Erro interno');
    },
    START_TIMEOUT,
  );

  it(
    'stops on SIGTERM during installs: the installs in flight finish, none is cut or lost, the process exits 0',
    async () => {
      const db = await testDatabase('postgres');
      databases.push(db);
      const env = { ...KEK_ENV, DATABASE_URL: db.url! };
      const server = await start(['--demo'], env);
      const token = await signInDemo(server);
      await call(server.url, 'POST', `${P}/workspace/setup`, { token, body: { kind: 'example' } });
      const bodies = await Promise.all(FILES.map((file) => installBody(file)));
      const answers = bodies.map((body) =>
        call(server.url, 'POST', `${P}/certificates`, { token, body }).then(
          (answer) => ({ file: body.fileName, status: answer.status, id: answer.data?.certificate?.id as string | undefined }),
          () => ({ file: body.fileName, status: 0, id: undefined }),
        ),
      );
      // The stop comes once the server has every install in hand, before it has answered them all.
      await expect
        .poll(
          () =>
            server
              .entries()
              .filter((e) => e['msg'] === 'incoming request' && String((e['req'] as { url?: string })?.url).endsWith('/certificates'))
              .length,
          { timeout: 30_000 },
        )
        .toBe(FILES.length);
      server.child.kill('SIGTERM');
      const results = await Promise.all(answers);
      expect(await server.exited(), server.log().slice(-4000)).toBe(0);
      expect(
        results.every((r) => r.status === 201),
        JSON.stringify(results),
      ).toBe(true);

      const again = await start([], env);
      const listed = await call(again.url, 'GET', `${P}/certificates`, { token, operationId: 'listCertificates' });
      expect(listed.data.map((c: { id: string }) => c.id).sort()).toEqual(results.map((r) => r.id).sort());
      const history = await call(again.url, 'GET', `${P}/history?action=install`, { token });
      expect(history.data.entries).toHaveLength(FILES.length);
      await stop(again);
    },
    START_TIMEOUT,
  );
});
