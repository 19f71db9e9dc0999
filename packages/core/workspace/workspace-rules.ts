/**
 * The workspace's rules that need no store: what may be installed, and what a branch and module
 * catalogue must satisfy (docs/PRODUCT.md §2). Messages are the ones the user reads.
 */
import type { PfxInspection } from '@certdesk/shared/contract';
import { installStop, type InstallableInspection, type InstallStop } from '@certdesk/shared/install-rules';
import { isUf } from '@certdesk/shared/sefaz';
import { isValidCnpj, normalizeDocument } from '@certdesk/shared/tax-ids';
import type { Branch, ModuleDef } from '@certdesk/shared/workspace';
import { CertdeskError } from '../errors';

/** Refuses what cannot be installed (installStop's order, shared with the wizard), in words the user reads. */
export function checkInstallable(inspection: PfxInspection): asserts inspection is InstallableInspection {
  const stop = installStop(inspection);
  if (!stop) return;
  const c = inspection.certificate;
  const day = (iso: string | undefined) => (iso ?? '').slice(0, 10).split('-').reverse().join('/');
  const refusals: Record<InstallStop, CertdeskError> = {
    noCertificate: new CertdeskError('NO_CERTIFICATE', 'O arquivo não tem certificado: não há o que instalar.'),
    expired: new CertdeskError('CERTIFICATE_EXPIRED', `Certificado expirado em ${day(c?.notAfter)}: não pode ser instalado.`),
    notYetValid: new CertdeskError('CERTIFICATE_NOT_YET_VALID', `Certificado ainda não válido (válido a partir de ${day(c?.notBefore)}).`),
    noKey: new CertdeskError('NO_PRIVATE_KEY', 'O arquivo não contém a chave privada: não serve para assinar documentos.'),
    unsupportedAlgorithm: new CertdeskError(
      'UNSUPPORTED_ALGORITHM',
      `A chave privada usa um algoritmo sem suporte (${inspection.key?.algorithm ?? 'desconhecido'}): não pode ser instalada.`,
    ),
    keyMismatch: new CertdeskError('KEY_MISMATCH', 'A chave privada do arquivo não corresponde ao certificado: não instale este arquivo.'),
  };
  throw refusals[stop];
}

export function normalizeBranch(branch: Branch): Branch {
  return {
    ...branch,
    code: branch.code.trim(),
    name: branch.name.trim(),
    cnpj: normalizeDocument(branch.cnpj),
    modules: [...new Set(branch.modules)],
    uf: branch.uf ?? null,
  };
}

/**
 * A branch being saved must say its state: it decides which SEFAZ authorizer serves it, and the app
 * never guesses one. (Branches saved before states were kept hold null until the user says it.)
 */
export function requireStates(branches: Branch[]): void {
  const missing = branches.find((b) => !b.uf);
  if (missing) throw new CertdeskError('INVALID_DATA', `Informe o estado (UF) da filial ${missing.code.trim() || 'sem código'}.`);
}
/** The largest catalogue a workspace keeps (the contract's bounds: IPC and the cloud API alike). */
export const CATALOGUE_LIMITS = { branches: 5_000, modules: 200 } as const;

export function validateCatalogue(branches: Branch[], modules: ModuleDef[]): void {
  if (branches.length > CATALOGUE_LIMITS.branches)
    throw new CertdeskError('INVALID_DATA', `O ambiente teria ${branches.length} filiais; o máximo é ${CATALOGUE_LIMITS.branches}.`);
  if (modules.length > CATALOGUE_LIMITS.modules)
    throw new CertdeskError('INVALID_DATA', `O catálogo teria ${modules.length} módulos; o máximo é ${CATALOGUE_LIMITS.modules}.`);
  const codes = new Set<string>();
  const moduleIds = new Set(modules.map((m) => m.id));
  if (moduleIds.size !== modules.length) throw new CertdeskError('INVALID_DATA', 'Há módulos repetidos no catálogo.');
  for (const branch of branches.map(normalizeBranch)) {
    if (!branch.code) throw new CertdeskError('INVALID_DATA', 'Toda filial precisa de um código.');
    if (codes.has(branch.code)) throw new CertdeskError('INVALID_DATA', `Código de filial repetido: ${branch.code}.`);
    codes.add(branch.code);
    if (!isValidCnpj(branch.cnpj))
      throw new CertdeskError('INVALID_DATA', `CNPJ inválido na filial ${branch.code}: confira os dígitos verificadores.`);
    if (branch.uf !== null && !isUf(branch.uf))
      throw new CertdeskError('INVALID_DATA', `Estado (UF) inválido na filial ${branch.code}: use a sigla, como SP ou RS.`);
    const unknown = branch.modules.find((m) => !moduleIds.has(m));
    if (unknown) throw new CertdeskError('INVALID_DATA', `A filial ${branch.code} usa o módulo ${unknown}, que não está no catálogo.`);
  }
}
