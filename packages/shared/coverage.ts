/**
 * Coverage at a glance: for every branch × module × environment, which certificate serves it and
 * until when, and what is wrong — a gap (a branch with a licensed, parametrized module and no
 * certificate), a certificate of another CNPJ root (SEFAZ rejects it: 213), one that has expired or
 * lapses within N days — each with the action that fixes it. Pure: the renderer's view shows it.
 */
import type { CertificateRow } from './certificate-row';
import type { Environment } from './environment';
import { cnpjRoot } from './tax-ids';
import type { Branch, ModuleDef } from './workspace';

/** How many days ahead a link counts as lapsing, unless the screen asks otherwise. */
export const COVERAGE_LAPSE_DAYS = 30;

export const COVERAGE_STATES = ['gap', 'expired', 'otherRoot', 'lapsing', 'covered'] as const;
export type CoverageState = (typeof COVERAGE_STATES)[number];

/**
 * What fixes a cell: install a certificate for it (gap), renew the certificate (expired, lapsing:
 * "Substituir / Renovar"), replace it with one of the branch's root (otherRoot), or nothing — a swap
 * is already scheduled (`scheduled`), or all is well.
 */
export type CoverageAction = 'install' | 'renew' | 'replace' | 'scheduled' | 'none';

export interface CoverageCell {
  environment: Environment;
  branch: string;
  module: string;
  state: CoverageState;
  /** The certificate that serves it longest (null for a gap). */
  certificate: { id: string; holderName: string; cnpj: string | null; notAfter: string; daysRemaining: number } | null;
  /** Further certificates serving the same link. */
  others: number;
  action: CoverageAction;
  /** When a swap of this certificate is scheduled (action `scheduled`). */
  scheduledFor: string | null;
  /** The link is served but the module is not (or no longer) parametrized and licensed on the branch. */
  unexpected: boolean;
}

export interface CoverageInput {
  environment: Environment;
  branches: Branch[];
  modules: ModuleDef[];
  rows: CertificateRow[];
  lapseDays?: number;
  /** Certificates with a pending swap: id → when. */
  pendingSwaps?: Map<string, string | null>;
}

export interface Coverage {
  cells: CoverageCell[];
  counts: Record<CoverageState, number>;
}

const key = (branch: string, module: string) => `${branch}\u0000${module}`;

/** Every expected and every served link of one environment, judged. */
export function coverageOf(input: CoverageInput): Coverage {
  const lapseDays = input.lapseDays ?? COVERAGE_LAPSE_DAYS;
  const licensed = new Set(input.modules.filter((m) => m.licensed).map((m) => m.id));
  const serving = new Map<string, CertificateRow[]>();
  for (const row of input.rows) {
    if (row.status === 'replaced') continue; // it serves nothing; its successor does
    for (const link of row.links) {
      const k = key(link.branch, link.module);
      serving.set(k, [...(serving.get(k) ?? []), row]);
    }
  }
  const links = new Map<string, { branch: string; module: string; expected: boolean }>();
  for (const branch of input.branches)
    for (const module of branch.modules)
      if (licensed.has(module)) links.set(key(branch.code, module), { branch: branch.code, module, expected: true });
  for (const [k, rows] of serving) {
    if (links.has(k)) continue;
    const [branch, module] = k.split('\u0000') as [string, string];
    if (rows.length) links.set(k, { branch, module, expected: false });
  }
  const cells: CoverageCell[] = [];
  for (const [k, link] of links) {
    const rows = [...(serving.get(k) ?? [])].sort((a, b) => b.certificate.notAfter.localeCompare(a.certificate.notAfter));
    const best = rows[0];
    const branch = input.branches.find((b) => b.code === link.branch);
    const base = {
      environment: input.environment,
      branch: link.branch,
      module: link.module,
      others: Math.max(0, rows.length - 1),
      unexpected: !link.expected,
    };
    if (!best) {
      cells.push({ ...base, state: 'gap', certificate: null, action: 'install', scheduledFor: null });
      continue;
    }
    const c = best.certificate;
    const certificate = { id: best.id, holderName: c.holderName, cnpj: c.cnpj, notAfter: c.notAfter, daysRemaining: best.daysRemaining };
    const pending = input.pendingSwaps?.has(best.id) ? (input.pendingSwaps.get(best.id) ?? null) : undefined;
    let state: CoverageState;
    let action: CoverageAction;
    if (best.status === 'expired' || best.daysRemaining < 0) [state, action] = ['expired', 'renew'];
    else if (branch && (!c.cnpj || cnpjRoot(c.cnpj) !== cnpjRoot(branch.cnpj))) [state, action] = ['otherRoot', 'replace'];
    else if (best.daysRemaining <= lapseDays) [state, action] = ['lapsing', 'renew'];
    else [state, action] = ['covered', 'none'];
    if (pending !== undefined && action !== 'none') action = 'scheduled';
    cells.push({ ...base, state, certificate, action, scheduledFor: pending ?? null });
  }
  const order = (s: CoverageState) => COVERAGE_STATES.indexOf(s);
  cells.sort((a, b) => a.branch.localeCompare(b.branch) || a.module.localeCompare(b.module) || order(a.state) - order(b.state));
  const counts = Object.fromEntries(COVERAGE_STATES.map((s) => [s, cells.filter((c) => c.state === s).length])) as Record<
    CoverageState,
    number
  >;
  return { cells, counts };
}
