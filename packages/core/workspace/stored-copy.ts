/**
 * The copy of an installed certificate kept in the embedded vault, opened for work that needs the
 * certificate's key on this computer (the SEFAZ status check): the vault file decrypted with the key
 * the keychain holds beside the certificate's password, or — when the certificate was installed
 * without a keychain — with the password the user types now. Nothing here writes anything.
 */
import { stat } from 'node:fs/promises';
import { CertdeskError } from '../errors';
import type { SecretStore } from '../secret-store';
import { readPfxFile } from '../pfx/read-pfx-file';
import { decodeSecret, readVaultFile } from './vault';
import { vaultAccount, type WorkspaceStore } from './workspace-store';

export interface StoredCopy {
  pfx: Buffer;
  /** The password to open it with: the one typed, else the one kept (null: the file has none). */
  password: string | null;
}

const exists = (path: string) =>
  stat(path).then(
    (info) => info.isFile(),
    () => false,
  );

async function keptSecret(keychain: SecretStore, account: string): Promise<ReturnType<typeof decodeSecret> | null> {
  try {
    const stored = await keychain.get(account);
    return stored === null ? null : decodeSecret(stored);
  } catch (error) {
    if (error instanceof CertdeskError && error.code === 'KEYCHAIN_UNAVAILABLE') return null; // then the password is asked
    throw error;
  }
}

/**
 * The PFX bytes of the certificate `sha256` and the password that opens them. PASSWORD_REQUIRED when
 * the copy is protected by a password the keychain does not hold and none was typed; WRONG_PASSWORD
 * when the typed one does not open it; NOT_FOUND when no copy was kept on this computer.
 */
export async function readStoredCopy(
  store: WorkspaceStore,
  keychain: SecretStore,
  sha256: string,
  typed: string | null | undefined,
): Promise<StoredCopy> {
  const secret = await keptSecret(keychain, vaultAccount(store.environment, sha256));
  const path = store.vaultPath(sha256);
  if (!(await exists(path))) {
    // A copy kept as received by versions before the encrypted vault (re-encrypted when a keychain is back).
    if (await exists(store.legacyVaultPath(sha256)))
      return { pfx: await readPfxFile(store.legacyVaultPath(sha256)), password: typed ?? secret?.password ?? null };
    throw new CertdeskError(
      'NOT_FOUND',
      'Não há cópia guardada deste certificado neste computador (sem cofre de senhas na instalação, ela não pôde ser protegida): reinstale-o para verificar na SEFAZ.',
    );
  }
  if (secret?.key) {
    try {
      return { pfx: await readVaultFile(path, { key: Buffer.from(secret.key, 'base64') }), password: typed ?? secret.password };
    } catch (error) {
      if (error instanceof CertdeskError && error.code === 'WRONG_PASSWORD')
        throw new CertdeskError('CORRUPT', 'A cópia guardada do certificado não abre com a chave do cofre de senhas: reinstale-o.');
      throw error;
    }
  }
  if (typed == null)
    throw new CertdeskError(
      'PASSWORD_REQUIRED',
      'A senha deste certificado não está no cofre de senhas do sistema: informe-a para verificar na SEFAZ.',
    );
  try {
    return { pfx: await readVaultFile(path, { password: typed }), password: typed };
  } catch (error) {
    // A copy made under a keychain key whose entry is gone: no password opens it.
    if (error instanceof CertdeskError && error.code === 'INTERNAL')
      throw new CertdeskError(
        'NOT_FOUND',
        'A chave da cópia guardada não está mais no cofre de senhas do sistema: reinstale o certificado.',
      );
    throw error;
  }
}
