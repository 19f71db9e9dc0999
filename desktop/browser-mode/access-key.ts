/**
 * Who may talk to browser mode. Browser mode serves a user's certificates on a loopback port that
 * every local user can reach, so the token is the only thing between them (docs/SECURITY.md):
 *
 * - the start command prints (and opens) one address carrying the token, `/?token=…`, as Jupyter
 *   does; the server exchanges it for an HttpOnly, SameSite=Strict cookie and redirects to the
 *   same address without it, so the token leaves the address bar and the history;
 * - scripts and tests may send the token in `X-CertDesk-Token` instead;
 * - no response ever contains the token unless the request presented it.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-certdesk-token';

export class AccessKey {
  private readonly expected: Buffer;

  constructor(
    readonly token: string,
    /** Cookies are not port-scoped: two CertDesks on one host must not overwrite each other's. */
    readonly cookieName: string,
  ) {
    this.expected = Buffer.from(token);
  }

  matches(candidate: string | null | undefined): boolean {
    if (!candidate) return false;
    const given = Buffer.from(candidate);
    return given.length === this.expected.length && timingSafeEqual(given, this.expected);
  }

  fromHeader(req: IncomingMessage): boolean {
    return this.matches(String(req.headers[TOKEN_HEADER] ?? ''));
  }

  fromCookie(req: IncomingMessage): boolean {
    return this.matches(readCookie(String(req.headers.cookie ?? ''), this.cookieName));
  }

  /**
   * A call is authorized by the header, or by the cookie when the browser says it comes from this
   * very origin (SameSite=Strict already keeps other sites' requests from carrying the cookie; the
   * Origin check also covers browsers that ignore it).
   */
  call(req: IncomingMessage, origins: readonly string[]): boolean {
    if (this.fromHeader(req)) return true;
    const from = req.headers.origin;
    return this.fromCookie(req) && (from === undefined || origins.includes(from));
  }

  setCookie(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }
}

function readCookie(header: string, name: string): string | null {
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
}
