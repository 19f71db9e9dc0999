/**
 * Chain order (leaf → root) from the certificates in the file, completed with the ICP-Brasil CA
 * certificates CertDesk ships, and whether it reaches an ICP-Brasil root — with every signature
 * checked, not just names.
 */
import type { ChainLink } from '@certdesk/shared/contract';
import { commonNameOf, parseCertificate, type ParsedCertificate } from './certificate';
import { ICP_BRASIL_CERTIFICATES } from './icp-roots';

let shipped: ParsedCertificate[] | null = null;

/** Parsed once, on first use: most inspections never need them. */
function shippedCertificates(): ParsedCertificate[] {
  shipped ??= ICP_BRASIL_CERTIFICATES.map((b64) => parseCertificate(Buffer.from(b64, 'base64')));
  return shipped;
}

function signedBy(cert: ParsedCertificate, issuer: ParsedCertificate): boolean {
  if (!cert.x509.checkIssued(issuer.x509)) return false;
  try {
    return cert.x509.verify(issuer.x509.publicKey);
  } catch {
    return false; // a key verify() cannot use (unknown algorithm, damaged) proves no issuance
  }
}

function isSelfSigned(cert: ParsedCertificate): boolean {
  return signedBy(cert, cert);
}

export function buildChain(leaf: ParsedCertificate, inFile: ParsedCertificate[]): { links: ChainLink[]; icpBrasilRoot: string | null } {
  const chain: { cert: ParsedCertificate; inFile: boolean }[] = [{ cert: leaf, inFile: true }];
  const used = new Set<ParsedCertificate>([leaf]);
  const shippedFingerprints = new Set(shippedCertificates().map((c) => c.der.toString('base64')));
  let current = leaf;
  let verified = true;
  while (!isSelfSigned(current) && chain.length < 10) {
    const fromFile = inFile.find((c) => !used.has(c) && current.x509.checkIssued(c.x509));
    const issuer = fromFile ?? shippedCertificates().find((c) => !used.has(c) && current.x509.checkIssued(c.x509));
    if (!issuer) break;
    if (!signedBy(current, issuer)) verified = false;
    chain.push({ cert: issuer, inFile: !!fromFile });
    used.add(issuer);
    current = issuer;
  }
  const top = chain[chain.length - 1]!.cert;
  const reachesIcp = verified && isSelfSigned(top) && shippedFingerprints.has(top.der.toString('base64'));
  return {
    links: chain.map(({ cert, inFile: present }) => ({
      commonName: commonNameOf(cert.subject),
      notAfter: cert.notAfter.toISOString(),
      inFile: present,
    })),
    icpBrasilRoot: reachesIcp ? commonNameOf(top.subject) : null,
  };
}
