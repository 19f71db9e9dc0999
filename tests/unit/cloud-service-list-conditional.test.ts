/**
 * Conditional list requests (contract 1.6.0) on the built server (`node cloud-service/dist/server.js`,
 * PGlite, demo tenant): the list carries an ETag; the same tag in If-None-Match answers 304 with no
 * body until a write changes the revision; a tag of another environment or tenant, or a made-up
 * one, gets the full answer. Then the desktop's cloud client against the same server: it sends the
 * tag it holds, keeps its rows on 304 and takes the new ones after a write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudClient } from '#desktop/cloud-client';
import { PASSWORD, pfx } from '../fixtures';
import { startBuiltServer, type BuiltServer } from './helpers/built-cloud-server';
import {
  ADMIN_PASSWORD,
  call,
  installBody,
  READER_PASSWORD,
  START_TIMEOUT,
  TEST_KEK,
  testDatabase,
  type TestDatabase,
} from './helpers/cloud-service';

const H = '/environments/homologacao';

describe('conditional list requests on the built server', () => {
  let db: TestDatabase;
  let server: BuiltServer;
  let admin: string;

  const list = (token: string, headers: Record<string, string> = {}, path = `${H}/certificates`) =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const signIn = async (login: string, password: string) =>
    (await call(server.url, 'POST', '/auth/sign-in', { body: { method: 'cloud', login, password }, operationId: 'signIn' })).data
      .token as string;

  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startBuiltServer(['--data', db.dataDir, '--demo'], { CERTDESK_CLOUD_KEK: TEST_KEK.key.toString('base64') });
    admin = await signIn('EXEMPLO.admin', ADMIN_PASSWORD);
    expect((await call(server.url, 'POST', `${H}/workspace/setup`, { token: admin, body: { kind: 'example' } })).status).toBe(200);
  }, START_TIMEOUT);
  afterAll(async () => {
    if (server?.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited();
    }
    await db?.stop();
  });

  it('answers 304 to the current tag, the full list to any other, and a new tag after a write', async () => {
    const body = await installBody('v01_default.pfx', [{ branch: '0001', modules: ['faturamento'] }]);
    expect((await call(server.url, 'POST', `${H}/certificates`, { token: admin, body })).status).toBe(201);

    const first = await list(admin);
    expect(first.status).toBe(200);
    const tag = first.headers.get('etag')!;
    expect(tag).toMatch(/^W\/".+"$/);
    const rows = await first.json();
    expect(rows).toHaveLength(1);

    const unchanged = await list(admin, { 'if-none-match': tag });
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers.get('etag')).toBe(tag);
    expect(await unchanged.text()).toBe('');
    // The same tenant's read-only user holds the same list.
    const reader = await signIn('EXEMPLO.joao', READER_PASSWORD);
    expect((await list(reader, { 'if-none-match': `"x", ${tag}` })).status).toBe(304);

    // Not this list: another environment's path, a made-up tag.
    expect((await list(admin, { 'if-none-match': tag }, '/environments/producao/certificates')).status).toBe(200);
    expect((await list(admin, { 'if-none-match': 'W/"abc"' })).status).toBe(200);

    // A write: the tag held is no longer the current one.
    const second = await installBody('v42_other_company.pfx', [{ branch: '0101', modules: ['faturamento'] }]);
    expect((await call(server.url, 'POST', `${H}/certificates`, { token: admin, body: second })).status).toBe(201);
    const changed = await list(admin, { 'if-none-match': tag });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toHaveLength(2);
    const newTag = changed.headers.get('etag')!;
    expect(newTag).not.toBe(tag);
    expect((await list(admin, { 'if-none-match': newTag })).status).toBe(304);
  });

  it('the cloud client sends the tag it holds, keeps its rows on 304 and takes the new ones after a write', async () => {
    let token: string | null = null;
    const client = new CloudClient({ baseUrl: server.url, token: async () => token });
    token = (await client.signIn({ method: 'cloud', login: 'EXEMPLO.admin', password: ADMIN_PASSWORD })).token;

    const held = await client.listSince('homologacao', null);
    expect(held.unchanged).toBe(false);
    expect(held.etag).toMatch(/^W\/"/);
    const again = await client.listSince('homologacao', held);
    expect(again.unchanged).toBe(true);
    expect(again.items, 'the rows held, kept as they are').toBe(held.items);
    expect(again.etag).toBe(held.etag);

    const { certificate } = await client.install('homologacao', { path: pfx('v23_ecpf.pfx'), password: PASSWORD, selection: [] });
    const after = await client.listSince('homologacao', held);
    expect(after.unchanged).toBe(false);
    expect(after.items.map((r) => r.id)).toEqual([...held.items.map((r) => r.id), certificate.id]);
    expect(after.etag).not.toBe(held.etag);
    // Without a tag held (or from a server before 1.6) the list is asked as always.
    expect(await client.list('homologacao')).toEqual(after.items);
  });
});
