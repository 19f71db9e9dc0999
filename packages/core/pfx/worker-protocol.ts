import type { ApiErrorPayload, PfxInspection } from '@certdesk/shared/contract';

/** Messages between the pool and pfx-worker (structured-cloned, so plain data only). */
export interface WorkerRequest {
  id: number;
  path: string;
  password: string | null;
  now: number;
}

export type WorkerResponse = { id: number; ok: true; result: PfxInspection } | { id: number; ok: false; error: ApiErrorPayload };
