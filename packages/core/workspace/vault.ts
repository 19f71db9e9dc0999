/**
 * The vault keeps each installed PFX, never in clear (docs/SECURITY.md, "Vault"): a PFX whose key
 * bag is unencrypted, or whose password is empty, would otherwise put a private key on disk.
 *
 * File `vault/<sha256>.cdv`: "CDV1" | mode | salt(16) | iterations(u32 BE) | iv(12) | tag(16) | data,
 * AES-256-GCM over the PFX bytes with the header as additional data.
 * - mode 1 (keychain): a random 256-bit key, kept in the OS keychain with the PFX password;
 * - mode 2 (no keychain): the key is PBKDF2-SHA256 of the PFX password (600,000 rounds), and the
 *   password is not kept anywhere: it is asked again when the copy is needed.
 * With no keychain and an empty password nothing could protect the copy, so none is kept.
 */
import { createCipheriv, createDecipheriv, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { CertdeskError } from '../errors';
import { readOwnFile } from '../no-follow';
import { MAX_PFX_BYTES } from '../pfx/read-pfx-file';
import { writeDurably } from './durable-file';

const MAGIC = Buffer.from('CDV1');
const HEADER = 4 + 1 + 16 + 4 + 12;
const PBKDF2_ROUNDS = 600_000;
const derive = promisify(pbkdf2);

export type VaultMode = 'keychain' | 'password';

/** What the keychain holds for one vault file. */
export interface VaultSecret {
  password: string | null;
  /** Base64 of the random data key (keychain mode). */
  key: string;
}

export function encodeSecret(secret: VaultSecret): string {
  return JSON.stringify({ v: 2, ...secret });
}

/** Entries written before the vault was encrypted hold the bare password. */
export function decodeSecret(stored: string): VaultSecret | { password: string; key: null } {
  try {
    const parsed = JSON.parse(stored) as { v?: number; password?: string | null; key?: string };
    if (parsed && parsed.v === 2 && typeof parsed.key === 'string') return { password: parsed.password ?? null, key: parsed.key };
  } catch {
    // not JSON: a bare password from the earlier format
  }
  return { password: stored, key: null };
}

async function keyFor(mode: VaultMode, salt: Buffer, iterations: number, secret: { key?: Buffer; password?: string }): Promise<Buffer> {
  if (mode === 'keychain') {
    if (!secret.key || secret.key.length !== 32) throw new CertdeskError('INTERNAL', 'Chave do cofre ausente.');
    return secret.key;
  }
  if (!secret.password) throw new CertdeskError('PASSWORD_REQUIRED', 'Informe a senha do certificado.');
  return derive(Buffer.from(secret.password, 'utf8'), salt, iterations, 32, 'sha256');
}

/** Encrypt and write durably (0600, fsynced) before the caller's commit point. */
export async function writeVaultFile(
  path: string,
  pfx: Buffer,
  mode: VaultMode,
  secret: { key?: Buffer; password?: string },
): Promise<void> {
  const salt = mode === 'password' ? randomBytes(16) : Buffer.alloc(16);
  const iterations = mode === 'password' ? PBKDF2_ROUNDS : 0;
  const iv = randomBytes(12);
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header, 0);
  header[4] = mode === 'keychain' ? 1 : 2;
  salt.copy(header, 5);
  header.writeUInt32BE(iterations, 21);
  iv.copy(header, 25);
  const cipher = createCipheriv('aes-256-gcm', await keyFor(mode, salt, iterations, secret), iv);
  cipher.setAAD(header);
  const data = Buffer.concat([cipher.update(pfx), cipher.final()]);
  await writeDurably(path, Buffer.concat([header, cipher.getAuthTag(), data]));
}

const damaged = (why = '') => new CertdeskError('CORRUPT', `A cópia guardada do certificado está danificada${why}.`);

/** The PFX bytes back; WRONG_PASSWORD when the key or password does not open it. */
export async function readVaultFile(path: string, secret: { key?: Buffer; password?: string }): Promise<Buffer> {
  // Read as itself (never through a link), and no bigger than the largest PFX CertDesk keeps.
  const file = await readOwnFile(path, HEADER + 16 + MAX_PFX_BYTES).catch((error: unknown) => {
    throw (error as CertdeskError).code === 'TOO_LARGE' ? damaged(' (grande demais)') : error;
  });
  if (file.length < HEADER + 16 || !file.subarray(0, 4).equals(MAGIC)) throw damaged();
  const header = file.subarray(0, HEADER);
  if (header[4] !== 1 && header[4] !== 2) throw damaged(` (modo ${header[4]} desconhecido)`);
  const mode: VaultMode = header[4] === 1 ? 'keychain' : 'password';
  // The header is authenticated only after the key is derived: its iteration count is bounded to
  // what CertDesk writes before any derivation, or a changed header could ask for 2^32 rounds.
  const iterations = header.readUInt32BE(21);
  if (mode === 'password' && (iterations < 1 || iterations > PBKDF2_ROUNDS)) {
    throw damaged(
      ` (o cabeçalho pede ${iterations.toLocaleString('pt-BR')} iterações; o CertDesk grava ${PBKDF2_ROUNDS.toLocaleString('pt-BR')})`,
    );
  }
  const key = await keyFor(mode, header.subarray(5, 21), iterations, secret);
  const decipher = createDecipheriv('aes-256-gcm', key, header.subarray(25, 37));
  decipher.setAAD(header);
  decipher.setAuthTag(file.subarray(HEADER, HEADER + 16));
  try {
    return Buffer.concat([decipher.update(file.subarray(HEADER + 16)), decipher.final()]);
  } catch {
    throw new CertdeskError('WRONG_PASSWORD', 'Senha incorreta para a cópia guardada do certificado.');
  }
}
