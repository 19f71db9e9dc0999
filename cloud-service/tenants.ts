/**
 * Tenants (one per client company, keyed by its CódigoCloud) and their users, as the administration
 * command and the demo seed manage them; and the keyring that unwraps each tenant's data key.
 */
import { randomUUID } from 'node:crypto';
import { CertdeskError } from '@certdesk/core/errors';
import type { Database, Queryable } from './db/database';
import { newWrappedDek, rewrapDek, unwrapDek, type Kek } from './crypto';
import { hashPassword } from './passwords';

export type Role = 'administrator' | 'read-only';

const TENANT_CODE = /^[A-Z0-9_-]{1,40}$/;
const USER_PART = /^[^.\s@]{1,60}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,63}$/;

export function normalizeTenantCode(code: string): string {
  const upper = code.trim().toUpperCase();
  if (!TENANT_CODE.test(upper)) throw new CertdeskError('INVALID_DATA', `CódigoCloud inválido: ${code} (letras, dígitos, - e _).`);
  return upper;
}

export class Tenants {
  private readonly deks = new Map<string, Buffer>();

  constructor(
    private readonly db: Database,
    private readonly keks: Kek[],
  ) {}

  async add(code: string, name: string): Promise<{ id: string; code: string }> {
    const normalized = normalizeTenantCode(code);
    if (!name.trim()) throw new CertdeskError('INVALID_DATA', 'Informe o nome da empresa.');
    const id = randomUUID();
    const { wrapped, kekId } = newWrappedDek(this.keks[0]!, id);
    const rows = await this.db.query<{ id: string }>(
      `insert into tenants (id, code, name, dek_wrapped, kek_id) values ($1, $2, $3, $4, $5)
       on conflict (code) do nothing returning id`,
      [id, normalized, name.trim(), wrapped, kekId],
    );
    if (!rows.length) throw new CertdeskError('INVALID_DATA', `O cliente ${normalized} já existe.`);
    return { id, code: normalized };
  }

  async byCode(code: string): Promise<{ id: string; code: string; name: string } | null> {
    const rows = await this.db.query<{ id: string; code: string; name: string }>('select id, code, name from tenants where code = $1', [
      normalizeTenantCode(code),
    ]);
    return rows[0] ?? null;
  }

  /**
   * A user of a tenant: `CÓDIGO.usuário` (method cloud, tenant from the prefix) or an SSO e-mail
   * (tenant given). Logins are unique across tenants, so a sign-in names exactly one tenant.
   */
  async addUser(request: NewUser): Promise<string> {
    const { login, tenantCode } = checkNewUser(request);
    const tenant = await this.byCode(tenantCode);
    if (!tenant) throw new CertdeskError('NOT_FOUND', `Cliente ${tenantCode} não cadastrado (cloud:admin tenant add).`);
    const id = randomUUID();
    const rows = await this.db.query<{ id: string }>(
      `insert into users (id, tenant_id, login, method, name, role, password_hash) values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (login) do nothing returning id`,
      [
        id,
        tenant.id,
        login.toLowerCase(),
        request.sso ? 'sso' : 'cloud',
        request.name.trim() || login,
        request.role,
        await hashPassword(request.password),
      ],
    );
    if (!rows.length) throw new CertdeskError('INVALID_DATA', `O usuário ${login} já existe.`);
    return id;
  }

  /** Disabled users cannot sign in, and their open sessions end now. */
  async disableUser(login: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string }>('update users set disabled = true where login = $1 returning id', [
        login.trim().toLowerCase(),
      ]);
      if (!rows.length) throw new CertdeskError('NOT_FOUND', `Usuário ${login} não encontrado.`);
      await tx.query('delete from sessions where user_id = $1', [rows[0]!.id]);
    });
  }

  /**
   * Every tenant's data key opens with this instance's KEKs; otherwise KekError naming the KEK id the
   * data needs. Run at start, so a misconfigured instance refuses to start instead of failing installs.
   */
  async verifyKeks(): Promise<{ tenants: number }> {
    const rows = await this.db.query<{ id: string; dek_wrapped: Buffer; kek_id: string }>('select id, dek_wrapped, kek_id from tenants');
    for (const row of rows) this.deks.set(row.id, unwrapDek(this.keks, row.kek_id, Buffer.from(row.dek_wrapped), row.id));
    return { tenants: rows.length };
  }

  /** The tenant's data key, unwrapped once per process. */
  async dek(tenantId: string, tx: Queryable = this.db): Promise<Buffer> {
    const cached = this.deks.get(tenantId);
    if (cached) return cached;
    const rows = await tx.query<{ dek_wrapped: Buffer; kek_id: string }>('select dek_wrapped, kek_id from tenants where id = $1', [
      tenantId,
    ]);
    if (!rows[0]) throw new CertdeskError('NOT_FOUND', 'Cliente inexistente.');
    const dek = unwrapDek(this.keks, rows[0].kek_id, Buffer.from(rows[0].dek_wrapped), tenantId);
    this.deks.set(tenantId, dek);
    return dek;
  }

  /** KEK rotation: every tenant's DEK rewrapped under the current KEK, in one transaction. */
  async rewrapAll(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string; dek_wrapped: Buffer; kek_id: string }>(
        'select id, dek_wrapped, kek_id from tenants for update',
      );
      let changed = 0;
      for (const row of rows) {
        if (row.kek_id === this.keks[0]!.id) continue;
        const next = rewrapDek(this.keks, row.kek_id, Buffer.from(row.dek_wrapped), row.id);
        await tx.query('update tenants set dek_wrapped = $2, kek_id = $3 where id = $1', [row.id, next.wrapped, next.kekId]);
        changed++;
      }
      return changed;
    });
  }
}

export interface NewUser {
  login: string;
  sso: boolean;
  tenantCode?: string;
  name: string;
  role: Role;
  password: string;
}

/**
 * The rules a new user's request must meet before anything is stored: the login's form, its tenant,
 * the password's length, the role. Pure, so the admin command checks them before opening the database.
 * Answers the login as stored and the tenant it names.
 */
export function checkNewUser(request: NewUser): { login: string; tenantCode: string } {
  let tenantCode = request.tenantCode;
  let login = request.login.trim();
  if (request.sso) {
    if (!EMAIL.test(login)) throw new CertdeskError('INVALID_DATA', `E-mail inválido: ${login}.`);
    if (!tenantCode) throw new CertdeskError('INVALID_DATA', 'Usuário SSO precisa de --tenant CÓDIGO.');
  } else {
    const [prefix, user, ...rest] = login.split('.');
    if (!prefix || !user || rest.length || !USER_PART.test(user))
      throw new CertdeskError('INVALID_DATA', `Login inválido: ${login} (use CÓDIGO.usuário).`);
    if (tenantCode && normalizeTenantCode(tenantCode) !== normalizeTenantCode(prefix))
      throw new CertdeskError('INVALID_DATA', `O login ${login} não pertence ao cliente ${tenantCode}.`);
    tenantCode = prefix;
    login = `${normalizeTenantCode(prefix)}.${user}`;
  }
  if (request.password.length < 8) throw new CertdeskError('INVALID_DATA', 'A senha precisa de ao menos 8 caracteres.');
  if (!['administrator', 'read-only'].includes(request.role))
    throw new CertdeskError('INVALID_DATA', 'Papel inválido: administrator ou read-only.');
  return { login, tenantCode };
}
