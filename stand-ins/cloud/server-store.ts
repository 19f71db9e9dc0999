/**
 * The reference cloud server's own storage: users (scrypt-hashed passwords) and the secret store for
 * installed PFX passwords — a server-side file readable only by its owner, since a server has no
 * desktop keychain. Never used by the desktop app.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { SecretStore } from '#core/keychain/keychain';
import { DurableJsonFile } from '#core/workspace/durable-file';

export type Role = 'administrator' | 'read-only';

export interface CloudUser {
  name: string;
  role: Role;
  /** SSO e-mail, or `CódigoCloud.usuário`. */
  login: string;
  method: 'sso' | 'cloud';
  salt: string;
  hash: string;
}

/** Demo accounts of a fresh reference server (documented in the README; change them for real use). */
export const DEMO_USERS: { name: string; role: Role; login: string; method: 'sso' | 'cloud'; password: string }[] = [
  { name: 'Ana Administradora', role: 'administrator', login: 'ana@empresa.com.br', method: 'sso', password: 'Admin#2026' },
  { name: 'Administrador', role: 'administrator', login: 'EXEMPLO.admin', method: 'cloud', password: 'Admin#2026' },
  { name: 'João (consulta)', role: 'read-only', login: 'EXEMPLO.joao', method: 'cloud', password: 'Leitura#2026' },
];

const hashOf = (password: string, salt: string) => scryptSync(password, salt, 32).toString('hex');

export class UserStore {
  private constructor(private readonly db: Low<{ users: CloudUser[] }>) {}

  static async open(dir: string): Promise<UserStore> {
    await mkdir(dir, { recursive: true });
    const db = new Low<{ users: CloudUser[] }>(new DurableJsonFile(join(dir, 'users.json')), { users: [] });
    await db.read();
    if (!db.data.users.length) {
      db.data.users = DEMO_USERS.map(({ password, ...user }) => {
        const salt = randomBytes(16).toString('hex');
        return { ...user, salt, hash: hashOf(password, salt) };
      });
      await db.write();
    }
    return new UserStore(db);
  }

  verify(method: 'sso' | 'cloud', login: string, password: string): CloudUser | null {
    const user = this.db.data.users.find((u) => u.method === method && u.login.toLowerCase() === login.toLowerCase());
    // Hash anyway when the user is unknown, so timing does not reveal which logins exist.
    const hash = Buffer.from(hashOf(password, user?.salt ?? 'x'), 'hex');
    return user && timingSafeEqual(hash, Buffer.from(user.hash, 'hex')) ? user : null;
  }
}

export class FileSecretStore implements SecretStore {
  private constructor(
    private readonly db: Low<Record<string, string>>,
    private readonly path: string,
  ) {}

  static async open(dir: string): Promise<FileSecretStore> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, 'secrets.json');
    const db = new Low<Record<string, string>>(new DurableJsonFile(path), {});
    await db.read();
    return new FileSecretStore(db, path);
  }

  private async persist(): Promise<void> {
    await this.db.write();
    if (process.platform !== 'win32') await chmod(this.path, 0o600);
  }

  async get(account: string): Promise<string | null> {
    return this.db.data[account] ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    this.db.data[account] = secret;
    await this.persist();
  }

  async delete(account: string): Promise<boolean> {
    const had = account in this.db.data;
    delete this.db.data[account];
    await this.persist();
    return had;
  }
}
