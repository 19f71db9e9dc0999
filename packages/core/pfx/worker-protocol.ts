import type { ApiErrorPayload, PfxInspection } from '@certdesk/shared/contract';
import type { SelectionItem } from '@certdesk/shared/workspace';
import type { TlsCredentials } from './tls-credentials';

/**
 * Messages between the pool and pfx-worker (structured-cloned, so plain data only). A job names a
 * file to read, or carries the bytes themselves in an ArrayBuffer the pool transfers (an upload
 * the cloud inspects: it never touches a disk, nor the server's event loop), or the raw body of a
 * cloud install, which the worker reads (JSON, contract, base64) before opening the PFX in it, or
 * a stored PFX whose key and chain a mutual-TLS connection needs (tls-credentials.ts).
 */
export type WorkerRequest = {
  id: number;
  password: string | null;
  now: number;
  /** Also answer the certificates (DER, base64; leaf first) for the trust check, which runs outside the worker. */
  withCertificates?: boolean;
} & ({ path: string } | { bytes: ArrayBuffer; name: string } | { installBody: ArrayBuffer } | { tlsCredentials: ArrayBuffer });

/**
 * What the worker read from an install's body (cloud-api/install-body.ts) besides the inspection:
 * the request's fields and the PFX itself, whose bytes come back by transfer to be sealed and kept.
 */
export interface WorkerInstallUpload {
  fileName: string;
  pfx: ArrayBuffer;
  password: string | null;
  selection: SelectionItem[];
  manual?: boolean;
}

export type WorkerResponse =
  | { id: number; ok: true; result: PfxInspection; certificates?: string[]; upload?: WorkerInstallUpload; tls?: TlsCredentials }
  | { id: number; ok: false; error: ApiErrorPayload };
