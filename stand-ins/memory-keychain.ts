import type { SecretStore } from '@certdesk/core/secret-store';

/**
 * In-memory double for unit tests of services that use secrets but are not about the keychain
 * (the keychain itself is tested against the real gnome-keyring).
 */
export class MemoryKeychain implements SecretStore {
  readonly entries = new Map<string, string>();

  async get(account: string): Promise<string | null> {
    return this.entries.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    this.entries.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.entries.delete(account);
  }
}
