/**
 * The review before "Substituir / Renovar" confirms: the new file is opened on this computer (as the
 * add wizard does: nothing is sent before the user confirms), the old certificate and the catalogue
 * come from the environment's backend, and @certdesk/shared/certificate-swap compares them with the
 * install's own rules. The same for the embedded workspace and the cloud.
 */
import type { Environment, PfxInspection } from '@certdesk/shared/contract';
import { compareSwap, type SwapComparison } from '@certdesk/shared/certificate-swap';
import type { WorkspaceStatus } from '@certdesk/shared/workspace';
import type { ManagementBackend } from '@certdesk/core/workspace/management-backend';
import { checkSwappable, swapMoment } from '@certdesk/core/workspace/swap-records';

export async function reviewSwap(
  backend: ManagementBackend,
  status: WorkspaceStatus,
  inspect: (path: string, password: string | null) => Promise<PfxInspection>,
  request: { environment: Environment; id: string; path: string; password: string | null; scheduledFor?: string | null },
  now: Date,
): Promise<SwapComparison> {
  const at = swapMoment(request.scheduledFor, now) ?? now;
  const [old, inspection, swaps] = await Promise.all([
    backend.get(request.environment, request.id),
    inspect(request.path, request.password),
    backend.swaps(request.environment),
  ]);
  checkSwappable(inspection, at);
  const pending = swaps.some((s) => s.state === 'pending' && s.from.id === request.id);
  return compareSwap(old, { id: 'novo', certificate: inspection.certificate }, status, { at, pending });
}
