/**
 * "Substituir / Renovar" in CertDesk Cloud over real HTTP on both engines, every answer checked
 * against the contract: now (one transaction), refused (another CNPJ root), undone, scheduled and
 * cancelled; read-only users and other tenants cannot touch it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudService } from '../../cloud-service/service';
import {
  addTenant,
  ADMIN_PASSWORD,
  call,
  ENGINES,
  installBody,
  READER_PASSWORD,
  signIn,
  START_TIMEOUT,
  startTestService,
  testDatabase,
  type TestDatabase,
} from './helpers/cloud-service';

const clock = new Date('2044-12-10T12:00:00Z');

describe.each(ENGINES)('swaps in CertDesk Cloud on %s', (engine) => {
  let db: TestDatabase;
  let service: CloudService;
  let admin: string;
  let reader: string;
  let stranger: string;
  let oldId: string;
  const P = '/environments/producao';

  beforeAll(async () => {
    db = await testDatabase(engine);
    service = await startTestService(db, { now: () => clock });
    await addTenant(service, 'ALFA');
    await addTenant(service, 'BETA');
    admin = await signIn(service.url, 'ALFA.admin', ADMIN_PASSWORD);
    reader = await signIn(service.url, 'ALFA.leitor', READER_PASSWORD);
    stranger = await signIn(service.url, 'BETA.admin', ADMIN_PASSWORD);
    await call(service.url, 'POST', `${P}/workspace/setup`, { token: admin, body: { kind: 'example' } });
    await call(service.url, 'POST', `${P}/workspace/setup`, { token: stranger, body: { kind: 'example' } });
    const selection = [
      { branch: '0001', modules: ['faturamento', 'recebimento-nfe'] },
      { branch: '0003', modules: ['faturamento'] },
    ];
    const installed = await call(service.url, 'POST', `${P}/certificates`, {
      token: admin,
      body: await installBody('v01_default.pfx', selection),
    });
    oldId = installed.data.certificate.id;
  }, START_TIMEOUT);
  afterAll(async () => {
    await service?.close();
    await db?.stop();
  });

  const swap = async (file: string, token = admin, scheduledFor: string | null = null) => {
    const { selection: _s, ...body } = await installBody(file);
    return call(service.url, 'POST', `${P}/certificates/${oldId}/swap`, {
      token,
      body: { ...body, scheduledFor },
      operationId: 'swapCertificate',
    });
  };

  it('refuses another CNPJ root with the reason, a read-only user and another tenant', async () => {
    const refused = await swap('v42_other_company.pfx');
    expect(refused.status).toBe(409);
    expect(refused.data).toMatchObject({ code: 'SWAP_REFUSED', details: { reason: 'CNPJ_ROOT_DIFFERS' } });
    expect(refused.data.message).toMatch(/outra raiz de CNPJ \(44\.555\.666; o atual é 11\.222\.333\)/);
    expect((await swap('v25_rsa4096.pfx', reader)).status).toBe(403);
    expect((await swap('v25_rsa4096.pfx', stranger)).status).toBe(404);
    const list = await call(service.url, 'GET', `${P}/certificates`, { token: admin, operationId: 'listCertificates' });
    expect(list.data).toHaveLength(1);
  });

  it('schedules and cancels, then swaps now in one transaction and undoes it', async () => {
    const scheduled = await swap('v25_rsa4096.pfx', admin, '2044-12-11T09:00:00.000Z');
    expect(scheduled.data.swap.state).toBe('pending');
    const cancelled = await call(service.url, 'DELETE', `${P}/swaps/${scheduled.data.swap.id}`, {
      token: admin,
      operationId: 'cancelSwap',
    });
    expect(cancelled.data.state).toBe('cancelled');

    const done = await swap('v25_rsa4096.pfx');
    expect(done.status).toBe(201);
    expect(done.data.certificate.id).toBe(scheduled.data.certificate.id); // already installed: takes over as it is
    expect(done.data.certificate.links.map((l: { branch: string }) => l.branch)).toEqual(['0001', '0001', '0003']);
    const rows = await call(service.url, 'GET', `${P}/certificates`, { token: reader, operationId: 'listCertificates' });
    expect(rows.data.find((r: { id: string }) => r.id === oldId)).toMatchObject({ status: 'replaced', links: [] });
    const history = await call(service.url, 'GET', `${P}/history?certificateId=${done.data.certificate.id}`, {
      token: reader,
      operationId: 'listHistory',
    });
    expect(history.data.entries.map((e: { swap: { stage: string } }) => e.swap.stage)).toEqual(['done', 'cancelled', 'scheduled']);

    expect(
      (await call(service.url, 'POST', `${P}/swaps/${done.data.swap.id}/undo`, { token: reader, operationId: 'undoSwap' })).status,
    ).toBe(403);
    const undone = await call(service.url, 'POST', `${P}/swaps/${done.data.swap.id}/undo`, { token: admin, operationId: 'undoSwap' });
    expect(undone.data.state).toBe('undone');
    const old = await call(service.url, 'GET', `${P}/certificates/${oldId}`, { token: admin, operationId: 'getCertificate' });
    expect(old.data).toMatchObject({ status: 'configured' });
    expect(old.data.links).toHaveLength(3);
    const swaps = await call(service.url, 'GET', `${P}/swaps`, { token: reader, operationId: 'listSwaps' });
    expect(swaps.data.map((s: { state: string }) => s.state)).toEqual(['undone', 'cancelled']);
  });
});
