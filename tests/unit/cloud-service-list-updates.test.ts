/**
 * The list cache follows the writes made on its instance (cloud-service/list-cache.ts `written`):
 * after each kind of write — install, edit, a branch renamed under certificates, delete, catalogue
 * changes — the next list is the kept answer updated by the changed rows (no database build), and
 * it is byte for byte the answer a cache that never saw it builds from the database (JSON and gzip),
 * and parses to the rows derived afresh. Requests that arrive together while a build runs share it.
 * On PGlite and on a real PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowAt } from '@certdesk/shared/certificate-row';
import type { Caller } from '../../cloud-service/auth';
import { ListCache } from '../../cloud-service/list-cache';
import type { CloudService } from '../../cloud-service/service';
import { listRevision } from '../../cloud-service/tenant-reads';
import {
  call,
  ENGINES,
  installBody,
  NOW,
  START_TIMEOUT,
  testDatabase,
  type TestDatabase,
  startWithExampleTenant,
} from './helpers/cloud-service';
import { expectSameAsFreshBuild } from './helpers/fresh-build';

const P = '/environments/producao';

describe.each(ENGINES)('list answers updated by writes (%s)', (engine) => {
  let db: TestDatabase;
  let service: CloudService;
  let token: string;
  let caller: Caller;

  beforeAll(async () => {
    db = await testDatabase(engine);
    ({ service, token, caller } = await startWithExampleTenant(db));
  }, START_TIMEOUT);
  afterAll(async () => {
    await service?.close();
    await db?.stop();
  });

  const counts = () => ({ ...service.workspace.listCache.counts });

  /** The list over HTTP (gzip), checked against a fresh build and against the rows derived now. */
  async function listMatchesFreshBuild(): Promise<{ id: string; links: unknown[] }[]> {
    const response = await fetch(`${service.url}${P}/certificates`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const served = await service.workspace.listAnswer(caller, 'producao');
    await expectSameAsFreshBuild(served, service.db, caller, 'producao', NOW);
    const rows = JSON.parse(served.body.toString('utf8')) as { id: string; links: unknown[] }[];
    const derived = (await service.workspace.list(caller, 'producao')).map((view) => rowAt(view, NOW));
    expect(rows, 'parsed: the rows derived from the database now').toEqual(derived);
    return rows;
  }

  /** `write` changes the list; the answer after it comes from the kept one, updated, not rebuilt. */
  async function afterWrite<T>(write: () => Promise<T>): Promise<{ result: T; rows: { id: string; links: unknown[] }[] }> {
    await listMatchesFreshBuild(); // the answer is kept before the write
    const before = counts();
    const result = await write();
    const rows = await listMatchesFreshBuild();
    const after = counts();
    expect(after.built, 'no build from the database after the write').toBe(before.built);
    expect(after.updated, 'the kept answer was updated by the write').toBe(before.updated + 1);
    return { result, rows };
  }

  it(
    'install, edit, branch rename, delete and catalogue changes update the kept answer to what a fresh build gives',
    async () => {
      const ids: string[] = [];
      for (const [file, branch] of [
        ['v01_default.pfx', '0001'],
        ['v23_ecpf.pfx', '0003'],
        ['v42_other_company.pfx', '0101'],
      ] as const) {
        const { result, rows } = await afterWrite(async () => {
          const body = await installBody(file, [{ branch, modules: ['faturamento'] }]);
          return call(service.url, 'POST', `${P}/certificates`, { token, body, operationId: 'installCertificate' });
        });
        expect(result.status).toBe(201);
        ids.push(result.data.certificate.id as string);
        expect(
          rows.map((r) => r.id),
          'installs are appended in order',
        ).toEqual(ids);
      }

      const edited = await afterWrite(() =>
        call(service.url, 'PUT', `${P}/certificates/${ids[0]}/links`, {
          token,
          body: { selection: [{ branch: '0003', modules: ['faturamento', 'recebimento-nfe'] }] },
        }),
      );
      expect(edited.result.status).toBe(200);
      expect(edited.rows[0]!.links).toEqual([
        { branch: '0003', module: 'faturamento' },
        { branch: '0003', module: 'recebimento-nfe' },
      ]);

      // Renaming a branch rewrites the rows of every certificate serving it.
      const branch = { code: '0033', name: 'Filial Curitiba', cnpj: '11222333000343', modules: ['faturamento', 'recebimento-nfe'] };
      const renamed = await afterWrite(() => call(service.url, 'PUT', `${P}/workspace/branches/0003`, { token, body: branch }));
      expect(renamed.result.status).toBe(200);
      expect(renamed.rows[0]!.links).toEqual([
        { branch: '0033', module: 'faturamento' },
        { branch: '0033', module: 'recebimento-nfe' },
      ]);
      expect(JSON.stringify(renamed.rows)).not.toContain('"0003"');

      const modules = (await service.workspace.status(caller, 'producao')).modules;
      expect((await afterWrite(() => call(service.url, 'PUT', `${P}/workspace/modules`, { token, body: modules }))).result.status).toBe(
        200,
      );
      expect((await afterWrite(() => call(service.url, 'DELETE', `${P}/workspace/branches/0002`, { token }))).result.status).toBe(200);

      const deleted = await afterWrite(() => call(service.url, 'DELETE', `${P}/certificates/${ids[1]}`, { token }));
      expect(deleted.result.status).toBe(200);
      expect(deleted.rows.map((r) => r.id)).toEqual([ids[0], ids[2]]);

      // A refused write changes nothing: the kept answer is served as it is.
      const before = counts();
      expect((await call(service.url, 'DELETE', `${P}/certificates/${ids[1]}`, { token })).status).toBe(404);
      await listMatchesFreshBuild();
      expect(counts()).toMatchObject({ built: before.built, updated: before.updated });
    },
    START_TIMEOUT,
  );

  it(
    'an answer of several compressed blocks: a write remakes the blocks it touched and keeps the others, same bytes as a fresh build',
    async () => {
      // 150 certificates: one real install, 149 copies of its record written straight to the table.
      const body = await installBody('v26_ec_p256.pfx', [{ branch: '0001', modules: ['faturamento'] }]);
      const first = await call(service.url, 'POST', `${P}/certificates`, { token, body, operationId: 'installCertificate' });
      expect(first.status).toBe(201);
      // As a write does it: the workspace's revision moves first, then the rows (they carry it).
      await service.db.transaction(async (tx) => {
        await tx.query("update workspaces set revision = nextval('workspace_revisions') where tenant_id = $1", [caller.tenantId]);
        await tx.query(
          `insert into certificates (id, tenant_id, environment, sha256, record)
           select r.id, c.tenant_id, 'producao', r.sha,
                  jsonb_set(jsonb_set(c.record, '{id}', to_jsonb(r.id::text)), '{certificate,fingerprints,sha256}', to_jsonb(r.sha))
             from certificates c, (select gen_random_uuid() as id, encode(sha256(('copia-' || g)::bytea), 'hex') as sha
                                     from generate_series(1, 149) g) r
            where c.id = $1`,
          [first.data.certificate.id],
        );
      });
      const rows = await listMatchesFreshBuild();
      expect(rows.length).toBeGreaterThan(150);
      const kept = await service.workspace.listAnswer(caller, 'producao');
      expect(kept.blocks.length).toBeGreaterThanOrEqual(3);

      const relink = (id: string) =>
        call(service.url, 'PUT', `${P}/certificates/${id}/links`, {
          token,
          body: { selection: [{ branch: '0101', modules: ['faturamento'] }] },
        });
      expect((await afterWrite(() => relink(rows[3]!.id))).result.status).toBe(200); // first block
      const afterFirst = await service.workspace.listAnswer(caller, 'producao');
      expect(afterFirst.blocks[1]!.equals(kept.blocks[1]!), 'an untouched block is kept as it was').toBe(true);
      expect((await afterWrite(() => call(service.url, 'DELETE', `${P}/certificates/${rows[70]!.id}`, { token }))).result.status).toBe(200); // the rows after it move up a place
      expect((await afterWrite(() => relink(rows[140]!.id))).result.status).toBe(200);
      const installed = await afterWrite(async () => {
        const more = await installBody('v41_alnum_cnpj.pfx', [{ branch: '0001', modules: ['faturamento'] }]);
        return call(service.url, 'POST', `${P}/certificates`, { token, body: more, operationId: 'installCertificate' });
      });
      expect(installed.result.status).toBe(201);
      expect(installed.rows.at(-1)!.id).toBe(installed.result.data.certificate.id);
    },
    START_TIMEOUT,
  );

  it(
    'an install whose row does not list last (a row dated later, as after a clock that stepped back) leaves the kept answer to a rebuild',
    async () => {
      // A row dated an hour ahead, written as a write does it (the revision first): the list's last row.
      const [ahead] = await service.db.transaction(async (tx) => {
        await tx.query("update workspaces set revision = nextval('workspace_revisions') where tenant_id = $1", [caller.tenantId]);
        return tx.query<{ id: string }>(
          `insert into certificates (id, tenant_id, environment, sha256, record, created_at)
           select r.id, c.tenant_id, 'producao', encode(sha256('adiante'::bytea), 'hex'),
                  jsonb_set(c.record, '{id}', to_jsonb(r.id::text)), clock_timestamp() + interval '1 hour'
             from certificates c, (select gen_random_uuid() as id) r
            where c.tenant_id = $1 and c.environment = 'producao' limit 1
           returning id`,
          [caller.tenantId],
        );
      });
      expect((await listMatchesFreshBuild()).at(-1)!.id).toBe(ahead!.id);
      const before = counts();
      const body = await installBody('v25_rsa4096.pfx', [{ branch: '0001', modules: ['faturamento'] }]);
      const installed = await call(service.url, 'POST', `${P}/certificates`, { token, body, operationId: 'installCertificate' });
      expect(installed.status).toBe(201);
      const rows = await listMatchesFreshBuild();
      expect(counts(), 'not appended: built again from the database').toMatchObject({ built: before.built + 1, updated: before.updated });
      expect(rows.slice(-2).map((r) => r.id)).toEqual([installed.data.certificate.id, ahead!.id]);
    },
    START_TIMEOUT,
  );

  it('requests arriving together while the answer is built share one build', async () => {
    const cache = new ListCache();
    try {
      // The revision as each request reads it with its session; then all 20 at once.
      const revision = await listRevision(service.db, caller, 'producao');
      const answers = await Promise.all(Array.from({ length: 20 }, () => cache.answer(service.db, caller, 'producao', NOW, revision)));
      expect(cache.counts.built, 'one build from the database').toBe(1);
      expect(cache.counts.shared).toBe(19);
      for (const answer of answers) expect(answer.body.equals(answers[0]!.body)).toBe(true);
    } finally {
      await cache.close();
    }
  });
});
