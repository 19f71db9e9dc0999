/**
 * Secrets (remembered PFX passwords, InvoiCy keys, cloud tokens) live only in the OS keychain:
 * Windows Credential Manager, macOS Keychain, Secret Service on Linux. When no keychain answers we
 * refuse to store rather than fall back to a file in clear.
 */
import { AsyncEntry } from '@napi-rs/keyring';
import { CertdeskError } from '@certdesk/core/errors';
import { keychainUnavailable, type SecretStore } from '@certdesk/core/secret-store';

export type { SecretStore } from '@certdesk/core/secret-store';

export const KEYCHAIN_SERVICE = 'CertDesk';

/** The OS keychain through @napi-rs/keyring; `service` separates test runs from the real app. */
export class OsKeychain implements SecretStore {
  constructor(private readonly service = KEYCHAIN_SERVICE) {}

  private entry(account: string): AsyncEntry {
    if (!account) throw new CertdeskError('INVALID_REQUEST', 'Conta do cofre vazia.');
    // Why secret-service on Linux: the library's fallback, the kernel keyring, forgets everything
    // at logout, and "remember this password" must mean remember.
    return new AsyncEntry(this.service, account, { linux: { store: 'secret-service' } });
  }

  async get(account: string): Promise<string | null> {
    try {
      return (await this.entry(account).getPassword()) ?? null;
    } catch (error) {
      if (error instanceof CertdeskError) throw error;
      throw keychainUnavailable();
    }
  }

  async set(account: string, secret: string): Promise<void> {
    try {
      await this.entry(account).setPassword(secret);
    } catch (error) {
      if (error instanceof CertdeskError) throw error;
      throw keychainUnavailable();
    }
  }

  async delete(account: string): Promise<boolean> {
    try {
      return await this.entry(account).deletePassword();
    } catch (error) {
      if (error instanceof CertdeskError) throw error;
      throw keychainUnavailable();
    }
  }
}
