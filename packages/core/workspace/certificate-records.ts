/**
 * How an installed certificate's record and its history entries are made and changed — the one
 * piece of code behind both backends: the embedded workspace (workspace-service.ts, journal on
 * disk) and CertDesk Cloud (cloud-service/tenant-workspace.ts, PostgreSQL). They differ only in
 * where the result is stored and who the author is (the local account, the signed-in cloud user).
 */
import { randomUUID } from 'node:crypto';
import type { Environment, PfxInspection } from '@certdesk/shared/contract';
import {
  evaluateSelection,
  installedStatus,
  keptInspection,
  linksOf,
  manualRegistrationProblem,
  storedSummary,
  type Branch,
  type HistoryEntry,
  type InstalledCertificate,
  type Link,
  type LinkResult,
  type ModuleDef,
  type SelectionItem,
} from '@certdesk/shared/workspace';
import { environmentName } from '../environment-name';
import { CertdeskError } from '../errors';

export function duplicateCertificate(environment: Environment, existingId: string): CertdeskError {
  return new CertdeskError(
    'DUPLICATE_CERTIFICATE',
    `Este certificado já está instalado em ${environmentName(environment)}: edite o existente.`,
    {
      existingId,
    },
  );
}

/** A history entry about `cert`, by `user` at `at`. */
export function historyEntry(
  user: string,
  at: Date,
  environment: Environment,
  action: HistoryEntry['action'],
  cert: InstalledCertificate,
  extra: Partial<HistoryEntry>,
): HistoryEntry {
  const c = cert.certificate;
  return {
    id: randomUUID(),
    at: at.toISOString(),
    user,
    environment,
    action,
    certificate: { id: cert.id, sha256: c.fingerprints.sha256, holderName: c.holderName, cnpj: c.cnpj, cpf: c.cpf, notAfter: c.notAfter },
    ...extra,
  };
}

/**
 * The budget of one selection (install or edit), decided before anything is evaluated or stored:
 * what a request may ask is bounded by the contract and by the workspace itself, so an answer, a
 * record and a history entry are never larger than the links a real company can have.
 */
export const SELECTION_LIMITS = { items: 500, modulesPerItem: 100, links: 5_000 } as const;

const count = (n: number) => n.toLocaleString('pt-BR');

/**
 * Refuses a selection over its budget, or naming a branch or module the workspace does not have
 * (the wizard offers only those; anything else is a malformed or hostile request).
 */
export function checkSelection(selection: SelectionItem[], catalogue: { branches: Branch[]; modules: ModuleDef[] }): void {
  if (selection.length > SELECTION_LIMITS.items)
    throw new CertdeskError(
      'INVALID_DATA',
      `A seleção tem ${count(selection.length)} filiais; o máximo é ${count(SELECTION_LIMITS.items)}.`,
    );
  const branches = new Set(catalogue.branches.map((b) => b.code));
  const modules = new Set(catalogue.modules.map((m) => m.id));
  const pairs = new Set<string>();
  for (const item of selection) {
    if (item.modules.length > SELECTION_LIMITS.modulesPerItem)
      throw new CertdeskError(
        'INVALID_DATA',
        `A filial ${item.branch} traz ${count(item.modules.length)} módulos; o máximo é ${count(SELECTION_LIMITS.modulesPerItem)}.`,
      );
    if (!branches.has(item.branch)) throw new CertdeskError('INVALID_DATA', `A filial ${item.branch} não está cadastrada neste ambiente.`);
    for (const moduleId of item.modules) {
      if (!modules.has(moduleId)) throw new CertdeskError('INVALID_DATA', `O módulo ${moduleId} não existe no catálogo deste ambiente.`);
      pairs.add(`${item.branch}\u0000${moduleId}`);
    }
    if (pairs.size > SELECTION_LIMITS.links)
      throw new CertdeskError('INVALID_DATA', `A seleção passa de ${count(SELECTION_LIMITS.links)} vínculos de filial e módulo.`);
  }
}

/** The record of a new installation, with the outcome of its selection against the catalogue. */
export function newCertificate(request: {
  environment: Environment;
  inspection: PfxInspection & { certificate: NonNullable<PfxInspection['certificate']> };
  fileName: string;
  selection: SelectionItem[];
  manual?: boolean;
  catalogue: { branches: Branch[]; modules: ModuleDef[] };
  user: string;
  at: Date;
}): { cert: InstalledCertificate; results: LinkResult[] } {
  const { inspection, catalogue } = request;
  checkSelection(request.selection, catalogue);
  const results = evaluateSelection(request.selection, inspection.certificate, catalogue.branches, catalogue.modules);
  if (request.manual) refuseEmptyManual(results);
  const at = request.at.toISOString();
  const cert: InstalledCertificate = {
    id: randomUUID(),
    environment: request.environment,
    origin: request.manual ? 'manual' : 'certdesk',
    fileName: request.fileName,
    certificate: storedSummary(inspection.certificate), // facts only: the validity is derived when read
    inspection: keptInspection(inspection), // what the details show (chain, protection): no secret, no clock
    links: linksOf(results),
    lastResults: results,
    installedAt: at,
    installedBy: request.user,
    updatedAt: at,
  };
  return { cert, results };
}

/** A manual registration serves a branch/module or is not one (packages/shared/workspace.ts). */
function refuseEmptyManual(results: LinkResult[]): void {
  const problem = manualRegistrationProblem(results);
  if (problem) throw new CertdeskError('MANUAL_WITHOUT_LINK', problem);
}

/** An edit of the links: refused once expired (delete is the only action left), else re-evaluated. */
export function relinked(
  current: InstalledCertificate,
  selection: SelectionItem[],
  catalogue: { branches: Branch[]; modules: ModuleDef[] },
  now: Date,
): { updated: InstalledCertificate; results: LinkResult[] } {
  if (installedStatus(current, now).status === 'expired')
    throw new CertdeskError('EXPIRED_DELETE_ONLY', 'Certificado expirado: a única ação permitida é a exclusão.');
  if (current.replacedBy)
    throw new CertdeskError(
      'SWAP_REFUSED',
      'Certificado substituído: desfaça a substituição ou exclua-o; ele não atende mais nenhuma filial.',
      {
        reason: 'REPLACED',
      },
    );
  checkSelection(selection, catalogue);
  const results = evaluateSelection(selection, current.certificate, catalogue.branches, catalogue.modules);
  if (current.origin === 'manual') refuseEmptyManual(results);
  return { updated: { ...current, links: linksOf(results), lastResults: results, updatedAt: now.toISOString() }, results };
}

/** Whether renaming branch `from` touches the certificate (its links or its last results). */
export const servesBranch = (cert: InstalledCertificate, from: string) =>
  cert.links.some((l) => l.branch === from) || cert.lastResults.some((r) => r.branch === from);

/** The certificate with branch `from` renamed `to` in its links and last results. */
export function withBranchRenamed(cert: InstalledCertificate, from: string, to: string, at: Date): InstalledCertificate {
  const rename = <T extends Link>(l: T): T => (l.branch === from ? { ...l, branch: to } : l);
  return { ...cert, links: cert.links.map(rename), lastResults: cert.lastResults.map(rename), updatedAt: at.toISOString() };
}
