/**
 * Open a PKCS#12 file and report what it holds, or a CertdeskError with a specific code and a
 * Portuguese message. This is the single entry point the app, the CLI and the workspace use.
 */
import { basename } from 'node:path';
import type { PfxInspection } from '#shared/contract';
import { CertdeskError } from '../errors';
import { Asn1ShapeError } from './asn1';
import { DecryptionError, UnsupportedAlgorithmError } from './ciphers';
import type { Password } from './kdf';
import { MacMismatchError, TruncatedError, parsePfx, readContents, verifyMac, type ParsedPfx } from './pkcs12';
import { buildReport } from './report';
import { diagnoseNotPkcs12 } from './sniff';
import { MAX_PFX_BYTES, readPfxFile } from './read-pfx-file';

export { MAX_PFX_BYTES };

export interface InspectOptions {
  /** The typed password; null or "" means "try the empty and the absent password". */
  password: Password;
  now?: Date;
}

export async function inspectFile(path: string, options: InspectOptions): Promise<PfxInspection> {
  return inspectBytes(await readPfxFile(path), basename(path), options);
}

export function inspectBytes(bytes: Buffer, file: string, options: InspectOptions): PfxInspection {
  if (bytes.length === 0) throw new CertdeskError('EMPTY_FILE', 'O arquivo está vazio (0 bytes).');
  if (bytes.length > MAX_PFX_BYTES) throw new CertdeskError('TOO_LARGE', 'Arquivo grande demais para ser um certificado (limite 10 MB).');
  const now = options.now ?? new Date();

  let parsed: ParsedPfx;
  try {
    parsed = parsePfx(bytes);
  } catch (error) {
    throw mapStructureError(error, bytes);
  }

  // The typed password first; files exported without one (v12, v36) still open when a shared
  // password is given for a whole folder.
  const candidates: Password[] = options.password ? [options.password, '', null] : ['', null];
  let lastError: unknown = null;
  for (const password of candidates) {
    try {
      const mac = verifyMac(parsed, password);
      const contents = readContents(parsed, password);
      return buildReport(file, { ...contents, mac }, now);
    } catch (error) {
      lastError = error;
      const wrongKey = error instanceof MacMismatchError || (error instanceof DecryptionError && !parsed.macData);
      if (!wrongKey) break;
    }
  }
  if (lastError instanceof MacMismatchError || (lastError instanceof DecryptionError && !parsed.macData)) {
    if (!options.password) throw new CertdeskError('PASSWORD_REQUIRED', 'Este arquivo é protegido por senha. Informe a senha.');
    throw new CertdeskError('WRONG_PASSWORD', 'Senha incorreta ou arquivo corrompido: a verificação de integridade do arquivo falhou.');
  }
  throw mapStructureError(lastError, bytes);
}

function mapStructureError(error: unknown, bytes: Buffer): CertdeskError {
  if (error instanceof CertdeskError) return error;
  if (error instanceof UnsupportedAlgorithmError) {
    return new CertdeskError('UNSUPPORTED_ALGORITHM', `O arquivo usa um algoritmo sem suporte: ${error.algorithm}.`);
  }
  if (error instanceof DecryptionError) {
    return new CertdeskError('CORRUPT', 'Arquivo corrompido: a senha confere, mas o conteúdo cifrado está danificado.');
  }
  const notPkcs12 = diagnoseNotPkcs12(bytes);
  if (notPkcs12) return new CertdeskError('NOT_PKCS12', notPkcs12);
  const detail = error instanceof Asn1ShapeError ? error.message : describeForgeError(error);
  if (error instanceof TruncatedError) return new CertdeskError('CORRUPT', `Arquivo incompleto: ${detail}.`);
  return new CertdeskError('CORRUPT', `Arquivo PKCS#12 corrompido ou incompleto (${detail}).`);
}

function describeForgeError(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/too few bytes/i.test(message)) return 'o arquivo termina antes do fim da estrutura — está truncado';
  if (/unparsed der bytes/i.test(message)) return 'há dados extras depois do fim da estrutura';
  return 'estrutura ASN.1 inválida';
}
