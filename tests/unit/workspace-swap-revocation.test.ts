/**
 * "Substituir / Renovar" meets chain and revocation in the embedded workspace, against the CA
 * stand-in on 127.0.0.1 with real PFX files of its hierarchy, a real data folder and the real worker
 * pool: the new file is checked as an install checks it — a revoked one is refused and nothing of it
 * kept, a good one keeps its check — and a scheduled swap whose new certificate was found revoked in
 * the meantime fails instead of moving the links. The review before it (desktop/swap-review.ts)
 * says the new file's verdict: revoked is refused there already, "not checked" is shown, not refused.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '@certdesk/shared/contract';
import { certificateRow } from '@certdesk/shared/certificate-row';
import { PfxWorkerPool } from '@certdesk/core/pfx/worker-pool';
import { TrustService } from '@certdesk/core/trust/trust-service';
import { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import { reviewSwap, type SwapReviewer } from '#desktop/swap-review';
import { MemoryKeychain } from '../../stand-ins/memory-keychain';
import { startCaServer, type CaServer } from '../../stand-ins/ca-server';
import { CA_PFX_PASSWORD, caPfx, type CaCase } from '../../scripts/fixtures/ca-pki';

const P: Environment = 'producao';
const HOUR = 3_600_000;

describe('swaps checked for revocation in the embedded workspace', () => {
  let ca: CaServer;
  let pool: PfxWorkerPool;
  let dir: string;
  let clock: Date;
  let service: WorkspaceService;
  let oldId: string;
  let reviewer: SwapReviewer;

  async function file(name: CaCase): Promise<string> {
    const path = join(dir, `${name}.pfx`);
    await writeFile(path, caPfx(ca.pki, name, false));
    return path;
  }
  const swap = async (name: CaCase, scheduledFor: string | null = null) =>
    service.swap(P, oldId, { path: await file(name), password: CA_PFX_PASSWORD, scheduledFor });

  beforeAll(async () => {
    ca = await startCaServer();
    pool = new PfxWorkerPool(1);
    dir = await mkdtemp(join(tmpdir(), 'certdesk-swap-trust-'));
    clock = new Date();
    const trust = new TrustService({ dataDir: dir, online: true, now: () => clock, timeZone: 'America/Sao_Paulo' });
    reviewer = { open: (path, password) => pool.inspectWithCertificates(path, password, clock), evaluator: trust };
    service = new WorkspaceService({
      dataDir: dir,
      keychain: new MemoryKeychain(),
      inspect: (path, password) => pool.inspect(path, password, clock),
      now: () => clock,
      user: () => 'ana.admin',
      trust: { open: (path, password) => pool.inspectWithCertificates(path, password, clock), evaluator: trust },
    });
    await service.setup(P, { kind: 'example' });
    const installed = await service.install(P, {
      path: await file('valido'),
      password: CA_PFX_PASSWORD,
      selection: [{ branch: '0001', modules: ['faturamento'] }],
    });
    oldId = installed.certificate.id;
  }, 120_000);
  afterAll(async () => {
    await pool?.close();
    await ca?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the review says a revoked new file is revoked and refuses it there; "not checked" is shown, not refused; nothing is kept', async () => {
    const review = async (path: string) =>
      reviewSwap(service, await service.status(P), reviewer, { environment: P, id: oldId, path, password: CA_PFX_PASSWORD }, clock);
    const day = new Intl.DateTimeFormat('pt-BR', { timeZone: 'America/Sao_Paulo' }).format(ca.revokedAt);

    const revoked = await review(await file('revogado'));
    expect(revoked.trust).toMatchObject({ revocation: { status: 'revoked', code: 'REVOKED', source: 'crl', reason: 'keyCompromise' } });
    expect(revoked.refusal).toEqual({
      code: 'CERTIFICATE_REVOKED',
      message: `Certificado revogado em ${day} (comprometimento da chave): não pode substituir o certificado atual.`,
    });
    expect(revoked.sameCnpjRoot).toBe(true); // refused for the revocation alone

    const good = await review(await file('ocsp-valido'));
    expect(good.trust).toMatchObject({ chain: { status: 'unknown-root' }, revocation: { status: 'good', source: 'ocsp' } });
    expect(good.refusal).toBeNull();

    // Its CA unreachable: "not checked", and the swap may go on.
    const own = await startCaServer();
    const unreachable = join(dir, 'valido-ac-fechada.pfx');
    await writeFile(unreachable, caPfx(own.pki, 'valido', true));
    await own.close();
    const offline = await review(unreachable);
    expect(offline.trust!.revocation).toMatchObject({ status: 'unknown', code: 'UNCHECKED_OFFLINE' });
    expect(offline.refusal).toBeNull();

    expect(await service.list(P)).toHaveLength(1); // a review keeps nothing
    expect(await service.swaps(P)).toEqual([]);
  });

  it('refuses a revoked new file, fails a scheduled swap whose new certificate was revoked since, and keeps the check of a good one', async () => {
    await expect(swap('revogado')).rejects.toMatchObject({
      code: 'CERTIFICATE_REVOKED',
      message: expect.stringMatching(/^Certificado revogado em \d\d\/\d\d\/\d{4} \(comprometimento da chave\)/),
    });
    expect(await service.list(P)).toHaveLength(1);

    const scheduled = await swap('segundo-ponto', new Date(clock.getTime() + HOUR).toISOString());
    expect(scheduled.swap.state).toBe('pending');
    expect(scheduled.certificate.trust).toMatchObject({ revocation: { status: 'good' } });
    ca.revoke('segundo-ponto');
    clock = new Date(clock.getTime() + 24 * HOUR + 60_000); // a day later: the swap is due, the check too
    expect(await service.recheckRevocation(P)).toMatchObject({ newlyRevoked: 1 });
    const ran = await service.runDueSwaps(P);
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatchObject({
      state: 'failed',
      failure: { code: 'SWAP_BLOCKED', message: 'Não foi possível substituir: o novo certificado foi revogado.' },
    });
    const rows = (await service.list(P)).map(certificateRow);
    expect(rows.find((r) => r.id === oldId)).toMatchObject({ status: 'configured', links: [{ branch: '0001', module: 'faturamento' }] });
    expect(rows.find((r) => r.id === scheduled.certificate.id)).toMatchObject({ links: [], revoked: expect.any(Object) });

    const done = await swap('ocsp-valido');
    expect(done.swap.state).toBe('done');
    expect(done.certificate.trust).toMatchObject({ revocation: { status: 'good' } });
    expect((await service.get(P, done.certificate.id)).trust).toEqual(done.certificate.trust);
  });
});
