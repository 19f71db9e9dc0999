/**
 * Secrets at rest (docs/CLOUD.md): every tenant has its own random 256-bit data key (DEK); PFX bytes
 * and passwords are sealed with AES-256-GCM under it, and the DEK is stored only wrapped
 * (AES-256-GCM) by the key-encryption key (KEK) from `CERTDESK_CLOUD_KEK` — so a database dump alone
 * opens nothing. Each ciphertext is bound (GCM additional data) to its tenant and purpose, so a
 * blob copied into another tenant's row does not decrypt.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const VERSION = 1;

export interface Kek {
  id: string;
  key: Buffer;
}

/** A KEK from its text form: 32 bytes as base64 (44 characters) or hex (64). */
export function parseKek(text: string): Kek {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('a KEK deve ter 32 bytes (base64 com 44 caracteres ou hex com 64)');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

/**
 * The KEKs this process knows: `CERTDESK_CLOUD_KEK` (current; wraps new DEKs) and, during a
 * rotation, `CERTDESK_CLOUD_KEK_PREVIOUS` (still unwraps DEKs not yet rewrapped). Without the
 * variable, the embedded default keeps one in `<dataDir>/kek` (0600), created on first start.
 */
export async function loadKeks(options: { env: NodeJS.ProcessEnv; dataDir?: string; log?: (line: string) => void }): Promise<Kek[]> {
  const previous = options.env['CERTDESK_CLOUD_KEK_PREVIOUS'] ? [parseKek(options.env['CERTDESK_CLOUD_KEK_PREVIOUS'])] : [];
  if (options.env['CERTDESK_CLOUD_KEK']) return [parseKek(options.env['CERTDESK_CLOUD_KEK']), ...previous];
  if (!options.dataDir) throw new Error('defina CERTDESK_CLOUD_KEK (a mesma em todas as instâncias) ao usar DATABASE_URL sem --data');
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const path = join(options.dataDir, 'kek');
  try {
    return [parseKek(await readFile(path, 'utf8')), ...previous];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const text = randomBytes(32).toString('base64');
  // 'wx': two processes starting at once cannot both create (and one overwrite) the key.
  await writeFile(path, `${text}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
  options.log?.(
    `Chave mestra (KEK) criada em ${path} (0600). Guarde uma cópia fora deste servidor: sem ela, os certificados guardados não podem ser lidos.`,
  );
  return [parseKek(await readFile(path, 'utf8')), ...previous];
}

/** version(1) | nonce(12) | tag(16) | ciphertext */
export function seal(key: Buffer, plain: Buffer, context: string): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, sealed: Buffer, context: string): Buffer {
  if (sealed.length < 29 || sealed[0] !== VERSION) throw new Error('segredo cifrado em formato desconhecido');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(sealed.subarray(13, 29));
  return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
}

const dekContext = (tenantId: string) => `certdesk-dek:${tenantId}`;

/**
 * This instance's KEK cannot open a tenant's data key: another KEK wrapped it (a misconfigured
 * instance, or a rotation missing CERTDESK_CLOUD_KEK_PREVIOUS) or the wrapped key was altered. Named
 * as such in the log and the answer (503), never as an "internal error".
 */
export class KekError extends Error {
  constructor(
    message: string,
    /** The KEK id the tenant's data key needs. */
    readonly expectedKekId: string,
  ) {
    super(message);
  }
}

const knownIds = (keks: Kek[]) => keks.map((k) => k.id).join(', ');

export function newWrappedDek(kek: Kek, tenantId: string): { wrapped: Buffer; kekId: string } {
  return { wrapped: seal(kek.key, randomBytes(32), dekContext(tenantId)), kekId: kek.id };
}

export function unwrapDek(keks: Kek[], kekId: string, wrapped: Buffer, tenantId: string): Buffer {
  const kek = keks.find((k) => k.id === kekId);
  if (!kek)
    throw new KekError(
      `A chave mestra (KEK) desta instância (id ${knownIds(keks)}) não abre os dados do cliente: eles foram cifrados pela KEK de id ${kekId}. Configure essa KEK em CERTDESK_CLOUD_KEK (ou, durante uma rotação, em CERTDESK_CLOUD_KEK_PREVIOUS).`,
      kekId,
    );
  try {
    return open(kek.key, wrapped, dekContext(tenantId));
  } catch {
    throw new KekError(
      `A chave mestra (KEK) de id ${kekId} não abre a chave de dados de um cliente: o valor guardado foi alterado.`,
      kekId,
    );
  }
}

export function rewrapDek(keks: Kek[], kekId: string, wrapped: Buffer, tenantId: string): { wrapped: Buffer; kekId: string } {
  const dek = unwrapDek(keks, kekId, wrapped, tenantId);
  return { wrapped: seal(keks[0]!.key, dek, dekContext(tenantId)), kekId: keks[0]!.id };
}

/** The associated data a tenant's secret is sealed with: a ciphertext moved to another row or tenant fails to open. */
export const secretContext = (tenantId: string, certificateId: string, kind: 'pfx' | 'password') => `${tenantId}:${certificateId}:${kind}`;
