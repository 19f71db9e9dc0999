/**
 * The one place CertDesk Cloud opens a stored PFX for a SEFAZ check (its key and chain for mutual
 * TLS). Every check of the service goes through this function and nothing else opens a PFX for one,
 * so moving the work off the event loop — to the service's PFX worker pool — changes this file alone.
 * Today it runs CertDesk's PKCS#12 engine on the calling thread (~20–30 ms a certificate): once per
 * certificate and check, and only when one of its answers is not already kept.
 */
import { tlsCredentialsFromPfx, type TlsCredentials } from '@certdesk/core/pfx/tls-credentials';

export async function openCheckCredentials(pfx: Buffer, password: string | null, now: Date): Promise<TlsCredentials> {
  return tlsCredentialsFromPfx(pfx, password, now);
}
