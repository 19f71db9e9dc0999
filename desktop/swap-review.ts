/**
 * The review before "Substituir / Renovar" confirms: the new file is opened on this computer (as the
 * add wizard does: nothing is sent before the user confirms), the old certificate and the catalogue
 * come from the environment's backend, and @certdesk/shared/certificate-swap compares them with the
 * install's own rules. The new file's chain and revocation are checked here too, the way an install
 * checks them (checkAtInstall: the network's answer if it comes in time, else the cache's), so a
 * revoked file is refused in the review and not first at confirmation. The same for the embedded
 * workspace and the cloud (docs/DECISIONS.md, "The swap review's trust verdict").
 */
import type { Environment, PfxInspection } from '@certdesk/shared/contract';
import { compareSwap, type SwapComparison } from '@certdesk/shared/certificate-swap';
import type { WorkspaceStatus } from '@certdesk/shared/workspace';
import type { ManagementBackend } from '@certdesk/core/workspace/management-backend';
import { checkAtInstall, INSTALL_CHECK_WAIT_MS, type TrustEvaluator } from '@certdesk/core/workspace/revocation-check';
import { checkSwappable, swapMoment } from '@certdesk/core/workspace/swap-records';

export interface SwapReviewer {
  /** Opens a PFX and answers its certificates too (the worker pool's inspectWithCertificates). */
  open(path: string, password: string | null): Promise<{ inspection: PfxInspection; certificates: Buffer[] }>;
  /** The same engine an embedded install asks (its cache is the app's). */
  evaluator: TrustEvaluator;
  /** How long the review waits for the network (default: an install's INSTALL_CHECK_WAIT_MS). */
  waitMs?: number;
}

export async function reviewSwap(
  backend: ManagementBackend,
  status: WorkspaceStatus,
  reviewer: SwapReviewer,
  request: { environment: Environment; id: string; path: string; password: string | null; scheduledFor?: string | null },
  now: Date,
): Promise<SwapComparison> {
  const at = swapMoment(request.scheduledFor, now) ?? now;
  const [old, opened, swaps] = await Promise.all([
    backend.get(request.environment, request.id),
    reviewer.open(request.path, request.password),
    backend.swaps(request.environment),
  ]);
  const { inspection } = opened;
  checkSwappable(inspection, at);
  // Never throws: no answer in time is "not checked", shown and not refused (offline never blocks).
  const { report } = await checkAtInstall(reviewer.evaluator, opened.certificates, reviewer.waitMs ?? INSTALL_CHECK_WAIT_MS);
  const pending = swaps.some((s) => s.state === 'pending' && s.from.id === request.id);
  return compareSwap(old, { id: 'novo', certificate: inspection.certificate }, status, { at, pending, trust: report });
}
