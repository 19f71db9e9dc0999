/**
 * The cloud's background revocation recheck is fair between tenants: a tenant with many certificates
 * due does not make another wait behind them. One check at a time here, so the order is the whole
 * story: each claim takes a few rows per tenant, and tenants take turns within it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CloudService } from '../../cloud-service/service';
import { startCaServer, type CaServer } from '../../stand-ins/ca-server';
import { CA_PFX_PASSWORD, caPfx, type CaCase } from '../../scripts/fixtures/ca-pki';
import {
  addTenant,
  ADMIN_PASSWORD,
  call,
  signIn,
  START_TIMEOUT,
  startTestService,
  testDatabase,
  type TestDatabase,
} from './helpers/cloud-service';

const P = '/environments/producao';
const DAY = 24 * 3_600_000;

describe('the revocation recheck between tenants', () => {
  let db: TestDatabase;
  let ca: CaServer;
  let service: CloudService;
  let clock = new Date();
  const checked: string[] = [];

  beforeAll(async () => {
    db = await testDatabase('pglite');
    ca = await startCaServer();
    service = await startTestService(db, {
      now: () => clock,
      sessionHours: 24 * 365,
      // Its timer would start an hour on: the test runs the turn itself.
      revocationJob: { intervalMs: 3_600_000, concurrency: 1, perTenant: 2, onChecked: (id) => checked.push(id) },
    });
  }, START_TIMEOUT);
  afterAll(async () => {
    await service?.close();
    await ca?.close();
    await db?.stop();
  });

  async function tenantWith(code: string, cases: CaCase[]): Promise<string[]> {
    await addTenant(service, code);
    const token = await signIn(service.url, `${code}.admin`, ADMIN_PASSWORD);
    await call(service.url, 'POST', `${P}/workspace/setup`, { token, body: { kind: 'example' } });
    const ids: string[] = [];
    for (const name of cases) {
      const answer = await call(service.url, 'POST', `${P}/certificates`, {
        token,
        body: {
          fileName: `${name}.pfx`,
          pfxBase64: caPfx(ca.pki, name, true).toString('base64'),
          password: CA_PFX_PASSWORD,
          selection: [{ branch: '0001', modules: ['faturamento'] }],
        },
        operationId: 'installCertificate',
      });
      expect(answer.status).toBe(201);
      ids.push(answer.data.certificate.id as string);
    }
    return ids;
  }

  it('checks the small tenant’s certificate among the first, not after the large tenant’s', async () => {
    const heavy = await tenantWith('PESADO', ['valido', 'segundo-ponto', 'ocsp-valido', 'lcr-vencida', 'sem-pontos']);
    const [light] = await tenantWith('LEVE', ['valido']);
    clock = new Date(clock.getTime() + 2 * DAY); // every row due
    expect(await service.revocationJob.turn()).toBe(6);
    expect(new Set(checked)).toEqual(new Set([...heavy, light]));
    // The first claim holds two of PESADO's and LEVE's one; LEVE's comes first or second, never after PESADO's two.
    expect(checked.indexOf(light!)).toBeLessThanOrEqual(1);
  });
});

describe('network checks at install between tenants', () => {
  let db: TestDatabase;
  let ca: CaServer;
  let service: CloudService;

  beforeAll(async () => {
    db = await testDatabase('pglite');
    ca = await startCaServer();
    service = await startTestService(db, { now: () => new Date(), sessionHours: 24, revocationJob: false, installCheckWaitMs: 500 });
  }, START_TIMEOUT);
  afterAll(async () => {
    await service?.close();
    await ca?.close();
    await db?.stop();
  });

  const installer = async (code: string) => {
    await addTenant(service, code);
    const token = await signIn(service.url, `${code}.admin`, ADMIN_PASSWORD);
    await call(service.url, 'POST', `${P}/workspace/setup`, { token, body: { kind: 'example' } });
    return (name: CaCase) =>
      call(service.url, 'POST', `${P}/certificates`, {
        token,
        body: {
          fileName: `${name}.pfx`,
          pfxBase64: caPfx(ca.pki, name, true).toString('base64'),
          password: CA_PFX_PASSWORD,
          selection: [{ branch: '0001', modules: ['faturamento'] }],
        },
        operationId: 'installCertificate',
      });
  };
  const requests = () => [...ca.hits.values()].reduce((a, b) => a + b, 0);
  const trustOf = (id: string) =>
    service.db.query<{ online: boolean }>(
      `select (report->>'online')::boolean as online from certificate_trust where certificate_id = $1`,
      [id],
    );

  it('a tenant with two checks waiting on the network answers its next install from the cache; another tenant still gets its own', async () => {
    const heavy = await installer('MUITOS');
    const light = await installer('POUCOS');
    const release = ca.hold();
    let first, second, third, other;
    try {
      // Both answer after their wait with their network checks still held: MUITOS has no place left.
      [first, second] = await Promise.all([heavy('valido'), heavy('segundo-ponto')]);
      expect(requests()).toBeGreaterThan(0); // the network was asked, and holds
      third = await heavy('ocsp-valido');
      other = await light('valido');
    } finally {
      release();
    }
    for (const answer of [first, second, third, other]) expect(answer!.status).toBe(201);
    const [a, b, c, d] = [first, second, third, other].map((answer) => answer!.data.certificate.id as string);
    // Once the network answers, the held checks are kept — MUITOS's first two and POUCOS's one …
    await vi.waitFor(
      async () => {
        for (const id of [a!, b!, d!]) expect((await trustOf(id))[0]).toEqual({ online: true });
      },
      { timeout: 30_000, interval: 100 },
    );
    // … while MUITOS's third never asked the network: its cache answer stays, due for the background job.
    expect((await trustOf(c!))[0]).toEqual({ online: false });
  }, 120_000);
});
