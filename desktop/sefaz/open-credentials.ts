/**
 * The one place the desktop opens a PFX for a SEFAZ check (its key and chain for mutual TLS). It runs
 * CertDesk's PKCS#12 engine on the calling thread today (~20–30 ms a certificate, measured in
 * docs/DECISIONS.md), once per certificate and check, and only when an answer is not already kept.
 * Moving it to the PFX worker pool means changing this function alone.
 */
import { tlsCredentialsFromPfx, type TlsCredentials } from '@certdesk/core/pfx/tls-credentials';

export async function openCheckCredentials(pfx: Buffer, password: string | null, now: Date): Promise<TlsCredentials> {
  return tlsCredentialsFromPfx(pfx, password, now);
}
