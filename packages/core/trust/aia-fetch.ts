/**
 * The issuer's certificate from an AIA caIssuers address: a DER or PEM certificate, or a PKCS#7
 * "certs-only" bundle (.p7b/.p7c, what many ICP-Brasil ACs publish). Kept in the private cache by
 * address; what it holds is only a candidate — the chain builder still checks the signatures.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { ContentInfo, id_signedData } from '@peculiar/asn1-cms';
import { childrenOf, readTlv } from './der-walk';
import { PoolCertificate } from './certificate-pool';
import { fetchBytes, type FetchBudget } from './http-get';
import type { PrivateCache } from './private-cache';

export const AIA_BUDGET: FetchBudget = { maxBytes: 1024 * 1024, timeoutMs: 10_000, maxRedirects: 3 };
/** A bundle with more certificates than this is not an AC's issuer file. */
const MAX_BUNDLE_CERTIFICATES = 20;

/** The certificates in an AIA answer (DER/PEM certificate or PKCS#7), or [] when it holds none we can read. */
export function certificatesInAia(bytes: Buffer, url: string): PoolCertificate[] {
  const text = bytes.subarray(0, 64).toString('latin1');
  if (text.includes('-----BEGIN')) {
    const blocks = bytes.toString('latin1').match(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g) ?? [];
    return blocks.slice(0, MAX_BUNDLE_CERTIFICATES).flatMap((block) => {
      const der = Buffer.from(block.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----|\s/g, ''), 'base64');
      return certificatesInAia(der, url);
    });
  }
  try {
    const cert = new PoolCertificate(Buffer.from(bytes), 'aia', url);
    void cert.x509; // parsed now: a PKCS#7 bundle must not pass for a certificate
    return [cert];
  } catch {
    // not a certificate: perhaps PKCS#7
  }
  try {
    const info = AsnConvert.parse(bytes, ContentInfo);
    if (info.contentType !== id_signedData) return [];
    // The certificates exactly as published (re-encoding could change the signed bytes): framed, not rebuilt.
    const outer = readTlv(bytes, 0);
    const [, explicit] = childrenOf(bytes, outer);
    const signedData = childrenOf(bytes, explicit!)[0]!;
    const certificates = childrenOf(bytes, signedData).find((c) => c.tag === 0xa0);
    if (!certificates) return [];
    return childrenOf(bytes, certificates)
      .slice(0, MAX_BUNDLE_CERTIFICATES)
      .filter((c) => c.tag === 0x30)
      .flatMap((c) => {
        try {
          const cert = new PoolCertificate(Buffer.from(bytes.subarray(c.start, c.end)), 'aia', url);
          void cert.x509;
          return [cert];
        } catch {
          return [];
        }
      });
  } catch {
    return [];
  }
}

/** Certificates from `url`: the cache first, the network when allowed. Throws FetchError when the network fails. */
export async function fetchAia(url: string, cache: PrivateCache | null, online: boolean): Promise<PoolCertificate[]> {
  const cached = cache ? await cache.read('aia', url, AIA_BUDGET.maxBytes) : null;
  if (cached) {
    const found = certificatesInAia(cached, url);
    if (found.length > 0) return found;
  }
  if (!online) return [];
  const bytes = await fetchBytes({ url, budget: AIA_BUDGET, accept: 'application/pkix-cert, application/pkcs7-mime, */*' });
  const found = certificatesInAia(bytes, url);
  if (found.length > 0 && cache) await cache.write('aia', url, bytes).catch(() => undefined); // a cache that cannot be written costs a download next time
  return found;
}
