/** The cloud client against CertDesk Cloud (cloud-service/) and against servers that fail on purpose. */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudClient } from '#desktop/cloud-client';
import { certificateRow } from '@certdesk/shared/certificate-row';
import type { CloudService } from '../../cloud-service/service';
import { START_TIMEOUT, startTestService, testDatabase, type TestDatabase } from './helpers/cloud-service';
import { PASSWORD, pfx } from '../fixtures';

let db: TestDatabase;
let server: CloudService;
const faulty: Server[] = [];

beforeAll(async () => {
  db = await testDatabase('pglite');
  server = await startTestService(db, { demo: true });
}, START_TIMEOUT);
afterAll(async () => {
  await server.close();
  for (const s of faulty) s.close();
  await db.stop();
});

async function signedIn(login: string, password: string): Promise<CloudClient> {
  let token: string | null = null;
  const client = new CloudClient({ baseUrl: server.url, token: async () => token });
  token = (await client.signIn({ method: 'cloud', login, password })).token;
  return client;
}

/** A server that answers every request with `handler`, counting them. */
async function fake(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; count: () => number }> {
  let count = 0;
  const s = createServer((req, res) => {
    count++;
    handler!(req, res);
  });
  faulty.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(s.address() as { port: number }).port}/api/v1`, count: () => count };
}

describe('cloud client', () => {
  it('runs the management flow against CertDesk Cloud', async () => {
    const client = await signedIn('EXEMPLO.admin', 'Admin#2026');
    await client.setup('homologacao', { kind: 'example' });
    const { certificate, results } = await client.install('homologacao', {
      path: pfx('v01_default.pfx'),
      password: PASSWORD,
      selection: [{ branch: '0001', modules: ['faturamento', 'manifestacao'] }],
    });
    expect(results.map((r) => r.installed)).toEqual([true, false]);
    expect(results[1]!.observation?.code).toBe('MODULE_NOT_LICENSED');
    const edited = await client.edit('homologacao', certificate.id, [{ branch: '0002', modules: ['recebimento-cte'] }]);
    expect(edited.after).toEqual([{ branch: '0002', module: 'recebimento-cte' }]);
    // Contract 1.2: the list gives rows, `get` the full certificate (its inspection) — as on the embedded side.
    const full = await client.get('homologacao', certificate.id);
    expect(full.inspection?.privateKey.present).toBe(true);
    const rows = await client.list('homologacao');
    expect(rows).toEqual([certificateRow(full)]);
    // A 1.1 server answered full certificates to the list: the client keeps only the rows' fields.
    const older = await fake((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify([full])));
    expect(await new CloudClient({ baseUrl: older.url, token: async () => 't' }).list('homologacao')).toEqual(rows);
    expect((await client.history('homologacao', { limit: 5 })).entries.map((e) => e.action)).toEqual(['edit', 'install']);
    expect((await client.remove('homologacao', certificate.id)).served).toEqual(edited.after);
    await expect(client.get('homologacao', certificate.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('says 401 (sign in again) and 403 (read-only) in Portuguese', async () => {
    const anonymous = new CloudClient({ baseUrl: server.url, token: async () => null });
    await expect(anonymous.list('producao')).rejects.toMatchObject({
      code: 'CLOUD_UNAUTHENTICATED',
      message: expect.stringContaining('entre novamente'),
    });
    const reader = await signedIn('EXEMPLO.joao', 'Leitura#2026');
    await expect(
      reader.install('homologacao', { path: pfx('v42_other_company.pfx'), password: PASSWORD, selection: [] }),
    ).rejects.toMatchObject({
      code: 'CLOUD_FORBIDDEN',
      message: expect.stringContaining('modo de consulta'),
    });
    expect(await reader.list('homologacao')).toEqual([]); // nothing half-recorded
  });

  it('passes 409 through with its code and details', async () => {
    const client = await signedIn('EXEMPLO.admin', 'Admin#2026');
    const first = await client.install('homologacao', { path: pfx('v42_other_company.pfx'), password: PASSWORD, selection: [] });
    await expect(
      client.install('homologacao', { path: pfx('v42_other_company.pfx'), password: PASSWORD, selection: [] }),
    ).rejects.toMatchObject({
      code: 'DUPLICATE_CERTIFICATE',
      details: { existingId: first.certificate.id },
    });
  });

  it('retries idempotent calls on 5xx, never a POST, and reports the failure', async () => {
    const broken = await fake((_req, res) =>
      res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"code":"X","message":"falhou"}'),
    );
    const client = new CloudClient({ baseUrl: broken.url, token: async () => 't', backoffMs: 5 });
    await expect(client.list('producao')).rejects.toMatchObject({ code: 'CLOUD_SERVER', message: expect.stringContaining('HTTP 500') });
    expect(broken.count()).toBe(3);
    await expect(client.install('producao', { path: pfx('v01_default.pfx'), password: PASSWORD, selection: [] })).rejects.toMatchObject({
      code: 'CLOUD_SERVER',
    });
    expect(broken.count()).toBe(4); // the install was sent once: a retry could install twice
  });

  it('a stopped server, a slow one and malformed or off-contract answers each get a clear message', async () => {
    const stopped = new CloudClient({ baseUrl: 'http://127.0.0.1:9/api/v1', token: async () => 't', backoffMs: 5 });
    await expect(stopped.list('producao')).rejects.toMatchObject({ code: 'CLOUD_OFFLINE' });
    const slow = await fake(() => undefined);
    await expect(
      new CloudClient({ baseUrl: slow.url, token: async () => 't', timeoutMs: 200, retries: 0 }).list('producao'),
    ).rejects.toMatchObject({ code: 'CLOUD_TIMEOUT' });
    const garbage = await fake((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"certificates": ['));
    await expect(new CloudClient({ baseUrl: garbage.url, token: async () => 't' }).list('producao')).rejects.toMatchObject({
      code: 'CLOUD_BAD_RESPONSE',
    });
    const offContract = await fake((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('[{"id": 1}]'));
    await expect(new CloudClient({ baseUrl: offContract.url, token: async () => 't' }).list('producao')).rejects.toMatchObject({
      code: 'CLOUD_BAD_RESPONSE',
    });
  });
});
