/**
 * Secrets the desktop needs to keep working for the running session when the OS keychain is not
 * there (a fresh Linux without a Secret Service, a locked-down Windows profile): the cloud session
 * token and the InvoiCy keys. They go to the keychain when it answers; otherwise they are held in
 * this process's memory only — never written to disk — and forgotten when CertDesk closes. The
 * screens say so once, with how to enable a keychain (docs/SECURITY.md, "Secrets").
 */
import { CertdeskError } from '@certdesk/core/errors';
import type { SecretStore } from './keychain';

/** Where a secret ended up: the keychain (kept), or memory (this session only). */
export type KeptIn = 'keychain' | 'session';

const unavailable = (error: unknown) => error instanceof CertdeskError && error.code === 'KEYCHAIN_UNAVAILABLE';

export class SessionSecrets {
  private readonly memory = new Map<string, string>();

  constructor(private readonly keychain: SecretStore) {}

  async set(account: string, secret: string): Promise<KeptIn> {
    try {
      await this.keychain.set(account, secret);
      this.memory.delete(account);
      return 'keychain';
    } catch (error) {
      if (!unavailable(error)) throw error;
      this.memory.set(account, secret);
      return 'session';
    }
  }

  async get(account: string): Promise<string | null> {
    const held = this.memory.get(account);
    if (held !== undefined) return held;
    try {
      return await this.keychain.get(account);
    } catch (error) {
      if (unavailable(error)) return null;
      throw error;
    }
  }

  async delete(account: string): Promise<void> {
    this.memory.delete(account);
    await this.keychain.delete(account).catch((error: unknown) => {
      if (!unavailable(error)) throw error;
    });
  }

  /** True while `account` lives only in memory (the screens say "only while CertDesk is open"). */
  sessionOnly(account: string): boolean {
    return this.memory.has(account);
  }
}
