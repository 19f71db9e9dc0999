/**
 * The list served from a cached answer (cloud-service/list-cache.ts, contract 1.2.0 rows), on a real
 * PostgreSQL with two instances: every write on instance A is seen by the very next list on
 * instance B (caught up by the changed rows, not rebuilt), a write refused (rolled back) keeps B's answer cached, and a certificate that expires
 * between two lists reads expired on the second without a database read. Each answer is compared
 * with the rows derived afresh from the database at the request's clock. The rule that says how
 * long an answer stays right (`derivedStableUntil`) is checked on seeded random rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '@certdesk/shared/contract';
import { rowAt, type RowSource } from '@certdesk/shared/certificate-row';
import type { Caller } from '../../cloud-service/auth';
import { assemble, endsOf, unpack } from '../../cloud-service/list-answer';
import { derivedStableUntil, ListCache } from '../../cloud-service/list-cache';
import type { CloudService } from '../../cloud-service/service';
import { seededRandom, testSeed } from './helpers/seeded-random';
import {
  addTenant,
  ADMIN_PASSWORD,
  call,
  NOW,
  signIn,
  START_TIMEOUT,
  startTestService,
  testDatabase,
  type TestDatabase,
  installBody,
} from './helpers/cloud-service';

const P = '/environments/producao';
const ROW_KEYS = ['certificate', 'daysRemaining', 'fileName', 'id', 'links', 'origin', 'status'];

describe('list cache across two instances (postgres)', () => {
  let db: TestDatabase;
  let a: CloudService;
  let b: CloudService;
  let token: string;
  let clock = NOW;

  /** B's list, checked against the contract and against rows derived now from the database. */
  async function listOnB() {
    const answer = await call(b.url, 'GET', `${P}/certificates`, { token, operationId: 'listCertificates' });
    expect(answer.status).toBe(200);
    const caller = await b.auth.authenticate(token);
    const fresh = (await a.workspace.list(caller!, 'producao')).map((view) => rowAt(view, clock));
    expect(answer.data, 'the answer is the rows derived from the database at this moment').toEqual(fresh);
    return answer.data as { id: string; status: string; daysRemaining: number; links: unknown[] }[];
  }
  const counts = () => ({ ...b.workspace.listCache.counts });
  /** B's metric of list answers made, by kind (what an operator sees). */
  const made = async () =>
    Object.fromEntries(
      (await b.metrics.registry.getSingleMetric('certdesk_cloud_list_builds_total')!.get()).values.map((v) => [v.labels['kind'], v.value]),
    );

  beforeAll(async () => {
    db = await testDatabase('postgres');
    // Sessions long enough for the clock's trips to a certificate's last day.
    a = await startTestService(db, { now: () => clock, sessionHours: 24 * 365 * 40 });
    b = await startTestService(db, { now: () => clock, sessionHours: 24 * 365 * 40 });
    await addTenant(a, 'ALFA');
    token = await signIn(a.url, 'ALFA.admin', ADMIN_PASSWORD);
    await call(a.url, 'POST', `${P}/workspace/setup`, { token, body: { kind: 'example' } });
  }, START_TIMEOUT);
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await db?.stop();
  });

  it('a write on A is seen at once by a list on B; unchanged lists come from the cache', async () => {
    expect(await listOnB()).toEqual([]);
    const body = await installBody('v01_default.pfx', [{ branch: '0001', modules: ['faturamento'] }], 'v01.pfx');
    const installed = await call(a.url, 'POST', `${P}/certificates`, { token, body, operationId: 'installCertificate' });
    expect(installed.status).toBe(201);
    const id = installed.data.certificate.id as string;
    const afterInstall = await listOnB();
    expect(afterInstall.map((r) => r.id)).toEqual([id]);
    expect(Object.keys(afterInstall[0]!).sort(), 'rows only: no inspection, no last results').toEqual(ROW_KEYS);
    expect(installed.data.certificate.inspection, 'the full certificate keeps its inspection').toBeDefined();
    // Sent gzip-compressed to clients that accept it (fetch does), as is to those that do not.
    const plain = await call(b.url, 'GET', `${P}/certificates`, { token, headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.data).toEqual(afterInstall);
    const gzipped = await fetch(`${b.url}${P}/certificates`, { headers: { authorization: `Bearer ${token}` } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(await gzipped.json()).toEqual(afterInstall);

    const before = counts();
    const madeBefore = await made();
    await listOnB();
    expect(counts(), 'nothing changed: the kept answer is sent').toEqual({ ...before, served: before.served + 1 });

    // A refused write rolls its revision back with it: B's answer stays cached.
    expect((await call(a.url, 'POST', `${P}/certificates`, { token, body })).status).toBe(409);
    await listOnB();
    expect(counts().built).toBe(before.built);

    await call(a.url, 'PUT', `${P}/certificates/${id}/links`, {
      token,
      body: { selection: [{ branch: '0003', modules: ['faturamento'] }] },
    });
    expect((await listOnB())[0]!.links).toEqual([{ branch: '0003', module: 'faturamento' }]);

    const branch = { code: '0030', name: 'Filial renomeada', cnpj: '11222333000343', modules: ['faturamento', 'recebimento-nfe'] };
    expect((await call(a.url, 'PUT', `${P}/workspace/branches/0003`, { token, body: branch })).status).toBe(200);
    expect((await listOnB())[0]!.links, 'a branch renamed on A moves the links B shows').toEqual([
      { branch: '0030', module: 'faturamento' },
    ]);

    await call(a.url, 'DELETE', `${P}/certificates/${id}`, { token });
    expect(await listOnB()).toEqual([]);
    // B was told of none of A's writes: it caught up by the rows each changed, and built nothing.
    expect(counts()).toMatchObject({ built: before.built, caughtUp: before.caughtUp + 3 });
    expect(await made()).toEqual({ ...madeBefore, caught_up: madeBefore['caught_up']! + 3 });
  });

  it('a certificate that expires between two lists reads expired on the second (no database read)', async () => {
    const body = await installBody('v42_other_company.pfx', [{ branch: '0101', modules: ['faturamento'] }], 'v42.pfx');
    const installed = await call(a.url, 'POST', `${P}/certificates`, { token, body, operationId: 'installCertificate' });
    expect(installed.status).toBe(201);
    const notAfter = Date.parse(installed.data.certificate.certificate.notAfter);

    clock = new Date(notAfter - 1000);
    const last = await listOnB();
    expect(last[0]).toMatchObject({ status: 'configured', daysRemaining: 1 }); // 23:59:59 UTC: it ends tomorrow at 00:00
    const before = counts();
    clock = new Date(notAfter + 1);
    const expired = await listOnB();
    expect(expired[0]).toMatchObject({ status: 'expired', daysRemaining: 0 }); // ended today (calendar days)
    expect(counts()).toMatchObject({ built: before.built, rederived: before.rederived + 1 });
    clock = NOW;
  });

  it('keeps answers up to its size: the least recently used leaves first; smaller than an answer, it keeps nothing', async () => {
    const keys: { caller: Caller; env: Environment }[] = [];
    for (const [code, env] of [
      ['BETA', 'producao'],
      ['GAMA', 'producao'],
      ['BETA', 'homologacao'],
    ] as const) {
      if (!(await a.tenants.byCode(code))) await addTenant(a, code);
      const caller = (await a.auth.authenticate(await signIn(a.url, `${code}.admin`, ADMIN_PASSWORD)))!;
      await a.workspace.setup(caller, env, { kind: 'example' });
      keys.push({ caller, env });
    }
    const answer = async (i: number) => (await a.workspace.listAnswer(keys[i]!.caller, keys[i]!.env)).body.toString();
    expect(await Promise.all([0, 1, 2].map(answer))).toEqual(['[]', '[]', '[]']);
    const tiny = new ListCache(1);
    for (let i = 0; i < 2; i++) expect((await tiny.answer(a.db, keys[0]!.caller, keys[0]!.env, clock)).body.toString()).toBe('[]');
    expect(tiny.counts).toMatchObject({ built: 2, rederived: 0, served: 0 });
    const two = new ListCache(4); // room for two answers of "[]"
    for (const i of [0, 1, 0, 2, 0, 1]) expect((await two.answer(a.db, keys[i]!.caller, keys[i]!.env, clock)).body.toString()).toBe('[]');
    // 0 and 1 built; 0 served; 2 built, 1 (least recently used) leaves; 0 served; 1 built again.
    expect(two.counts).toMatchObject({ built: 4, rederived: 0, served: 2 });
  });
});

describe('derivedStableUntil', () => {
  const seed = testSeed(20261123);
  const random = seededRandom(seed);
  const DAY = 86_400_000;
  const source = (notBefore: number, notAfter: number, links: number): RowSource => ({
    id: '00000000-0000-4000-8000-000000000000',
    origin: 'certdesk',
    fileName: 'x.pfx',
    certificate: {
      holderName: 'X',
      type: 'e-CNPJ',
      cnpj: '11222333000181',
      cpf: null,
      notBefore: new Date(notBefore).toISOString(),
      notAfter: new Date(notAfter).toISOString(),
      fingerprints: { sha256: '0'.repeat(64) },
    },
    links: Array.from({ length: links }, () => ({ branch: '0001', module: 'faturamento' })),
  });

  it('every row derives the same up to the instant it answers, and one row differs just after it', () => {
    const base = Date.parse('2026-06-01T12:00:00Z');
    for (let round = 0; round < 300; round++) {
      const now = base + random.int(0, 400 * DAY);
      const rows = Array.from({ length: random.int(1, 12) }, () => {
        const notBefore = base + random.int(-30 * DAY, 200 * DAY);
        return source(notBefore, notBefore + random.int(1, 800) * DAY + random.int(0, DAY), random.int(0, 1));
      });
      // Days are calendar days of the server's zone: UTC, or a zone of its own.
      const zone = ['UTC', 'America/Sao_Paulo', 'America/Manaus'][round % 3]!;
      const until = derivedStableUntil(rows, new Date(now), zone);
      const at = (t: number) => rows.map((r) => rowAt(r, new Date(t), zone));
      expect(until, `seed ${seed}, round ${round}`).toBeGreaterThanOrEqual(now);
      expect(at(until), `seed ${seed}, round ${round}: same at the instant`).toEqual(at(now));
      expect(at(until + 1), `seed ${seed}, round ${round}: different just after`).not.toEqual(at(now));
    }
  });
});

describe('rows packed for the list workers', () => {
  it('come back as the same pieces and ids, accents, emoji and an empty list included', () => {
    const cases = [
      [],
      ['{"id":"a"}'],
      ['{"id":"a","holderName":"JOÃO DA CONCEIÇÃO ME"}', '{"id":"b","holderName":"AÇAÍ 🌱 LTDA"}', '{"id":"c","n":[1,2]}'],
    ];
    for (const pieces of cases) {
      const ids = pieces.map((p) => (JSON.parse(p) as { id: string }).id);
      const { body, blocks } = assemble(pieces);
      expect(body.toString('utf8')).toBe(JSON.stringify(pieces.map((p) => JSON.parse(p) as unknown)));
      const kept = unpack({ body, ends: endsOf(pieces), ids: ids.join('\n'), until: 7, blocks });
      expect(kept).toEqual({ pieces, ids, until: 7, blocks });
    }
  });
});
