/**
 * What a certificate says about where its issuer, its CRL and its OCSP responder live, and the
 * key identifiers that pair it with its issuer. Read by framing (der-walk.ts), not with
 * @peculiar/asn1-x509: the four structures are a few nested sequences, and the library's tree cost
 * ~0.1–0.15 ms a certificate — a tenth of CertDesk Cloud's trust check at install, paid for every
 * leaf (docs/DECISIONS.md, "Cloud under load: an install's writes in one statement").
 */
import { childrenOf, DerError, frameCertificate, readTlv, valueOf, type Tlv } from './der-walk';

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
const isWebUrl = (url: string): boolean => /^https?:\/\/[^\s]+$/i.test(url);

/**
 * The four extensions read here, by their OID's DER content (compared as bytes, before any parsing),
 * with the outer tag of each one's value: SEQUENCE, but an OCTET STRING for the subject key identifier.
 */
const WANTED: Record<string, { extension: 'cdp' | 'aia' | 'ski' | 'aki'; tag: number }> = {
  '551d1f': { extension: 'cdp', tag: 0x30 }, // 2.5.29.31
  '2b06010505070101': { extension: 'aia', tag: 0x30 }, // 1.3.6.1.5.5.7.1.1
  '551d0e': { extension: 'ski', tag: 0x04 }, // 2.5.29.14
  '551d23': { extension: 'aki', tag: 0x30 }, // 2.5.29.35
};

const CA_ISSUERS = '2b06010505073002'; // id-ad-caIssuers, 1.3.6.1.5.5.7.48.2
const OCSP = '2b06010505073001'; // id-ad-ocsp, 1.3.6.1.5.5.7.48.1

/** GeneralName's uniformResourceIdentifier: [6] IMPLICIT IA5String. */
const URI = 0x86;

/** The web addresses among GeneralNames (other kinds of name are skipped). */
function webUrls(der: Buffer, names: Tlv[]): string[] {
  return names
    .filter((n) => n.tag === URI)
    .map((n) => der.toString('latin1', n.valueStart, n.end))
    .filter(isWebUrl);
}

/**
 * CRLDistributionPoints: SEQUENCE OF DistributionPoint { distributionPoint [0] { fullName [0]
 * GeneralNames | nameRelativeToCRLIssuer [1] }, reasons [1], cRLIssuer [2] } — only fullName's
 * addresses name a CRL to download.
 */
function crlUrls(der: Buffer, value: Tlv): string[] {
  const urls: string[] = [];
  for (const point of childrenOf(der, value)) {
    const name = childrenOf(der, point).find((part) => part.tag === 0xa0);
    const fullName = name ? childrenOf(der, name).find((part) => part.tag === 0xa0) : undefined;
    if (fullName) urls.push(...webUrls(der, childrenOf(der, fullName)));
  }
  return urls;
}

/**
 * Every structure is framed within its parent (der-walk throws on a length past its end), so a
 * damaged extension makes the whole answer fail — the callers then treat the certificate as having
 * no pointers — rather than read past it.
 */
export function pointersOf(der: Buffer): CertificatePointers {
  const pointers: CertificatePointers = { crlUrls: [], caIssuersUrls: [], ocspUrls: [], subjectKeyId: null, authorityKeyId: null };
  const { extensions } = frameCertificate(der);
  if (!extensions) return pointers;
  const [list] = childrenOf(der, extensions);
  for (const extension of list ? childrenOf(der, list) : []) {
    const parts = childrenOf(der, extension);
    const id = parts[0] ? der.toString('hex', parts[0].valueStart, parts[0].end) : '';
    const wrapper = parts[parts.length - 1];
    if (!wrapper || wrapper.tag !== 0x04) continue;
    const wanted = WANTED[id];
    if (!wanted) continue;
    // The extension's value: a DER element of the structure's type at the start of the OCTET STRING
    // (bytes after it are ignored, as the library did).
    const value = readTlv(der, wrapper.valueStart, wrapper.end);
    if (value.tag !== wanted.tag) throw new DerError('extensão com valor inválido');
    if (wanted.extension === 'cdp') pointers.crlUrls.push(...crlUrls(der, value));
    else if (wanted.extension === 'aia') {
      for (const access of childrenOf(der, value)) {
        const [method, location] = childrenOf(der, access);
        if (method?.tag !== 0x06 || !location) continue;
        const oid = der.toString('hex', method.valueStart, method.end);
        const [url] = webUrls(der, [location]);
        if (url && oid === CA_ISSUERS) pointers.caIssuersUrls.push(url);
        if (url && oid === OCSP) pointers.ocspUrls.push(url);
      }
    } else if (wanted.extension === 'ski') {
      pointers.subjectKeyId = valueOf(der, value).toString('hex');
    } else {
      const keyId = childrenOf(der, value).find((part) => part.tag === 0x80); // keyIdentifier [0] IMPLICIT
      if (keyId) pointers.authorityKeyId = valueOf(der, keyId).toString('hex');
    }
  }
  return pointers;
}
