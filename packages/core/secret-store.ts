/**
 * Where secrets are kept (PFX passwords, vault keys, tokens). The desktop implements it with the OS
 * keychain (desktop/keychain.ts); tests and benches with an in-memory stand-in. The core only asks.
 */
import { CertdeskError } from './errors';

export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
}

export function keychainUnavailable(): CertdeskError {
  return new CertdeskError('KEYCHAIN_UNAVAILABLE', 'O cofre de senhas do sistema operacional não está disponível; nada foi guardado.');
}
