/**
 * Open a PKCS#12 file and report what it holds, or a CertdeskError with a specific code and a
 * Portuguese message. This is the single entry point the app, the CLI and the workspace use.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { PfxInspection } from '../../../shared/contract';
import { CertdeskError } from '../errors';
import { Asn1ShapeError } from './asn1';
import { parseCertificate, summarize, commonNameOf, type ParsedCertificate } from './certificate';
import { DecryptionError, UnsupportedAlgorithmError } from './ciphers';
import type { Password } from './kdf';
import { MacMismatchError, TruncatedError, parsePfx, readContents, verifyMac, type ParsedPfx } from './pkcs12';
import { diagnoseNotPkcs12 } from './sniff';

/** Real A1 files are a few kilobytes; anything this big is not a certificate store. */
export const MAX_PFX_BYTES = 10 * 1024 * 1024;

/** Iteration counts under this are reported as weak protection. */
const WEAK_ITERATIONS = 1000;

export interface InspectOptions {
  /** The typed password; null or "" means "try the empty and the absent password". */
  password: Password;
  now?: Date;
}

export async function inspectFile(path: string, options: InspectOptions): Promise<PfxInspection> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CertdeskError('UNREADABLE', 'O caminho indicado é uma pasta, não um arquivo.');
    if (info.size > MAX_PFX_BYTES) {
      throw new CertdeskError('TOO_LARGE', `Arquivo grande demais para ser um certificado (${formatMb(info.size)}; limite 10 MB).`);
    }
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof CertdeskError) throw error;
    throw new CertdeskError('UNREADABLE', `Não foi possível ler o arquivo (${(error as NodeJS.ErrnoException).code ?? 'erro de leitura'}).`);
  }
  return inspectBytes(bytes, basename(path), options);
}

function formatMb(size: number): string {
  return `${(size / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;
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

  const candidates: Password[] = options.password ? [options.password] : ['', null];
  let lastError: unknown = null;
  for (const password of candidates) {
    try {
      const mac = verifyMac(parsed, password);
      const contents = readContents(parsed, password);
      return buildReport(file, { ...contents, mac }, now, !!parsed.macData);
    } catch (error) {
      lastError = error;
      const wrongKey = error instanceof MacMismatchError || (error instanceof DecryptionError && !parsed.macData);
      if (!wrongKey) break;
    }
  }
  if (lastError instanceof MacMismatchError || (lastError instanceof DecryptionError && !parsed.macData)) {
    if (!options.password) throw new CertdeskError('PASSWORD_REQUIRED', 'Este arquivo é protegido por senha. Informe a senha.');
    throw new CertdeskError(
      'WRONG_PASSWORD',
      'Senha incorreta ou arquivo corrompido: a verificação de integridade do arquivo falhou.',
    );
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

interface Entry {
  cert: ParsedCertificate;
  key: KeyObject | null;
}

function spki(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

function buildReport(
  file: string,
  contents: ReturnType<typeof readContents> & { mac: { algorithm: string; iterations: number } | null },
  now: Date,
  hasMac: boolean,
): PfxInspection {
  // Java and Windows exports may repeat chain certificates once per key entry.
  const unique = new Map(contents.certificates.map((entry) => [entry.der.toString('base64'), entry.der]));
  const certs = [...unique.values()].map((der) => parseCertificate(der));
  if (certs.length === 0) throw new CertdeskError('CORRUPT', 'O arquivo não contém nenhum certificado.');
  const keys = contents.keys.map((entry) => {
    try {
      return createPrivateKey({ key: entry.pkcs8, format: 'der', type: 'pkcs8' });
    } catch {
      throw new CertdeskError('CORRUPT', 'A chave privada do arquivo está danificada ou em formato desconhecido.');
    }
  });

  // Pair each key with the certificate holding its public key.
  const certKeys = certs.map((cert) => spki(cert.x509.publicKey));
  const entries: Entry[] = [];
  const unmatchedKeys: KeyObject[] = [];
  for (const key of keys) {
    const index = certKeys.indexOf(spki(createPublicKey(key)));
    if (index >= 0) entries.push({ cert: certs[index]!, key });
    else unmatchedKeys.push(key);
  }
  // Without a matching key, the leaf is the certificate that issued nothing else in the file.
  const leaf =
    entries[0]?.cert ??
    certs.find((c) => !c.isCa && !certs.some((o) => o !== c && o.x509.checkIssued(c.x509))) ??
    certs.find((c) => !certs.some((o) => o !== c && o.x509.checkIssued(c.x509))) ??
    certs[0]!;

  const warnings: string[] = [];
  if (!hasMac) warnings.push('O arquivo não tem MAC: a integridade do conteúdo não é verificada.');
  if (contents.encryption.some((e) => e.includes('RC2-40') || e.includes('RC4-40'))) {
    warnings.push('Cifra fraca de 40 bits (RC2-40/RC4-40) protege parte do arquivo.');
  }
  const iterations = [...contents.iterations, ...(contents.mac ? [contents.mac.iterations] : [])];
  if (iterations.some((n) => n < WEAK_ITERATIONS)) {
    warnings.push(`Contagem de iterações baixa (${Math.min(...iterations)}): a senha é fácil de atacar por força bruta.`);
  }
  if (contents.keys.length === 0) warnings.push('O arquivo não contém chave privada.');
  if (unmatchedKeys.length > 0) warnings.push('A chave privada não corresponde ao certificado.');

  return {
    file,
    certificate: summarize(leaf, now),
    otherCertificates: entries.filter((e) => e.cert !== leaf).map((e) => summarize(e.cert, now)),
    privateKey: {
      present: keys.length > 0,
      matchesCertificate: keys.length === 0 ? null : entries.some((e) => e.cert === leaf),
    },
    chain: orderChain(leaf, certs).map((c) => ({ commonName: commonNameOf(c.subject), notAfter: c.notAfter.toISOString() })),
    protection: {
      mac: contents.mac?.algorithm ?? null,
      macIterations: contents.mac?.iterations ?? null,
      encryption: contents.encryption,
      warnings,
    },
  };
}

/** Leaf first, then each issuer found in the file, stopping at a self-signed root or a gap. */
function orderChain(leaf: ParsedCertificate, certs: ParsedCertificate[]): ParsedCertificate[] {
  const chain = [leaf];
  let current = leaf;
  while (chain.length < certs.length) {
    const issuer = certs.find((c) => !chain.includes(c) && current.x509.checkIssued(c.x509));
    if (!issuer) break;
    chain.push(issuer);
    current = issuer;
  }
  return chain;
}
