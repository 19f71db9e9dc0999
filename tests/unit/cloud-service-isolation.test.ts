/**
 * Tenant isolation, on PGlite and on a real PostgreSQL: a user of company BETA calls every operation
 * of the contract aimed at company ALFA's data (its certificate id, its branch codes, its history
 * cursor, its login) and ALFA's workspace, certificates and history come out byte-for-byte as they
 * were. The test fails if the contract gains an operation this file does not try.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI } from '@certdesk/core/cloud-api/contract-validator';
import { certificateRow } from '@certdesk/shared/certificate-row';
import type { CloudService } from '../../cloud-service/service';
import { TenantWorkspace } from '../../cloud-service/tenant-workspace';
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
  testDatabase,
  type TestDatabase,
} from './helpers/cloud-service';

const P = '/environments/producao';
/** A server name that never resolves (RFC 2606): a test message to it fails at once, on nobody's network. */
const SMTP = { host: 'smtp.invalid', port: 587, security: 'starttls', user: null } as const;

describe.each(ENGINES)('tenant isolation (%s)', (engine) => {
  let db: TestDatabase;
  let service: CloudService;
  let url: string;
  let alfa: string;
  let beta: string;
  let betaReader: string;
  let alfaCert: string;
  let alfaEntry: string;
  let alfaSwap: string;
  const tried = new Set<string>();

  /** A call by BETA, recorded as an attempt on `operationId`. */
  const asBeta = (operationId: string, method: string, path: string, body?: unknown, token = beta) => {
    tried.add(operationId);
    return call(url, method, path, { token, body, operationId });
  };

  /** Everything ALFA can see, for the before/after comparison. */
  async function alfaState() {
    const workspace = await call(url, 'GET', `${P}/workspace`, { token: alfa });
    const list = await call(url, 'GET', `${P}/certificates`, { token: alfa });
    const history = await call(url, 'GET', `${P}/history?limit=1000`, { token: alfa });
    const swaps = await call(url, 'GET', `${P}/swaps`, { token: alfa });
    const warnings = await call(url, 'GET', '/warnings/settings', { token: alfa });
    const deliveries = await call(url, 'GET', '/warnings/deliveries', { token: alfa });
    return {
      workspace: workspace.data,
      list: list.data,
      history: history.data,
      swaps: swaps.data,
      warnings: warnings.data,
      deliveries: deliveries.data,
    };
  }

  beforeAll(async () => {
    db = await testDatabase(engine);
    service = await startTestService(db);
    url = service.url;
    await addTenant(service, 'ALFA');
    await addTenant(service, 'BETA');
    await service.tenants.addUser({
      login: 'ana@alfa.com.br',
      sso: true,
      tenantCode: 'ALFA',
      name: 'Ana',
      role: 'administrator',
      password: ADMIN_PASSWORD,
    });
    alfa = await signIn(url, 'ALFA.admin', ADMIN_PASSWORD);
    beta = await signIn(url, 'BETA.admin', ADMIN_PASSWORD);
    betaReader = await signIn(url, 'BETA.leitor', READER_PASSWORD);
    await call(url, 'POST', `${P}/workspace/setup`, { token: alfa, body: { kind: 'example' } });
    const pfxBase64 = (await readFile(pfx('v01_default.pfx'))).toString('base64');
    const installed = await call(url, 'POST', `${P}/certificates`, {
      token: alfa,
      body: { fileName: 'v01.pfx', pfxBase64, password: PASSWORD, selection: [{ branch: '0001', modules: ['faturamento'] }] },
    });
    expect(installed.status).toBe(201);
    alfaCert = installed.data.certificate.id;
    await call(url, 'PUT', `${P}/certificates/${alfaCert}/links`, {
      token: alfa,
      body: { selection: [{ branch: '0002', modules: ['recebimento-cte'] }] },
    });
    alfaEntry = (await call(url, 'GET', `${P}/history?limit=1`, { token: alfa })).data.entries[0].id;
    const renewal = (await readFile(pfx('v25_rsa4096.pfx'))).toString('base64');
    const scheduled = await call(url, 'POST', `${P}/certificates/${alfaCert}/swap`, {
      token: alfa,
      body: { fileName: 'v25.pfx', pfxBase64: renewal, password: PASSWORD, scheduledFor: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(scheduled.status).toBe(201);
    alfaSwap = scheduled.data.swap.id;
    const saved = await call(url, 'PUT', '/warnings/settings', {
      token: alfa,
      body: { recipients: ['ti@alfa.com.br'], smtp: { ...SMTP, from: 'certdesk@alfa.com.br' }, webhooks: [] },
    });
    expect(saved.status).toBe(200);
    await call(url, 'POST', `${P}/workspace/setup`, { token: beta, body: { kind: 'example' } });
  }, START_TIMEOUT);
  afterAll(async () => {
    await service?.close();
    await db?.stop();
  });

  it("BETA's users cannot list, read, change or delete anything of ALFA, on any operation", async () => {
    const before = await alfaState();
    const pfxBase64 = (await readFile(pfx('v01_default.pfx'))).toString('base64');

    // signIn: ALFA's login with BETA's password is refused; an SSO e-mail lands in its own tenant only.
    tried.add('signIn');
    expect(
      (
        await call(url, 'POST', '/auth/sign-in', {
          body: { method: 'cloud', login: 'ALFA.leitor', password: 'Admin#2026x' },
          operationId: 'signIn',
        })
      ).status,
    ).toBe(401);
    const ana = await call(url, 'POST', '/auth/sign-in', {
      body: { method: 'sso', email: 'ana@alfa.com.br', password: ADMIN_PASSWORD },
      operationId: 'signIn',
    });
    // ALFA's list: its certificate and the renewal waiting in its scheduled swap.
    expect((await call(url, 'GET', `${P}/certificates`, { token: ana.data.token })).data.map((c: { id: string }) => c.id)).toEqual(
      (await call(url, 'GET', `${P}/certificates`, { token: alfa })).data.map((c: { id: string }) => c.id),
    );
    expect((await call(url, 'GET', `${P}/certificates`, { token: ana.data.token })).data.map((c: { id: string }) => c.id)).toContain(
      alfaCert,
    );

    // Reads: BETA sees its own empty workspace, never ALFA's certificate or history.
    expect((await asBeta('getWorkspace', 'GET', `${P}/workspace`)).data.certificates).toBe(0);
    expect((await asBeta('listCertificates', 'GET', `${P}/certificates`)).data).toEqual([]);
    expect(await asBeta('getCertificate', 'GET', `${P}/certificates/${alfaCert}`)).toMatchObject({
      status: 404,
      data: { code: 'NOT_FOUND' },
    });
    expect((await asBeta('listHistory', 'GET', `${P}/history`)).data.entries).toEqual([]);
    expect((await asBeta('listHistory', 'GET', `${P}/history?certificateId=${alfaCert}`)).data.entries).toEqual([]);
    expect((await asBeta('listHistory', 'GET', `${P}/history?after=${alfaEntry}`)).data.entries).toEqual([]);
    expect((await asBeta('listHistory', 'GET', `${P}/history?branch=0002`)).data.entries).toEqual([]);

    // SEFAZ checks (contract 1.5): ALFA's certificate is not found — nothing is asked of SEFAZ with it —
    // and ALFA's stored check is not in BETA's list.
    await service.db.query(
      `insert into sefaz_checks (certificate_id, tenant_id, environment, summary, result, checked_at)
       select id, tenant_id, environment, $2, '{}', now() from certificates where id = $1`,
      [alfaCert, JSON.stringify({ certificateId: alfaCert, state: 'ok', code: null, cStat: null, checkedAt: '2026-06-01T12:00:00.000Z' })],
    );
    expect(await asBeta('checkCertificateSefaz', 'POST', `${P}/certificates/${alfaCert}/sefaz-check`)).toMatchObject({
      status: 404,
      data: { code: 'NOT_FOUND' },
    });
    expect((await asBeta('getCertificateSefazCheck', 'GET', `${P}/certificates/${alfaCert}/sefaz-check`)).status).toBe(404);
    expect((await asBeta('listSefazChecks', 'GET', `${P}/sefaz-checks`)).data).toEqual({ items: [] });
    expect(
      (await call(url, 'GET', `${P}/sefaz-checks`, { token: alfa })).data.items.map((s: { certificateId: string }) => s.certificateId),
    ).toEqual([alfaCert]);
    await service.db.query('delete from sefaz_checks where certificate_id = $1', [alfaCert]);

    // Changes aimed at ALFA's certificate: not found, for administrators and read-only users alike.
    expect((await asBeta('editCertificate', 'PUT', `${P}/certificates/${alfaCert}/links`, { selection: [] })).status).toBe(404);
    expect((await asBeta('deleteCertificate', 'DELETE', `${P}/certificates/${alfaCert}`)).status).toBe(404);
    expect((await asBeta('deleteCertificate', 'DELETE', `${P}/certificates/${alfaCert}`, undefined, betaReader)).status).toBe(403);

    // Changes to BETA's own catalogue with ALFA's codes, and an install of ALFA's file: BETA's only.
    const branch = { code: '0009', name: 'Renomeada por BETA', cnpj: '11222333000181', modules: ['faturamento'] };
    expect((await asBeta('saveBranch', 'PUT', `${P}/workspace/branches/0002`, branch)).status).toBe(200);
    expect((await asBeta('deleteBranch', 'DELETE', `${P}/workspace/branches/0003`)).status).toBe(200);
    const betaModules = (await call(url, 'GET', `${P}/workspace`, { token: beta })).data.modules.map((m: { name: string }) => ({
      ...m,
      name: `${m.name} (BETA)`,
    }));
    expect((await asBeta('saveModules', 'PUT', `${P}/workspace/modules`, betaModules)).status).toBe(200);
    expect((await asBeta('setupWorkspace', 'POST', `${P}/workspace/setup`, { kind: 'guided', branches: [], modules: [] })).status).toBe(
      200,
    );
    await asBeta('setupWorkspace', 'POST', `${P}/workspace/setup`, { kind: 'example' });
    const own = await asBeta('installCertificate', 'POST', `${P}/certificates`, {
      fileName: 'v01.pfx',
      pfxBase64,
      password: PASSWORD,
      selection: [],
    });
    expect(own.status, 'the same certificate in another tenant is not a duplicate').toBe(201);
    expect(own.data.certificate.id).not.toBe(alfaCert);

    // Swaps and warnings: ALFA's swap is not found; BETA's lists and settings are its own.
    const renewal = (await readFile(pfx('v25_rsa4096.pfx'))).toString('base64');
    expect(
      (
        await asBeta('swapCertificate', 'POST', `${P}/certificates/${alfaCert}/swap`, {
          fileName: 'v25.pfx',
          pfxBase64: renewal,
          password: PASSWORD,
        })
      ).status,
    ).toBe(404);
    expect((await asBeta('listSwaps', 'GET', `${P}/swaps`)).data).toEqual([]);
    expect((await asBeta('cancelSwap', 'DELETE', `${P}/swaps/${alfaSwap}`)).status).toBe(404);
    expect((await asBeta('undoSwap', 'POST', `${P}/swaps/${alfaSwap}/undo`)).status).toBe(404);
    expect((await asBeta('getWarningSettings', 'GET', '/warnings/settings')).data.recipients).toEqual([]);
    expect(
      (
        await asBeta('saveWarningSettings', 'PUT', '/warnings/settings', {
          recipients: ['ti@beta.com.br'],
          smtp: { ...SMTP, from: 'certdesk@beta.com.br' },
          webhooks: [],
        })
      ).status,
    ).toBe(200);
    expect((await asBeta('testWarnings', 'POST', `${P}/warnings/test`)).status).toBeLessThan(500);
    expect(
      (await asBeta('listWarningDeliveries', 'GET', '/warnings/deliveries')).data.every(
        (e: { target: string }) => e.target === 'ti@beta.com.br',
      ),
    ).toBe(true);

    // signOut: BETA's sign-out ends BETA's session only.
    expect((await asBeta('signOut', 'POST', '/auth/sign-out')).status).toBe(204);
    expect((await call(url, 'GET', `${P}/certificates`, { token: beta })).status).toBe(401);

    expect(await alfaState(), "ALFA's data is exactly as before").toEqual(before);
    expect((await alfaState()).history.entries.every((e: { user: string }) => e.user === 'Admin ALFA (ALFA.admin)')).toBe(true);
    const operations = Object.values(OPENAPI.paths).flatMap((methods) =>
      Object.values(methods as Record<string, { operationId: string }>).map((o) => o.operationId),
    );
    expect([...tried].sort(), 'every operation of the contract was tried across tenants').toEqual([...new Set(operations)].sort());
  });

  it('stores secrets per tenant: BETA cannot read ALFA’s secret rows, and ALFA’s decrypt with ALFA’s key only', async () => {
    const caller = await service.auth.authenticate(alfa);
    const secrets = await service.workspace.secrets(caller!, alfaCert);
    expect(secrets.password).toBe(PASSWORD);
    expect(secrets.pfx.equals(await readFile(pfx('v01_default.pfx')))).toBe(true);
    // The list sent over HTTP (rows, from the list cache) is the list of views cut to rows, at any clock.
    await service.workspace.install(caller!, 'producao', {
      fileName: 'v42.pfx',
      pfx: await readFile(pfx('v42_other_company.pfx')),
      password: PASSWORD,
      selection: [{ branch: '0101', modules: ['faturamento'] }], // a manual registration serves something
      manual: true,
    });
    for (const at of ['2026-06-01T12:00:00Z', '2044-12-20T00:00:00Z', '2046-01-01T00:00:00Z']) {
      const clocked = new TenantWorkspace(service.db, service.tenants, () => new Date(at));
      const views = await clocked.list(caller!, 'producao');
      expect(JSON.parse((await clocked.listAnswer(caller!, 'producao')).body.toString()), at).toEqual(views.map(certificateRow));
      expect(new Set(views.map((v) => v.status)).size, at).toBeGreaterThan(at.startsWith('2046') ? 0 : 1);
    }
    const other = await service.auth.authenticate(betaReader);
    await expect(service.workspace.secrets(other!, alfaCert)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
