/**
 * Path building as a browser does it: from the leaf, up through issuers found in the file, then in
 * the shipped ICP-Brasil set, then among certificates fetched from AIA addresses; each step proven
 * by the signature (names alone prove nothing). Synchronous: fetching what is missing is the
 * caller's business (trust-service.ts), which then builds again.
 */
import { CertificatePool, PoolCertificate, shippedPool } from './certificate-pool';

/** Longest chain followed: ICP-Brasil has 3–4 levels; a loop or a hostile file stops here. */
export const MAX_CHAIN_LENGTH = 10;

export type ChainStatus =
  /** Every signature verified up to a self-signed root CertDesk ships. */
  | 'icp-brasil'
  /** Ends at a self-signed root that is not ICP-Brasil's. */
  | 'unknown-root'
  /** An issuer is missing (see `missing`). */
  | 'incomplete'
  /** A certificate with the issuer's name was found, but no signature verifies with its key. */
  | 'bad-signature';

export interface ChainPath {
  /** Leaf first. */
  links: PoolCertificate[];
  status: ChainStatus;
  /** The issuer that could not be found: its name and where the last certificate says it can be fetched. */
  missing: { issuer: string; urls: string[] } | null;
}

/** Candidates in the order to try: pools in order, each sorted by key identifier match, then validity. */
function candidatesFor(cert: PoolCertificate, pools: CertificatePool[], used: Set<PoolCertificate>, now: Date): PoolCertificate[] {
  const out: PoolCertificate[] = [];
  for (const pool of pools) {
    const found = pool.issuersOf(cert).filter((c) => !used.has(c));
    if (found.length < 2) {
      out.push(...found); // nothing to order: key identifiers are not read (nor the library loaded)
      continue;
    }
    const score = (c: PoolCertificate) => {
      const wanted = cert.ids.authority;
      const keyMatch = wanted && c.ids.subject === wanted ? 2 : 0;
      const valid = new Date(c.x509.validFrom) <= now && now <= new Date(c.x509.validTo) ? 1 : 0;
      return keyMatch + valid;
    };
    out.push(...found.sort((a, b) => score(b) - score(a) || Date.parse(b.x509.validTo) - Date.parse(a.x509.validTo)));
  }
  return out;
}

/** `addresses`: read the AIA address of a missing issuer (the trust service does; the offline inspection has no use for it). */
export function buildPath(leaf: PoolCertificate, pools: CertificatePool[], now = new Date(), addresses = true): ChainPath {
  const caIssuersOf = (cert: PoolCertificate): string[] => (addresses ? (cert.pointers?.caIssuersUrls ?? []) : []);
  const links = [leaf];
  const used = new Set<PoolCertificate>([leaf]);
  let current = leaf;
  while (links.length < MAX_CHAIN_LENGTH) {
    if (current.selfSigned) {
      const status = shippedPool().has(current.der) ? 'icp-brasil' : 'unknown-root';
      return { links, status, missing: null };
    }
    const candidates = candidatesFor(current, pools, used, now);
    const issuer = candidates.find((c) => current.signedBy(c));
    if (!issuer) {
      if (candidates.length > 0) return { links, status: 'bad-signature', missing: null };
      return { links, status: 'incomplete', missing: { issuer: current.x509.issuer, urls: caIssuersOf(current) } };
    }
    links.push(issuer);
    used.add(issuer);
    current = issuer;
  }
  return { links, status: 'incomplete', missing: { issuer: current.x509.issuer, urls: caIssuersOf(current) } };
}

/** "Autoridade Certificadora Raiz Brasileira v5" → "Raiz v5": how the path reads for people. */
export function shortName(cn: string): string {
  return cn.replace(/^Autoridade Certificadora Raiz Brasileira\s+/i, 'Raiz ');
}

export function commonName(dn: string): string {
  const lines = dn.split('\n');
  const cn = lines.find((l) => l.startsWith('CN='));
  return (cn ?? lines.find((l) => l.startsWith('O=')) ?? dn).replace(/^(CN|O)=/, '');
}

/** "AC X → AC Y → Raiz v5": the issuers above the leaf, as the verdict names them. */
export function pathText(path: ChainPath): string {
  return path.links
    .slice(1)
    .map((l) => shortName(commonName(l.x509.subject)))
    .join(' → ');
}
