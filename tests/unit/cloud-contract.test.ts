/**
 * CertDesk Cloud (cloud-service/, on PGlite) over real HTTP on 127.0.0.1: every request the test sends and every
 * response it gets is validated against the OpenAPI 3.1 document.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRequest, checkResponse, OPENAPI } from '@certdesk/core/cloud-api/contract-validator';
import type { CloudService } from '../../cloud-service/service';
import { START_TIMEOUT, startTestService, testDatabase, type TestDatabase } from './helpers/cloud-service';
import { PASSWORD, pfx } from '../fixtures';

let db: TestDatabase;
let server: CloudService;

beforeAll(async () => {
  db = await testDatabase('pglite');
  server = await startTestService(db, { demo: true });
}, START_TIMEOUT);
afterAll(async () => {
  await server.close();
  await db.stop();
});

/** Call an operation by its operationId, checking the request and the response against the contract. */
async function call(operationId: string, params: Record<string, string> = {}, body?: unknown, token?: string, query = '') {
  const entry = Object.entries(OPENAPI.paths)
    .flatMap(([path, methods]) =>
      Object.entries(methods as Record<string, { operationId: string }>).map(([method, op]) => ({ path, method, op })),
    )
    .find((e) => e.op.operationId === operationId)!;
  if (body !== undefined) expect(checkRequest(operationId, body), `request of ${operationId}`).toBeNull();
  const path = entry.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!));
  const response = await fetch(`${server.url}${path}${query}`, {
    method: entry.method.toUpperCase(),
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : undefined;
  expect(checkResponse(operationId, response.status, data), `response ${response.status} of ${operationId}`).toBeNull();
  return { status: response.status, data };
}

const P = { environment: 'producao' };
let admin: string;
let reader: string;

describe('CertDesk Cloud, contract-checked', () => {
  it('signs in with SSO (e-mail) and with CódigoCloud.usuário; wrong passwords are 401', async () => {
    const sso = await call('signIn', {}, { method: 'sso', email: 'ana@empresa.com.br', password: 'Admin#2026' });
    expect(sso).toMatchObject({ status: 200, data: { user: { name: 'Ana Administradora', role: 'administrator' } } });
    admin = sso.data.token;
    const cloud = await call('signIn', {}, { method: 'cloud', login: 'EXEMPLO.joao', password: 'Leitura#2026' });
    expect(cloud.data.user.role).toBe('read-only');
    reader = cloud.data.token;
    expect((await call('signIn', {}, { method: 'cloud', login: 'EXEMPLO.joao', password: 'errada' })).status).toBe(401);
    expect((await call('listCertificates', P)).status).toBe(401);
    expect((await call('listCertificates', P, undefined, 'token-inventado')).data).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('applies the same domain rules as the embedded workspace', async () => {
    expect((await call('getWorkspace', P, undefined, admin)).data).toMatchObject({ ready: false });
    expect((await call('setupWorkspace', P, { kind: 'example' }, admin)).data).toMatchObject({ ready: true });
    const pfxBase64 = (await readFile(pfx('v01_default.pfx'))).toString('base64');
    const selection = [
      { branch: '0001', modules: ['faturamento'] },
      { branch: '0002', modules: ['faturamento'] },
    ];
    const installed = await call('installCertificate', P, { fileName: 'v01.pfx', pfxBase64, password: PASSWORD, selection }, admin);
    expect(installed.status).toBe(201);
    expect(installed.data.results[1].observation.message).toBe('Módulo Faturamento não parametrizado na filial 0002');
    expect(installed.data.certificate).toMatchObject({ status: 'configured', installedBy: 'Ana Administradora (ana@empresa.com.br)' });
    const id = installed.data.certificate.id;

    const duplicate = await call('installCertificate', P, { fileName: 'v01.pfx', pfxBase64, password: PASSWORD, selection: [] }, admin);
    expect(duplicate).toMatchObject({ status: 409, data: { code: 'DUPLICATE_CERTIFICATE', details: { existingId: id } } });
    const expired = await call(
      'installCertificate',
      P,
      { fileName: 'v24.pfx', pfxBase64: (await readFile(pfx('v24_expired.pfx'))).toString('base64'), password: PASSWORD, selection: [] },
      admin,
    );
    expect(expired).toMatchObject({ status: 422, data: { code: 'CERTIFICATE_EXPIRED' } });

    const edited = await call('editCertificate', { ...P, id }, { selection: [{ branch: '0003', modules: ['faturamento'] }] }, admin);
    expect(edited.data).toMatchObject({
      before: [{ branch: '0001', module: 'faturamento' }],
      after: [{ branch: '0003', module: 'faturamento' }],
    });
    const list = (await call('listCertificates', P, undefined, reader)).data;
    expect(list).toHaveLength(1);
    // 1.2.0: the list answers rows (what the list shows); the full certificate comes from getCertificate.
    expect(Object.keys(list[0]).sort()).toEqual(['certificate', 'daysRemaining', 'fileName', 'id', 'links', 'origin', 'status']);
    expect(list[0]).toMatchObject({ id, status: 'configured', links: [{ branch: '0003', module: 'faturamento' }] });
    const full = (await call('getCertificate', { ...P, id }, undefined, reader)).data;
    expect(full.links).toEqual([{ branch: '0003', module: 'faturamento' }]);
    expect(full).toMatchObject({ inspection: { privateKey: { present: true } }, lastResults: [{ branch: '0003', installed: true }] });
    expect(full.certificate).toMatchObject({ ...list[0].certificate, status: 'valid' });

    const history = await call('listHistory', P, undefined, reader, '?limit=10');
    expect(history.data.entries.map((e: { action: string }) => e.action)).toEqual(['edit', 'install']);
    expect(history.data.entries[0].user).toBe('Ana Administradora (ana@empresa.com.br)');
    expect((await call('deleteCertificate', { ...P, id }, undefined, admin)).data).toEqual({
      served: [{ branch: '0003', module: 'faturamento' }],
    });
    expect((await call('getCertificate', { ...P, id }, undefined, admin)).status).toBe(404);
  });

  it('read-only users see but cannot change (403)', async () => {
    const body = {
      fileName: 'v42.pfx',
      pfxBase64: (await readFile(pfx('v42_other_company.pfx'))).toString('base64'),
      password: PASSWORD,
      selection: [],
    };
    expect(await call('installCertificate', P, body, reader)).toMatchObject({ status: 403, data: { code: 'FORBIDDEN' } });
    expect((await call('saveModules', P, [], reader)).status).toBe(403);
    expect((await call('getWorkspace', P, undefined, reader)).status).toBe(200);
  });

  it('rejects requests that break the contract with 400, naming the field', async () => {
    const response = await fetch(`${server.url}/environments/producao/certificates`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${admin}` },
      body: JSON.stringify({ fileName: 'x.pfx', password: null, selection: [] }),
    });
    expect(response.status).toBe(400);
    const data = await response.json();
    expect(checkResponse('installCertificate', 400, data)).toBeNull();
    expect(data.message).toContain('pfxBase64');
    expect((await call('listHistory', P, undefined, admin, '?limit=0')).status).toBe(400);
  });

  it('signing out ends the session', async () => {
    expect((await call('signOut', {}, undefined, reader)).status).toBe(204);
    expect((await call('listCertificates', P, undefined, reader)).status).toBe(401);
  });
});
