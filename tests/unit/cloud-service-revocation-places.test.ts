/**
 * An install never sits queued behind the trust engine's network places: with every place taken by
 * checks the network holds, the installs that find none within their wait answer from the cache,
 * never ask the network afterwards, and are left due for the background recheck — which checks
 * them once it runs. Outcomes only (who asked the network, what each row keeps), no timings.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CloudService } from '../../cloud-service/service';
import { NETWORK_PLACES } from '../../packages/core/trust/trust-service';
import { startCaServer, type CaServer } from '../../stand-ins/ca-server';
import { CA_PFX_PASSWORD, caPfx } from '../../scripts/fixtures/ca-pki';
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
/** One install per tenant (the per-tenant limit stays out of it), more than there are places. */
const TENANTS = NETWORK_PLACES + 4;

describe('installs when every network place is taken', () => {
  let db: TestDatabase;
  let ca: CaServer;
  let service: CloudService;
  const tokens: string[] = [];

  beforeAll(async () => {
    db = await testDatabase('pglite');
    ca = await startCaServer();
    // The recheck's timer starts an hour on: the test runs its turn itself. The real clock: the
    // stand-in's OCSP answers are dated from it.
    service = await startTestService(db, { now: () => new Date(), installCheckWaitMs: 1_000, revocationJob: { intervalMs: 3_600_000 } });
    for (let t = 0; t < TENANTS; t++) {
      await addTenant(service, `LUGAR${t}`);
      const token = await signIn(service.url, `LUGAR${t}.admin`, ADMIN_PASSWORD);
      await call(service.url, 'POST', `${P}/workspace/setup`, { token, body: { kind: 'example' }, operationId: 'setupWorkspace' });
      tokens.push(token);
    }
  }, START_TIMEOUT);
  afterAll(async () => {
    await service?.close();
    await ca?.close();
    await db?.stop();
  });

  const rows = () =>
    service.db.query<{ online: boolean; due: boolean }>(
      `select (report->>'online')::boolean as online, next_check_at <= $1 as due from certificate_trust`,
      [new Date()],
    );

  it('the installs that find no place answer from the cache and are due for the recheck; only the placed ones ask the network', async () => {
    const release = ca.hold();
    let answers;
    try {
      // The OCSP case: every online check asks the responder (nothing kept for it yet), which holds.
      answers = await Promise.all(
        tokens.map((token) =>
          call(service.url, 'POST', `${P}/certificates`, {
            token,
            body: {
              fileName: 'ocsp-valido.pfx',
              pfxBase64: caPfx(ca.pki, 'ocsp-valido', true).toString('base64'),
              password: CA_PFX_PASSWORD,
              selection: [{ branch: '0001', modules: ['faturamento'] }],
            },
            operationId: 'installCertificate',
          }),
        ),
      );
      // Every install answered while the network still held: each from the cache.
      for (const answer of answers) expect(answer).toMatchObject({ status: 201, data: { certificate: { trust: { online: false } } } });
      // Exactly one request per place reached the responder; the installs that found none never sent theirs.
      await vi.waitFor(() => expect(ca.hits.get('/ocsp')).toBe(NETWORK_PLACES), { timeout: 10_000, interval: 50 });
    } finally {
      release();
    }
    // The placed checks' answers are kept when the network answers …
    await vi.waitFor(async () => expect((await rows()).filter((r) => r.online)).toHaveLength(NETWORK_PLACES), {
      timeout: 30_000,
      interval: 100,
    });
    // … the others kept the cache's answer and are due at once, for the recheck (no late answer of their own).
    const unasked = (await rows()).filter((r) => !r.online);
    expect(unasked).toEqual(Array.from({ length: TENANTS - NETWORK_PLACES }, () => ({ online: false, due: true })));
    expect(ca.hits.get('/ocsp')).toBe(NETWORK_PLACES);
    // The recheck's turn checks exactly those, online (the responder's answer kept meanwhile serves them).
    expect(await service.revocationJob.turn()).toBe(TENANTS - NETWORK_PLACES);
    expect((await rows()).every((r) => r.online)).toBe(true);
  }, 120_000);
});
