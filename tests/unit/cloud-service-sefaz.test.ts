/**
 * SEFAZ checks on CertDesk Cloud (contract 1.5), over real HTTP against the service on PGlite, with
 * the SEFAZ stand-in over real mutual TLS: the service opens the file and password it holds, asks
 * each authorizer once, keeps the result per tenant, answers a repeat within three minutes from what
 * it stored (whichever instance asks), and never lets one tenant's checks crowd another's out.
 * Branches' states: migration 003 and the clients older than 1.5 that do not send one.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../cloud-service/db/database';
import { migrate } from '../../cloud-service/db/migrate';
import { Gate } from '../../cloud-service/sefaz/check-gate';
import type { CloudService } from '../../cloud-service/service';
import { startSefazStandin, type SefazStandin } from '../../stand-ins/sefaz-server';
import { EXPECTED_CALLS, hostAndPath, SEFAZ_MODULES, SEFAZ_PASSWORD, threeStates } from '../sefaz-branches';
import {
  addTenant,
  ADMIN_PASSWORD,
  call,
  READER_PASSWORD,
  signIn,
  START_TIMEOUT,
  startTestService,
  testDatabase,
  type TestDatabase,
} from './helpers/cloud-service';
import { clientPfx } from './helpers/sefaz';

const H = '/environments/homologacao';
let standin: SefazStandin;
let db: TestDatabase;
let service: CloudService;
let url: string;
let clock: number;
let alfa: string;
let alfaReader: string;
let beta: string;

async function install(token: string, file: string, root: string, prefix = ''): Promise<string> {
  const branches = threeStates(root, prefix);
  expect(
    (await call(url, 'POST', `${H}/workspace/setup`, { token, body: { kind: 'guided', branches, modules: SEFAZ_MODULES } })).status,
  ).toBe(200);
  const answer = await call(url, 'POST', `${H}/certificates`, {
    token,
    operationId: 'installCertificate',
    body: {
      fileName: `${file}.pfx`,
      pfxBase64: (await readFile(clientPfx(file))).toString('base64'),
      password: SEFAZ_PASSWORD,
      selection: branches.map((b) => ({ branch: b.code, modules: b.modules })),
    },
  });
  expect(answer.status).toBe(201);
  return answer.data.certificate.id;
}

const check = (token: string, id: string) =>
  call(url, 'POST', `${H}/certificates/${id}/sefaz-check`, { token, operationId: 'checkCertificateSefaz' });

beforeAll(async () => {
  standin = await startSefazStandin();
  db = await testDatabase('pglite');
  service = await startTestService(db, {
    now: () => new Date(clock),
    sefaz: { connectOverride: standin.connectOverride, extraTrustAnchors: [standin.rootPem] },
  });
  url = service.url;
  await addTenant(service, 'ALFA');
  await addTenant(service, 'BETA');
}, START_TIMEOUT);
afterAll(async () => {
  await service?.close();
  await db?.stop();
  await standin?.close();
});
beforeEach(async () => {
  clock = Date.parse('2026-03-02T12:00:00Z');
  standin.reset();
  for (const table of ['history', 'sefaz_checks', 'certificate_secrets', 'certificates', 'workspaces'])
    await service.db.query(`delete from ${table}`);
  service.sefaz.forgetKept();
  alfa = await signIn(url, 'ALFA.admin', ADMIN_PASSWORD);
  alfaReader = await signIn(url, 'ALFA.leitor', READER_PASSWORD);
  beta = await signIn(url, 'BETA.admin', ADMIN_PASSWORD);
});

describe('a check on the service', () => {
  it('asks each authorizer once with the stored certificate, keeps the result for the tenant, and any user may ask', async () => {
    const id = await install(alfa, 'em-operacao', '10107000');
    const answer = await check(alfaReader, id); // a read-only user: a check changes nothing
    expect(answer.status).toBe(200);
    expect(standin.calls.map((c) => `${c.module} ${c.host}${c.path} ${c.cUF}`).sort()).toEqual(
      (['SP nfe', 'SP cte', 'RS nfe', 'RS cte', 'MA nfe'] as const)
        .map((key) => `${key.split(' ')[1]} ${hostAndPath(EXPECTED_CALLS[key].url)} ${EXPECTED_CALLS[key].cUF}`)
        .sort(),
    );
    expect(new Set(standin.calls.map((c) => c.clientCnpj))).toEqual(new Set(['10107000000149']));
    expect(answer.data.summary).toMatchObject({ certificateId: id, state: 'ok', checkedAt: '2026-03-02T12:00:00.000Z' });
    expect(
      answer.data.links.find((l: { branch: string; module: string }) => l.branch === 'MA' && l.module === 'recebimento-nfe'),
    ).toMatchObject({
      kind: 'no-service',
      result: null,
    });

    const last = await call(url, 'GET', `${H}/certificates/${id}/sefaz-check`, {
      token: alfaReader,
      operationId: 'getCertificateSefazCheck',
    });
    expect(last.data.check).toEqual(answer.data);
    const list = await call(url, 'GET', `${H}/sefaz-checks`, { token: alfa, operationId: 'listSefazChecks' });
    expect(list.data.items).toEqual([answer.data.summary]);
    expect((await call(url, 'GET', `${H}/sefaz-checks`, { token: beta, operationId: 'listSefazChecks' })).data.items).toEqual([]);
    expect((await check(beta, id)).status).toBe(404);
    expect(standin.calls).toHaveLength(5);

    // Deleting the certificate deletes its stored check with it.
    await call(url, 'DELETE', `${H}/certificates/${id}`, { token: alfa });
    expect((await call(url, 'GET', `${H}/sefaz-checks`, { token: alfa })).data.items).toEqual([]);
  });

  it('a repeat within three minutes answers from the stored result, whichever instance gets it; after three, SEFAZ is asked', async () => {
    const id = await install(alfa, 'em-operacao', '10107000');
    await check(alfa, id);
    clock += 2 * 60 * 1000;
    service.sefaz.forgetKept(); // as another instance would: nothing in memory, only the database
    const repeat = await check(alfa, id);
    expect(standin.calls).toHaveLength(5);
    const answers = repeat.data.links
      .filter((l: { result: unknown }) => l.result)
      .map((l: { result: { reused: boolean; checkedAt: string } }) => l.result);
    expect(answers.every((r: { reused: boolean; checkedAt: string }) => r.reused && r.checkedAt === '2026-03-02T12:00:00.000Z')).toBe(true);
    clock += 61 * 1000;
    const fresh = await check(alfa, id);
    expect(standin.calls).toHaveLength(10);
    expect(fresh.data.summary.checkedAt).toBe('2026-03-02T12:03:01.000Z');
  });

  it('names the certificate’s problem: the stand-in refuses a revoked certificate (284)', async () => {
    const id = await install(beta, 'revogado', '10284000');
    const answer = await check(beta, id);
    expect(answer.data.summary).toMatchObject({ state: 'problem', code: 'CERT_REVOKED', cStat: 284 });
    expect(answer.data.links[0].result.text).toMatch(/^A SEFAZ recusou o certificado: certificado revogado \(284\)/);
  });
});

describe('budgets', () => {
  it('a tenant runs two checks at a time with twenty waiting, then is told to wait (BUSY); others are not in its line', async () => {
    const tenant = new Gate(2, 20);
    const release: (() => void)[] = [];
    const started: number[] = [];
    const held = Array.from({ length: 22 }, (_, i) =>
      tenant.run(() => {
        started.push(i);
        return new Promise<void>((resolve) => release.push(resolve));
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    await expect(tenant.run(async () => 'never')).rejects.toMatchObject({ code: 'BUSY' });
    const other = new Gate(2, 20);
    expect(await other.run(async () => 'another tenant goes on')).toBe('another tenant goes on');
    while (release.length) {
      release.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(held);
    expect(started).toHaveLength(22);
    expect(tenant.idle).toBe(true);
  });
});

describe('branch states', () => {
  it('a client older than 1.5 saving a branch without its state keeps the stored one; a guided setup without states keeps none', async () => {
    await install(alfa, 'em-operacao', '10107000');
    const { uf: _uf, ...old } = threeStates('10107000')[1]!;
    const saved = await call(url, 'PUT', `${H}/workspace/branches/RS`, {
      token: alfa,
      body: { ...old, name: 'Porto Alegre' },
      operationId: 'saveBranch',
    });
    expect(saved.data.branches.find((b: { code: string }) => b.code === 'RS')).toMatchObject({ name: 'Porto Alegre', uf: 'RS' });
    const moved = await call(url, 'PUT', `${H}/workspace/branches/RS`, {
      token: alfa,
      body: { ...old, uf: 'SC' },
      operationId: 'saveBranch',
    });
    expect(moved.data.branches.find((b: { code: string }) => b.code === 'RS').uf).toBe('SC');
    const bad = await call(url, 'PUT', `${H}/workspace/branches/RS`, {
      token: alfa,
      body: { ...old, uf: 'XX' },
      operationId: 'saveBranch',
    });
    expect(bad).toMatchObject({ status: 400, data: { code: 'INVALID_REQUEST' } });
    const guided = await call(url, 'POST', `${H}/workspace/setup`, {
      token: beta,
      body: { kind: 'guided', branches: [old], modules: SEFAZ_MODULES },
      operationId: 'setupWorkspace',
    });
    expect(guided.data.branches[0].uf).toBeNull();
  });

  it('migration 003 gives branches saved before states a null state and leaves the others alone', async () => {
    const other = await testDatabase('pglite');
    const database = await openDatabase({ dataDir: other.dataDir });
    try {
      await migrate(database);
      await database.query(
        `insert into tenants (id, code, name, dek_wrapped, kek_id) values ('00000000-0000-4000-8000-000000000001', 'T', 'T', '\\x00', 'k')`,
      );
      // A workspace as versions before 1.5 wrote it, then migration 003 undone so it applies again.
      const branches = [
        { code: '1', name: 'a', cnpj: '11222333000181', modules: [] },
        { code: '2', name: 'b', cnpj: '11222333000262', modules: [], uf: 'MA' },
      ];
      await database.query(
        `insert into workspaces (tenant_id, environment, setup, branches) values ('00000000-0000-4000-8000-000000000001', 'producao', 'guided', $1)`,
        [JSON.stringify(branches)],
      );
      await database.query('drop table sefaz_checks');
      await database.query('delete from schema_migrations where version = 3');
      expect(await migrate(database)).toEqual([3]);
      const [row] = await database.query<{ branches: unknown }>('select branches from workspaces');
      expect(row!.branches).toEqual([
        { ...branches[0], uf: null },
        { ...branches[1], uf: 'MA' },
      ]);
      expect(await database.query('select * from sefaz_checks')).toEqual([]);
    } finally {
      await database.close();
      await other.stop();
    }
  });
});
