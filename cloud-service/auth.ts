/**
 * Sign-in and sessions, in the database so they survive a restart and hold on every instance. Only
 * the SHA-256 of a session token is stored; a dump shows no usable token. Throttling per login and
 * per address: sign-in-throttle.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from './db/database';
import { verifyPassword } from './passwords';
import { SessionReads } from './session-reads';
import { SignInThrottle, ThrottledError } from './sign-in-throttle';
import type { Role } from './tenants';

export { MAX_FAILURES } from './sign-in-throttle';

export interface Caller {
  tenantId: string;
  tenantCode: string;
  userId: string;
  name: string;
  login: string;
  role: Role;
}

export class SignInError extends Error {
  constructor(
    readonly status: 401 | 403 | 429,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest();

interface UserRow {
  id: string;
  tenant_id: string;
  code: string;
  login: string;
  name: string;
  role: Role;
  password_hash: string;
  disabled: boolean;
}

/** What sign-in reports for the operator's metrics: a password judged, an attempt refused. */
export interface SignInEvents {
  passwordJudged?(): void;
  failed?(reason: 'wrong-password' | 'throttled' | 'disabled'): void;
}

export class Auth {
  private readonly throttle: SignInThrottle;
  private readonly sessions: SessionReads;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
    private readonly sessionHours = 8,
    private readonly events: SignInEvents = {},
  ) {
    this.throttle = new SignInThrottle(db, now);
    this.sessions = new SessionReads(db, now);
  }

  async signIn(
    method: 'sso' | 'cloud',
    login: string,
    password: string,
    address: string,
  ): Promise<{ token: string; expiresAt: string; user: { name: string; role: Role } }> {
    const normalized = login.trim().toLowerCase();
    let attempt;
    try {
      attempt = await this.throttle.begin(`${method}:${normalized}`, address);
    } catch (error) {
      if (!(error instanceof ThrottledError)) throw error;
      this.events.failed?.('throttled');
      throw new SignInError(429, error.message, error.retryAfterSeconds);
    }
    let user: UserRow | undefined;
    try {
      const rows = await this.db.query<UserRow>(
        `select u.id, u.tenant_id, t.code, u.login, u.name, u.role, u.password_hash, u.disabled
           from users u join tenants t on t.id = u.tenant_id where u.login = $1 and u.method = $2`,
        [normalized, method],
      );
      user = rows[0];
      this.events.passwordJudged?.();
      const ok = (await verifyPassword(password, user?.password_hash ?? null)) && !!user;
      if (!ok) user = undefined;
    } catch (error) {
      attempt.failed();
      throw error;
    }
    if (!user) {
      attempt.failed();
      this.events.failed?.('wrong-password');
      throw new SignInError(401, 'Usuário ou senha incorretos.');
    }
    await attempt.succeeded();
    // Only the right password learns that the account is disabled: a wrong one gets the answer above,
    // so the state of an account tells nothing to someone guessing.
    if (user.disabled) {
      this.events.failed?.('disabled');
      throw new SignInError(403, 'Esta conta está desativada: peça a um administrador da sua empresa para reativá-la.');
    }
    const now = this.now();
    await this.db.query('delete from sessions where expires_at < $1', [now]);
    const token = randomBytes(32).toString('base64url');
    const expires = new Date(now.getTime() + this.sessionHours * 3600_000);
    await this.db.query('insert into sessions (token_hash, user_id, tenant_id, expires_at) values ($1, $2, $3, $4)', [
      hashToken(token),
      user.id,
      user.tenant_id,
      expires,
    ]);
    return { token, expiresAt: expires.toISOString(), user: { name: user.name, role: user.role } };
  }

  /** The caller of a bearer token, or null (unknown, expired, signed out, user disabled). */
  async authenticate(token: string | undefined): Promise<Caller | null> {
    return (await this.authenticateIn(token, null))?.caller ?? null;
  }

  /**
   * The caller, and read in the same round trip the revision of its tenant's workspace in
   * `environment` (null: none yet, or no environment asked). The list cache checks that revision
   * (list-cache.ts) instead of reading it again: one database round trip per cached list, not two —
   * shared with the other requests arriving at the same moment (session-reads.ts).
   */
  async authenticateIn(token: string | undefined, environment: string | null): Promise<{ caller: Caller; revision: number | null } | null> {
    if (!token) return null;
    const row = await this.sessions.read(hashToken(token), environment);
    if (!row) return null;
    const caller = {
      tenantId: row.tenant_id,
      tenantCode: row.code,
      userId: row.user_id,
      name: row.name,
      login: displayLogin(row.login, row.code),
      role: row.role,
    };
    return { caller, revision: row.revision === null ? null : Number(row.revision) };
  }

  async signOut(token: string): Promise<void> {
    await this.db.query('delete from sessions where token_hash = $1', [hashToken(token)]);
  }
}

/** `exemplo.joao` as the company writes it: `EXEMPLO.joao`; e-mails as stored. */
function displayLogin(login: string, code: string): string {
  return login.startsWith(`${code.toLowerCase()}.`) ? `${code}${login.slice(code.length)}` : login;
}
