import type { ApiErrorPayload, PfxInspection } from '@certdesk/shared/contract';
import type { UploadOperation } from '../cloud-api/upload-body';
import type { TlsCredentials } from './tls-credentials';
import type { CrlJob, CrlJobAnswer } from '../trust/crl-worker-job';

/**
 * Messages between the pool and pfx-worker (structured-cloned, so plain data only). A job names a
 * file to read, or carries the bytes themselves in an ArrayBuffer the pool transfers (an upload
 * the cloud inspects: it never touches a disk, nor the server's event loop), or the raw body of a
 * cloud upload (an install, a swap), which the worker reads (JSON, contract, base64) before opening the PFX in it, or
 * a stored PFX whose key and chain a mutual-TLS connection needs (tls-credentials.ts), or a CRL to
 * read and verify against its issuer (trust/crl-worker-job.ts; `password` and `now` unused).
 */
export type WorkerRequest = {
  id: number;
  password: string | null;
  now: number;
  /** Also answer the certificates (DER, base64; leaf first) for the trust check, which runs outside the worker. */
  withCertificates?: boolean;
} & (
  | { path: string }
  | { bytes: ArrayBuffer; name: string }
  | { uploadBody: ArrayBuffer; operationId: UploadOperation }
  | { tlsCredentials: ArrayBuffer }
  | CrlJob
);

/**
 * What the worker read from an upload's body (cloud-api/upload-body.ts) besides the inspection: the
 * request's fields and the PFX itself, whose bytes come back by transfer to be sealed and kept.
 */
export interface WorkerUpload {
  fileName: string;
  pfx: ArrayBuffer;
  password: string | null;
  fields: Record<string, unknown>;
}

export type WorkerSuccess =
  | { id: number; ok: true; result: PfxInspection; certificates?: string[]; upload?: WorkerUpload; tls?: TlsCredentials }
  | { id: number; ok: true; crl: CrlJobAnswer };

export type WorkerResponse = WorkerSuccess | { id: number; ok: false; error: ApiErrorPayload };
