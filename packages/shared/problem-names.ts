/**
 * Short Portuguese names of a PFX file's problems and of the validity statuses, for the places that
 * speak only Portuguese: the CLI's one-line `scan` output and the bulk inspector's CSV (a pt-BR
 * spreadsheet, Portuguese columns — no English code beside them).
 */
import type { ProtectionWarningCode, ValidityStatus } from './contract';

export const PROBLEM_NAMES_PT: Record<ProtectionWarningCode, string> = {
  NO_CERTIFICATE: 'sem certificado (só a chave privada)',
  KEY_MISMATCH: 'chave privada NÃO corresponde ao certificado',
  NO_PRIVATE_KEY: 'sem chave privada',
  NOT_ENCRYPTED: 'chave privada sem cifragem',
  NO_MAC: 'sem MAC',
  WEAK_CIPHER: 'cifra fraca de 40 bits',
  LOW_ITERATIONS: 'poucas iterações',
  UNSUPPORTED_ALGORITHM: 'algoritmo de chave sem suporte',
  TRAILING_BYTES: 'bytes extras no fim do arquivo',
  PASSWORD_ENCODING: 'senha em codificação antiga',
  PASSWORD_NOT_NEEDED: 'senha não era necessária',
};

export const VALIDITY_NAMES_PT: Record<ValidityStatus, string> = {
  valid: 'válido',
  expiring: 'vence em breve',
  expired: 'expirado',
  'not-yet-valid': 'ainda não válido',
};
