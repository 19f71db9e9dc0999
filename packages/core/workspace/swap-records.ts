/**
 * How a swap ("Substituir / Renovar") changes certificate records and what history it writes — the
 * one piece of code behind both backends (the embedded workspace's journaled commit, CertDesk
 * Cloud's transaction), like certificate-records.ts for installs. Every rule the user reads comes
 * from @certdesk/shared/certificate-swap (refusals, the comparison) and the install's own
 * evaluateSelection / checkInstallable.
 */
import { randomUUID } from 'node:crypto';
import type { Environment, PfxInspection } from '@certdesk/shared/contract';
import { selectionOf, SWAP_HORIZON_DAYS, swapRef, swapRefusal, type CertificateSwap } from '@certdesk/shared/certificate-swap';
import { validityOf } from '@certdesk/shared/status';
import {
  evaluateSelection,
  linksOf,
  type Branch,
  type HistoryEntry,
  type InstalledCertificate,
  type Link,
  type LinkResult,
  type ModuleDef,
  type SwapHistory,
} from '@certdesk/shared/workspace';
import { CertdeskError } from '../errors';
import { historyEntry } from './certificate-records';
import { checkInstallable } from './workspace-rules';

type Catalogue = { branches: Branch[]; modules: ModuleDef[] };

/** Ended swaps kept beside the pending ones (the screen shows the recent ones; history keeps all). */
export const ENDED_SWAPS_KEPT = 200;

/**
 * When a swap asked for `scheduledFor` runs: now (null) or a moment between now and SWAP_HORIZON_DAYS
 * ahead. A moment already past runs now.
 */
export function swapMoment(scheduledFor: string | null | undefined, now: Date): Date | null {
  if (!scheduledFor) return null;
  const at = new Date(scheduledFor);
  if (Number.isNaN(at.getTime())) throw new CertdeskError('INVALID_DATA', 'Data e hora da substituição inválidas.');
  if (at.getTime() > now.getTime() + SWAP_HORIZON_DAYS * 86_400_000)
    throw new CertdeskError('INVALID_DATA', `A substituição pode ser agendada para até ${SWAP_HORIZON_DAYS} dias à frente.`);
  return at.getTime() <= now.getTime() ? null : at;
}

/**
 * The new file must be installable at the moment the swap runs (not only now): the install's own
 * checkInstallable over the validity derived at that moment. A certificate not yet valid today can
 * be scheduled for the day it starts; one expired by then cannot.
 */
export function checkSwappable(
  inspection: PfxInspection,
  at: Date,
): asserts inspection is PfxInspection & { certificate: NonNullable<PfxInspection['certificate']> } {
  const c = inspection.certificate;
  const atRun = c ? { ...inspection, certificate: { ...c, ...validityOf(new Date(c.notBefore), new Date(c.notAfter), at) } } : inspection;
  checkInstallable(atRun);
}

export function refuseSwap(old: InstalledCertificate, next: Pick<InstalledCertificate, 'id' | 'certificate'>, pending: boolean): void {
  const refusal = swapRefusal(old, next, pending);
  if (refusal) throw new CertdeskError('SWAP_REFUSED', refusal.message, { reason: refusal.code });
}

export function newSwap(request: {
  environment: Environment;
  from: InstalledCertificate;
  to: InstalledCertificate;
  scheduledFor: Date | null;
  user: string;
  at: Date;
}): CertificateSwap {
  return {
    id: randomUUID(),
    environment: request.environment,
    from: swapRef(request.from),
    to: swapRef(request.to),
    state: 'pending',
    scheduledFor: request.scheduledFor?.toISOString() ?? null,
    createdAt: request.at.toISOString(),
    createdBy: request.user,
    results: [],
    toLinksBefore: request.to.links,
    ranAt: null,
    failure: null,
    endedBy: null,
    endedAt: null,
  };
}

/** Why a pending swap cannot run now (the old one gone or replaced, the new one gone or not valid), or null. */
export function swapBlocker(from: InstalledCertificate | undefined, to: InstalledCertificate | undefined, now: Date): string | null {
  if (!from) return 'o certificado a substituir foi excluído.';
  if (from.replacedBy) return 'o certificado a substituir já foi substituído por outro.';
  if (!to) return 'o novo certificado foi excluído.';
  const status = validityOf(new Date(to.certificate.notBefore), new Date(to.certificate.notAfter), now).status;
  if (status === 'not-yet-valid')
    return `o novo certificado ainda não é válido (válido a partir de ${to.certificate.notBefore.slice(0, 10).split('-').reverse().join('/')}).`;
  if (status === 'expired') return 'o novo certificado está vencido.';
  return null;
}

/**
 * The swap applied: every link of the old certificate the new one can serve moves to it (the
 * install's evaluateSelection against today's catalogue); the old one serves nothing and is marked
 * replaced. Answers both records and the per-link results.
 */
export function applySwap(
  swap: CertificateSwap,
  from: InstalledCertificate,
  to: InstalledCertificate,
  catalogue: Catalogue,
  now: Date,
): { from: InstalledCertificate; to: InstalledCertificate; results: LinkResult[]; swap: CertificateSwap } {
  const results = evaluateSelection(selectionOf(from.links), to.certificate, catalogue.branches, catalogue.modules);
  const moved = linksOf(results);
  const key = (l: Link) => `${l.branch}\u0000${l.module}`;
  const have = new Set(to.links.map(key));
  const at = now.toISOString();
  return {
    from: { ...from, links: [], replacedBy: { id: to.id, swapId: swap.id, at }, updatedAt: at },
    to: { ...to, links: [...to.links, ...moved.filter((l) => !have.has(key(l)))], lastResults: results, updatedAt: at },
    results,
    swap: { ...swap, state: 'done', results, ranAt: at },
  };
}

/**
 * Undo, in one step, while the old certificate is still valid: it serves again what it served, and
 * the new one goes back to what it served before the swap. `to` may be gone (deleted since).
 */
export function undoSwap(
  swap: CertificateSwap,
  from: InstalledCertificate | undefined,
  to: InstalledCertificate | undefined,
  user: string,
  now: Date,
): { from: InstalledCertificate; to: InstalledCertificate | undefined; swap: CertificateSwap } {
  if (swap.state !== 'done')
    throw new CertdeskError('SWAP_REFUSED', 'Só uma substituição feita pode ser desfeita.', { reason: 'NOT_DONE' });
  if (!from)
    throw new CertdeskError('SWAP_REFUSED', 'O certificado anterior foi excluído: não há o que desfazer.', { reason: 'FROM_GONE' });
  if (from.replacedBy?.swapId !== swap.id)
    throw new CertdeskError('SWAP_REFUSED', 'O certificado anterior mudou depois desta substituição.', { reason: 'FROM_CHANGED' });
  if (validityOf(new Date(from.certificate.notBefore), new Date(from.certificate.notAfter), now).status === 'expired')
    throw new CertdeskError('SWAP_REFUSED', 'O certificado anterior já venceu: a substituição não pode ser desfeita.', {
      reason: 'FROM_EXPIRED',
    });
  const at = now.toISOString();
  const { replacedBy: _replaced, ...rest } = from;
  return {
    from: { ...rest, links: linksOf(swap.results), updatedAt: at },
    to: to ? { ...to, links: swap.toLinksBefore, updatedAt: at } : undefined,
    swap: { ...swap, state: 'undone', endedBy: user, endedAt: at },
  };
}

/** The "Substituição" history entry of a swap's stage (on the old certificate; the new one finds it too). */
export function swapEntry(
  user: string,
  now: Date,
  swap: CertificateSwap,
  from: InstalledCertificate,
  stage: SwapHistory['stage'],
  failure?: string,
): HistoryEntry {
  const side = (s: CertificateSwap['from']) => ({ id: s.id, holderName: s.holderName, sha256: s.sha256, notAfter: s.notAfter });
  return historyEntry(user, now, swap.environment, 'swap', from, {
    swap: {
      swapId: swap.id,
      stage,
      from: side(swap.from),
      to: side(swap.to),
      results: stage === 'scheduled' || stage === 'cancelled' ? notYetMoved(from) : swap.results,
      scheduledFor: swap.scheduledFor,
      ...(failure ? { failure } : {}),
    },
  });
}

/** Before it runs, the entry lists the links as they would move (the old one's links, not yet judged). */
function notYetMoved(from: InstalledCertificate): LinkResult[] {
  return from.links.map((l) => ({ ...l, installed: false, observation: null }));
}

/** Keeps every pending swap and the newest ENDED_SWAPS_KEPT others. */
export function pruneSwaps(swaps: CertificateSwap[]): CertificateSwap[] {
  const ended = swaps.filter((s) => s.state !== 'pending');
  const drop = new Set(ended.slice(0, Math.max(0, ended.length - ENDED_SWAPS_KEPT)).map((s) => s.id));
  return swaps.filter((s) => !drop.has(s.id));
}

export type { Catalogue };

/**
 * The old certificate as the history names it when its record is gone (deleted before an undo, or
 * before a scheduled swap ran): only what the swap itself kept about it.
 */
export function detachedFrom(swap: CertificateSwap): InstalledCertificate {
  const f = swap.from;
  return {
    id: f.id,
    certificate: { holderName: f.holderName, cnpj: f.cnpj, cpf: f.cpf, notAfter: f.notAfter, fingerprints: { sha256: f.sha256 } },
    links: [],
  } as unknown as InstalledCertificate;
}
