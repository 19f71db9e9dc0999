/**
 * A SEFAZ check of one installed certificate, as the desktop and CertDesk Cloud keep it and the
 * screens show it: for every branch and ERP module the certificate serves, the status service that
 * module uses (Faturamento → NF-e NfeStatusServico4, Recebimento CT-e → CT-e CTeStatusServicoV4) of
 * the branch state's authorizer, and what it answered — or why there was nothing to ask (the module
 * has no status service, the branch's state is not known yet). Pure TypeScript, no Node.
 */
import type { Environment } from './environment';
import type { SefazModule, SefazOutcomeCode, SefazStatusResult, Uf } from './sefaz';

/**
 * Which status service an ERP module uses, by module id. The ids are the example workspace's and
 * what the guided setup derives from the names ("Recebimento CT-e" → `recebimento-ct-e`). Modules
 * not listed (Recebimento NF-e, Manifestação, NFS-e…) use other services or none: no status check.
 */
const MODULE_SERVICES: Record<string, SefazModule> = {
  faturamento: 'nfe',
  'recebimento-cte': 'cte',
  'recebimento-ct-e': 'cte',
};

export function sefazModuleOf(moduleId: string): SefazModule | null {
  return Object.hasOwn(MODULE_SERVICES, moduleId) ? MODULE_SERVICES[moduleId]! : null;
}

/**
 * One branch and module of the certificate:
 * - `checked`: the service was asked (or its answer, kept for at least three minutes, reused);
 * - `no-service`: the module has no status service to ask;
 * - `no-state`: the branch's state (UF) is not known yet, so its authorizer is not either.
 */
export type SefazLinkKind = 'checked' | 'no-service' | 'no-state';

export interface SefazLinkCheck {
  branch: string;
  /** The ERP module's id (the workspace's catalogue). */
  module: string;
  uf: Uf | null;
  /** The status service of the module (null: it has none). */
  service: SefazModule | null;
  kind: SefazLinkKind;
  result: SefazStatusResult | null;
}

/**
 * What the list shows of a check: `ok` every asked service answered 107; `problem` at least one did
 * not (its code); `incomplete` nothing failed but a branch's state is missing; `none` no module the
 * certificate serves has a status service.
 */
export type SefazCheckState = 'ok' | 'problem' | 'incomplete' | 'none';

export interface SefazCheckSummary {
  certificateId: string;
  state: SefazCheckState;
  /** The first failing outcome (`problem`), else null, and SEFAZ's cStat with it when it sent one. */
  code: SefazOutcomeCode | null;
  cStat: number | null;
  /** When the answers were obtained: the oldest of them (a reused answer keeps its own time); else the run's time. */
  checkedAt: string;
}

export interface SefazCertificateCheck {
  certificateId: string;
  /** SHA-256 of the certificate: the key its answers are kept under. */
  fingerprint: string;
  environment: Environment;
  /** When this check was asked for (ISO UTC). */
  ranAt: string;
  links: SefazLinkCheck[];
  summary: SefazCheckSummary;
}

/** The list's view of a check, derived from its links. */
export function summarizeCheck(certificateId: string, links: SefazLinkCheck[], ranAt: string): SefazCheckSummary {
  const checked = links.filter((l) => l.kind === 'checked' && l.result);
  const failing = checked.find((l) => !l.result!.ok);
  const times = checked.map((l) => l.result!.checkedAt).sort();
  let state: SefazCheckState;
  if (failing) state = 'problem';
  else if (links.some((l) => l.kind === 'no-state')) state = 'incomplete';
  else if (checked.length) state = 'ok';
  else state = 'none';
  return { certificateId, state, code: failing?.result!.code ?? null, cStat: failing?.result!.cStat ?? null, checkedAt: times[0] ?? ranAt };
}
