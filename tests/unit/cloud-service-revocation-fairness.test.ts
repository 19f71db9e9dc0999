/**
 * The cloud's background revocation recheck is fair between tenants: a tenant with many certificates
 * due does not make another wait behind them. One check at a time here, so the order is the whole
 * story: each claim takes a few rows per tenant, and tenants take turns within it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
