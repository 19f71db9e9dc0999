/**
 * Hostile uploads against the built server (`node cloud-service/dist/server.js`): tenant A sends, all
 * at once, files built to cost the old engine seconds to hours each (scripts/fixtures/hostile.ts).
 * Each is refused 422 with its own code by a worker thread — none times out, none is a 500 — while
 * tenant B's list requests, sent one after another the whole time, are every one answered 200. A
 * file past the time limit (a server started with a tiny one) is 422 TIMEOUT, counted in the metrics,
 * and the server goes on. Latency is measured in the bench (npm run bench:cloud), not here.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import * as hostile from '../../scripts/fixtures/hostile';
import { PASSWORD } from '../fixtures';
import { startBuiltServer, type BuiltServer } from './helpers/built-cloud-server';
import {
  ADMIN_PASSWORD,
  call,
  installBody,
  signIn,
  START_TIMEOUT,
  TEST_KEK,
  testDatabase,
  type TestDatabase,
} from './helpers/cloud-service';

const ROOT = new URL('../..', import.meta.url).pathname;
const P = '/environments/producao';
const KEK_ENV = { CERTDESK_CLOUD_KEK: TEST_KEK.key.toString('base64') };

/** What tenant A uploads: a name, the file, the password it is sent with. */
function hostileFiles(): { name: string; bytes: Buffer; password: string | null }[] {
  return [
    { name: 'keylength-100m.pfx', bytes: hostile.hugeKeyLength(), password: null },
    { name: '40-chaves-1m-iteracoes.pfx', bytes: hostile.shroudedKeys(40, 1_000_000), password: null },
    { name: 'chaves-escondidas.pfx', bytes: hostile.hiddenKeys(40, 1_000_000, PASSWORD), password: PASSWORD },
    { name: 'mac-md5-1m.pfx', bytes: hostile.md5Mac(1_000_000), password: PASSWORD },
    { name: 'dsa-32768.pfx', bytes: hostile.keyFile(hostile.dsaPkcs8(32_768, 32_768)), password: null },
    { name: 'rsa-20000.pfx', bytes: hostile.keyFile(hostile.rsaPkcs8(20_000)), password: null },
    { name: 'dh-8192.pfx', bytes: hostile.keyFile(hostile.dhPkcs8(8192, 8190)), password: null },
    { name: '10000-certificados.pfx', bytes: hostile.chainedCertificates(10_000), password: null },
    { name: 'ber-4.9m-pedacos.pfx', bytes: hostile.emptyBerChunks(4_900_000), password: null },
    { name: '300000-safecontents.pfx', bytes: hostile.emptySafeContents(300_000), password: null },
    { name: 'aninhado-200.pfx', bytes: hostile.deepNesting(200), password: null },
  ];
}

async function admin(databaseUrl: string, args: string[], stdin?: string): Promise<void> {
  const child = promisify(execFile)(process.execPath, ['cloud-service/dist/admin.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, ...KEK_ENV },
  });
  child.child.stdin!.end(stdin ?? '');
  await child;
}

const metricsOf = async (server: BuiltServer) =>
  (await fetch(server.entries().find((e) => typeof e['metrics'] === 'string')!['metrics'] as string)).text();

describe('CertDesk Cloud under hostile uploads (built server)', () => {
  const started: BuiltServer[] = [];
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const server of started)
      if (server.child.exitCode === null) {
        server.child.kill('SIGTERM');
        await server.exited();
      }
    for (const db of databases) await db.stop();
  });
  const start = async (extra: string[]) => {
    // The service's production database: what is under test is the upload path, not the engine.
    const db = await testDatabase('postgres');
    databases.push(db);
    await admin(db.url!, ['tenant', 'add', 'ALFA', 'Empresa Alfa']);
    await admin(db.url!, ['user', 'add', 'ALFA.admin', '--name', 'Admin Alfa', '--role', 'administrator'], `${ADMIN_PASSWORD}\n`);
    const server = await startBuiltServer(['--data', db.dataDir, '--demo', '--metrics-port', '0', ...extra], {
      ...KEK_ENV,
      DATABASE_URL: db.url!,
    });
    started.push(server);
    const a = await signIn(server.url, 'ALFA.admin', ADMIN_PASSWORD);
    const b = await signIn(server.url, 'EXEMPLO.admin', ADMIN_PASSWORD);
    for (const token of [a, b])
      expect((await call(server.url, 'POST', `${P}/workspace/setup`, { token, body: { kind: 'example' } })).status).toBe(200);
    return { server, a, b };
  };

  it(
    'each hostile file is refused 422 with its code; every read of the other tenant meanwhile is answered 200',
    async () => {
      const { server, a, b } = await start([]);
      const installed = await call(server.url, 'POST', `${P}/certificates`, { token: b, body: await installBody('v01_default.pfx') });
      expect(installed.status).toBe(201);

      const files = hostileFiles();
      let uploading = true;
      const uploads = Promise.all(
        files.map((file) =>
          call(server.url, 'POST', `${P}/certificates`, {
            token: a,
            body: { fileName: file.name, pfxBase64: file.bytes.toString('base64'), password: file.password, selection: [] },
            operationId: 'installCertificate',
          }),
        ),
      ).finally(() => (uploading = false));
      const readsOfB: number[] = [];
      const reader = (async () => {
        // Tenant B keeps reading until the last upload has its answer (and reads at least once).
        do {
          const answer = await call(server.url, 'GET', `${P}/certificates`, { token: b });
          readsOfB.push(answer.status);
          expect(answer.data).toHaveLength(1);
        } while (uploading);
      })();
      const [answers] = await Promise.all([uploads, reader]);

      const outcome = Object.fromEntries(files.map((file, i) => [file.name, `${answers[i]!.status} ${answers[i]!.data.code}`]));
      expect(outcome).toEqual(Object.fromEntries(files.map((file) => [file.name, '422 TOO_COMPLEX'])));
      for (const answer of answers) expect(answer.data.message).toMatch(/máximo/);
      expect(readsOfB.length).toBeGreaterThan(0); // how many fit in depends on the machine: the bench measures it
      expect(readsOfB.filter((status) => status !== 200)).toEqual([]);
      console.log(`tenant B: ${readsOfB.length} list requests answered 200 during ${files.length} hostile uploads`);

      const metrics = await metricsOf(server);
      expect(metrics).toMatch(/^certdesk_cloud_inspections_queued 0$/m);
      expect(metrics).toMatch(/^certdesk_cloud_inspections_running 0$/m);
      expect(metrics).toMatch(/^certdesk_cloud_inspections_timed_out_total 0$/m);
      // Still serving, and still installing ordinary files.
      const after = await call(server.url, 'POST', `${P}/certificates`, { token: a, body: await installBody('v23_ecpf.pfx') });
      expect(after.status).toBe(201);
      expect(server.child.exitCode).toBeNull();
    },
    START_TIMEOUT,
  );

  it(
    'a file past the time limit is 422 TIMEOUT, its worker ended and counted; the next upload is read',
    async () => {
      // v10 asks for three derivations of 100,000 iterations: legitimate, but far more than 1 ms.
      const { server, a } = await start(['--inspection-timeout', '0.001']);
      const slow = await call(server.url, 'POST', `${P}/certificates`, {
        token: a,
        body: await installBody('v10_iter100000.pfx'),
        operationId: 'installCertificate',
      });
      expect(slow.status).toBe(422);
      expect(slow.data).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/passou de .* s e foi interrompida/) });
      expect(await metricsOf(server)).toMatch(/^certdesk_cloud_inspections_timed_out_total 1$/m);
      expect((await call(server.url, 'GET', `${P}/certificates`, { token: a })).status).toBe(200);
      expect(server.child.exitCode).toBeNull();
    },
    START_TIMEOUT,
  );
});
