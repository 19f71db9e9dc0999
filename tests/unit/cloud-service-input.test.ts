/**
 * Malformed input never answers 500 (nor hangs): bad JSON, wrong types, bad percent-encoding, file
 * names that are paths, NUL characters, oversize bodies, bad tokens — each a 4xx with a Portuguese
 * message that follows the contract. Then a seeded fuzz of every operation's body and parameters.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudService } from '../../cloud-service/service';
import { PASSWORD, pfx } from '../fixtures';
import { seededRandom, testSeed } from './helpers/seeded-random';
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
let db: TestDatabase;
let service: CloudService;
let token: string;
let certificateId: string;

beforeAll(async () => {
  db = await testDatabase('pglite');
  service = await startTestService(db);
  await addTenant(service, 'ALFA');
  token = await signIn(service.url, 'ALFA.admin', ADMIN_PASSWORD);
  await call(service.url, 'POST', `${P}/workspace/setup`, { token, body: { kind: 'example' } });
  const pfxBase64 = (await readFile(pfx('v01_default.pfx'))).toString('base64');
  certificateId = (
    await call(service.url, 'POST', `${P}/certificates`, {
      token,
      body: { fileName: 'a.pfx', pfxBase64, password: PASSWORD, selection: [] },
    })
  ).data.certificate.id;
}, START_TIMEOUT);
afterAll(async () => {
  await service?.close();
  await db?.stop();
});

/** A raw request; the answer must be a 4xx in the contract's Error shape. */
async function refused(
  method: string,
  path: string,
  init: { body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; message: string }> {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...init.headers },
    body: init.body,
  });
  const data = (await response.json()) as { code: string; message: string };
  expect(response.status, `${method} ${path} → ${response.status} ${data.message}`).toBeGreaterThanOrEqual(400);
  expect(response.status, `${method} ${path}`).toBeLessThan(500);
  expect(typeof data.code === 'string' && typeof data.message === 'string').toBe(true);
  return { status: response.status, message: data.message };
}

describe('malformed input is a 4xx, never a 500', () => {
  it('bad bodies: not JSON, wrong types, missing fields, NUL characters, wrong media type', async () => {
    expect(await refused('POST', `${P}/workspace/setup`, { body: '{"kind":' })).toMatchObject({
      status: 400,
      message: expect.stringContaining('JSON'),
    });
    expect(await refused('POST', `${P}/workspace/setup`, { body: '' })).toMatchObject({
      status: 400,
      message: expect.stringContaining('(corpo)'),
    });
    expect(await refused('POST', `${P}/workspace/setup`, { body: '{"kind":"guided","branches":"x","modules":[]}' })).toMatchObject({
      status: 400,
    });
    expect(await refused('PUT', `${P}/workspace/modules`, { body: '{"id":1}' })).toMatchObject({ status: 400 });
    expect(
      await refused('PUT', `${P}/certificates/${certificateId}/links`, {
        body: '{"selection":[{"branch":"0001","modules":"faturamento"}]}',
      }),
    ).toMatchObject({
      status: 400,
      message: expect.stringContaining('/selection/0/modules'),
    });
    expect(
      await refused('PUT', `${P}/workspace/branches/0001`, {
        body: JSON.stringify({ code: '0001', name: 'a\u0000b', cnpj: '11222333000181', modules: [] }),
      }),
    ).toMatchObject({
      status: 400,
      message: expect.stringContaining('U+0000'),
    });
    expect(
      await refused('POST', `${P}/workspace/setup`, { body: '{"kind":"example"}', headers: { 'Content-Type': 'text/plain' } }),
    ).toMatchObject({ status: 415 });
    expect(await refused('POST', `${P}/workspace/setup`, { body: '{"kind":"example","__proto__":{"x":1}}' })).toMatchObject({
      status: 400,
    });
  });

  it('install: file names that are paths, bad base64, oversize bodies', async () => {
    const install = (fields: object) => JSON.stringify({ fileName: 'a.pfx', pfxBase64: 'AAAA', password: null, selection: [], ...fields });
    for (const fileName of ['..', '.', '../../etc/passwd', 'a/b.pfx', 'a\\b.pfx', 'a\u0001.pfx'])
      expect(await refused('POST', `${P}/certificates`, { body: install({ fileName }) }), fileName).toMatchObject({ status: 400 });
    expect(await refused('POST', `${P}/certificates`, { body: install({ pfxBase64: 'não é base64!' }) })).toMatchObject({
      status: 400,
      message: expect.stringContaining('base64'),
    });
    expect(await refused('POST', `${P}/certificates`, { body: install({ pfxBase64: 'AAAA' }) })).toMatchObject({ status: 422 }); // 3 bytes: not a PFX
    expect(await refused('POST', `${P}/certificates`, { body: install({ pfxBase64: 'A'.repeat(16 * 1024 * 1024) }) })).toMatchObject({
      status: 413,
    });
    expect(
      await refused('POST', `${P}/workspace/setup`, {
        body: JSON.stringify({ kind: 'guided', branches: [], modules: [], pad: 'x'.repeat(100_000) }),
      }),
    ).toMatchObject({
      status: 413,
    });
  });

  it('bad paths and parameters: percent-encoding, unknown routes, ids, limits, cursors', async () => {
    expect(await refused('DELETE', `${P}/workspace/branches/%E0%A4%A`)).toMatchObject({ status: 400 });
    expect(await refused('DELETE', `${P}/workspace/branches/%00`)).toMatchObject({ status: 400 });
    expect(await refused('GET', `${P}/certificates/..%2F..%2Fetc`)).toMatchObject({ status: 400 });
    expect(await refused('GET', `/environments/staging/certificates`)).toMatchObject({ status: 400 });
    expect(await refused('GET', `${P}/nada`)).toMatchObject({ status: 404 });
    expect(await refused('GET', `/../../etc/passwd`)).toMatchObject({ status: 404 });
    for (const query of [
      'limit=0',
      'limit=-1',
      'limit=1.5',
      'limit=abc',
      'limit=1&limit=2',
      'limit=99999999999999999999',
      'action=apagar',
      'after=x',
      'certificateId=%ZZ',
    ])
      expect(await refused('GET', `${P}/history?${query}`), query).toMatchObject({ status: 400 });
  });

  it('bad credentials: malformed tokens and sign-in bodies', async () => {
    for (const authorization of ['Bearer', 'Bearer ', 'Basic abc', `Bearer ${'x'.repeat(5000)}`, 'Bearer çççççççççççççççççç'])
      expect(
        await refused('GET', `${P}/certificates`, { headers: { Authorization: authorization } }),
        authorization.slice(0, 20),
      ).toMatchObject({ status: 401 });
    for (const body of [
      '{}',
      '{"method":"cloud","login":"semponto","password":"x"}',
      '{"method":"sso","email":"não-é-email","password":"x"}',
      '{"method":"cloud","login":"A.b","password":""}',
      '[]',
      'null',
      '1',
    ])
      expect(await refused('POST', '/auth/sign-in', { body }), body).toMatchObject({ status: 400 });
  });

  it(
    'a seeded fuzz of every operation answers 2xx or 4xx only',
    async () => {
      const seed = testSeed(1515);
      const random = seededRandom(seed);
      const values: unknown[] = [
        null,
        true,
        0,
        -1,
        1e308,
        '',
        '..',
        '\u202e',
        'ç'.repeat(300),
        [],
        [null],
        {},
        { branch: 1 },
        'A'.repeat(70_000),
      ];
      const pick = <T>(list: T[]) => list[random.int(0, list.length - 1)]!;
      const targets: [string, string, () => object | unknown[]][] = [
        ['POST', `${P}/workspace/setup`, () => ({ kind: pick(['example', 'guided', 1]), branches: pick(values), modules: pick(values) })],
        [
          'PUT',
          `${P}/workspace/branches/${encodeURIComponent(String(pick(['0001', '..', 'ç', '%', ' '])))}`,
          () => ({ code: pick(values), name: pick(values), cnpj: pick(values), modules: pick(values) }),
        ],
        ['PUT', `${P}/workspace/modules`, () => [{ id: pick(values), name: pick(values), licensed: pick(values) }]],
        ['PUT', `${P}/certificates/${certificateId}/links`, () => ({ selection: [{ branch: pick(values), modules: [pick(values)] }] })],
        [
          'POST',
          `${P}/certificates`,
          () => ({ fileName: pick(values), pfxBase64: pick(values), password: pick(values), selection: pick(values) }),
        ],
        [
          'POST',
          '/auth/sign-in',
          () => ({ method: pick(['cloud', 'sso', 2]), login: pick(values), email: pick(values), password: pick(values) }),
        ],
      ];
      for (let i = 0; i < 120; i++) {
        const [method, path, body] = pick(targets);
        const response = await fetch(`${service.url}${path}`, {
          method,
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(body()),
        });
        await response.arrayBuffer();
        expect(response.status, `seed ${seed}, case ${i}: ${method} ${path}`).toBeLessThan(500);
      }
    },
    START_TIMEOUT,
  );
});
