/**
 * The certificate list's row: what the list, the Vencimentos timeline, the delete confirmation and
 * the expiry notices show — nothing more. At 10,000 certificates the full `CertificateView` answer
 * was about 14 MB (subject, issuer, key usages, the kept inspection, the last results…); the details
 * drawer and the edit wizard fetch the full certificate with `certificates:get` when they open.
 * CertDesk Cloud answers its list in this shape too (contract 1.2.0, `CertificateRow`).
 */
import type { CertificateSummary } from './pfx';
import { revokedFact, type RevokedFact, type TrustReport } from './trust';
import { installedStatus, type CertificateView, type InstalledStatus, type Link } from './workspace';

export interface CertificateRow {
  id: string;
  origin: CertificateView['origin'];
  fileName: string;
  certificate: Pick<CertificateSummary, 'holderName' | 'type' | 'cnpj' | 'cpf' | 'notBefore' | 'notAfter'> & {
    /** The duplicate check of the add wizard compares this. */
    fingerprints: { sha256: string };
  };
  links: Link[];
  /** Replaced by another certificate ("Substituir / Renovar"): its status reads `replaced`. */
  replacedBy?: { id: string; swapId: string; at: string };
  /**
   * Present only when the kept revocation check says revoked: the list's badge and filter, the
   * notices. The certificate keeps its status (configured, available…) beside it.
   */
  revoked?: RevokedFact;
  /** Derived at read time with the reader's clock (packages/shared/workspace.ts `certificateView`). */
  status: InstalledStatus;
  daysRemaining: number;
}

/**
 * What a row is made of: anything with at least the row's facts — a stored record, a full
 * certificate, a row (the derived fields, when present, are not read).
 */
export type RowSource = Omit<CertificateRow, 'status' | 'daysRemaining'>;

/** A full certificate carries its whole trust report; a row only the revocation fact. */
type WithTrust = { trust?: Pick<TrustReport, 'revocation'> | null };

/** The row's facts, field by field (so nothing else — the inspection, a subject — rides along). */
function rowFacts(source: RowSource & WithTrust): RowSource {
  const { holderName, type, cnpj, cpf, notBefore, notAfter, fingerprints } = source.certificate;
  const revoked = source.revoked ?? revokedFact(source.trust);
  return {
    ...(revoked ? { revoked: { revokedAt: revoked.revokedAt, reasonCode: revoked.reasonCode } } : {}),
    id: source.id,
    origin: source.origin,
    fileName: source.fileName,
    certificate: { holderName, type, cnpj, cpf, notBefore, notAfter, fingerprints: { sha256: fingerprints.sha256 } },
    links: source.links.map(({ branch, module }) => ({ branch, module })),
    ...(source.replacedBy ? { replacedBy: { id: source.replacedBy.id, swapId: source.replacedBy.swapId, at: source.replacedBy.at } } : {}),
  };
}

/** A full certificate (or a row) as a list row, keeping the status it was derived with. */
export function certificateRow(view: CertificateRow & WithTrust): CertificateRow {
  return { ...rowFacts(view), status: view.status, daysRemaining: view.daysRemaining };
}

/** A row with its status and days left derived at `now` (the same rules as `certificateView`), in `timeZone`'s calendar. */
export function rowAt(source: RowSource, now: Date, timeZone?: string): CertificateRow {
  const facts = rowFacts(source);
  return { ...facts, ...installedStatus(facts, now, timeZone) };
}
