/**
 * Chain and revocation in CertDesk Cloud, on PGlite and on a real PostgreSQL, against the CA
 * stand-in on 127.0.0.1, every answer checked against the contract: the check at install (a revoked
 * certificate refused), the result kept per tenant, the revocation job (a certificate revoked after
 * install is marked in the cached list, its edits refused; rows installed before the checks existed
 * are read from the stored PFX), and — on PostgreSQL — two instances that never check the same row.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CloudService } from '../../cloud-service/service';
import { migrate } from '../../cloud-service/db/migrate';
import { startCaServer, type CaServer } from '../../stand-ins/ca-server';
import { CA_PFX_PASSWORD, caPfx, type CaCase } from '../../scripts/fixtures/ca-pki';
import {
  addTenant,
  ADMIN_PASSWORD,
  call,
  ENGINES,
  signIn,
  START_TIMEOUT,
  startTestService,
  testDatabase,
  type TestDatabase,
} from './helpers/cloud-service';

const P = '/environments/producao';
const DAY = 24 * 3_600_000;
const selection = [{ branch: '0001', modules: ['faturamento'] }];

describe.each(ENGINES)('revocation in the cloud (%s)', (engine) => {
  let db: TestDatabase;
  let ca: CaServer;
  let service: CloudService;
  let clock: Date;
  let admin: string;
  let other: string;

  const body = (name: CaCase, withChain = false) => ({
    fileName: `${name}.pfx`,
    pfxBase64: caPfx(ca.pki, name, withChain).toString('base64'),
    password: CA_PFX_PASSWORD,
    selection,
  });
  const install = (name: CaCase, token = admin, withChain = false) =>
    call(service.url, 'POST', `${P}/certificates`, { token, body: body(name, withChain), operationId: 'installCertificate' });
  const list = (token = admin) => call(service.url, 'GET', `${P}/certificates`, { token, operationId: 'listCertificates' });
  const trustRows = () =>
    service.db.query<{ tenant_id: string; certificate_id: string; certificates: string[]; report: unknown }>(
      'select tenant_id, certificate_id, certificates, report from certificate_trust order by certificate_id',
    );

  beforeAll(async () => {
    db = await testDatabase(engine);
    ca = await startCaServer();
    clock = new Date();
    // An install waits 2 s for the network here (5 s in production): the held-network case below.
    // Sessions outlive the days the clock moves forward.
    service = await startTestService(db, { now: () => clock, revocationJob: false, installCheckWaitMs: 2_000, sessionHours: 24 * 365 });
    for (const code of ['ALFA', 'BETA']) {
      await addTenant(service, code);
      const token = await signIn(service.url, `${code}.admin`, ADMIN_PASSWORD);
      await call(service.url, 'POST', `${P}/workspace/setup`, { token, body: { kind: 'example' }, operationId: 'setupWorkspace' });
      if (code === 'ALFA') admin = token;
      else other = token;
    }
  }, START_TIMEOUT);
  afterAll(async () => {
    await service?.close();
    await ca?.close();
    await db?.stop();
  });

  it('installs with the check kept per tenant; a revoked certificate is refused and nothing of it is kept', async () => {
    const installed = await install('valido');
    expect(installed.status).toBe(201);
    expect(installed.data.certificate.trust).toMatchObject({
      chain: { path: 'AC Teste CertDesk → Raiz de Teste CertDesk' },
      revocation: { status: 'good', code: 'NOT_REVOKED', source: 'crl' },
    });
    const id = installed.data.certificate.id;
    const full = await call(service.url, 'GET', `${P}/certificates/${id}`, { token: admin, operationId: 'getCertificate' });
    expect(full.data.trust).toEqual(installed.data.certificate.trust);
    expect((await list()).data[0]).not.toHaveProperty('revoked');

    const refused = await install('revogado');
    expect(refused).toMatchObject({ status: 422, data: { code: 'CERTIFICATE_REVOKED' } });
    expect(refused.data.message).toMatch(
      /^Certificado revogado em \d\d\/\d\d\/\d{4} \(comprometimento da chave\): não pode ser instalado\.$/,
    );
    expect(await install('ocsp-revogado')).toMatchObject({ status: 422, data: { code: 'CERTIFICATE_REVOKED' } });
    expect((await list()).data).toHaveLength(1);

    // The same certificate in another tenant: its own row, and neither sees the other's.
    expect((await install('valido', other)).status).toBe(201);
    const rows = await trustRows();
    expect(new Set(rows.map((r) => r.tenant_id)).size).toBe(2);
    expect(rows.every((r) => r.certificates[0] === ca.pki.leaves['valido'].der.toString('base64'))).toBe(true);
    expect((await call(service.url, 'GET', `${P}/certificates/${id}`, { token: other })).status).toBe(404);
  });

  it('the job finds a certificate revoked after install: the cached list marks it (status kept), edits are refused, delete works', async () => {
    const installed = await install('segundo-ponto');
    const id = installed.data.certificate.id as string;
    expect(installed.data.certificate.trust.revocation.code).toBe('NOT_REVOKED');
    expect((await list()).data.find((r: { id: string }) => r.id === id)).not.toHaveProperty('revoked'); // now cached
    expect(await service.revocationJob.turn()).toBe(0); // nothing due yet

    ca.revoke('segundo-ponto');
    clock = new Date(clock.getTime() + DAY + 60_000);
    expect(await service.revocationJob.turn()).toBeGreaterThanOrEqual(1);
    const row = (await list()).data.find((r: { id: string }) => r.id === id);
    expect(row).toMatchObject({ status: 'configured', revoked: { reasonCode: 1 } });
    // The other tenant's certificates are checked too, and stay unrevoked.
    expect((await list(other)).data.every((r: object) => !('revoked' in r))).toBe(true);

    const edit = await call(service.url, 'PUT', `${P}/certificates/${id}/links`, {
      token: admin,
      body: { selection: [] },
      operationId: 'editCertificate',
    });
    expect(edit).toMatchObject({ status: 422, data: { code: 'CERTIFICATE_REVOKED' } });
    expect(edit.data.message).toMatch(/: a única ação permitida é a exclusão\.$/);
    expect((await call(service.url, 'DELETE', `${P}/certificates/${id}`, { token: admin, operationId: 'deleteCertificate' })).status).toBe(
      200,
    );
    expect((await trustRows()).some((r) => r.certificate_id === id)).toBe(false);
  });

  it('a network slower than the install waits: answered with what the cache knew, the network’s answer kept when it comes', async () => {
    const release = ca.hold();
    let answer;
    try {
      answer = await install('ocsp-valido', admin, true);
    } finally {
      release();
    }
    expect(answer.status).toBe(201);
    // What the cache knew: the AC's CRL kept by the installs above (no OCSP answer kept yet).
    expect(answer.data.certificate.trust).toMatchObject({ online: false, revocation: { source: 'crl', crl: { fromCache: true } } });
    const id = answer.data.certificate.id;
    // The network's answer, once released: it asked the OCSP responder too.
    await vi.waitFor(
      async () => {
        const { trust } = (await call(service.url, 'GET', `${P}/certificates/${id}`, { token: admin })).data;
        expect(trust).toMatchObject({ online: true, revocation: { code: 'NOT_REVOKED' } });
        expect(trust.revocation.attempts.map((a: { source: string }) => a.source)).toContain('ocsp');
      },
      { timeout: 30_000, interval: 100 },
    );
  }, 60_000);

  it('after the upgrade to schema 4, certificates installed before it are read once from the stored PFX and checked', async () => {
    const installed = await install('lcr-vencida');
    const id = installed.data.certificate.id;
    // The database as it was before schema 4, then the upgrade: every certificate gets a row, due now, with no certificates.
    await service.db.query('drop table certificate_trust');
    await service.db.query('delete from schema_migrations where version = 4');
    expect(await migrate(service.db)).toEqual([4]);
    const upgraded = await trustRows();
    const [{ count }] = (await service.db.query<{ count: number }>('select count(*) as count from certificates')) as [{ count: number }];
    expect(upgraded).toHaveLength(Number(count));
    expect(upgraded.every((r) => r.certificates.length === 0 && r.report === null)).toBe(true);
    clock = new Date(Math.max(clock.getTime(), Date.now()) + 60_000); // the rows are due at the database's now()
    await service.revocationJob.turn();
    const [row] = (await trustRows()).filter((r) => r.certificate_id === id);
    expect(row!.certificates[0]).toBe(ca.pki.leaves['lcr-vencida'].der.toString('base64'));
    const full = await call(service.url, 'GET', `${P}/certificates/${id}`, { token: admin, operationId: 'getCertificate' });
    expect(full.data.trust.revocation).toMatchObject({ status: 'unknown', code: 'UNCHECKED_CRL_EXPIRED' });
  });
});

describe('two instances on one PostgreSQL', () => {
  let db: TestDatabase;
  let ca: CaServer;
  const services: CloudService[] = [];
  const checkedBy: string[][] = [[], []];
  let clock = new Date();

  beforeAll(async () => {
    db = await testDatabase('postgres');
    ca = await startCaServer();
    for (const k of [0, 1])
      services.push(
        await startTestService(db, {
          now: () => clock,
          sessionHours: 24 * 365,
          // Small claims, so that both instances take part; their timers would start far after the test.
          revocationJob: { intervalMs: 3_600_000, batch: 3, perTenant: 1, onChecked: (id) => checkedBy[k]!.push(id) },
        }),
      );
  }, START_TIMEOUT);
  afterAll(async () => {
    for (const service of services) await service.close();
    await ca?.close();
    await db?.stop();
  });

  it('run their turns at once and never check the same certificate; every due one is checked', async () => {
    const cases: CaCase[] = ['valido', 'segundo-ponto', 'ocsp-valido', 'lcr-vencida'];
    for (const code of ['GAMA', 'DELTA', 'OMEGA']) {
      await addTenant(services[0]!, code);
      const token = await signIn(services[0]!.url, `${code}.admin`, ADMIN_PASSWORD);
      await call(services[0]!.url, 'POST', `${P}/workspace/setup`, { token, body: { kind: 'example' } });
      for (const name of cases) {
        const answer = await call(services[1]!.url, 'POST', `${P}/certificates`, {
          token,
          body: { fileName: `${name}.pfx`, pfxBase64: caPfx(ca.pki, name, true).toString('base64'), password: CA_PFX_PASSWORD, selection },
        });
        expect(answer.status).toBe(201);
      }
    }
    clock = new Date(clock.getTime() + 2 * DAY);
    const [a, b] = await Promise.all(services.map((s) => s.revocationJob.turn()));
    expect(a! + b!).toBe(12);
    const all = [...checkedBy[0]!, ...checkedBy[1]!];
    expect(new Set(all).size).toBe(12);
    expect(all).toHaveLength(12);
    const [claimed] = await services[0]!.db.query<{ count: number }>(
      'select count(*) as count from certificate_trust where claimed_until is not null or next_check_at <= $1',
      [clock],
    );
    expect(Number(claimed!.count)).toBe(0); // every claim released, every row due again later
  });
});
