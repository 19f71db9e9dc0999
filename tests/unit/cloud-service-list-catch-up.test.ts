/**
 * A list cache that did not see the writes — another instance's — catches up by what changed
 * (cloud-service/list-cache.ts `catchUp`, migration 006): after installs, edits, a branch renamed,
 * deletes, a catalogue change, a certificate found revoked, several writes at once and a
 * many-block answer, its next answer is byte for byte (JSON and gzip) the one a fresh build gives,
 * and it built nothing. Where
 * catching up cannot give that answer — removals pruned past its revision, a new row that is not
 * the list's tail — it builds afresh, and that is right too; after the upgrade to schema 6 as well.
 * On PGlite and on a real PostgreSQL (the second instance's cache is a second ListCache over the
 * same database; the two-process case is cloud-service-list-cache.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrustReport } from '@certdesk/shared/trust';
import type { Caller } from '../../cloud-service/auth';
import { migrate } from '../../cloud-service/db/migrate';
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

describe.each(ENGINES)('a list cache catching up with writes made elsewhere (%s)', (engine) => {
  let db: TestDatabase;
  let service: CloudService;
  let token: string;
  let caller: Caller;
  /** The other instance's cache: it holds answers but is told of no write. */
  let other: ListCache;

  beforeAll(async () => {
    db = await testDatabase(engine);
    ({ service, token, caller } = await startWithExampleTenant(db));
    other = new ListCache();
  }, START_TIMEOUT);
  afterAll(async () => {
    await other?.close();
    await service?.close();
    await db?.stop();
  });

  /** The other cache's answer now, checked byte for byte against a cache that builds it afresh. */
  async function otherMatchesFreshBuild(): Promise<{ id: string; links: unknown[]; revoked?: unknown }[]> {
    const revision = await listRevision(service.db, caller, 'producao');
    const answer = await other.answer(service.db, caller, 'producao', NOW, revision);
    await expectSameAsFreshBuild(answer, service.db, caller, 'producao', NOW);
    return JSON.parse(answer.body.toString('utf8')) as { id: string; links: unknown[] }[];
  }

  /** After `writes` on the service, the other cache catches up once and builds nothing. */
  async function caughtUpAfter(writes: () => Promise<unknown>) {
    await otherMatchesFreshBuild(); // it holds the answer before the writes
    const before = { ...other.counts };
    await writes();
    const rows = await otherMatchesFreshBuild();
    expect(other.counts.built, 'no build from the database').toBe(before.built);
    expect(other.counts.caughtUp, 'caught up by what changed').toBe(before.caughtUp + 1);
    return rows;
  }

  /** After `writes`, the other cache cannot catch up: it builds afresh, and the answer is still right. */
  async function rebuiltAfter(writes: () => Promise<unknown>) {
    await otherMatchesFreshBuild();
    const before = { ...other.counts };
    await writes();
    const rows = await otherMatchesFreshBuild();
    expect(other.counts.built, 'built afresh').toBe(before.built + 1);
    expect(other.counts.caughtUp).toBe(before.caughtUp);
    return rows;
  }

  const install = async (file: string, branch = '0001') => {
    const body = await installBody(file, [{ branch, modules: ['faturamento'] }]);
    const answer = await call(service.url, 'POST', `${P}/certificates`, { token, body, operationId: 'installCertificate' });
    expect(answer.status).toBe(201);
    return answer.data.certificate.id as string;
  };
  const relink = async (id: string, branch: string) =>
    expect(
      (
        await call(service.url, 'PUT', `${P}/certificates/${id}/links`, {
          token,
          body: { selection: [{ branch, modules: ['faturamento'] }] },
        })
      ).status,
    ).toBe(200);
  const remove = async (id: string) => expect((await call(service.url, 'DELETE', `${P}/certificates/${id}`, { token })).status).toBe(200);

  it(
    'installs, edits, a branch renamed, deletes, a catalogue change, a revocation and several writes at once: caught up, same bytes as a fresh build',
    async () => {
      const ids: string[] = [];
      for (const [file, branch] of [
        ['v01_default.pfx', '0001'],
        ['v23_ecpf.pfx', '0003'],
        ['v42_other_company.pfx', '0101'],
      ] as const) {
        const rows = await caughtUpAfter(async () => ids.push(await install(file, branch)));
        expect(rows.map((r) => r.id)).toEqual(ids);
      }
      expect((await caughtUpAfter(() => relink(ids[0]!, '0003')))[0]!.links).toEqual([{ branch: '0003', module: 'faturamento' }]);

      const branch = { code: '0033', name: 'Filial Curitiba', cnpj: '11222333000343', modules: ['faturamento', 'recebimento-nfe'] };
      const renamed = await caughtUpAfter(async () =>
        expect((await call(service.url, 'PUT', `${P}/workspace/branches/0003`, { token, body: branch })).status).toBe(200),
      );
      expect(JSON.stringify(renamed)).not.toContain('"0003"');

      expect((await caughtUpAfter(() => remove(ids[1]!))).map((r) => r.id)).toEqual([ids[0], ids[2]]);
      // A catalogue write moves the revision and no row: the kept answer is the new revision's as it is.
      const modules = (await service.workspace.status(caller, 'producao')).modules;
      await caughtUpAfter(async () =>
        expect((await call(service.url, 'PUT', `${P}/workspace/modules`, { token, body: modules })).status).toBe(200),
      );

      // A certificate found revoked by the recheck (another write path: tenant-trust.ts save).
      const kept = (await service.trust.report(service.db, caller.tenantId, ids[2]!)) ?? null;
      const revocation = {
        status: 'revoked',
        code: 'REVOKED',
        message: 'Revogado em 01/12/2026',
        source: 'crl',
        revokedAt: '2026-12-01T10:00:00.000Z',
        reasonCode: 1,
        reason: 'keyCompromise',
        crl: null,
        nextCheckAt: '2026-12-08T10:00:00.000Z',
      };
      const report = {
        chain: kept?.chain ?? null,
        online: true,
        ...kept,
        revocation: { ...kept?.revocation, ...revocation },
      } as TrustReport;
      const revoked = await caughtUpAfter(() => service.trust.save(caller.tenantId, 'producao', ids[2]!, { report }));
      expect(revoked.find((r) => r.id === ids[2])!.revoked).toEqual({ revokedAt: '2026-12-01T10:00:00.000Z', reasonCode: 1 });

      // Several writes between two lists: installed, edited, the new one deleted, another installed.
      const rows = await caughtUpAfter(async () => {
        const gone = await install('v26_ec_p256.pfx');
        await relink(ids[0]!, '0001');
        await remove(gone);
        ids.push(await install('v41_alnum_cnpj.pfx'));
        await remove(ids[0]!);
      });
      expect(rows.map((r) => r.id)).toEqual([ids[2], ids[3]]);
    },
    START_TIMEOUT,
  );

  it(
    'an answer of several compressed blocks catches up by the blocks it touched; requests arriving together share one catch-up',
    async () => {
      const first = await install('v23_ecpf.pfx');
      // 150 more rows as a write makes them: the workspace's revision moves first, then the rows.
      await service.db.transaction(async (tx) => {
        await tx.query(
          "update workspaces set revision = nextval('workspace_revisions') where tenant_id = $1 and environment = 'producao'",
          [caller.tenantId],
        );
        await tx.query(
          `insert into certificates (id, tenant_id, environment, sha256, record)
           select r.id, c.tenant_id, 'producao', r.sha,
                  jsonb_set(jsonb_set(c.record, '{id}', to_jsonb(r.id::text)), '{certificate,fingerprints,sha256}', to_jsonb(r.sha))
             from certificates c, (select gen_random_uuid() as id, encode(sha256(('copia-' || g)::bytea), 'hex') as sha
                                     from generate_series(1, 150) g) r
            where c.id = $1`,
          [first],
        );
      });
      const rows = await otherMatchesFreshBuild();
      expect(rows.length).toBeGreaterThan(150);
      await caughtUpAfter(async () => {
        await relink(rows[3]!.id, '0101');
        await remove(rows[70]!.id);
        await relink(rows[140]!.id, '0101');
      });

      await relink(rows[5]!.id, '0101');
      const revision = await listRevision(service.db, caller, 'producao');
      const before = { ...other.counts };
      const answers = await Promise.all(Array.from({ length: 20 }, () => other.answer(service.db, caller, 'producao', NOW, revision)));
      expect(other.counts.caughtUp - before.caughtUp, 'one catch-up for twenty requests').toBe(1);
      expect(other.counts.shared - before.shared).toBe(19);
      expect(other.counts.built).toBe(before.built);
      for (const answer of answers) expect(answer.body.equals(answers[0]!.body)).toBe(true);
      await otherMatchesFreshBuild();
    },
    START_TIMEOUT,
  );

  it(
    'falls back to a build, still right, when removals past its revision were pruned or a new row is not the last',
    async () => {
      const rows = await otherMatchesFreshBuild();
      // Removals are kept a day: one older than that is pruned at the next delete, and the mark
      // moves past the revision the other cache holds.
      await rebuiltAfter(async () => {
        await remove(rows[10]!.id);
        await service.db.query("update certificate_removals set removed_at = now() - interval '2 days'");
        await remove(rows[11]!.id);
      });
      const [mark] = await service.db.query<{ removals_from: string }>(
        "select removals_from from workspaces where tenant_id = $1 and environment = 'producao'",
        [caller.tenantId],
      );
      expect(Number(mark!.removals_from)).toBeGreaterThan(0);
      expect(await caughtUpAfter(() => remove(rows[12]!.id)), 'after the rebuild, catching up again').not.toContainEqual(
        expect.objectContaining({ id: rows[12]!.id }),
      );

      // A row that lists before the last one (as after a clock that stepped back): not appendable.
      const listed = await rebuiltAfter(() =>
        service.db.transaction(async (tx) => {
          await tx.query(
            "update workspaces set revision = nextval('workspace_revisions') where tenant_id = $1 and environment = 'producao'",
            [caller.tenantId],
          );
          await tx.query(
            `insert into certificates (id, tenant_id, environment, sha256, record, created_at)
             select r.id, c.tenant_id, 'producao', encode(sha256('anterior'::bytea), 'hex'),
                    jsonb_set(c.record, '{id}', to_jsonb(r.id::text)), c.created_at - interval '1 hour'
               from certificates c, (select gen_random_uuid() as id) r where c.id = $1`,
            [rows.at(-1)!.id],
          );
        }),
      );
      expect(listed.length).toBe(rows.length - 3 + 1);
    },
    START_TIMEOUT,
  );

  it(
    'after the upgrade to schema 6, rows from before it count as unchanged and the writes after it are caught up',
    async () => {
      const before = await otherMatchesFreshBuild();
      // The database as it was before schema 6, then the upgrade.
      for (const statement of [
        'drop trigger certificates_list_revision on certificates',
        'drop trigger certificates_removed on certificates',
        'drop function certificate_list_revision',
        'drop function certificate_removed',
        'drop trigger workspaces_removals_start on workspaces',
        'drop function workspace_removals_start',
        'drop table certificate_removals',
        'alter table certificates drop column list_revision',
        'alter table workspaces drop column removals_from',
        'delete from schema_migrations where version = 6',
      ])
        await service.db.query(statement);
      expect(await migrate(service.db)).toEqual([6]);
      const [marks] = await service.db.query<{ changed: number | string; behind: number | string }>(
        `select (select count(*) from certificates where list_revision <> 0) as changed,
                (select count(*) from workspaces where removals_from <> revision) as behind`,
      );
      expect([Number(marks!.changed), Number(marks!.behind)], 'no row marked changed, no workspace behind its removals').toEqual([0, 0]);
      // An instance started on the upgraded database builds once, then catches up.
      await other.close();
      other = new ListCache();
      await otherMatchesFreshBuild();
      expect(other.counts.built).toBe(1);
      const rows = await caughtUpAfter(async () => {
        await relink(before[0]!.id, '0101');
        await remove(before[1]!.id);
      });
      expect(rows.map((r) => r.id)).toEqual([before[0]!.id, ...before.slice(2).map((r) => r.id)]);
    },
    START_TIMEOUT,
  );
  it(
    'an environment emptied and set up again is rebuilt, never caught up from an answer kept before it',
    async () => {
      const rows = await otherMatchesFreshBuild();
      expect(rows.length).toBeGreaterThan(0);
      // The environment's certificates and workspace row go (as with every row of a tenant's
      // environment removed), then it is set up again under the same tenant and gets one install.
      const listed = await rebuiltAfter(async () => {
        await service.db.transaction(async (tx) => {
          for (const table of ['certificates', 'workspaces'])
            await tx.query(`delete from ${table} where tenant_id = $1 and environment = 'producao'`, [caller.tenantId]);
        });
        expect((await call(service.url, 'POST', `${P}/workspace/setup`, { token, body: { kind: 'example' } })).status).toBe(200);
        await install('v42_other_company.pfx', '0101');
      });
      expect(listed.map((r) => r.id)).not.toContain(rows[0]!.id);
      expect(listed).toHaveLength(1);
    },
    START_TIMEOUT,
  );
});
