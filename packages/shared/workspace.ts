/**
 * The certificate-management domain (docs/PRODUCT.md §2), shared by the embedded workspace, the cloud
 * backend and the renderer: types and the pure rules that decide what a selection installs.
 */
import type { Environment } from './environment';
import type { CertificateSummary, PfxInspection } from './pfx';
import type { TrustReport } from './trust';
import type { Uf } from './sefaz';
import { cnpjRoot, formatCnpj } from './tax-ids';
import { validityOf } from './status';

export interface ModuleDef {
  /** Stable key, e.g. `faturamento`. */
  id: string;
  name: string;
  /** The customer's licence decides which modules can be used. */
  licensed: boolean;
}

export interface Branch {
  /** Branch code as the ERP knows it, e.g. `0001`. */
  code: string;
  name: string;
  /** Numeric or alphanumeric CNPJ, normalized (14 characters). */
  cnpj: string;
  /** Module ids parametrized on this branch. */
  modules: string[];
  /**
   * The branch's state: it decides which SEFAZ authorizer serves it. Null only for branches saved
   * before states were kept, until the user says it (it is never guessed).
   */
  uf: Uf | null;
}

/** A branch as saved from now on: its state said (the contract requires it). */
export type BranchWithState = Branch & { uf: Uf };

/** What the user asked for: modules per branch. */
export interface SelectionItem {
  branch: string;
  modules: string[];
}

export interface Link {
  branch: string;
  module: string;
}

export type ObservationCode =
  | 'UNKNOWN_BRANCH'
  | 'UNKNOWN_MODULE'
  | 'MODULE_NOT_LICENSED'
  | 'MODULE_NOT_PARAMETRIZED'
  | 'CNPJ_ROOT_DIFFERS'
  | 'CERTIFICATE_WITHOUT_CNPJ';

export interface LinkResult extends Link {
  installed: boolean;
  observation: { code: ObservationCode; message: string } | null;
}

/**
 * Stable codes of an installed certificate's status (docs/PRODUCT.md §2 names them; the labels live
 * in renderer/i18n only). Never stored: derived from the facts with the reader's clock.
 */
export const INSTALLED_STATUSES = ['configured', 'available', 'manual', 'expired', 'replaced'] as const;
export type InstalledStatus = (typeof INSTALLED_STATUSES)[number];

/** The facts of a certificate as stored: what depends on the clock is derived when read. */
export type StoredCertificateSummary = Omit<CertificateSummary, 'status' | 'daysRemaining'>;

/**
 * What the inspector showed at install beyond the certificate's own facts: the key check, the chain
 * and how the file is protected. Facts only — never a password or key material; nothing here depends
 * on the clock. Other certificates in the file are not kept (their validity would be frozen).
 */
export type KeptInspection = Pick<PfxInspection, 'privateKey' | 'chain' | 'icpBrasilRoot' | 'protection'>;

export interface InstalledCertificate {
  id: string;
  environment: Environment;
  origin: 'certdesk' | 'manual';
  fileName: string;
  certificate: StoredCertificateSummary;
  /** Kept at install; absent on installs made before it was kept (show what there is). */
  inspection?: KeptInspection;
  /** Branch/module pairs the certificate serves now (the final state). */
  links: Link[];
  /** The result of the last installation or edit, per branch and module. */
  lastResults: LinkResult[];
  installedAt: string;
  installedBy: string;
  updatedAt: string;
  /**
   * Replaced by another certificate ("Substituir / Renovar"): it serves nothing now and is kept until
   * the administrator removes it (the swap can be undone while it is still valid).
   */
  replacedBy?: { id: string; swapId: string; at: string };
}

/** A list row: the stored certificate plus what is derived from it with the caller's clock. */
export interface CertificateView extends Omit<InstalledCertificate, 'certificate'> {
  certificate: CertificateSummary;
  status: InstalledStatus;
  daysRemaining: number;
  /**
   * The last chain and revocation check (at install, then in the background), kept beside the
   * record; absent when never checked (installed before the check existed, or not yet done).
   */
  trust?: TrustReport | null;
}

/** Stable codes of history actions (labels in renderer/i18n only). */
export const HISTORY_ACTIONS = ['install', 'edit', 'delete', 'swap'] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/**
 * What earlier versions stored instead of the action codes (Portuguese labels): read only by the
 * migration of existing data folders (packages/core/workspace/migration.ts).
 */
export const LEGACY_HISTORY_ACTION_LABELS: Record<string, HistoryAction> = {
  Instalação: 'install',
  Edição: 'edit',
  Exclusão: 'delete',
};

export interface HistoryEntry {
  id: string;
  at: string;
  user: string;
  environment: Environment;
  action: HistoryAction;
  certificate: { id: string; sha256: string; holderName: string; cnpj: string | null; cpf: string | null; notAfter: string };
  /** install: the selection as the user made it. */
  selection?: SelectionItem[];
  /** install / edit: the outcome per branch and module, with observations. */
  results?: LinkResult[];
  /** edit: links before and after. */
  before?: Link[];
  after?: Link[];
  /** edit caused by renaming a branch code: the links moved from one code to the other. */
  renamedBranch?: { from: string; to: string };
  /** delete: what the certificate still served. */
  served?: Link[];
  /** Registered by hand ("registrar instalação manual"). */
  manual?: boolean;
  /** swap ("Substituição"): from which certificate to which, per link (`installed`: moved to the new one). */
  swap?: SwapHistory;
}

/** What a "Substituição" history entry tells: one entry per stage of a swap. */
export interface SwapHistory {
  swapId: string;
  stage: 'done' | 'scheduled' | 'failed' | 'cancelled' | 'undone';
  from: { id: string; holderName: string; sha256: string; notAfter: string };
  to: { id: string; holderName: string; sha256: string; notAfter: string };
  results: LinkResult[];
  scheduledFor: string | null;
  /** failed: why (Portuguese). */
  failure?: string;
}

export interface WorkspaceStatus {
  environment: Environment;
  ready: boolean;
  setup: 'guided' | 'example' | null;
  branches: Branch[];
  modules: ModuleDef[];
  certificates: number;
}

/**
 * The status of an installed certificate (docs/PRODUCT.md §2), with the caller's clock and time zone
 * (days left are calendar days there; the runtime's zone by default).
 *
 * "Instalado manualmente" means installed on the server by hand *and* serving a branch/module: a
 * manual registration must link something (the install and the edit refuse one that links nothing,
 * `manualRegistrationProblem`), and a record from before that rule which serves nothing reads as
 * what it is — installed, configuration available.
 */
export function installedStatus(
  cert: { certificate: Pick<InstalledCertificate['certificate'], 'notBefore' | 'notAfter'> } & Pick<
    InstalledCertificate,
    'origin' | 'links' | 'replacedBy'
  >,
  now: Date,
  timeZone?: string,
): { status: InstalledStatus; daysRemaining: number } {
  const { notBefore, notAfter } = cert.certificate;
  const { daysRemaining, status } = validityOf(new Date(notBefore), new Date(notAfter), now, undefined, timeZone);
  if (status === 'expired') return { status: 'expired', daysRemaining };
  if (cert.replacedBy) return { status: 'replaced', daysRemaining };
  if (cert.links.length === 0) return { status: 'available', daysRemaining };
  return { status: cert.origin === 'manual' ? 'manual' : 'configured', daysRemaining };
}

/**
 * Why a manual registration cannot be recorded as asked, or null: it must serve at least one
 * branch/module (the seed's meaning of "instalação manual"). The wizard disables the option with the
 * same words before anything is sent; the embedded workspace and the cloud refuse it with them.
 */
export function manualRegistrationProblem(results: Pick<LinkResult, 'installed'>[]): string | null {
  return results.some((r) => r.installed)
    ? null
    : 'Uma instalação manual registra o certificado já instalado no servidor para uma filial e um módulo: escolha ao menos uma filial e um módulo que possam ser atendidos.';
}

/** The stored facts of a certificate, without what depends on the clock (older versions stored it). */
export function storedSummary(summary: CertificateSummary | StoredCertificateSummary): StoredCertificateSummary {
  const { status: _status, daysRemaining: _days, ...facts } = summary as CertificateSummary;
  return facts;
}

/** The inspection facts kept at install, copied field by field so nothing else (a password) rides along. */
export function keptInspection(inspection: PfxInspection): KeptInspection {
  const { privateKey, chain, icpBrasilRoot, protection } = inspection;
  return {
    privateKey: { present: privateKey.present, matchesCertificate: privateKey.matchesCertificate },
    chain: chain.map(({ commonName, notAfter, inFile }) => ({ commonName, notAfter, inFile })),
    icpBrasilRoot,
    protection: {
      mac: protection.mac,
      macIterations: protection.macIterations,
      encryption: protection.encryption.map(({ target, algorithm, kdf, iterations }) => ({ target, algorithm, kdf, iterations })),
      warnings: protection.warnings.map(({ code, message }) => ({ code, message })),
    },
  };
}

/** A stored certificate as shown: its validity and status derived now, never read from disk. */
export function certificateView(cert: InstalledCertificate, now: Date, timeZone?: string): CertificateView {
  const facts = storedSummary(cert.certificate);
  const validity = validityOf(new Date(facts.notBefore), new Date(facts.notAfter), now, undefined, timeZone);
  return { ...cert, certificate: { ...facts, ...validity }, ...installedStatus(cert, now, timeZone) };
}

function observation(code: ObservationCode, message: string): LinkResult['observation'] {
  return { code, message };
}

const formatRoot = (cnpj: string) => formatCnpj(cnpj).slice(0, 10);

/**
 * Decide, for each branch/module asked for, whether the certificate can serve it, and why not.
 * The order of checks is the order an administrator fixes things in: the branch exists, the module
 * exists and is licensed, it is parametrized on the branch, then SEFAZ's CNPJ-root rule (213).
 */
export function evaluateSelection(
  selection: SelectionItem[],
  certificate: Pick<CertificateSummary, 'cnpj'>,
  branches: Branch[],
  modules: ModuleDef[],
): LinkResult[] {
  const results: LinkResult[] = [];
  const seen = new Set<string>();
  for (const item of selection) {
    const branch = branches.find((b) => b.code === item.branch);
    for (const moduleId of item.modules) {
      const key = `${item.branch}\u0000${moduleId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const module = modules.find((m) => m.id === moduleId);
      const name = module?.name ?? moduleId;
      const base = { branch: item.branch, module: moduleId };
      let why: LinkResult['observation'] = null;
      if (!branch) why = observation('UNKNOWN_BRANCH', `Filial ${item.branch} não cadastrada neste ambiente.`);
      else if (!module) why = observation('UNKNOWN_MODULE', `Módulo ${moduleId} não existe no catálogo.`);
      else if (!module.licensed) why = observation('MODULE_NOT_LICENSED', `Módulo ${name} não licenciado para este cliente.`);
      else if (!branch.modules.includes(moduleId)) {
        why = observation('MODULE_NOT_PARAMETRIZED', `Módulo ${name} não parametrizado na filial ${branch.code}`);
      } else if (!certificate.cnpj) {
        why = observation('CERTIFICATE_WITHOUT_CNPJ', `Certificado sem CNPJ (e-CPF) não pode emitir pela filial ${branch.code}.`);
      } else if (cnpjRoot(certificate.cnpj) !== cnpjRoot(branch.cnpj)) {
        why = observation(
          'CNPJ_ROOT_DIFFERS',
          `Rejeição 213: CNPJ-Base do Emitente difere do CNPJ-Base do Certificado Digital (filial ${branch.code}: ${formatRoot(branch.cnpj)}; certificado: ${formatRoot(certificate.cnpj)}).`,
        );
      }
      results.push({ ...base, installed: why === null, observation: why });
    }
  }
  return results;
}

/** A stable module id from its name: `Recebimento CT-e` → `recebimento-ct-e`. */
export function moduleIdFrom(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function linksOf(results: LinkResult[]): Link[] {
  return results.filter((r) => r.installed).map(({ branch, module }) => ({ branch, module }));
}
