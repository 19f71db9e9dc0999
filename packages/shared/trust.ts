/**
 * What CertDesk says about a certificate's chain and revocation (core/trust/). Plain data, so the
 * CLI's JSON, the IPC contract and the cloud can carry it as is; times are ISO 8601 UTC, `message`
 * is the core's Portuguese sentence (CLI, logs) and the screens translate by `status` / `code`.
 */

export type ChainStatus = 'icp-brasil' | 'unknown-root' | 'incomplete' | 'bad-signature';

export interface TrustChainLink {
  commonName: string;
  notAfter: string;
  /** Where the certificate came from: the file, the ICP-Brasil set CertDesk ships, or an AIA address. */
  source: 'file' | 'shipped' | 'aia';
  /** The AIA address it was fetched from (source `aia`). */
  url: string | null;
}

export interface ChainVerdict {
  status: ChainStatus;
  /** `Cadeia ICP-Brasil: AC X → AC Y → Raiz v5`, or what is missing and where to get it. */
  message: string;
  /** The issuers above the leaf, e.g. `AC X → AC Y → Raiz v5` (empty when none was found). */
  path: string;
  /** Leaf first. */
  links: TrustChainLink[];
  /** The ICP-Brasil root reached (status `icp-brasil`), else null. */
  root: string | null;
  /** status `incomplete`: the issuer not found and the addresses the last certificate names for it. */
  missing: { issuer: string; urls: string[]; fetchError: string | null } | null;
}

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

export const REVOCATION_CODES = [
  /** A current CRL or OCSP answer, signed by the issuer, does not list it. */
  'NOT_REVOKED',
  'REVOKED',
  /** Offline (or every address unreachable): nothing current to answer with. */
  'UNCHECKED_OFFLINE',
  /** The CRL obtained is past its nextUpdate: it cannot say "not revoked". */
  'UNCHECKED_CRL_EXPIRED',
  /** Every CRL obtained was unreadable or not signed by the issuer. */
  'UNCHECKED_CRL_INVALID',
  /** The issuer's certificate is unknown: no CRL or OCSP signature can be checked. */
  'UNCHECKED_NO_ISSUER',
  /** The certificate names no CRL and no OCSP responder. */
  'UNCHECKED_NO_SOURCE',
] as const;
export type RevocationCode = (typeof REVOCATION_CODES)[number];

export interface RevocationAttempt {
  url: string;
  source: 'crl' | 'ocsp';
  /** What happened: `ok`, `cache`, `offline`, `timeout`, `too-large`, `http-status`, `invalid`, `expired`, `unknown`… */
  outcome: string;
  detail: string | null;
}

export interface RevocationVerdict {
  status: RevocationStatus;
  code: RevocationCode;
  /** "Não revogado (LCR de 05/12/2026 10:00)", "Revogado em 01/12/2026 (comprometimento da chave)", … */
  message: string;
  /** Which kind of answer decided it (null when nothing did). */
  source: 'crl' | 'ocsp' | null;
  revokedAt: string | null;
  /** RFC 5280 CRLReason code and its name (`keyCompromise` …), when the answer gave one. */
  reasonCode: number | null;
  reason: string | null;
  /** The CRL that answered (or the last one known, for "not checked"). */
  crl: { url: string; thisUpdate: string; nextUpdate: string | null; fromCache: boolean } | null;
  ocsp: { url: string; producedAt: string; thisUpdate: string; nextUpdate: string | null; fromCache: boolean } | null;
  checkedAt: string;
  /** When to check again: the answer's expiry, at most a day later; sooner when nothing answered. */
  nextCheckAt: string;
  attempts: RevocationAttempt[];
}

export interface TrustReport {
  chain: ChainVerdict;
  revocation: RevocationVerdict;
  /** Whether the network was allowed for this report (CLI `--online`). */
  online: boolean;
}

/**
 * What a list row says of a revocation (present only when revoked): enough for the badge, the
 * filter and the notices; the details read the whole report.
 */
export interface RevokedFact {
  revokedAt: string;
  /** RFC 5280 CRLReason code, when the answer gave one. */
  reasonCode: number | null;
}

/** The row's fact from a kept report: set only when the report says revoked. */
export function revokedFact(report: Pick<TrustReport, 'revocation'> | null | undefined): RevokedFact | null {
  const revocation = report?.revocation;
  if (revocation?.status !== 'revoked' || !revocation.revokedAt) return null;
  return { revokedAt: revocation.revokedAt, reasonCode: revocation.reasonCode };
}

/**
 * The refusal's opening for a revoked certificate, from the core's sentence: "Revogado em 01/12/2026
 * (…)" → "Certificado revogado em 01/12/2026 (…)". Installs, edits and the swap review end it.
 */
export const certificateRevoked = (report: Pick<TrustReport, 'revocation'>) => `Certificado r${report.revocation.message.slice(1)}`;
