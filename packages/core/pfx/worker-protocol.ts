import type { ApiErrorPayload, PfxInspection } from '@certdesk/shared/contract';

/** Messages between the pool and pfx-worker (structured-cloned, so plain data only). */
export interface WorkerRequest {
  id: number;
  path: string;
  password: string | null;
  now: number;
  /** Also answer the certificates (DER, base64; leaf first) for the trust check, which runs outside the worker. */
  withCertificates?: boolean;
}

export type WorkerResponse =
  { id: number; ok: true; result: PfxInspection; certificates?: string[] } | { id: number; ok: false; error: ApiErrorPayload };
