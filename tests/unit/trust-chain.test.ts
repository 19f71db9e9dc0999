/**
 * Chains of real ICP-Brasil certificates against the set CertDesk ships, offline; the shipped set
 * itself; the addresses and key identifiers read from certificates; and the private cache's folder rules (0700/0600, links not followed).
 */
import { X509Certificate } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrustService } from '@certdesk/core/trust/trust-service';
import { ICP_BRASIL_CERTIFICATES, ICP_BRASIL_SET_DATE, ICP_BRASIL_SET_SOURCE } from '@certdesk/core/trust/icp-brasil-certificates';
import { PrivateCache } from '@certdesk/core/trust/private-cache';
import { pointersOf } from '@certdesk/core/trust/certificate-pointers';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  Certificate,
  CRLDistributionPoints,
  id_ad_caIssuers,
  id_ad_ocsp,
  id_ce_authorityKeyIdentifier,
  id_ce_cRLDistributionPoints,
  id_ce_subjectKeyIdentifier,
  id_pe_authorityInfoAccess,
  SubjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { startCaServer, type CaServer } from '../../stand-ins/ca-server';

const PUBLIC = resolve(import.meta.dirname, '../fixtures/public');
const pemToDer = (pem: string) => Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, ''), 'base64');

describe('the ICP-Brasil set CertDesk ships', () => {
  it('holds every root in force (v5, v10, v11, v12) and the ACs, with its source and date', () => {
    const certs = ICP_BRASIL_CERTIFICATES.map((c) => new X509Certificate(Buffer.from(c.der, 'base64')));
    const roots = certs.filter((c) => c.subject === c.issuer).map((c) => /CN=(.*)/.exec(c.subject)![1]);
    for (const version of ['v5', 'v10', 'v11', 'v12']) expect(roots).toContain(`Autoridade Certificadora Raiz Brasileira ${version}`);
    expect(certs.every((c) => c.ca)).toBe(true);
    expect(certs.length).toBeGreaterThan(150);
    // The ACs the issue names as failing before: Serasa, Valid, Soluti, SERPRO, Safeweb.
    for (const name of ['Serasa', 'VALID', 'SOLUTI', 'SERPRO', 'SAFEWEB']) {
      expect(certs.some((c) => new RegExp(name, 'i').test(c.subject))).toBe(true);
    }
    expect(ICP_BRASIL_SET_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(ICP_BRASIL_SET_SOURCE).toMatch(/ACcompactado/);
  });
});

describe('the addresses and key identifiers a certificate carries', () => {
  it('reads a real e-CPF leaf as OpenSSL shows it: three CRLs in order, the AC by AIA, no OCSP, its AC key id', async () => {
    const der = await readFile(join(PUBLIC, 'icp-brasil/e-CPF_123456-leaf.cer'));
    expect(pointersOf(der)).toEqual({
      crlUrls: [
        'http://www.digitalsigncertificadora.com.br/repositorio/rfb/ACDIGITALSIGNRFB.crl',
        'http://www.digitaltrust.com.br/repositorio/rfb/ACDIGITALSIGNRFB.crl',
        'http://repositorio.icpbrasil.gov.br/lcr/DigitalSign/ACDIGITALSIGNRFB.crl',
      ],
      caIssuersUrls: ['http://www.digitalsigncertificadora.com.br/repositorio/rfb/ACDIGITALSIGNRFB.p7b'],
      ocspUrls: [],
      subjectKeyId: null,
      authorityKeyId: 'e765347468118e02e1840536bf2a47808a095dfe',
    });
  });

  it('reads what @peculiar/asn1-x509 reads, for every shipped AC and the e-CPF leaf', async () => {
    // The library's reading of the same four extensions, as the engine did before framing them.
    const library = (der: Buffer) => {
      const pointers = {
        crlUrls: [] as string[],
        caIssuersUrls: [] as string[],
        ocspUrls: [] as string[],
        subjectKeyId: null as string | null,
        authorityKeyId: null as string | null,
      };
      const cert = AsnConvert.parse(der, Certificate);
      const hex = (value: ArrayBuffer | undefined) => (value ? Buffer.from(value).toString('hex') : null);
      const web = (url: string | undefined): url is string => !!url && /^https?:\/\/[^\s]+$/i.test(url);
      for (const extension of cert.tbsCertificate.extensions ?? []) {
        const value = extension.extnValue.buffer;
        if (extension.extnID === id_ce_cRLDistributionPoints)
          for (const point of AsnConvert.parse(value, CRLDistributionPoints))
            pointers.crlUrls.push(...(point.distributionPoint?.fullName ?? []).map((n) => n.uniformResourceIdentifier).filter(web));
        if (extension.extnID === id_pe_authorityInfoAccess)
          for (const access of AsnConvert.parse(value, AuthorityInfoAccessSyntax)) {
            const url = access.accessLocation.uniformResourceIdentifier;
            if (web(url) && access.accessMethod === id_ad_caIssuers) pointers.caIssuersUrls.push(url);
            if (web(url) && access.accessMethod === id_ad_ocsp) pointers.ocspUrls.push(url);
          }
        if (extension.extnID === id_ce_subjectKeyIdentifier)
          pointers.subjectKeyId = hex(AsnConvert.parse(value, SubjectKeyIdentifier).buffer);
        if (extension.extnID === id_ce_authorityKeyIdentifier)
          pointers.authorityKeyId = hex(AsnConvert.parse(value, AuthorityKeyIdentifier).keyIdentifier?.buffer);
      }
      return pointers;
    };
    const certificates = [
      ...ICP_BRASIL_CERTIFICATES.map((c) => Buffer.from(c.der, 'base64')),
      await readFile(join(PUBLIC, 'icp-brasil/e-CPF_123456-leaf.cer')),
    ];
    expect(certificates.filter((der) => pointersOf(der).crlUrls.length > 0).length).toBeGreaterThan(100);
    for (const der of certificates) expect(pointersOf(der)).toEqual(library(der));
  });

  it('pairs every shipped AC with its issuer by key identifier, and refuses a damaged extension instead of reading past it', () => {
    const shipped = ICP_BRASIL_CERTIFICATES.map((c) => Buffer.from(c.der, 'base64'));
    const subjects = new Set(shipped.map((der) => pointersOf(der).subjectKeyId));
    const paired = shipped.filter((der) => {
      const { authorityKeyId } = pointersOf(der);
      return authorityKeyId !== null && subjects.has(authorityKeyId);
    });
    // Roots name themselves; a few ACs are issued by an AC CertDesk does not ship.
    expect(paired.length).toBeGreaterThan(shipped.length * 0.9);
    const der = Buffer.from(shipped.find((d) => pointersOf(d).crlUrls.length > 0)!);
    // The CRL extension's OID, then its OCTET STRING: the SEQUENCE inside it made to claim more
    // bytes than the OCTET STRING holds (its length's last byte raised by the room left).
    const at = der.indexOf(Buffer.from('0603551d1f', 'hex'));
    const octets = at + 5 + (der[at + 5] === 0x01 ? 3 : 0);
    expect(der[octets]).toBe(0x04);
    const inner = octets + (der[octets + 1]! & 0x80 ? 2 + (der[octets + 1]! & 0x7f) : 2);
    expect(der[inner]).toBe(0x30);
    const lengthBytes = der[inner + 1]! & 0x80 ? der[inner + 1]! & 0x7f : 0;
    const last = inner + 1 + lengthBytes;
    expect(der[last]! + 1, 'room to raise the length').toBeLessThan(0x80);
    der[last] = der[last]! + 1;
    expect(() => pointersOf(der)).toThrow(/DER truncada/);
  });
});

describe('real ICP-Brasil certificates, offline', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'certdesk-trust-real-'));
  });
  afterAll(async () => rm(folder, { recursive: true, force: true }));

  it('an AC absent from the shipped set completes to Raiz v5 through the shipped ACs, every signature checked', async () => {
    const der = pemToDer(await readFile(join(PUBLIC, 'icp-brasil/Serasa_AC_v5.crt'), 'latin1'));
    const { chain } = await new TrustService({ dataDir: folder }).evaluate(der);
    expect(chain).toMatchObject({
      status: 'icp-brasil',
      path: 'SERASA Autoridade Certificadora Principal v5 → Raiz v5',
      message: 'Cadeia ICP-Brasil: SERASA Autoridade Certificadora Principal v5 → Raiz v5',
      root: 'Autoridade Certificadora Raiz Brasileira v5',
      missing: null,
    });
    expect(chain.links.map((l) => l.source)).toEqual(['file', 'shipped', 'shipped']);
  });

  it('a leaf whose AC is not shipped: incomplete, naming the AC and the address its AIA gives; no network offline', async () => {
    const der = await readFile(join(PUBLIC, 'icp-brasil/e-CPF_123456-leaf.cer'));
    const report = await new TrustService({ dataDir: folder }).evaluate(der);
    const aia = 'http://www.digitalsigncertificadora.com.br/repositorio/rfb/ACDIGITALSIGNRFB.p7b';
    expect(report.chain).toMatchObject({
      status: 'incomplete',
      path: '',
      missing: { issuer: 'AC DIGITALSIGN RFB', urls: [aia], fetchError: null },
    });
    expect(report.chain.message).toBe(
      `Cadeia incompleta: falta o certificado de «AC DIGITALSIGN RFB», emissor de «ADEMIR ALVES HENRIQUE:80767940130»; pode ser obtido em ${aia} (sem consulta à rede)`,
    );
    expect(report.revocation).toMatchObject({ code: 'UNCHECKED_NO_ISSUER', attempts: [] });
  });
});

describe('the private cache', () => {
  let ca: CaServer;
  let folder: string;
  beforeAll(async () => {
    ca = await startCaServer({ bigCrlBytes: 10_000 });
    folder = await mkdtemp(join(tmpdir(), 'certdesk-trust-cache-'));
  }, 120_000);
  afterAll(async () => {
    await ca.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps CRLs, OCSP answers and AIA certificates in 0700 folders as 0600 files named by hash', async () => {
    await new TrustService({ dataDir: folder, online: true }).evaluate(ca.pki.leaves['ocsp-valido'].der);
    await new TrustService({ dataDir: folder, online: true }).evaluate(ca.pki.leaves.valido.der);
    const root = join(folder, 'trust-cache');
    expect((await stat(root)).mode & 0o777).toBe(0o700);
    for (const kind of ['crl', 'ocsp', 'aia']) {
      expect((await stat(join(root, kind))).mode & 0o777).toBe(0o700);
      const files = await readdir(join(root, kind));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        expect(file).toMatch(/^[0-9a-f]{64}\.der$/);
        expect((await stat(join(root, kind, file))).mode & 0o777).toBe(0o600);
      }
    }
  });

  it('does not follow a link planted in place of its folder', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'certdesk-trust-elsewhere-'));
    const planted = await mkdtemp(join(tmpdir(), 'certdesk-trust-planted-'));
    try {
      await mkdir(join(planted, 'trust-cache'), { mode: 0o700 });
      await symlink(elsewhere, join(planted, 'trust-cache', 'crl'));
      const cache = new PrivateCache(join(planted, 'trust-cache'));
      await expect(cache.write('crl', 'http://x/a.crl', Buffer.from('x'))).rejects.toThrow(/não é uma pasta comum/);
      expect(await cache.read('crl', 'http://x/a.crl', 1024)).toBeNull();
      // The verdict still comes (from the network), and nothing was written through the link.
      const report = await new TrustService({ dataDir: planted, online: true }).evaluate(ca.pki.leaves.valido.der);
      expect(report.revocation.code).toBe('NOT_REVOKED');
      expect(await readdir(elsewhere)).toEqual([]);
      expect((await lstat(join(planted, 'trust-cache', 'crl'))).isSymbolicLink()).toBe(true);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
      await rm(planted, { recursive: true, force: true });
    }
  });
});
