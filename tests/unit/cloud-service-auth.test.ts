/**
 * Sign-in throttling, sessions in the database and the administration rules, on PGlite and on a real
 * PostgreSQL: a session survives a restart of the service; on PostgreSQL, a session opened on one
 * instance works on a second one and a sign-out on either ends it on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudService } from '../../cloud-service/service';
import { MAX_FAILURES } from '../../cloud-service/auth';
import { ADDRESS_SOFT_LIMIT } from '../../cloud-service/sign-in-throttle';
import { CloudClient } from '#desktop/cloud-client';
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

const LIST = '/environments/producao/certificates';
const wrong = (url: string, login: string, address: string) =>
  call(url, 'POST', '/auth/sign-in', {
    body: { method: 'cloud', login, password: 'senha-errada' },
    operationId: 'signIn',
    headers: { 'X-Forwarded-For': address },
  });

describe.each(ENGINES)('sign-in and sessions (%s)', (engine) => {
  let db: TestDatabase;
  let service: CloudService;

  beforeAll(async () => {
    db = await testDatabase(engine);
    // Behind a load balancer the address comes from X-Forwarded-For: the tests pick theirs.
    service = await startTestService(db, { trustedProxies: ['127.0.0.1'] });
    await addTenant(service, 'ALFA');
    await addTenant(service, 'BETA');
  }, START_TIMEOUT);
  afterAll(async () => {
    await service?.close();
    await db?.stop();
  });

  it(`locks a login after ${MAX_FAILURES} failures: 429 with Retry-After, even for the right password`, async () => {
    for (let i = 1; i <= MAX_FAILURES; i++)
      expect((await wrong(service.url, 'ALFA.leitor', `10.0.0.${i}`)).status, `attempt ${i}`).toBe(401);
    const locked = await call(service.url, 'POST', '/auth/sign-in', {
      body: { method: 'cloud', login: 'ALFA.leitor', password: READER_PASSWORD },
      operationId: 'signIn',
      headers: { 'X-Forwarded-For': '10.0.1.1' },
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.data.message).toMatch(/Muitas tentativas.*minuto/);
    // Another login from another address is not affected.
    expect(await signIn(service.url, 'ALFA.admin', ADMIN_PASSWORD, { 'X-Forwarded-For': '10.0.2.1' })).toBeTruthy();
  });

  it(`slows an address that fails ${ADDRESS_SOFT_LIMIT} times but never locks a colleague’s right password out`, async () => {
    for (let i = 1; i <= ADDRESS_SOFT_LIMIT + 2; i++) expect((await wrong(service.url, `BETA.u${i}`, '192.0.2.7')).status).toBe(401);
    // Behind the same address (a NAT, a load balancer), the right password still gets in.
    expect(await signIn(service.url, 'BETA.admin', ADMIN_PASSWORD, { 'X-Forwarded-For': '192.0.2.7' })).toBeTruthy();
  });

  it(`judges at most ${MAX_FAILURES} of 40 wrong passwords sent at once for one login`, async () => {
    const judged = async () =>
      (await service.metrics.registry.getSingleMetric('certdesk_cloud_passwords_judged_total')!.get()).values[0]!.value;
    const before = await judged();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => wrong(service.url, 'ALFA.admin', `203.0.113.${i + 1}`)));
    expect((await judged()) - before).toBeLessThanOrEqual(MAX_FAILURES);
    expect(answers.filter((a) => a.status === 401).length).toBeLessThanOrEqual(MAX_FAILURES);
    expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);
    expect(answers.filter((a) => a.status === 429).every((a) => Number(a.headers.get('retry-after')) > 0)).toBe(true);
  });

  it(
    'keeps sessions in the database: a token works after a restart; sign-out revokes it',
    async () => {
      const token = await signIn(service.url, 'BETA.leitor', READER_PASSWORD, { 'X-Forwarded-For': '198.51.100.1' });
      await service.close();
      service = await startTestService(db, { trustedProxies: ['127.0.0.1'] });
      expect((await call(service.url, 'GET', LIST, { token, operationId: 'listCertificates' })).status).toBe(200);
      expect((await call(service.url, 'POST', '/auth/sign-out', { token, operationId: 'signOut' })).status).toBe(204);
      expect((await call(service.url, 'GET', LIST, { token, operationId: 'listCertificates' })).status).toBe(401);
    },
    START_TIMEOUT,
  );

  it('requests arriving together are answered each for its own session: tenant, environment and revision, or 401', async () => {
    // Tenants of its own: the logins of the tests above may be locked by their failures.
    await addTenant(service, 'GAMA');
    await addTenant(service, 'DELTA');
    const gama = await signIn(service.url, 'GAMA.admin', ADMIN_PASSWORD, { 'X-Forwarded-For': '198.51.100.7' });
    const delta = await signIn(service.url, 'DELTA.leitor', READER_PASSWORD, { 'X-Forwarded-For': '198.51.100.7' });
    const ended = await signIn(service.url, 'DELTA.admin', ADMIN_PASSWORD, { 'X-Forwarded-For': '198.51.100.7' });
    for (const [token, env] of [
      [gama, 'producao'],
      [gama, 'homologacao'],
      [ended, 'producao'],
      [ended, 'homologacao'],
    ])
      expect((await call(service.url, 'POST', `/environments/${env}/workspace/setup`, { token, body: { kind: 'example' } })).status).toBe(
        200,
      );
    await call(service.url, 'POST', '/auth/sign-out', { token: ended, operationId: 'signOut' });
    const asks = [gama, delta, ended, 'nao-e-um-token'].flatMap((token) =>
      ['producao', 'homologacao'].map((env) => ({ token, path: `/environments/${env}/certificates` })),
    );
    // The list's ETag names the tenant and environment (hashed) and the revision the session read gave.
    const seen = async ({ token, path }: { token: string; path: string }) => {
      const answer = await call(service.url, 'GET', path, { token });
      return `${answer.status} ${answer.headers.get('etag')}`;
    };
    const alone: string[] = [];
    for (const ask of asks) alone.push(await seen(ask));
    expect(alone.filter((a) => a.startsWith('200 W/')).length).toBe(4);
    expect(new Set(alone.filter((a) => a.startsWith('200'))).size).toBe(4);
    expect(alone.filter((a) => a.startsWith('401'))).toHaveLength(4);
    const together = await Promise.all([...asks, ...asks, ...asks].map(seen));
    expect(together).toEqual([...alone, ...alone, ...alone]);
  });

  it(
    'expires sessions, and a disabled user is refused and loses open sessions',
    async () => {
      let now = new Date('2026-06-01T12:00:00Z');
      // PGlite is one process's database at a time: the clocked instance takes over from the other.
      await service.close();
      const clocked = await startTestService(db, { now: () => now, sessionHours: 1 });
      try {
        const token = await signIn(clocked.url, 'BETA.admin', ADMIN_PASSWORD);
        now = new Date('2026-06-01T13:00:01Z');
        expect((await call(clocked.url, 'GET', LIST, { token })).status).toBe(401);
        now = new Date('2026-06-01T12:00:00Z');
        const admin = await signIn(clocked.url, 'BETA.admin', ADMIN_PASSWORD);
        await clocked.tenants.disableUser('BETA.admin');
        expect((await call(clocked.url, 'GET', LIST, { token: admin })).status).toBe(401);
        // The right password learns the account is disabled (403 ACCOUNT_DISABLED); a wrong one learns nothing.
        const disabled = await call(clocked.url, 'POST', '/auth/sign-in', {
          body: { method: 'cloud', login: 'BETA.admin', password: ADMIN_PASSWORD },
          operationId: 'signIn',
        });
        expect(disabled.status).toBe(403);
        expect(disabled.data).toMatchObject({ code: 'ACCOUNT_DISABLED', message: expect.stringContaining('desativada') });
        const wrong = await call(clocked.url, 'POST', '/auth/sign-in', {
          body: { method: 'cloud', login: 'BETA.admin', password: 'not-the-password' },
          operationId: 'signIn',
        });
        expect(wrong.status).toBe(401);
        expect(JSON.stringify(wrong.data)).not.toContain('desativada');
        // The desktop's client says it in its own code, which the screens word ("conta desativada").
        const client = new CloudClient({ baseUrl: `${clocked.url}`, token: async () => null });
        await expect(client.signIn({ method: 'cloud', login: 'BETA.admin', password: ADMIN_PASSWORD })).rejects.toMatchObject({
          code: 'ACCOUNT_DISABLED',
        });
        await expect(client.signIn({ method: 'cloud', login: 'BETA.admin', password: 'not-the-password' })).rejects.toMatchObject({
          code: 'WRONG_PASSWORD',
        });
      } finally {
        await clocked.close();
        service = await startTestService(db, { trustedProxies: ['127.0.0.1'] });
      }
    },
    START_TIMEOUT,
  );
});

describe('two instances on one PostgreSQL', () => {
  let db: TestDatabase;
  let one: CloudService;
  let two: CloudService;

  beforeAll(async () => {
    db = await testDatabase('postgres');
    one = await startTestService(db);
    two = await startTestService(db);
    await addTenant(one, 'ALFA');
  }, START_TIMEOUT);
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await db?.stop();
  });

  it('a session opened on one instance works on the other, and a sign-out on either ends it on both', async () => {
    const token = await signIn(one.url, 'ALFA.admin', ADMIN_PASSWORD);
    expect(
      (
        await call(two.url, 'POST', '/environments/producao/workspace/setup', {
          token,
          body: { kind: 'example' },
          operationId: 'setupWorkspace',
        })
      ).status,
    ).toBe(200);
    expect((await call(one.url, 'GET', '/environments/producao/workspace', { token })).data.ready).toBe(true);
    expect((await call(two.url, 'POST', '/auth/sign-out', { token })).status).toBe(204);
    expect((await call(one.url, 'GET', LIST, { token })).status).toBe(401);
  });

  it('throttling counts failures from both instances together', async () => {
    for (let i = 0; i < MAX_FAILURES; i++) {
      const target = i % 2 ? one : two;
      expect(
        (await call(target.url, 'POST', '/auth/sign-in', { body: { method: 'cloud', login: 'ALFA.leitor', password: 'x' } })).status,
      ).toBe(401);
    }
    expect(
      (await call(one.url, 'POST', '/auth/sign-in', { body: { method: 'cloud', login: 'ALFA.leitor', password: READER_PASSWORD } })).status,
    ).toBe(429);
  });
});

describe('the client address behind load balancers', () => {
  let db: TestDatabase;
  let service: CloudService;
  beforeAll(async () => {
    db = await testDatabase('pglite');
    service = await startTestService(db, {
      trustedProxies: ['127.0.0.1', '10.0.0.0/8'],
      extraRoutes: (app) => app.get('/client-address', async (req) => ({ ip: req.ip })),
    });
  }, START_TIMEOUT);
  afterAll(async () => {
    await service?.close();
    await db?.stop();
  });

  it('is the rightmost X-Forwarded-For hop that is not a trusted proxy, never what the client wrote first', async () => {
    const ask = async (forwarded?: string) =>
      (
        (await (
          await fetch(`${service.url.replace(/\/api\/v1$/, '')}/client-address`, {
            headers: forwarded ? { 'X-Forwarded-For': forwarded } : {},
          })
        ).json()) as { ip: string }
      ).ip;
    expect(await ask()).toBe('127.0.0.1');
    expect(await ask('198.51.100.9')).toBe('198.51.100.9');
    // The client wrote "1.2.3.4"; the balancer at 10.1.1.1 appended the address it saw.
    expect(await ask('1.2.3.4, 198.51.100.9, 10.1.1.1')).toBe('198.51.100.9');
  });
});
