/**
 * What a certificate says about where its issuer, its CRL and its OCSP responder live, and the
 * key identifiers that pair it with its issuer. The extension list is framed (der-walk.ts); the
 * values of the four extensions wanted are read with @peculiar/asn1-x509, not by hand.
 */
import { createRequire } from 'node:module';
import type * as Schema from '@peculiar/asn1-schema';
import type * as X509 from '@peculiar/asn1-x509';
import { childrenOf, frameCertificate, valueOf } from './der-walk';

/**
 * The library, loaded on first use: the PFX workers import this module for every inspection but
 * need it only for a file whose chain has two candidate issuers of one name, and loading it cost
 * as much as loading the whole PKCS#12 engine.
 */
let library: { schema: typeof Schema; x509: typeof X509 } | null = null;
function asn1(): { schema: typeof Schema; x509: typeof X509 } {
  if (!library) {
    const require = createRequire(import.meta.url);
    library = { schema: require('@peculiar/asn1-schema') as typeof Schema, x509: require('@peculiar/asn1-x509') as typeof X509 };
  }
  return library;
}

export interface CertificatePointers {
  /** CRL distribution points (http/https URIs only), in the certificate's order. */
  crlUrls: string[];
  /** AIA id-ad-caIssuers (the issuer's certificate, DER or PKCS#7). */
  caIssuersUrls: string[];
  /** AIA id-ad-ocsp. */
  ocspUrls: string[];
  subjectKeyId: string | null;
  authorityKeyId: string | null;
}

/** Only plain web addresses are followed: an ldap:// or file: pointer in a certificate is ignored. */
const isWebUrl = (url: string | undefined): url is string => !!url && /^https?:\/\/[^\s]+$/i.test(url);

const hex = (value: ArrayBuffer | undefined) => (value ? Buffer.from(value).toString('hex') : null);

/** The four extensions read here, by their OID's DER content (compared as bytes, before any parsing). */
const WANTED = {
  cdp: '551d1f', // 2.5.29.31
  aia: '2b06010505070101', // 1.3.6.1.5.5.7.1.1
  ski: '551d0e', // 2.5.29.14
  aki: '551d23', // 2.5.29.35
} as const;

/**
 * Only those extensions' values go to the library: parsing the whole certificate into the library's
 * tree (names, key, every extension) cost ~1 ms a certificate — most of a scan's trust check.
 */
export function pointersOf(der: Buffer): CertificatePointers {
  const pointers: CertificatePointers = { crlUrls: [], caIssuersUrls: [], ocspUrls: [], subjectKeyId: null, authorityKeyId: null };
  const { extensions } = frameCertificate(der);
  if (!extensions) return pointers;
  const { AsnConvert } = asn1().schema;
  const { AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, CRLDistributionPoints, SubjectKeyIdentifier, id_ad_caIssuers, id_ad_ocsp } =
    asn1().x509;
  const [list] = childrenOf(der, extensions);
  for (const extension of list ? childrenOf(der, list) : []) {
    const parts = childrenOf(der, extension);
    const id = parts[0] ? der.toString('hex', parts[0].valueStart, parts[0].end) : '';
    const value = parts[parts.length - 1];
    if (!value || value.tag !== 0x04) continue;
    const bytes = valueOf(der, value);
    if (id === WANTED.cdp) {
      for (const point of AsnConvert.parse(bytes, CRLDistributionPoints)) {
        for (const name of point.distributionPoint?.fullName ?? []) {
          if (isWebUrl(name.uniformResourceIdentifier)) pointers.crlUrls.push(name.uniformResourceIdentifier);
        }
      }
    } else if (id === WANTED.aia) {
      for (const access of AsnConvert.parse(bytes, AuthorityInfoAccessSyntax)) {
        const url = access.accessLocation.uniformResourceIdentifier;
        if (!isWebUrl(url)) continue;
        if (access.accessMethod === id_ad_caIssuers) pointers.caIssuersUrls.push(url);
        if (access.accessMethod === id_ad_ocsp) pointers.ocspUrls.push(url);
      }
    } else if (id === WANTED.ski) {
      pointers.subjectKeyId = hex(AsnConvert.parse(bytes, SubjectKeyIdentifier).buffer);
    } else if (id === WANTED.aki) {
      pointers.authorityKeyId = hex(AsnConvert.parse(bytes, AuthorityKeyIdentifier).keyIdentifier?.buffer);
    }
  }
  return pointers;
}
