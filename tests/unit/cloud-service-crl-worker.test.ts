/**
 * CertDesk Cloud reads every CRL in its PFX workers, never on its event loop: against the CA
 * stand-in on 127.0.0.1 and its 5 MB CRL, the bytes leave the calling thread (their buffer is
 * handed over), the workers' count of CRLs read moves, and the answers are the ones the same rule
 * gives on the calling thread — accepted with the same entries, refused with the same reasons.
 * A CRL kept on disk is read back in a worker as well. A CRL past its time limit gives the honest
 * "Não verificado" of an unreadable one, at install too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrlError } from '@certdesk/core/trust/crl-index';
import { readCrlHere } from '@certdesk/core/trust/crl-store';
import { PoolCertificate } from '@certdesk/core/trust/certificate-pool';
import { UploadInspector } from '../../cloud-service/upload-inspector';
import type { CloudService } from '../../cloud-service/service';
import { startCaServer, type CaServer } from '../../stand-ins/ca-server';
import { CA_PFX_PASSWORD, caPfx, serialOf, type CaCase } from '../../scripts/fixtures/ca-pki';
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

describe('CRLs read in the cloud’s workers', () => {
  let ca: CaServer;
  let issuer: PoolCertificate;
  let inspector: UploadInspector;
  const crl = async (path: string) => Buffer.from(await (await fetch(`${ca.url}/lcr/${path}`)).arrayBuffer());
  /** The message the calling thread's reader refuses `bytes` with. */
  const refusalHere = (bytes: Buffer, by = issuer) =>
    readCrlHere(bytes, by).then(
      () => null,
      (error: unknown) => (error as Error).message,
    );

  beforeAll(async () => {
    ca = await startCaServer();
    issuer = new PoolCertificate(ca.pki.ac.der, 'file');
    inspector = new UploadInspector({ workers: 2 });
  }, START_TIMEOUT);
  afterAll(async () => {
    await inspector?.close();
    await ca?.close();
  });

  it('reads the 5 MB CRL in a worker: the bytes are handed over, and the lookups answer as on this thread', async () => {
    const bytes = await crl('grande.crl');
    expect(bytes.length).toBeGreaterThan(5 * 1024 * 1024);
    const here = await readCrlHere(Buffer.from(bytes), issuer);
    const sent = Buffer.from(bytes); // a buffer of its own, so that it is handed over whole
    const reading = inspector.readCrl(sent, issuer);
    // Handed over by transfer at once: this thread no longer holds the bytes it would parse.
    expect(sent.buffer.byteLength).toBe(0);
    const read = await reading;
    expect(inspector.crlReads).toEqual({ accepted: 1, refused: 0, failed: 0 });

    expect(read.size).toBe(here.size);
    expect(read.size).toBeGreaterThan(100_000);
    expect(read.bytes).toBe(bytes.length);
    expect(read.encoded.equals(bytes)).toBe(true);
    expect(read.thisUpdate).toEqual(here.thisUpdate);
    expect(read.nextUpdate).toEqual(here.nextUpdate);
    const listed = serialOf('lcr-grande').toString(16);
    expect(read.lookup(listed)).toEqual(here.lookup(listed));
    expect(read.lookup(listed)).toMatchObject({ reasonCode: 4 });
    expect(read.lookup(serialOf('valido').toString(16))).toBeNull();
    // The index read there still checks its signature here.
    expect(read.verify(issuer.x509.publicKey)).toBe(true);
  });

  it('refuses what this thread refuses, with the same reasons: bad signature, another AC, not a CRL', async () => {
    const badSignature = await crl('assinatura-invalida.crl');
    const acCrl = await crl('ac-teste.crl');
    const notCrl = Buffer.from('isto não é uma LCR, só texto');
    const root = new PoolCertificate(ca.pki.root.der, 'file');
    const cases: [Buffer, PoolCertificate][] = [
      [badSignature, issuer],
      [acCrl, root],
      [notCrl, issuer],
    ];
    for (const [bytes, by] of cases) {
      const expected = await refusalHere(bytes, by);
      expect(expected).toBeTruthy();
      const refused = await inspector.readCrl(Buffer.from(bytes), by).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(CrlError);
      expect((refused as CrlError).message).toBe(expected);
    }
    expect(await refusalHere(badSignature)).toBe('a assinatura da LCR não confere com a AC emissora');
    expect(inspector.crlReads).toMatchObject({ refused: 3, failed: 0 });
  });

  it('a CRL past its time limit ends its worker and is refused as unreadable; the next one is read', async () => {
    const hasty = new UploadInspector({ workers: 2, crlTimeoutMs: 1 });
    try {
      const refused = await hasty.readCrl(await crl('grande.crl'), issuer).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(CrlError);
      expect((refused as CrlError).message).toBe('a leitura da LCR passou de 0,001 s e foi interrompida');
      expect(hasty.crlReads).toEqual({ accepted: 0, refused: 0, failed: 1 });
      expect(hasty.timedOut()).toBe(1);
    } finally {
      await hasty.close();
    }
    expect((await inspector.readCrl(await crl('ac-teste.crl'), issuer)).lookup(serialOf('revogado').toString(16))).not.toBeNull();
  });
});

describe('revocation at install with the CRLs read in workers', () => {
  let ca: CaServer;
  let db: TestDatabase;
  let hastyDb: TestDatabase;
  let service: CloudService;
  let hasty: CloudService;

  /** A tenant with its example workspace; its administrator's token. */
  const tenantOn = async (target: CloudService, code: string) => {
    await addTenant(target, code);
    const token = await signIn(target.url, `${code}.admin`, ADMIN_PASSWORD);
    await call(target.url, 'POST', `${P}/workspace/setup`, { token, body: { kind: 'example' }, operationId: 'setupWorkspace' });
    return token;
  };
  const tokens = new Map<CloudService, string>();
  const install = (target: CloudService, name: CaCase) =>
    call(target.url, 'POST', `${P}/certificates`, {
      token: tokens.get(target)!,
      body: {
        fileName: `${name}.pfx`,
        pfxBase64: caPfx(ca.pki, name, false).toString('base64'),
        password: CA_PFX_PASSWORD,
        selection: [{ branch: '0001', modules: ['faturamento'] }],
      },
      operationId: 'installCertificate',
    });
  const crlReads = async (target: CloudService) =>
    Object.fromEntries(
      (await target.metrics.registry.getSingleMetric('certdesk_cloud_crl_reads_total')!.get()).values.map((v) => [
        v.labels.outcome,
        v.value,
      ]),
    );

  beforeAll(async () => {
    ca = await startCaServer();
    db = await testDatabase('pglite');
    service = await startTestService(db, { now: () => new Date(), revocationJob: false });
    tokens.set(service, await tenantOn(service, 'ALFA'));
    // Its own data folder, so its CRL cache is empty: the 5 MB CRL is downloaded and read again.
    hastyDb = await testDatabase('pglite');
    hasty = await startTestService(hastyDb, { now: () => new Date(), revocationJob: false, inspection: { crlTimeoutMs: 1 } });
    tokens.set(hasty, await tenantOn(hasty, 'BETA'));
  }, START_TIMEOUT);
  afterAll(async () => {
    await hasty?.close();
    await service?.close();
    await ca?.close();
    await db?.stop();
    await hastyDb?.stop();
  });

  it('answers as before: revoked in the 5 MB CRL, not revoked, bad signature, past nextUpdate — each CRL counted as read by a worker', async () => {
    const revoked = await install(service, 'lcr-grande');
    expect(revoked).toMatchObject({ status: 422, data: { code: 'CERTIFICATE_REVOKED' } });
    expect(revoked.data.message).toMatch(/^Certificado revogado em \d\d\/\d\d\/\d{4} \(substituído\): não pode ser instalado\.$/);
    expect(await crlReads(service)).toMatchObject({ accepted: 1 });

    const good = await install(service, 'valido');
    expect(good.data.certificate.trust.revocation).toMatchObject({ status: 'good', code: 'NOT_REVOKED', source: 'crl' });
    const badSignature = await install(service, 'assinatura-invalida');
    expect(badSignature.data.certificate.trust.revocation).toMatchObject({
      status: 'unknown',
      code: 'UNCHECKED_CRL_INVALID',
      message: 'Não verificado — a LCR obtida não é válida: a assinatura da LCR não confere com a AC emissora.',
    });
    const expired = await install(service, 'lcr-vencida');
    expect(expired.data.certificate.trust.revocation).toMatchObject({ status: 'unknown', code: 'UNCHECKED_CRL_EXPIRED' });
    // ac-teste.crl (valido), grande.crl, vencida.crl read and accepted; assinatura-invalida.crl refused.
    expect(await crlReads(service)).toMatchObject({ accepted: 3, refused: 1, failed: 0 });
  });

  it('a CRL kept on disk is read back in a worker too: another instance on the same folder answers from it offline', async () => {
    await service.close();
    service = await startTestService(db, { now: () => new Date(), revocationJob: false });
    const leaf = ca.pki.leaves['lcr-grande'].der;
    const report = await service.trust.evaluator.evaluate(leaf, [ca.pki.ac.der, ca.pki.root.der], { online: false });
    expect(report.revocation).toMatchObject({ status: 'revoked', source: 'crl', crl: { fromCache: true } });
    expect(await crlReads(service)).toEqual({ accepted: 1, refused: 0, failed: 0 });
  });

  it('a CRL past its time limit: the install goes on with "Não verificado", as for a CRL that cannot be read', async () => {
    const answer = await install(hasty, 'lcr-grande');
    expect(answer.status).toBe(201);
    expect(answer.data.certificate.trust.revocation).toMatchObject({
      status: 'unknown',
      code: 'UNCHECKED_CRL_INVALID',
      message: 'Não verificado — a LCR obtida não é válida: a leitura da LCR passou de 0,001 s e foi interrompida.',
    });
    expect(await crlReads(hasty)).toMatchObject({ accepted: 0, failed: 1 });
  });
});
