/**
 * The contract's swap operations (openapi.json 1.7.0): "Substituir / Renovar" now or scheduled, the
 * list of pending and recent swaps, cancel and undo. Changes are for administrators.
 */
import type { Environment } from '@certdesk/shared/environment';
import type { TenantSwaps } from '../tenant-swaps';
import type { OperationRequest, OperationTable } from './operations';

const env = (r: OperationRequest) => r.params['environment'] as Environment;

export function swapOperations(swaps: TenantSwaps): OperationTable {
  return {
    // The body arrives raw (http/contract-routes.ts): read, checked against the contract and opened in a worker.
    swapCertificate: { admin: true, run: async (r) => [201, await swaps.swapUpload(r.caller, env(r), r.params['id']!, r.body as Buffer)] },
    listSwaps: { admin: false, run: async (r) => [200, await swaps.list(r.caller, env(r))] },
    cancelSwap: { admin: true, run: async (r) => [200, await swaps.cancel(r.caller, env(r), r.params['swapId']!)] },
    undoSwap: { admin: true, run: async (r) => [200, await swaps.undo(r.caller, env(r), r.params['swapId']!)] },
  };
}
