/**
 * kill -9 during installs, on PGlite and on PostgreSQL: the built server (`cloud-service/dist/server.js`, a real
 * child process) is killed while 25 installs are in flight. After a restart every install it
 * confirmed is there with its encrypted secrets and its history entry, nothing is half-written
 * (no secret without a certificate, no certificate without its history), sessions still work, the
 * unconfirmed installs can be retried to exactly one each, and no secret is on disk in clear nor in
 * a file other accounts may read.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PASSWORD, pfx } from '../fixtures';
import {
  addTenant,
  ADMIN_PASSWORD,
  call,
  ENGINES,
  signIn,
  START_TIMEOUT,
  startTestService,
  TEST_KEK,
  testDatabase,
  type TestDatabase,
  installBody,
} from './helpers/cloud-service';

const ROOT = new URL('../..', import.meta.url).pathname;
const P = '/environments/producao';
const FILES = ['v01_default.pfx', 'v23_ecpf.pfx', 'v26_ec_p256.pfx', 'v41_alnum_cnpj.pfx', 'v42_other_company.pfx'];
const TENANTS = ['K1', 'K2', 'K3', 'K4', 'K5'];

interface Child {
  process: ChildProcess;
  url: string;
}

function startServer(db: TestDatabase): Promise<Child> {
  const child = spawn(process.execPath, ['cloud-service/dist/server.js', '--port', '0', '--data', db.dataDir], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db.url ?? '', CERTDESK_CLOUD_KEK: TEST_KEK.key.toString('base64') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const url = /CertDesk Cloud em (http[^\s"]+)/.exec(out)?.[1];
      if (url) resolve({ process: child, url });
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`the server stopped (${code}): ${out}`)));
  });
}

const killed = (child: Child) =>
  new Promise<void>((resolve) => {
    child.process.once('exit', () => resolve());
    child.process.kill('SIGKILL');
  });

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [dir];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    out.push(...(entry.isDirectory() ? await filesUnder(path) : [path]));
  }
  return out;
}

describe.each(ENGINES)('kill -9 during installs (%s)', (engine) => {
  let db: TestDatabase;
  let child: Child | null = null;
  afterAll(async () => {
    if (child && child.process.exitCode === null) await killed(child);
    await db?.stop();
  });

  it(
    'keeps every confirmed install whole, loses nothing it confirmed, and writes no secret in clear',
    async () => {
      db = await testDatabase(engine);
      const seed = await startTestService(db);
      for (const code of TENANTS) await addTenant(seed, code);
      await seed.close();

      child = await startServer(db);
      const tokens = new Map<string, string>();
      for (const code of TENANTS) {
        const token = await signIn(child.url, `${code}.admin`, ADMIN_PASSWORD);
        tokens.set(code, token);
        await call(child.url, 'POST', `${P}/workspace/setup`, { token, body: { kind: 'example' } });
      }
      const bodies = await Promise.all(FILES.map((file) => installBody(file)));
      const jobs = TENANTS.flatMap((code) => bodies.map((body) => ({ code, body })));
      const confirmed = new Map<string, string>(); // `${code}/${file}` -> certificate id
      const running = child;
      let kill: Promise<void> | null = null;
      await Promise.allSettled(
        jobs.map(async ({ code, body }) => {
          const answer = await call(running.url, 'POST', `${P}/certificates`, { token: tokens.get(code), body });
          if (answer.status === 201) confirmed.set(`${code}/${body.fileName}`, answer.data.certificate.id);
          // The third confirmation pulls the plug while the rest are in flight.
          if (confirmed.size === 3 && !kill) kill = killed(running);
        }),
      );
      await (kill ?? killed(running));
      expect(confirmed.size, 'some installs were confirmed before the kill').toBeGreaterThanOrEqual(3);
      expect(confirmed.size, 'the kill came while installs were in flight').toBeLessThan(jobs.length);

      child = await startServer(db);
      const restarted = child;
      for (const code of TENANTS) {
        const token = tokens.get(code)!; // sessions live in the database: the same tokens work after the crash
        const list = await call(restarted.url, 'GET', `${P}/certificates`, { token, operationId: 'listCertificates' });
        expect(list.status).toBe(200);
        const ids = new Map((list.data as { id: string; fileName: string }[]).map((c) => [c.fileName, c.id]));
        for (const file of FILES) {
          const id = confirmed.get(`${code}/${file}`);
          if (id) expect(ids.get(file), `${code}/${file} was confirmed`).toBe(id);
        }
        const history = await call(restarted.url, 'GET', `${P}/history?action=install`, { token });
        expect(
          history.data.entries.map((e: { certificate: { id: string } }) => e.certificate.id).sort(),
          `${code}: one install entry per certificate`,
        ).toEqual([...ids.values()].sort());
      }
      // Retrying what was not confirmed ends with exactly one of each.
      const retried = await Promise.all(
        jobs
          .filter((j) => !confirmed.has(`${j.code}/${j.body.fileName}`))
          .map((j) => call(restarted.url, 'POST', `${P}/certificates`, { token: tokens.get(j.code), body: j.body })),
      );
      expect(retried.every((a) => a.status === 201 || (a.status === 409 && a.data.code === 'DUPLICATE_CERTIFICATE'))).toBe(true);
      await killed(restarted);
      child = null;

      const check = await startTestService(db);
      try {
        const [counts] = await check.db.query<{ certificates: number; secrets: number; history: number; orphans: number }>(
          `select (select count(*)::int from certificates) as certificates,
                (select count(*)::int from certificate_secrets) as secrets,
                (select count(*)::int from history) as history,
                (select count(*)::int from certificate_secrets s left join certificates c on c.id = s.certificate_id where c.id is null) as orphans`,
        );
        expect(counts).toEqual({ certificates: jobs.length, secrets: jobs.length, history: jobs.length, orphans: 0 });
        // Every stored secret decrypts to the file and password that were sent.
        for (const code of TENANTS) {
          const caller = await check.auth.authenticate(tokens.get(code));
          for (const cert of await check.workspace.list(caller!, 'producao')) {
            const secret = await check.workspace.secrets(caller!, cert.id);
            expect(secret.password).toBe(PASSWORD);
            expect(secret.pfx.equals(await readFile(pfx(cert.fileName)))).toBe(true);
          }
        }
      } finally {
        await check.close();
      }

      const needles = [
        Buffer.from(PASSWORD),
        Buffer.from(PASSWORD).toString('hex'),
        TEST_KEK.key,
        TEST_KEK.key.toString('hex'),
        TEST_KEK.key.toString('base64'),
      ].map((n) => (Buffer.isBuffer(n) ? n : Buffer.from(n)));
      if (engine === 'postgres') {
        const dump = execFileSync('/usr/lib/postgresql/15/bin/pg_dump', ['--data-only', db.url!], { maxBuffer: 256 * 1024 * 1024 });
        for (const needle of needles) expect(dump.includes(needle)).toBe(false);
      } else {
        // The server runs with umask 077: nothing it wrote can be read by another account.
        for (const path of await filesUnder(db.dataDir)) {
          expect((await stat(path)).mode & 0o077, `${path} is private`).toBe(0);
          const bytes = (await stat(path)).isFile() ? await readFile(path) : Buffer.alloc(0);
          for (const needle of needles) expect(bytes.includes(needle), `${path}`).toBe(false);
        }
      }
    },
    4 * START_TIMEOUT,
  );
});
