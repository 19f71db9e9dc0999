/**
 * The chain and revocation check as both backends use it (the embedded workspace and CertDesk
 * Cloud): at install — the network's answer if it comes in time, else what the cache says, the
 * network's answer kept when it comes — and again in the background. A revoked certificate is not
 * installed, and like an expired one it can only be deleted. Offline never blocks: no answer in
 * time is "not checked", kept and asked again later.
 */
import { certificateRevoked, type TrustReport } from '@certdesk/shared/trust';
import { CertdeskError } from '../errors';
import { isRecheckDue } from '../trust/revocation';
import type { EvaluateOptions } from '../trust/trust-service';

/**
 * The engine's evaluation as the workspaces use it (TrustService satisfies it). `checkAtInstall`
 * relies on `stopWaitingForPlace` and `onPlace` being honoured: an evaluation told to stop waiting
 * before it got a place answers from the cache at once.
 */
export interface TrustEvaluator {
  evaluate(leaf: Buffer, others: Buffer[], options: EvaluateOptions): Promise<TrustReport>;
}

/**
 * How long an install waits for the network's answer. Past it the install goes on with what the
 * cache says; the network's answer is kept when it comes. Below the desktop's 15 s cloud timeout,
 * with room for opening the file and the database (docs/DECISIONS.md, "Revocation in the product").
 */
export const INSTALL_CHECK_WAIT_MS = 5_000;
/** The background recheck downloads again what was kept longer ago than this ("daily"). */
export const RECHECK_REFRESH_MS = 12 * 3_600_000;
/** A file's other certificates kept for the recheck: a chain is at most 10 levels. */
const MAX_OTHER_CERTIFICATES = 9;

/** What is kept to check again: the leaf and a bounded number of the file's other certificates. */
export function certificatesToKeep(certificates: Buffer[]): Buffer[] {
  return certificates.slice(0, 1 + MAX_OTHER_CERTIFICATES);
}

export interface InstallCheck {
  /** The answer the install keeps now (null: none could be made). */
  report: TrustReport | null;
  /** The network's answer still on its way, to keep when it comes (null: `report` is it). */
  later: Promise<TrustReport | null> | null;
  /**
   * The network was never asked (no place free for it within the wait, or the tenant's checks in
   * flight at their limit): `report` is the cache's, and the certificate is due for the background
   * recheck at once.
   */
  unasked?: boolean;
}

/**
 * The check at install: online, waited for at most `waitMs`; past it, the cache's answer now and
 * the network's in `later` — unless the check was still queued for one of the engine's network
 * places: then it leaves the queue, answers from the cache and is `unasked` (due for the
 * recheck), instead of taking a place later for an install that stopped waiting. Never throws: a
 * check that fails leaves the certificate unchecked.
 */
export async function checkAtInstall(
  evaluator: TrustEvaluator,
  certificates: Buffer[],
  waitMs = INSTALL_CHECK_WAIT_MS,
): Promise<InstallCheck> {
  const [leaf, ...others] = certificates;
  if (!leaf) return { report: null, later: null };
  let placed = false;
  const stopWaiting = new AbortController();
  const online = evaluator
    .evaluate(leaf, others, { online: true, stopWaitingForPlace: stopWaiting.signal, onPlace: () => (placed = true) })
    .catch(() => null);
  let timer: NodeJS.Timeout | undefined;
  const waited = await Promise.race([
    online.then((report) => ({ report })),
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs))),
  ]);
  clearTimeout(timer);
  if (waited) return { report: waited.report, later: null };
  stopWaiting.abort(); // a check still queued leaves the queue now and answers from the cache
  if (!placed) return { report: await online, later: null, unasked: true };
  const cached = await evaluator.evaluate(leaf, others, { online: false }).catch(() => null);
  return { report: cached, later: online };
}

/** The background recheck's options at `now`: online, and what was kept since long enough asked again. */
export const recheckOptions = (now: Date): EvaluateOptions => ({
  online: true,
  refreshKeptBefore: new Date(now.getTime() - RECHECK_REFRESH_MS),
});

/** Refuses to install a certificate whose check says revoked. */
export function refuseRevokedInstall(report: TrustReport | null): void {
  if (report?.revocation.status === 'revoked')
    throw new CertdeskError('CERTIFICATE_REVOKED', `${certificateRevoked(report)}: não pode ser instalado.`);
}

/** Refuses to change a revoked certificate's links: like an expired one, it can only be deleted. */
export function refuseRevokedEdit(report: TrustReport | null | undefined): void {
  if (report?.revocation.status === 'revoked')
    throw new CertdeskError('CERTIFICATE_REVOKED', `${certificateRevoked(report)}: a única ação permitida é a exclusão.`);
}

/** Whether a kept answer is due again at `now` (never checked: due). */
export const isDue = (report: TrustReport | null, now: Date) => !report || isRecheckDue(report.revocation, now);
