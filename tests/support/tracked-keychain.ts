import { keychainUnavailable, type SecretStore } from '@certdesk/core/secret-store';

/**
 * The end-to-end suite's keychain: the real OS keychain under a per-run, per-test service name,
 * remembering what it wrote so the suite can remove every entry afterwards (the keychain cannot
 * list a service's accounts).
 */
export class TrackedKeychain implements SecretStore {
  private readonly written = new Set<string>();

  constructor(private readonly inner: SecretStore) {}

  get(account: string): Promise<string | null> {
    return this.inner.get(account);
  }

  async set(account: string, secret: string): Promise<void> {
    await this.inner.set(account, secret);
    this.written.add(account);
  }

  async delete(account: string): Promise<boolean> {
    this.written.delete(account);
    return this.inner.delete(account);
  }

  /** Delete every entry this run wrote. */
  async clear(): Promise<void> {
    for (const account of [...this.written]) await this.delete(account).catch(() => false);
  }
}

/**
 * A machine with no keychain at all, as the end-to-end suite shows it to the UI (`/test/reset` with
 * `{"keychain": "none"}`): every call fails the way the real client does without a Secret Service.
 * The real client in that situation is tested in tests/unit/workspace-safety.test.ts.
 */
export class NoKeychain implements SecretStore {
  async get(): Promise<string | null> {
    throw keychainUnavailable();
  }

  async set(): Promise<void> {
    throw keychainUnavailable();
  }

  async delete(): Promise<boolean> {
    throw keychainUnavailable();
  }
}
