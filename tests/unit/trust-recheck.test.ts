/**
 * What the background recheck asks of the engine, against the CA stand-in (a real HTTP server on
 * 127.0.0.1): the network or the cache per call, and kept answers downloaded again once older than
 * the recheck allows — a certificate revoked after its CRL was kept is seen revoked, the CRL is
 * downloaded once for many certificates, and a refresh that fails leaves the kept answer speaking.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaServer, type CaServer } from '../../stand-ins/ca-server';
import { TrustService } from '@certdesk/core/trust/trust-service';

let ca: CaServer;
let dataDir: string;

beforeAll(async () => {
  ca = await startCaServer();
  dataDir = await mkdtemp(join(tmpdir(), 'certdesk-recheck-'));
}, 120_000);
afterAll(async () => {
  await ca.close();
  await rm(dataDir, { recursive: true, force: true });
});

const hits = (path: string) => ca.hits.get(path) ?? 0;

describe('the recheck, engine side', () => {
  it('asks the network or only the cache per call, whatever the service was made with', async () => {
    const trust = new TrustService({ dataDir: join(dataDir, 'per-call'), online: false });
    const leaf = ca.pki.leaves['valido'].der;
    expect((await trust.evaluate(leaf)).revocation.code).toBe('UNCHECKED_NO_ISSUER'); // offline: the AC is only at its AIA address
    const online = await trust.evaluate(leaf, [], { online: true });
    expect(online).toMatchObject({ online: true, revocation: { code: 'NOT_REVOKED', crl: { fromCache: false } } });
    const cached = await trust.evaluate(leaf, [], { online: false });
    expect(cached).toMatchObject({ online: false, revocation: { code: 'NOT_REVOKED', crl: { fromCache: true } } });
    expect(cached.chain.links.map((l) => l.source)).toEqual(['file', 'aia', 'aia']);
  });

  it('a certificate revoked after its CRL was kept: the kept CRL still says good; a refresh says revoked, downloading once', async () => {
    const trust = new TrustService({ dataDir: join(dataDir, 'refresh'), online: true });
    const leaf = ca.pki.leaves['valido'].der;
    const withChain = [ca.pki.ac.der];
    expect((await trust.evaluate(leaf, withChain)).revocation.code).toBe('NOT_REVOKED');
    const revokedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    ca.revoke('valido', revokedAt);

    const before = hits('/lcr/ac-teste.crl');
    const kept = await trust.evaluate(leaf, withChain);
    expect(kept.revocation).toMatchObject({ code: 'NOT_REVOKED', crl: { fromCache: true } });
    expect(hits('/lcr/ac-teste.crl')).toBe(before);

    const refreshKeptBefore = new Date();
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await trust.evaluate(leaf, withChain, { refreshKeptBefore }));
    for (const report of answers) {
      expect(report.revocation).toMatchObject({ status: 'revoked', code: 'REVOKED', source: 'crl', revokedAt: revokedAt.toISOString() });
      expect(report.revocation.reason).toBe('keyCompromise');
    }
    expect(answers[0]!.revocation.crl!.fromCache).toBe(false);
    expect(answers[2]!.revocation.crl!.fromCache).toBe(true);
    // One download for the three checks: the copy fetched by the first is newer than refreshKeptBefore.
    expect(hits('/lcr/ac-teste.crl')).toBe(before + 1);
  });

  it('an OCSP answer kept "good" is asked again on a refresh and then says revoked', async () => {
    const trust = new TrustService({ dataDir: join(dataDir, 'ocsp'), online: true });
    const leaf = ca.pki.leaves['ocsp-valido'].der;
    expect((await trust.evaluate(leaf, [ca.pki.ac.der])).revocation).toMatchObject({ code: 'NOT_REVOKED', source: 'ocsp' });
    ca.revoke('ocsp-valido');
    expect((await trust.evaluate(leaf, [ca.pki.ac.der])).revocation).toMatchObject({ code: 'NOT_REVOKED', ocsp: { fromCache: true } });
    // The stand-in dates its answers an hour back: kept answers produced before now are asked again.
    const refreshed = await trust.evaluate(leaf, [ca.pki.ac.der], { refreshKeptBefore: new Date() });
    expect(refreshed.revocation).toMatchObject({ status: 'revoked', source: 'ocsp', ocsp: { fromCache: false } });
  });

  it('a refresh that cannot reach the CRL leaves the kept, current CRL answering, and says what failed', async () => {
    const own = await startCaServer();
    const trust = new TrustService({ dataDir: join(dataDir, 'unreachable'), online: true });
    const leaf = own.pki.leaves['valido'].der;
    const chain = [own.pki.ac.der];
    expect((await trust.evaluate(leaf, chain)).revocation.code).toBe('NOT_REVOKED');
    await own.close();
    const report = await trust.evaluate(leaf, chain, { refreshKeptBefore: new Date() });
    expect(report.revocation).toMatchObject({ status: 'good', code: 'NOT_REVOKED', crl: { fromCache: true } });
    const outcomes = report.revocation.attempts.filter((a) => a.url === `${own.url}/lcr/ac-teste.crl`).map((a) => a.outcome);
    expect(outcomes[0]).toBe('offline');
    expect(outcomes).toContain('cache');
  });
});
