/**
 * "Lembrar senha neste computador": the password goes to the OS keychain under the certificate's
 * SHA-256 fingerprint (account `pfx:<sha256>`). Because an encrypted PFX does not reveal its
 * certificate without the password, a small lowdb index maps the file's own SHA-256 to that
 * fingerprint — hashes only, nothing secret — so the next open of the same file finds the password.
 */
import { Low } from 'lowdb';
import { join } from 'node:path';
import type { SecretStore } from '../keychain';
import { isRecord, openPreferences } from '../preferences';

interface RememberedIndex {
  /** file SHA-256 → certificate SHA-256 */
  files: Record<string, string>;
}

const account = (certificateSha256: string) => `pfx:${certificateSha256}`;

export class RememberedPasswords {
  private constructor(
    private readonly db: Low<RememberedIndex>,
    private readonly keychain: SecretStore,
  ) {}

  static async open(dataDir: string, keychain: SecretStore): Promise<RememberedPasswords> {
    // A damaged index only costs one more password prompt.
    const db = await openPreferences<RememberedIndex>(
      join(dataDir, 'remembered-passwords.json'),
      { files: {} },
      (v) => isRecord(v) && isRecord(v['files']),
    );
    return new RememberedPasswords(db, keychain);
  }

  /** Store the password in the keychain first; the index is written only once that succeeded. */
  async remember(fileSha256: string, certificateSha256: string, password: string): Promise<void> {
    await this.keychain.set(account(certificateSha256), password);
    this.db.data.files[fileSha256] = certificateSha256;
    await this.db.write();
  }

  isRemembered(certificateSha256: string): boolean {
    return Object.values(this.db.data.files).includes(certificateSha256);
  }

  /** The remembered password for this file, or null (also when the keychain does not answer). */
  async lookup(fileSha256: string): Promise<{ certificateSha256: string; password: string } | null> {
    const certificateSha256 = this.db.data.files[fileSha256];
    if (!certificateSha256) return null;
    const password = await this.keychain.get(account(certificateSha256)).catch(() => null);
    return password === null ? null : { certificateSha256, password };
  }

  /** Remove the keychain entry and every file that pointed at it. */
  async forget(certificateSha256: string): Promise<void> {
    await this.keychain.delete(account(certificateSha256));
    for (const [file, cert] of Object.entries(this.db.data.files)) {
      if (cert === certificateSha256) delete this.db.data.files[file];
    }
    await this.db.write();
  }
}
