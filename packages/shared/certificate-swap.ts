/**
 * "Substituir / Renovar": one certificate takes over every branch and module another serves, in one
 * step, now or at a scheduled moment. The comparison shown before confirming, the swap's record
 * (pending, done, failed, cancelled, undone) and the rules both backends apply — pure, so the
 * embedded workspace, CertDesk Cloud and the review screen agree.
 */
import type { Environment } from './environment';
import type { CertificateSummary } from './pfx';
import { certificateRevoked, type TrustReport } from './trust';
import { cnpjRoot, formatCnpj } from './tax-ids';
import { validityOf } from './status';
import {
  evaluateSelection,
  type Branch,
  type InstalledCertificate,
  type Link,
  type LinkResult,
  type ModuleDef,
  type SelectionItem,
} from './workspace';

export const SWAP_STATES = ['pending', 'done', 'failed', 'cancelled', 'undone'] as const;
export type SwapState = (typeof SWAP_STATES)[number];

/** A certificate as a swap names it: facts only. */
export interface SwapCertificateRef {
  id: string;
  holderName: string;
  cnpj: string | null;
  cpf: string | null;
  sha256: string;
  issuerCommonName: string;
  notBefore: string;
  notAfter: string;
}

export interface CertificateSwap {
  id: string;
  environment: Environment;
  from: SwapCertificateRef;
  to: SwapCertificateRef;
  state: SwapState;
  /** When it is to run (ISO); null: it ran when asked. */
  scheduledFor: string | null;
  createdAt: string;
  createdBy: string;
  /** Per link of the old certificate: whether the new one serves it (with the install's observation). */
  results: LinkResult[];
  /** The new certificate's own links before the swap: undo gives them back. */
  toLinksBefore: Link[];
  ranAt: string | null;
  /** Why a scheduled swap could not run (Portuguese). */
  failure: { code: string; message: string } | null;
  endedBy: string | null;
  /** When it was cancelled or undone. */
  endedAt: string | null;
}

/** Why a swap is refused outright (before anything is stored). */
export type SwapRefusal =
  | 'SAME_CERTIFICATE'
  | 'CNPJ_ROOT_DIFFERS'
  | 'ALREADY_REPLACED'
  | 'SWAP_PENDING'
  | 'NO_CNPJ'
  /** The new file's check (chain and revocation, as at install) says revoked: confirming would be refused too. */
  | 'CERTIFICATE_REVOKED';

/** What changes, side by side: the review before confirming. */
export interface SwapComparison {
  old: SwapCertificateRef & { keyAlgorithm: string; keySize: number | null; publicKeySha256: string | null };
  new: SwapCertificateRef & { keyAlgorithm: string; keySize: number | null; publicKeySha256: string | null };
  sameHolder: boolean;
  sameCnpjRoot: boolean;
  /** null: not known (a certificate installed before CertDesk kept the key's fingerprint). */
  sameKey: boolean | null;
  sameIssuer: boolean;
  /** Days the new certificate adds beyond the old one's end (negative: it ends earlier). */
  extraDays: number;
  /** The new certificate is not valid yet at `at` (the swap must wait), or expired. */
  validAt: { at: string; status: 'valid' | 'not-yet-valid' | 'expired' };
  /** Per link of the old certificate: can the new one serve it (the install's rules and observations). */
  links: LinkResult[];
  /**
   * The new file's chain and revocation, checked as an install checks it (the network's answer if it
   * comes in time, else the cache's; "not checked" never blocks). null: no verdict could be made.
   */
  trust: TrustReport | null;
  refusal: { code: SwapRefusal; message: string } | null;
}

type SwapSide = {
  id: string;
  certificate: Pick<
    CertificateSummary,
    'holderName' | 'cnpj' | 'cpf' | 'issuerCommonName' | 'notBefore' | 'notAfter' | 'keyAlgorithm' | 'keySize' | 'fingerprints'
  > & { publicKeySha256?: string | null };
};

export function swapRef(side: SwapSide): SwapCertificateRef {
  const c = side.certificate;
  return {
    id: side.id,
    holderName: c.holderName,
    cnpj: c.cnpj,
    cpf: c.cpf,
    sha256: c.fingerprints.sha256,
    issuerCommonName: c.issuerCommonName,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
  };
}

/** The old certificate's links as a selection (what an install of the new one would be asked). */
export function selectionOf(links: Link[]): SelectionItem[] {
  const grouped = new Map<string, string[]>();
  for (const l of links) grouped.set(l.branch, [...(grouped.get(l.branch) ?? []), l.module]);
  return [...grouped].map(([branch, modules]) => ({ branch, modules }));
}

const root = (cnpj: string | null) => (cnpj ? cnpjRoot(cnpj) : null);
/** A CNPJ's root as people write it ("12.345.678"), for the refusals' sentences. */
export const formatRoot = (cnpj: string) => formatCnpj(cnpj).slice(0, 10);

/**
 * Whether `old` may be replaced by a certificate with `next`'s facts, and why not. The CNPJ root
 * decides (SEFAZ's rule 213 applies to every link alike): another company's certificate can never
 * take over. An e-CPF may replace an e-CPF of the same person.
 */
export function swapRefusal(
  old: Pick<InstalledCertificate, 'replacedBy'> & SwapSide,
  next: SwapSide,
  pending: boolean,
): { code: SwapRefusal; message: string } | null {
  if (old.certificate.fingerprints.sha256 === next.certificate.fingerprints.sha256)
    return { code: 'SAME_CERTIFICATE', message: 'O arquivo escolhido é o próprio certificado a substituir.' };
  if (old.replacedBy) return { code: 'ALREADY_REPLACED', message: 'Este certificado já foi substituído por outro.' };
  if (pending)
    return { code: 'SWAP_PENDING', message: 'Já há uma substituição agendada para este certificado: cancele-a antes de agendar outra.' };
  const a = old.certificate;
  const b = next.certificate;
  if (a.cnpj && !b.cnpj)
    return { code: 'NO_CNPJ', message: 'O novo certificado não tem CNPJ (e-CPF): não pode emitir pelas filiais do certificado atual.' };
  if (a.cnpj && b.cnpj && root(a.cnpj) !== root(b.cnpj))
    return {
      code: 'CNPJ_ROOT_DIFFERS',
      message: `O novo certificado é de outra raiz de CNPJ (${formatRoot(b.cnpj)}; o atual é ${formatRoot(a.cnpj)}): a SEFAZ rejeitaria tudo o que ele assinasse pelas filiais atendidas (rejeição 213). A substituição foi recusada.`,
    };
  if (!a.cnpj && a.cpf && b.cpf !== a.cpf)
    return { code: 'CNPJ_ROOT_DIFFERS', message: 'O novo certificado é de outra pessoa (CPF diferente): a substituição foi recusada.' };
  return null;
}

/** A revoked new file: the refusal its confirmation would meet (CERTIFICATE_REVOKED), said in the review. */
function revokedRefusal(trust: TrustReport | null): { code: SwapRefusal; message: string } | null {
  if (trust?.revocation.status !== 'revoked') return null;
  return { code: 'CERTIFICATE_REVOKED', message: `${certificateRevoked(trust)}: não pode substituir o certificado atual.` };
}

/**
 * The review: both certificates side by side and, for each link the old one serves, whether the
 * new one can serve it — the same `evaluateSelection` an install runs, against today's catalogue.
 */
export function compareSwap(
  old: Pick<InstalledCertificate, 'links' | 'replacedBy'> & SwapSide,
  next: SwapSide,
  catalogue: { branches: Branch[]; modules: ModuleDef[] },
  options: { at: Date; pending: boolean; trust?: TrustReport | null },
): SwapComparison {
  const trust = options.trust ?? null;
  const a = old.certificate;
  const b = next.certificate;
  const validity = validityOf(new Date(b.notBefore), new Date(b.notAfter), options.at).status;
  const keyOf = (s: SwapSide) => ({
    keyAlgorithm: s.certificate.keyAlgorithm,
    keySize: s.certificate.keySize,
    publicKeySha256: s.certificate.publicKeySha256 ?? null,
  });
  return {
    old: { ...swapRef(old), ...keyOf(old) },
    new: { ...swapRef(next), ...keyOf(next) },
    sameHolder: a.holderName === b.holderName && (a.cnpj ?? a.cpf) === (b.cnpj ?? b.cpf),
    sameCnpjRoot: root(a.cnpj) === root(b.cnpj),
    sameKey: a.publicKeySha256 && b.publicKeySha256 ? a.publicKeySha256 === b.publicKeySha256 : null,
    sameIssuer: a.issuerCommonName === b.issuerCommonName,
    extraDays: Math.round((Date.parse(b.notAfter) - Date.parse(a.notAfter)) / 86_400_000),
    validAt: { at: options.at.toISOString(), status: validity === 'expiring' ? 'valid' : validity },
    links: evaluateSelection(selectionOf(old.links), b, catalogue.branches, catalogue.modules),
    trust,
    refusal: swapRefusal(old, next, options.pending) ?? revokedRefusal(trust),
  };
}

/** The budget of scheduling: a swap is set at most this far ahead (a certificate lasts about a year). */
export const SWAP_HORIZON_DAYS = 400;
