/**
 * The contract's swap operations (openapi.json 1.7.0): "Substituir / Renovar" now or scheduled, the
 * list of pending and recent swaps, cancel and undo. Changes are for administrators.
 */
import type { Environment } from '@certdesk/shared/environment';
import { CertdeskError } from '@certdesk/core/errors';
import type { TenantSwaps } from '../tenant-swaps';
import type { OperationRequest, OperationTable } from './operations';

const env = (r: OperationRequest) => r.params['environment'] as Environment;

export function swapOperations(swaps: TenantSwaps): OperationTable {
  return {
    swapCertificate: {
      admin: true,
      run: async (r) => {
        const body = r.body as { fileName: string; pfxBase64: string; password: string | null; scheduledFor?: string | null };
        if (/[\\/\u0000-\u001f]/.test(body.fileName) || /^\.+$/.test(body.fileName.trim()))
          throw new CertdeskError('INVALID_REQUEST', 'Requisição inválida: fileName deve ser só o nome do arquivo, sem pastas.');
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body.pfxBase64) || body.pfxBase64.length % 4 !== 0)
          throw new CertdeskError('INVALID_REQUEST', 'Requisição inválida: pfxBase64 não é base64 válido.');
        const pfx = Buffer.from(body.pfxBase64, 'base64');
        return [201, await swaps.swap(r.caller, env(r), r.params['id']!, { ...body, pfx })];
      },
    },
    listSwaps: { admin: false, run: async (r) => [200, await swaps.list(r.caller, env(r))] },
    cancelSwap: { admin: true, run: async (r) => [200, await swaps.cancel(r.caller, env(r), r.params['swapId']!)] },
    undoSwap: { admin: true, run: async (r) => [200, await swaps.undo(r.caller, env(r), r.params['swapId']!)] },
  };
}
