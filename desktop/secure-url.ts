import type { ErrorCode } from '@certdesk/shared/contract';
import { CertdeskError } from '@certdesk/core/errors';

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

/**
 * Redirects. A request that carries a secret — a password, the cloud
 * session token, InvoiCy's EmpPK/EmpCK — follows none: a redirect would re-send it (307/308 keep
 * the body) to an address nobody configured. A request that carries none (the WSDL, by GET) may
 * follow one only to an address `checkSecureUrl` accepts. A redirect not followed is an error that
 * names where it pointed.
 */
export const isRedirect = (status: number): boolean => status >= 300 && status < 400;

/** `location` resolved against the address that answered it, or null when it is no URL. */
function redirectUrl(location: string | null | undefined, from: string): URL | null {
  if (!location) return null;
  try {
    return new URL(location, from);
  } catch {
    return null;
  }
}

/** Whether a request without secrets may follow a redirect from `from` to `location`. */
export function mayFollowRedirect(location: string | null | undefined, from: string): boolean {
  const target = redirectUrl(location, from);
  if (!target) return false;
  try {
    checkSecureUrl(target.href, 'de destino');
    return true;
  } catch {
    return false;
  }
}

/** The error for a redirect answer that was not followed: scheme and host of its target, never path or query. */
export function redirectNotFollowed(
  code: ErrorCode,
  service: string,
  status: number,
  location: string | null | undefined,
  from: string,
): CertdeskError {
  const target = redirectUrl(location, from);
  const where = !location
    ? 'um endereço não informado'
    : !target
      ? 'um endereço inválido'
      : target.host
        ? `${target.protocol}//${target.host}`
        : target.protocol;
  return new CertdeskError(
    code,
    `${service} respondeu com um redirecionamento (HTTP ${status}) para ${where}, que não foi seguido: ` +
      'senhas, chaves e sessões nunca são reenviadas a outro endereço. Confira o endereço configurado.',
  );
}
