/**
 * Open a PKCS#12 file and report what it holds, or a CertdeskError with a specific code and a
 * Portuguese message. This is the single entry point the app, the CLI and the workspace use.
 */
import { basename } from 'node:path';
import type { PfxInspection, ProtectionWarning } from '@certdesk/shared/contract';
import { CertdeskError } from '../errors';
import { Asn1ShapeError } from './asn1';
import { WorkBudget } from './budget';
import { DecryptionError, UnsupportedAlgorithmError } from './ciphers';
import type { Password } from './kdf';
import { passwordForms, type PasswordForm } from './password-forms';
import { TruncatedError, parsePfx, readContents, type ParsedPfx, type Pkcs12Contents } from './pkcs12';
import { planVisibleWork } from './pkcs12-parts';
import { MacMismatchError, macInputOf, verifyMac } from './pkcs12-mac';
import { buildReport } from './report';
import { diagnoseNotPkcs12 } from './sniff';
import { MAX_PFX_BYTES, readPfxFile } from './read-pfx-file';

export { MAX_PFX_BYTES };

export interface InspectOptions {
  /** The typed password; null or "" means "try the empty and the absent password". */
  password: Password;
  now?: Date;
  /** Receives the main certificate and the file's other certificates (DER), for a trust check after. */
  onCertificates?: (leaf: Buffer, others: Buffer[]) => void;
}

export async function inspectFile(path: string, options: InspectOptions): Promise<PfxInspection> {
  return inspectBytes(await readPfxFile(path), basename(path), options);
}

export function inspectBytes(bytes: Buffer, file: string, options: InspectOptions): PfxInspection {
  return openPfxBytes(bytes, file, options).inspection;
}

/** What a PFX opened to: the report, and the decrypted bags it was built from (keys as PKCS#8). */
export interface OpenedPfx {
  inspection: PfxInspection;
  contents: Omit<Pkcs12Contents, 'mac'>;
}

/**
 * inspectBytes, plus the decrypted bags — for a caller that must use the key (the SEFAZ status
 * check's mutual TLS), never for display. The same password order and errors as an inspection.
 */
export function openPfxBytes(bytes: Buffer, file: string, options: InspectOptions): OpenedPfx {
  if (bytes.length === 0) throw new CertdeskError('EMPTY_FILE', 'O arquivo está vazio (0 bytes).');
  if (bytes.length > MAX_PFX_BYTES) throw new CertdeskError('TOO_LARGE', 'Arquivo grande demais para ser um certificado (limite 10 MB).');
  // Everything this file may cost, for every password tried: refused before the work, not during it.
  const budget = new WorkBudget();
  try {
    return inspectWithin(budget, bytes, file, options);
  } catch (error) {
    // Say how much derivation work was done before the refusal (none, for what planning caught).
    if (error instanceof CertdeskError && error.code === 'TOO_COMPLEX' && error.details) error.details['derived'] = String(budget.spent);
    throw error;
  }
}

function inspectWithin(budget: WorkBudget, bytes: Buffer, file: string, options: InspectOptions): OpenedPfx {
  const now = options.now ?? new Date();
  let parsed: ParsedPfx;
  try {
    parsed = parsePfx(bytes, budget);
    planVisibleWork(parsed, budget);
  } catch (error) {
    throw mapStructureError(error, bytes, file);
  }

  const opened = openWithCandidates(parsed, file, options.password, now, bytes, budget, options.onCertificates);
  if (parsed.trailing > 0) {
    opened.inspection.protection.warnings.push({
      code: 'TRAILING_BYTES',
      message: `Há ${parsed.trailing} bytes extras depois do fim da estrutura PKCS#12 (ignorados; o .NET grava zeros assim).`,
    });
  }
  return opened;
}

interface Candidate {
  password: Password;
  form: PasswordForm;
  typed: boolean;
}

/**
 * The typed password first, in each byte form old software may have used (password-forms.ts);
 * then the empty and the absent password, so files exported without one (v12, v36) still open
 * when a shared password is given for a whole folder — and say so.
 */
function candidatesFor(typed: Password): Candidate[] {
  const list: Candidate[] = [];
  if (typed) for (const form of passwordForms(typed)) list.push({ password: typed, form, typed: true });
  for (const password of ['', null]) for (const form of passwordForms(password)) list.push({ password, form, typed: false });
  return list;
}

function openWithCandidates(
  parsed: ParsedPfx,
  file: string,
  typed: Password,
  now: Date,
  bytes: Buffer,
  budget: WorkBudget,
  onCertificates?: InspectOptions['onCertificates'],
): OpenedPfx {
  // MAC outcomes by the bytes the MAC depends on: forms that share them (a Latin-1 password's
  // BMPString is the standard one) are verified once.
  const macs = new Map<string, ReturnType<typeof verifyMac> | false>();
  let macAcceptedButUnreadable = false;
  let lastError: unknown = null;
  for (const candidate of candidatesFor(typed)) {
    const macKey = macInputOf(parsed, candidate.form).toString('hex');
    let mac = macs.get(macKey);
    if (mac === false) continue;
    if (mac === undefined) {
      try {
        mac = verifyMac(parsed, candidate.form, budget);
        macs.set(macKey, mac);
      } catch (error) {
        if (!(error instanceof MacMismatchError)) throw mapStructureError(error, bytes, file);
        macs.set(macKey, false);
        continue;
      }
    }
    try {
      const contents = readContents(parsed, candidate.form, budget);
      const result = buildReport(file, { ...contents, mac }, now, budget, onCertificates);
      result.protection.warnings.push(...passwordWarnings(candidate, typed, contents.encryption.length > 0 || mac !== null));
      return { inspection: result, contents };
    } catch (error) {
      // A wrong key shows as bad padding; with a MAC that passed, another byte form of the same
      // password may still be the one the encryption used (old Windows: PBES2 over Latin-1).
      if (!(error instanceof DecryptionError)) throw mapStructureError(error, bytes, file);
      if (parsed.macData) macAcceptedButUnreadable = true;
      lastError = error;
    }
  }
  if (macAcceptedButUnreadable) throw mapStructureError(lastError, bytes, file);
  if (!typed) throw new CertdeskError('PASSWORD_REQUIRED', 'Este arquivo é protegido por senha. Informe a senha.');
  throw new CertdeskError('WRONG_PASSWORD', 'Senha incorreta ou arquivo corrompido: a verificação de integridade do arquivo falhou.');
}

function passwordWarnings(used: Candidate, typed: Password, protectedByPassword: boolean): ProtectionWarning[] {
  if (typed && (!used.typed || !protectedByPassword)) {
    return [{ code: 'PASSWORD_NOT_NEEDED', message: 'A senha informada não era necessária: o arquivo abre sem senha.' }];
  }
  if (used.form.encoding === 'latin1') {
    return [
      {
        code: 'PASSWORD_ENCODING',
        message: 'A senha só confere na codificação ISO-8859-1 (Latin-1) de programas antigos do Windows; ao exportar de novo, use UTF-8.',
      },
    ];
  }
  if (used.form.encoding === 'widened-utf8') {
    return [
      {
        code: 'PASSWORD_ENCODING',
        message:
          'A senha só confere na codificação das versões antigas do OpenSSL (antes da 1.1.0); ao exportar de novo, use uma versão atual.',
      },
    ];
  }
  return [];
}

function mapStructureError(error: unknown, bytes: Buffer, file: string): CertdeskError {
  if (error instanceof CertdeskError) return error;
  if (error instanceof UnsupportedAlgorithmError) {
    return new CertdeskError('UNSUPPORTED_ALGORITHM', `O arquivo usa um algoritmo sem suporte: ${error.algorithm}.`);
  }
  if (error instanceof DecryptionError) {
    return new CertdeskError('CORRUPT', 'Arquivo corrompido: a senha confere, mas o conteúdo cifrado está danificado.');
  }
  const notPkcs12 = diagnoseNotPkcs12(bytes, file);
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
