/**
 * The certificate list's row: what the list, the Vencimentos timeline, the delete confirmation and
 * the expiry notices show — nothing more. At 10,000 certificates the full `CertificateView` answer
 * was about 14 MB (subject, issuer, key usages, the kept inspection, the last results…); the details
 * drawer and the edit wizard fetch the full certificate with `certificates:get` when they open.
 */
import type { CertificateSummary } from './pfx';
import type { CertificateView, InstalledStatus, Link } from './workspace';

export interface CertificateRow {
  id: string;
  origin: CertificateView['origin'];
  fileName: string;
  certificate: Pick<CertificateSummary, 'holderName' | 'type' | 'cnpj' | 'cpf' | 'notBefore' | 'notAfter'> & {
    /** The duplicate check of the add wizard compares this. */
    fingerprints: { sha256: string };
  };
  links: Link[];
  /** Derived at read time with the reader's clock (shared/workspace.ts `certificateView`). */
  status: InstalledStatus;
  daysRemaining: number;
}

/** A full certificate as a list row, field by field (so nothing else rides along). */
export function certificateRow(view: CertificateView): CertificateRow {
  const { holderName, type, cnpj, cpf, notBefore, notAfter, fingerprints } = view.certificate;
  return {
    id: view.id,
    origin: view.origin,
    fileName: view.fileName,
    certificate: { holderName, type, cnpj, cpf, notBefore, notAfter, fingerprints: { sha256: fingerprints.sha256 } },
    links: view.links.map(({ branch, module }) => ({ branch, module })),
    status: view.status,
    daysRemaining: view.daysRemaining,
  };
}
