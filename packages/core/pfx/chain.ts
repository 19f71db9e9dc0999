/**
 * Chain order (leaf → root) from the certificates in the file, completed with the ICP-Brasil CA
 * certificates CertDesk ships (trust/icp-brasil-certificates.ts), and whether it reaches an
 * ICP-Brasil root — with every signature checked, not just names. Offline and synchronous: the
 * trust service (trust/trust-service.ts) completes a chain from AIA addresses when it may go online.
 */
import type { ChainLink } from '@certdesk/shared/contract';
import { commonNameOf, parseCertificate, type ParsedCertificate } from './certificate';
import { CertificatePool, PoolCertificate, fileCertificate, shippedPool } from '../trust/certificate-pool';
import { buildPath } from '../trust/chain-path';

export function buildChain(
  leaf: ParsedCertificate,
  inFile: ParsedCertificate[],
  now = new Date(),
): { links: ChainLink[]; icpBrasilRoot: string | null } {
  const parsed = new Map<PoolCertificate, ParsedCertificate>();
  const entryOf = (c: ParsedCertificate) => {
    const entry = c === leaf ? new PoolCertificate(c.der, 'file', null, c.x509) : fileCertificate(c.der, c.x509);
    parsed.set(entry, c);
    return entry;
  };
  // A certificate node:crypto read but whose DER our walker refuses is left out of the chain, not fatal.
  const entryOrNull = (c: ParsedCertificate) => {
    try {
      return entryOf(c);
    } catch {
      return null;
    }
  };
  const leafEntry = entryOrNull(leaf);
  if (!leafEntry) {
    return {
      links: [{ commonName: commonNameOf(leaf.subject), notAfter: leaf.notAfter.toISOString(), inFile: true }],
      icpBrasilRoot: null,
    };
  }
  const others = inFile.filter((c) => c !== leaf).map(entryOrNull);
  const file = new CertificatePool([leafEntry, ...others.filter((c): c is PoolCertificate => c !== null)]);
  const subjectOf = (link: PoolCertificate) => (parsed.get(link) ?? parseCertificate(link.der)).subject;
  const path = buildPath(leafEntry, [file, shippedPool()], now, false);
  const top = path.links[path.links.length - 1]!;
  return {
    // Names from our own reader (UTF-8 attributes as written), shipped CAs parsed once per thread.
    links: path.links.map((link) => ({
      commonName: commonNameOf(subjectOf(link)),
      notAfter: new Date(link.x509.validTo).toISOString(),
      inFile: link.source === 'file',
    })),
    icpBrasilRoot: path.status === 'icp-brasil' ? commonNameOf(subjectOf(top)) : null,
  };
}
