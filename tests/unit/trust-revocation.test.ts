/**
 * Chain completion and revocation against the CA stand-in (stand-ins/ca-server.ts), a real HTTP
 * server on 127.0.0.1: each case of its hierarchy, OCSP, AIA (DER and PKCS#7), and the private cache.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaServer, type CaServer } from '../../stand-ins/ca-server';
import type { CaCase } from '../../scripts/fixtures/ca-pki';
import { TrustService } from '@certdesk/core/trust/trust-service';
import { isRecheckDue } from '@certdesk/core/trust/revocation';
import { fetchBytes, FetchError } from '@certdesk/core/trust/http-get';
import { brDateTime as brDateTimeIn } from './helpers/brazil-date-time';

const TZ = 'America/Sao_Paulo';
const brDateTime = (iso: string | Date) => brDateTimeIn(iso, TZ);
const brDate = (iso: string | Date) => brDateTime(iso).slice(0, 10);

let ca: CaServer;
let dataDir: string;
let trust: TrustService;

beforeAll(async () => {
  ca = await startCaServer();
  dataDir = await mkdtemp(join(tmpdir(), 'certdesk-trust-'));
  trust = new TrustService({ dataDir, online: true, timeZone: TZ });
}, 120_000);
afterAll(async () => {
  await ca.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The leaf alone, as a PFX that carries no chain would give it: the ACs come from AIA. */
const leafOf = (name: CaCase) => ca.pki.leaves[name].der;

describe('revocation against the CA stand-in (online)', () => {
  it('a certificate no CRL lists: "Não revogado (LCR de …)", with the CRL dates and the chain completed from AIA', async () => {
    const report = await trust.evaluate(leafOf('valido'));
    expect(report.revocation).toMatchObject({
      status: 'good',
      code: 'NOT_REVOKED',
      source: 'crl',
      revokedAt: null,
      crl: { url: `${ca.url}/lcr/ac-teste.crl`, thisUpdate: ca.thisUpdate.toISOString(), nextUpdate: ca.nextUpdate.toISOString() },
    });
    expect(report.revocation.message).toBe(`Não revogado (LCR de ${brDateTime(ca.thisUpdate)})`);
    expect(Date.parse(report.revocation.checkedAt)).toBeGreaterThan(0);
    // Not current past the CRL's nextUpdate, and never more than a day away.
    expect(Date.parse(report.revocation.nextCheckAt)).toBeLessThanOrEqual(Math.min(ca.nextUpdate.getTime(), Date.now() + 86_400_000));
    expect(report.chain).toMatchObject({
      status: 'unknown-root',
      path: 'AC Teste CertDesk → Raiz de Teste CertDesk',
      links: [
        { source: 'file', url: null },
        { commonName: 'AC Teste CertDesk', source: 'aia', url: `${ca.url}/aia/ac-teste.cer` },
        { commonName: 'Raiz de Teste CertDesk', source: 'aia', url: `${ca.url}/aia/raiz.cer` },
      ],
    });
    expect(report.chain.message).toMatch(/^Não chega a uma raiz ICP-Brasil conhecida: termina em Raiz de Teste CertDesk/);
  });

  it('a revoked certificate: date and reason from the CRL entry; the issuer came from a PKCS#7 AIA file', async () => {
    const report = await trust.evaluate(leafOf('revogado'));
    expect(report.revocation).toMatchObject({
      status: 'revoked',
      code: 'REVOKED',
      source: 'crl',
      revokedAt: ca.revokedAt.toISOString(),
      reasonCode: 1,
      reason: 'keyCompromise',
    });
    expect(report.revocation.message).toBe(`Revogado em ${brDate(ca.revokedAt)} (comprometimento da chave)`);
    expect(report.chain.links[1]).toMatchObject({ source: 'aia', url: `${ca.url}/aia/ac-teste.p7b` });
  });

  it('a CRL past its nextUpdate cannot say "not revoked"', async () => {
    const { revocation } = await trust.evaluate(leafOf('lcr-vencida'));
    expect(revocation).toMatchObject({ status: 'unknown', code: 'UNCHECKED_CRL_EXPIRED', source: null });
    expect(Date.parse(revocation.crl!.nextUpdate!)).toBeLessThan(Date.now());
    expect(revocation.message).toBe(
      `Não verificado — a LCR publicada venceu em ${brDateTime(revocation.crl!.nextUpdate!)} (LCR de ${brDateTime(revocation.crl!.thisUpdate)}).`,
    );
  });

  it('a CRL whose signature does not verify is refused, and says why', async () => {
    const { revocation } = await trust.evaluate(leafOf('assinatura-invalida'));
    expect(revocation).toMatchObject({ status: 'unknown', code: 'UNCHECKED_CRL_INVALID', crl: null });
    expect(revocation.attempts).toEqual([
      {
        url: `${ca.url}/lcr/assinatura-invalida.crl`,
        source: 'crl',
        outcome: 'invalid',
        detail: 'a assinatura da LCR não confere com a AC emissora',
      },
    ]);
  });

  it('finds one revoked serial among the ~100,000 entries of a 5 MB CRL', async () => {
    const { revocation } = await trust.evaluate(leafOf('lcr-grande'));
    expect(revocation).toMatchObject({ code: 'REVOKED', reasonCode: 4, reason: 'superseded', crl: { url: `${ca.url}/lcr/grande.crl` } });
    const big = await fetchBytes({
      url: `${ca.url}/lcr/grande.crl`,
      budget: { maxBytes: 64 * 1024 * 1024, timeoutMs: 30_000, maxRedirects: 0 },
    });
    expect(big.length).toBeGreaterThanOrEqual(5 * 1024 * 1024);
  });

  it('an unreachable first distribution point: the second one answers', async () => {
    const { revocation } = await trust.evaluate(leafOf('segundo-ponto'));
    expect(revocation).toMatchObject({ code: 'NOT_REVOKED', crl: { url: `${ca.url}/lcr/ac-teste.crl` } });
    expect(revocation.attempts.map((a) => [a.url, a.outcome])).toEqual([
      [`${ca.unreachableUrl}/lcr/ac-teste.crl`, 'offline'],
      [`${ca.url}/lcr/ac-teste.crl`, expect.stringMatching(/^(ok|cache)$/)],
    ]);
  });

  it('OCSP: a responder that says "revoked" decides, signed by a delegated responder the AC issued', async () => {
    const { revocation } = await trust.evaluate(leafOf('ocsp-revogado'));
    expect(revocation).toMatchObject({
      status: 'revoked',
      code: 'REVOKED',
      source: 'ocsp',
      revokedAt: ca.revokedAt.toISOString(),
      reason: 'keyCompromise',
      ocsp: { url: `${ca.url}/ocsp`, fromCache: false },
    });
    expect(revocation.message).toBe(`Revogado em ${brDate(ca.revokedAt)} (comprometimento da chave)`);
  });

  it('OCSP "good": "Não revogado (OCSP de …)"', async () => {
    const { revocation } = await trust.evaluate(leafOf('ocsp-valido'));
    expect(revocation).toMatchObject({
      status: 'good',
      code: 'NOT_REVOKED',
      source: 'ocsp',
      ocsp: { producedAt: ca.thisUpdate.toISOString() },
    });
    expect(revocation.message).toBe(`Não revogado (OCSP de ${brDateTime(ca.thisUpdate)})`);
  });

  it('a certificate that names no CRL and no OCSP responder', async () => {
    const { revocation } = await trust.evaluate(leafOf('sem-pontos'), [ca.pki.ac.der]);
    expect(revocation).toMatchObject({ code: 'UNCHECKED_NO_SOURCE', message: 'Não verificado — o certificado não indica LCR nem OCSP.' });
  });

  it('fetches stop at their byte budget', async () => {
    const error = await fetchBytes({
      url: `${ca.url}/lcr/grande.crl`,
      budget: { maxBytes: 1024 * 1024, timeoutMs: 30_000, maxRedirects: 0 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).failure).toBe('too-large');
  });
});

describe('offline, and the cache', () => {
  let server: CaServer;
  let folder: string;
  beforeAll(async () => {
    server = await startCaServer({ bigCrlBytes: 10_000 });
    folder = await mkdtemp(join(tmpdir(), 'certdesk-trust-offline-'));
  }, 120_000);
  afterAll(async () => {
    await server.close().catch(() => undefined);
    await rm(folder, { recursive: true, force: true });
  });

  it('answers from the kept CRL after the server is gone; without one it says "não verificado", never waits', async () => {
    const chain = [server.pki.ac.der, server.pki.root.der];
    const online = new TrustService({ dataDir: folder, online: true, timeZone: TZ });
    expect((await online.evaluate(server.pki.leaves.valido.der, chain)).revocation.code).toBe('NOT_REVOKED');
    expect((await online.evaluate(server.pki.leaves.revogado.der, chain)).revocation.code).toBe('REVOKED');
    const hits = server.hits.get('/lcr/ac-teste.crl');
    await server.close();

    const offline = new TrustService({ dataDir: folder, online: false, timeZone: TZ });
    const kept = await offline.evaluate(server.pki.leaves.valido.der, chain);
    expect(kept.revocation).toMatchObject({ code: 'NOT_REVOKED', crl: { fromCache: true, thisUpdate: server.thisUpdate.toISOString() } });
    expect(kept.revocation.message).toBe(`Não revogado (LCR de ${brDateTime(server.thisUpdate)})`);
    expect(kept.revocation.attempts).toEqual([{ url: `${server.url}/lcr/ac-teste.crl`, source: 'crl', outcome: 'cache', detail: null }]);
    expect(server.hits.get('/lcr/ac-teste.crl')).toBe(hits);

    const empty = await mkdtemp(join(tmpdir(), 'certdesk-trust-empty-'));
    try {
      const none = await new TrustService({ dataDir: empty, online: false }).evaluate(server.pki.leaves.valido.der, chain);
      expect(none.revocation).toMatchObject({ status: 'unknown', code: 'UNCHECKED_OFFLINE', crl: null });
      expect(none.revocation.message).toBe('Não verificado — sem conexão; nenhuma LCR guardada.');
      // Online but the server is gone: the same honest answer, after a refused connection (no hang).
      const gone = await new TrustService({ dataDir: empty, online: true }).evaluate(server.pki.leaves.valido.der, chain);
      expect(gone.revocation.code).toBe('UNCHECKED_OFFLINE');
      expect(gone.revocation.attempts.map((a) => a.outcome)).toEqual(['offline', 'offline']); // both distribution points
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('a kept CRL past nextUpdate: "não verificado" with its date offline — but a revocation it lists still counts', async () => {
    const later = new Date(server.nextUpdate.getTime() + 3_600_000);
    const offline = new TrustService({ dataDir: folder, online: false, timeZone: TZ, now: () => later });
    const chain = [server.pki.ac.der, server.pki.root.der];
    const stale = await offline.evaluate(server.pki.leaves.valido.der, chain);
    expect(stale.revocation).toMatchObject({ code: 'UNCHECKED_OFFLINE', crl: { fromCache: true } });
    expect(stale.revocation.message).toBe(`Não verificado — sem conexão; última LCR de ${brDateTime(server.thisUpdate)}.`);
    expect(isRecheckDue(stale.revocation, later)).toBe(false);
    expect(isRecheckDue(stale.revocation, new Date(later.getTime() + 3_600_000))).toBe(true);
    const revoked = await offline.evaluate(server.pki.leaves.revogado.der, chain);
    expect(revoked.revocation).toMatchObject({ code: 'REVOKED', revokedAt: server.revokedAt.toISOString() });
  });
});

describe('many certificates of one AC at once (a scan)', () => {
  it('share one download of the CRL and of the AC certificate', async () => {
    const server = await startCaServer({ bigCrlBytes: 10_000 });
    const folder = await mkdtemp(join(tmpdir(), 'certdesk-trust-shared-'));
    try {
      const service = new TrustService({ dataDir: folder, online: true });
      const leaves = [...Array(20).fill(server.pki.leaves.valido.der), ...Array(5).fill(server.pki.leaves['segundo-ponto'].der)];
      const reports = await Promise.all(leaves.map((leaf: Buffer) => service.evaluate(leaf)));
      expect(reports.every((r) => r.revocation.code === 'NOT_REVOKED')).toBe(true);
      expect(server.hits.get('/lcr/ac-teste.crl')).toBe(1);
      expect(server.hits.get('/aia/ac-teste.cer')).toBe(1);
      expect(server.hits.get('/aia/raiz.cer')).toBe(1);
    } finally {
      await server.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
