/**
 * "Substituir / Renovar" meets chain and revocation in CertDesk Cloud, against the CA stand-in on
 * 127.0.0.1, on PGlite and on a real PostgreSQL: the new file is checked as an install checks it —
 * a revoked one is refused and nothing of it is kept, a good one keeps its check — and a scheduled
 * swap whose new certificate was found revoked in the meantime fails instead of moving the links.
 * The review before it, made on the desktop against the cloud (desktop/swap-review.ts through the
 * CloudClient, nothing sent), refuses a revoked new file as the embedded workspace's review does.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudClient } from '#desktop/cloud-client';
import { reviewSwap } from '#desktop/swap-review';
import { PfxWorkerPool } from '@certdesk/core/pfx/worker-pool';
import { TrustService } from '@certdesk/core/trust/trust-service';
import type { CloudService } from '../../cloud-service/service';
import { startCaServer, type CaServer } from '../../stand-ins/ca-server';
import { CA_PFX_PASSWORD, caPfx, type CaCase } from '../../scripts/fixtures/ca-pki';
import {
  addTenant,
  ADMIN_PASSWORD,
  call,
  ENGINES,
  signIn,
  START_TIMEOUT,
  startTestService,
  testDatabase,
  type TestDatabase,
} from './helpers/cloud-service';

const P = '/environments/producao';
const DAY = 24 * 3_600_000;

describe.each(ENGINES)('swaps checked for revocation in the cloud (%s)', (engine) => {
  let db: TestDatabase;
  let ca: CaServer;
  let service: CloudService;
  let clock: Date;
  let admin: string;
  let oldId: string;

  const file = (name: CaCase) => ({
    fileName: `${name}.pfx`,
    pfxBase64: caPfx(ca.pki, name, false).toString('base64'),
    password: CA_PFX_PASSWORD,
  });
  const swap = (name: CaCase, scheduledFor: string | null = null) =>
    call(service.url, 'POST', `${P}/certificates/${oldId}/swap`, {
      token: admin,
      body: { ...file(name), scheduledFor },
      operationId: 'swapCertificate',
    });
  const list = () => call(service.url, 'GET', `${P}/certificates`, { token: admin, operationId: 'listCertificates' });

  beforeAll(async () => {
    db = await testDatabase(engine);
    ca = await startCaServer();
    clock = new Date();
    // Sessions outlive the day the clock moves forward; the revocation job is turned by hand.
    service = await startTestService(db, { now: () => clock, revocationJob: false, installCheckWaitMs: 2_000, sessionHours: 24 * 365 });
    await addTenant(service, 'ALFA');
    admin = await signIn(service.url, 'ALFA.admin', ADMIN_PASSWORD);
    await call(service.url, 'POST', `${P}/workspace/setup`, { token: admin, body: { kind: 'example' }, operationId: 'setupWorkspace' });
    const installed = await call(service.url, 'POST', `${P}/certificates`, {
      token: admin,
      body: { ...file('valido'), selection: [{ branch: '0001', modules: ['faturamento'] }] },
      operationId: 'installCertificate',
    });
    expect(installed.status).toBe(201);
    oldId = installed.data.certificate.id;
  }, START_TIMEOUT);
  afterAll(async () => {
    await service?.close();
    await ca?.close();
    await db?.stop();
  });

  it(
    'the review on the desktop says a revoked new file is revoked and refuses it, as the embedded one does; nothing is sent',
    async () => {
      // The desktop's side: its own data folder, engine and worker pool; the cloud only answers get and swaps.
      const desk = await mkdtemp(join(tmpdir(), 'certdesk-swap-review-'));
      const pool = new PfxWorkerPool(1);
      try {
        const trust = new TrustService({ dataDir: desk, online: true, now: () => clock, timeZone: 'America/Sao_Paulo' });
        const reviewer = {
          open: (path: string, password: string | null) => pool.inspectWithCertificates(path, password, clock),
          evaluator: trust,
        };
        const client = new CloudClient({ baseUrl: service.url, token: async () => admin });
        const review = async (name: CaCase) => {
          const path = join(desk, `${name}.pfx`);
          await writeFile(path, caPfx(ca.pki, name, false));
          const status = await client.status('producao');
          return reviewSwap(client, status, reviewer, { environment: 'producao', id: oldId, path, password: CA_PFX_PASSWORD }, clock);
        };
        const day = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo' }).format(ca.revokedAt);

        const revoked = await review('revogado');
        expect(revoked.trust).toMatchObject({ revocation: { status: 'revoked', code: 'REVOKED', reason: 'keyCompromise' } });
        expect(revoked.refusal).toEqual({
          code: 'CERTIFICATE_REVOKED',
          message: `Certificado revogado em ${day} (comprometimento da chave): não pode substituir o certificado atual.`,
        });
        expect(revoked.old.id).toBe(oldId);
        const good = await review('ocsp-valido');
        expect(good.trust).toMatchObject({ revocation: { status: 'good', source: 'ocsp' } });
        expect(good.refusal).toBeNull();
        expect((await list()).data).toHaveLength(1); // a review sends nothing
        expect((await client.swaps('producao')).length).toBe(0);
      } finally {
        await pool.close();
        await rm(desk, { recursive: true, force: true });
      }
    },
    START_TIMEOUT,
  );

  it(
    'refuses a revoked new file, fails a scheduled swap whose new certificate was revoked since, and keeps the check of a good one',
    async () => {
      const refused = await swap('revogado');
      expect(refused).toMatchObject({ status: 422, data: { code: 'CERTIFICATE_REVOKED' } });
      expect(refused.data.message).toMatch(/^Certificado revogado em \d\d\/\d\d\/\d{4} \(comprometimento da chave\)/);
      expect((await list()).data).toHaveLength(1);

      const scheduled = await swap('segundo-ponto', new Date(clock.getTime() + 3_600_000).toISOString());
      expect(scheduled.status).toBe(201);
      expect(scheduled.data.certificate.trust).toMatchObject({ revocation: { status: 'good' } });
      ca.revoke('segundo-ponto');
      clock = new Date(clock.getTime() + DAY + 60_000);
      expect(await service.revocationJob.turn()).toBeGreaterThanOrEqual(1);
      const { ran } = await service.swaps.runDue(clock);
      expect(ran).toHaveLength(1);
      // On a failure, say what the recheck kept for the new certificate (its list row and its details).
      const seen = async () => {
        const row = ((await list()).data as { id: string }[]).find((r) => r.id === scheduled.data.certificate.id);
        const details = await call(service.url, 'GET', `${P}/certificates/${scheduled.data.certificate.id}`, { token: admin });
        return JSON.stringify({ row, details: details.data });
      };
      if (ran[0]?.state !== 'failed')
        expect.fail(`the swap ran (${ran[0]?.state}) though its new certificate was revoked: ${await seen()}`);
      expect(ran[0]).toMatchObject({ state: 'failed', failure: { code: 'SWAP_BLOCKED' } });
      expect(ran[0]!.failure!.message).toBe('Não foi possível substituir: o novo certificado foi revogado.');
      const rows = (await list()).data as { id: string; status: string; links: unknown[]; revoked?: unknown }[];
      expect(rows.find((r) => r.id === oldId)).toMatchObject({ status: 'configured', links: [{ branch: '0001', module: 'faturamento' }] });
      expect(rows.find((r) => r.id === scheduled.data.certificate.id)).toMatchObject({ links: [], revoked: expect.any(Object) });

      const done = await swap('ocsp-valido');
      expect(done.status).toBe(201);
      expect(done.data.swap.state).toBe('done');
      expect(done.data.certificate.trust).toMatchObject({ revocation: { status: 'good' } });
      const full = await call(service.url, 'GET', `${P}/certificates/${done.data.certificate.id}`, {
        token: admin,
        operationId: 'getCertificate',
      });
      expect(full.data.trust).toEqual(done.data.certificate.trust);
    },
    START_TIMEOUT,
  );
});
