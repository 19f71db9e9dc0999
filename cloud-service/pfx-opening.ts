/**
 * The one place CertDesk Cloud opens a PFX: an install's upload, and the revocation job's first
 * check of a certificate installed before the checks existed (it reads the certificates out of the
 * stored file). Opening runs the PKCS#12 engine — key derivation, decryption, certificate parsing —
 * which must not run on the server's event loop. Today it still runs in the calling thread, as
 * installs always did; every caller awaits this function, so moving it to the PFX worker pool
 * changes this file only.
 */
import type { PfxInspection } from '@certdesk/shared/contract';
import { inspectBytes } from '@certdesk/core/pfx/inspect';

export interface OpenedPfx {
  inspection: PfxInspection;
  /** DER, the inspection's certificate first, then the file's others (none for a key-only file). */
  certificates: Buffer[];
}

/** Opens `pfx` with `password` as the inspector would (the same errors, CertdeskError with a code). */
export async function openPfx(pfx: Buffer, fileName: string, password: string | null, now: Date): Promise<OpenedPfx> {
  let certificates: Buffer[] = [];
  const inspection = inspectBytes(pfx, fileName, {
    password,
    now,
    onCertificates: (leaf, others) => (certificates = [leaf, ...others]),
  });
  return { inspection, certificates };
}
