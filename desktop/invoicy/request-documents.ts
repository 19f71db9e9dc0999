/**
 * The request documents of the InvoiCy certificate extension (layout 1.0.0.0) and EmpCK.
 * `Documento` is the request XML linearized — no line breaks or spaces between tags — and EmpCK is
 * the lowercase hex MD5 of (CK trimmed + that XML trimmed), computed before any escaping.
 */
import { createHash } from 'node:crypto';
import { isValidCnpj, isValidCpf, normalizeDocument } from '@certdesk/shared/tax-ids';
import { CertdeskError } from '@certdesk/core/errors';

export type InvoicyOperation = 'request-password' | 'download' | 'check';

const escapeXml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** CNPJ (numeric or alphanumeric) or CPF, validated, with leading zeros, at most 14 characters. */
export function documentNumber(value: string): string {
  const normalized = normalizeDocument(value);
  if (isValidCnpj(normalized) || isValidCpf(normalized)) return normalized;
  throw new CertdeskError('INVALID_REQUEST', 'CNPJ ou CPF inválido: confira os dígitos verificadores.');
}

export function requestXml(operation: InvoicyOperation, document: string, password?: string): string {
  const number = escapeXml(documentNumber(document));
  if (operation === 'request-password') {
    if (!password) throw new CertdeskError('INVALID_REQUEST', 'Informe a senha do certificado.');
    return `<CertificadoGerarSenha><CNPJCPF>${number}</CNPJCPF><Senha>${escapeXml(password)}</Senha></CertificadoGerarSenha>`;
  }
  if (operation === 'download') return `<CertificadoBaixar><Documento>${number}</Documento></CertificadoBaixar>`;
  return `<ExtConsultarCertificado><Documento>${number}</Documento></ExtConsultarCertificado>`;
}

/** Remove line breaks and the blanks between tags (a document typed or pretty-printed by hand). */
export function linearize(xml: string): string {
  return xml.replace(/>\s+</g, '><').replace(/\r?\n/g, '').trim();
}

export function empCk(ck: string, xml: string): string {
  return createHash('md5')
    .update(ck.trim() + linearize(xml).trim(), 'utf8')
    .digest('hex');
}
