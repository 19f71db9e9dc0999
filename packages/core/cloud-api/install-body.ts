/**
 * The body of an install request (`installCertificate`: JSON with the PFX as base64, up to ~14 MB),
 * read from its raw bytes. CertDesk Cloud hands those bytes to a PFX worker thread, which reads them
 * here and opens the file in the same job: decoding, parsing and checking a 14 MB body cost about
 * 200 ms of CPU, which on the server's event loop every other tenant's request would wait behind.
 * The answers are the ones the server gives any other body: 400 INVALID_REQUEST with the same words.
 */
import type { SelectionItem } from '@certdesk/shared/workspace';
import { CertdeskError } from '../errors';
import { checkRequest } from './contract-validator';

export interface InstallBody {
  fileName: string;
  pfx: Buffer;
  password: string | null;
  selection: SelectionItem[];
  manual?: boolean;
}

const invalid = (what: string) => new CertdeskError('INVALID_REQUEST', `Requisição inválida: ${what}`);

export function readInstallBody(bytes: Buffer): InstallBody {
  const text = bytes.toString('utf8');
  if (!text.trim()) throw invalid('corpo ausente.');
  // PostgreSQL text cannot hold U+0000; refused as for every other body (http/app.ts).
  if (text.includes('\\u0000')) throw invalid('caractere nulo (U+0000) não é aceito.');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid('o corpo não é JSON válido.');
  }
  const problem = checkRequest('installCertificate', body);
  if (problem) throw invalid(`${problem}.`);
  const install = body as Omit<InstallBody, 'pfx'> & { pfxBase64: string };
  // The name is only shown, never used as a path; still, a name that is a path is a bad request.
  if (/[\\/\u0000-\u001f]/.test(install.fileName) || /^\.+$/.test(install.fileName.trim()))
    throw invalid('fileName deve ser só o nome do arquivo, sem pastas.');
  // Buffer.from skips characters that are not base64; the contract asks for base64, so refuse them.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(install.pfxBase64) || install.pfxBase64.length % 4 !== 0)
    throw invalid('pfxBase64 não é base64 válido.');
  return {
    fileName: install.fileName,
    pfx: Buffer.from(install.pfxBase64, 'base64'),
    password: install.password,
    selection: install.selection,
    ...(install.manual !== undefined ? { manual: install.manual } : {}),
  };
}
