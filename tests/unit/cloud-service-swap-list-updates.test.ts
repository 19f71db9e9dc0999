/**
 * A swap changes list rows (the old certificate becomes `replaced`, the new one takes its links, a
 * new file adds a row), so the list cache follows it as it follows an install or an edit
 * (cloud-service/list-cache.ts `written`): after a swap now, its undo, a scheduled swap and the job
 * running it, the next list is the kept answer updated by the changed rows (no database build),
 * byte for byte what a cache that never saw the writes builds, with a new ETag — the tag held
 * before the write no longer answers 304. On PGlite and on a real PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowAt } from '@certdesk/shared/certificate-row';
import type { Caller } from '../../cloud-service/auth';
import type { CloudService } from '../../cloud-service/service';
import {
  call,
  ENGINES,
  installBody,
  START_TIMEOUT,
  testDatabase,
  type TestDatabase,
  startWithExampleTenant,
} from './helpers/cloud-service';
import { expectSameAsFreshBuild } from './helpers/fresh-build';

const P = '/environments/producao';

interface Row {
  id: string;
  status: string;
  links: { branch: string; module: string }[];
}

describe.each(ENGINES)('list answers updated by swaps (%s)', (engine) => {
  let db: TestDatabase;
  let service: CloudService;
  let token: string;
  let caller: Caller;
  let oldId: string;
  let clock = new Date('2044-12-10T12:00:00Z');

  beforeAll(async () => {
    db = await testDatabase(engine);
    ({ service, token, caller } = await startWithExampleTenant(db, { now: () => clock }));
    const installed = await call(service.url, 'POST', `${P}/certificates`, {
      token,
      body: await installBody('v01_default.pfx', [{ branch: '0001', modules: ['faturamento'] }]),
    });
    oldId = installed.data.certificate.id as string;
  }, START_TIMEOUT);
  afterAll(async () => {
    await service?.close();
    await db?.stop();
  });

  const counts = () => ({ ...service.workspace.listCache.counts });
  const list = (headers: Record<string, string> = {}) =>
    fetch(`${service.url}${P}/certificates`, { headers: { authorization: `Bearer ${token}`, ...headers } });

  /** The list over HTTP: its ETag, and its rows checked against a fresh build and the rows derived now. */
  async function listMatchesFreshBuild(): Promise<{ etag: string; rows: Row[] }> {
    const response = await list();
    expect(response.status).toBe(200);
    const etag = response.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const served = await service.workspace.listAnswer(caller, 'producao');
    await expectSameAsFreshBuild(served, service.db, caller, 'producao', clock);
    const rows = JSON.parse(served.body.toString('utf8')) as Row[];
    const derived = (await service.workspace.list(caller, 'producao')).map((view) => rowAt(view, clock));
    expect(rows, 'parsed: the rows derived from the database now').toEqual(derived);
    return { etag, rows };
  }

  /** `write` is a swap's step: the answer after it is the kept one updated, under a new tag. */
  async function afterWrite<T>(write: () => Promise<T>): Promise<{ result: T; rows: Row[] }> {
    const { etag } = await listMatchesFreshBuild(); // the answer is kept before the write
    expect((await list({ 'if-none-match': etag })).status, 'unchanged before the write: 304').toBe(304);
    const before = counts();
    const result = await write();
    const after = await listMatchesFreshBuild();
    expect(counts().built, 'no build from the database after the write').toBe(before.built);
    expect(counts().updated, 'the kept answer was updated by the write').toBe(before.updated + 1);
    expect(after.etag).not.toBe(etag);
    expect((await list({ 'if-none-match': etag })).status, 'the tag of before the write is no longer current').toBe(200);
    return { result, rows: after.rows };
  }

  const swap = async (scheduledFor: string | null) => {
    const { selection: _s, ...body } = await installBody('v25_rsa4096.pfx');
    return call(service.url, 'POST', `${P}/certificates/${oldId}/swap`, {
      token,
      body: { ...body, scheduledFor },
      operationId: 'swapCertificate',
    });
  };
  const byId = (rows: Row[], id: string) => rows.find((r) => r.id === id)!;

  it(
    'a swap now, its undo, a scheduled swap and the job running it each update the kept answer and its ETag',
    async () => {
      const now = await afterWrite(() => swap(null));
      expect(now.result.status).toBe(201);
      const newId = now.result.data.certificate.id as string;
      expect(
        now.rows.map((r) => r.id),
        'the new file is appended',
      ).toEqual([oldId, newId]);
      expect(byId(now.rows, oldId)).toMatchObject({ status: 'replaced', links: [] });
      expect(byId(now.rows, newId).links).toEqual([{ branch: '0001', module: 'faturamento' }]);

      const undone = await afterWrite(() =>
        call(service.url, 'POST', `${P}/swaps/${now.result.data.swap.id}/undo`, { token, operationId: 'undoSwap' }),
      );
      expect(undone.result.data.state).toBe('undone');
      expect(byId(undone.rows, oldId)).toMatchObject({ status: 'configured', links: [{ branch: '0001', module: 'faturamento' }] });
      expect(byId(undone.rows, newId).links).toEqual([]);

      // Scheduled to the certificate already installed: no row changes yet, but the revision moves.
      const scheduled = await afterWrite(() => swap('2044-12-10T13:00:00.000Z'));
      expect(scheduled.result.data.swap.state).toBe('pending');
      expect(scheduled.rows).toEqual(undone.rows);

      clock = new Date('2044-12-10T14:00:00Z'); // within the session's hours
      await listMatchesFreshBuild(); // re-derived at the new clock, kept
      const ran = await afterWrite(() => service.swaps.runDue(clock));
      expect(ran.result.ran.map((s) => s.state)).toEqual(['done']);
      expect(byId(ran.rows, oldId)).toMatchObject({ status: 'replaced', links: [] });
      expect(byId(ran.rows, newId).links).toEqual([{ branch: '0001', module: 'faturamento' }]);
    },
    START_TIMEOUT,
  );
});
