import { CertdeskError } from './errors';

/**
 * Addresses of remote services (InvoiCy, the cloud backend): https only, except plain http on this
 * computer (the stand-in and reference servers in tests and demos). TLS verification is never
 * turned off, so this is the whole policy. Returns the URL without query and trailing slash.
 */
export function checkSecureUrl(url: string, what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new CertdeskError('INVALID_DATA', `Endereço ${what} inválido.`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new CertdeskError('INVALID_DATA', `Use um endereço https:// ${what} (http só é aceito para um servidor neste computador).`);
  }
  parsed.search = '';
  return parsed.toString().replace(/\/$/, '');
}
