/**
 * Concurrency and secrets at rest. 15 parallel installs of one file end with exactly one certificate
 * (PGlite and PostgreSQL); 50 parallel installs spread over two instances on one PostgreSQL lose
 * nothing and duplicate nothing. After that full flow, a `pg_dump` of the database (and, for PGlite,
 * the raw bytes of its folder) holds no PFX password, session token, user password, KEK, data key
 * or PFX bytes in clear.
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudService } from '../../cloud-service/service';
import { PASSWORD, pfx } from '../fixtures';
import {
  addTenant,
  ADMIN_PASSWORD,
  call,
  ENGINES,
  READER_PASSWORD,
  signIn,
  START_TIMEOUT,
  startTestService,
  TEST_KEK,
  testDatabase,
  type TestDatabase,
  installBody,
} from './helpers/cloud-service';

const P = '/environments/producao';
/** Five distinct installable certificates (different holders or keys, so different SHA-256). */
const FILES = ['v01_default.pfx', 'v23_ecpf.pfx', 'v26_ec_p256.pfx', 'v41_alnum_cnpj.pfx', 'v42_other_company.pfx'];
const PG_DUMP = '/usr/lib/postgresql/15/bin/pg_dump';

const SELECTION = [{ branch: '0001', modules: ['faturamento'] }];

async function count(service: CloudService, table: string): Promise<number> {
  const [row] = await service.db.query<{ n: number }>(`select count(*)::int as n from ${table}`);
  return row!.n;
}

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

describe.each(ENGINES)('concurrent installs and secrets at rest (%s)', (engine) => {
  let db: TestDatabase;
  let one: CloudService;
  let two: CloudService;
  const tokens: string[] = [];

  beforeAll(async () => {
    db = await testDatabase(engine);
    one = await startTestService(db);
    // PGlite is one process's database: the "second instance" is the same one there.
    two = engine === 'postgres' ? await startTestService(db) : one;
    for (let t = 1; t <= 10; t++) {
      await addTenant(one, `T${t}`);
      const token = await signIn(one.url, `T${t}.admin`, ADMIN_PASSWORD);
      tokens.push(token);
      await call(two.url, 'POST', `${P}/workspace/setup`, { token, body: { kind: 'example' } });
    }
  }, START_TIMEOUT);
  afterAll(async () => {
    if (two !== one) await two?.close();
    await one?.close();
    await db?.stop();
  });

  it('15 parallel installs of one file in one tenant and environment: exactly one certificate', async () => {
    const body = await installBody('v01_default.pfx', SELECTION);
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        call((i % 2 ? two : one).url, 'POST', `${P}/certificates`, { token: tokens[0], body, operationId: 'installCertificate' }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, ...Array(14).fill(409)]);
    const created = answers.find((a) => a.status === 201)!.data.certificate.id;
    expect(
      answers
        .filter((a) => a.status === 409)
        .every((a) => a.data.code === 'DUPLICATE_CERTIFICATE' && a.data.details.existingId === created),
    ).toBe(true);
    expect((await call(one.url, 'GET', `${P}/certificates`, { token: tokens[0] })).data).toHaveLength(1);
    expect((await call(one.url, 'GET', `${P}/history`, { token: tokens[0] })).data.entries).toHaveLength(1);
    await call(one.url, 'DELETE', `${P}/certificates/${created}`, { token: tokens[0] });
  });

  it(
    '50 parallel installs (10 tenants × 5 files) across two instances: 50 certificates, 50 secrets, 50 history entries',
    async () => {
      const bodies = await Promise.all(FILES.map((file) => installBody(file, SELECTION)));
      const jobs = tokens.flatMap((token, t) => bodies.map((body, f) => ({ token, body, target: (t + f) % 2 ? two : one })));
      const before = {
        certificates: await count(one, 'certificates'),
        secrets: await count(one, 'certificate_secrets'),
        history: await count(one, 'history'),
      };
      const answers = await Promise.all(
        jobs.map((j) =>
          call(j.target.url, 'POST', `${P}/certificates`, { token: j.token, body: j.body, operationId: 'installCertificate' }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
      expect(await count(one, 'certificates')).toBe(before.certificates + 50);
      expect(await count(one, 'certificate_secrets')).toBe(before.secrets + 50);
      expect(await count(one, 'history')).toBe(before.history + 50);
      for (const token of tokens) {
        const list = (await call(two.url, 'GET', `${P}/certificates`, { token })).data as { fileName: string }[];
        expect(list.map((c) => c.fileName).sort()).toEqual([...FILES].sort());
      }
      // The same 50 again: every one a duplicate, nothing added.
      const again = await Promise.all(jobs.map((j) => call(j.target.url, 'POST', `${P}/certificates`, { token: j.token, body: j.body })));
      expect(again.map((a) => a.status)).toEqual(Array(50).fill(409));
      expect(await count(one, 'certificates')).toBe(before.certificates + 50);
    },
    START_TIMEOUT,
  );

  it(
    'keeps no secret in clear: a dump (or the database files) holds no password, token, key or PFX bytes',
    async () => {
      const reader = await signIn(one.url, 'T1.leitor', READER_PASSWORD);
      const caller = await one.auth.authenticate(tokens[0]);
      const dek = await one.tenants.dek(caller!.tenantId);
      const pfxBytes = await readFile(pfx('v23_ecpf.pfx'));
      const secrets: [string, Buffer][] = [
        ['PFX password', Buffer.from(PASSWORD)],
        ['user password', Buffer.from(ADMIN_PASSWORD)],
        ['session token', Buffer.from(tokens[0]!)],
        ['reader token', Buffer.from(reader)],
        ['KEK', TEST_KEK.key],
        ['tenant data key', dek],
        ['PFX bytes', pfxBytes.subarray(200, 264)],
      ];
      // Each secret as it could appear: raw, hex (bytea in a dump), base64.
      const forms = secrets.flatMap(([what, bytes]) => [
        [`${what} (raw)`, bytes],
        [`${what} (hex)`, Buffer.from(bytes.toString('hex'))],
        [`${what} (base64)`, Buffer.from(bytes.toString('base64').slice(0, 40))],
      ]) as [string, Buffer][];
      let haystacks: [string, Buffer][];
      if (engine === 'postgres') {
        const dump = execFileSync(PG_DUMP, ['--data-only', '--no-owner', db.url!], { maxBuffer: 512 * 1024 * 1024 });
        expect(dump.toString('utf8'), 'the dump has the data').toContain('v23_ecpf.pfx');
        haystacks = [['pg_dump', dump]];
      } else {
        await one.db.query('checkpoint');
        const files = await filesUnder(join(db.dataDir, 'pgdata'));
        haystacks = await Promise.all(files.map(async (f) => [f, await readFile(f)] as [string, Buffer]));
        expect(
          haystacks.some(([, b]) => b.includes(Buffer.from('t1.leitor'))),
          'the files have the data',
        ).toBe(true);
        // The folder is the service's alone (its files are reachable through it only).
        expect((await stat(db.dataDir)).mode & 0o077).toBe(0);
        expect((await stat(join(db.dataDir, 'pgdata'))).mode & 0o077).toBe(0);
      }
      for (const [name, haystack] of haystacks)
        for (const [what, needle] of forms) expect(haystack.includes(needle), `${what} in ${name}`).toBe(false);
    },
    START_TIMEOUT,
  );
});
