import type { ApiErrorPayload, PfxInspection } from '@certdesk/shared/contract';

/**
 * Messages between the pool and pfx-worker (structured-cloned, so plain data only). A job names a
 * file to read, or carries the bytes themselves in an ArrayBuffer the pool transfers (an upload
 * the cloud inspects: it never touches a disk, nor the server's event loop).
 */
export type WorkerRequest = {
  id: number;
  password: string | null;
  now: number;
  /** Also answer the certificates (DER, base64; leaf first) for the trust check, which runs outside the worker. */
  withCertificates?: boolean;
} & ({ path: string } | { bytes: ArrayBuffer; name: string });

export type WorkerResponse =
  { id: number; ok: true; result: PfxInspection; certificates?: string[] } | { id: number; ok: false; error: ApiErrorPayload };
