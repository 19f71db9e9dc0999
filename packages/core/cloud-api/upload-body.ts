/**
 * The body of a request that carries a PFX as base64 (`installCertificate`, `swapCertificate`: JSON
 * up to ~14 MB), read from its raw bytes. CertDesk Cloud hands those bytes to a PFX worker thread,
 * which reads them here and opens the file in the same job: decoding, parsing and checking a 14 MB
 * body cost about 200 ms of CPU, which on the server's event loop every other tenant's request would
 * wait behind. The answers are the ones the server gives any other body: 400 INVALID_REQUEST with
 * the same words.
 */
import { CertdeskError } from '../errors';
import { checkRequest } from './contract-validator';

/** The contract's operations whose body carries a PFX. */
export const UPLOAD_OPERATIONS = ['installCertificate', 'swapCertificate'] as const;
export type UploadOperation = (typeof UPLOAD_OPERATIONS)[number];

export const isUploadOperation = (operationId: string): operationId is UploadOperation =>
  (UPLOAD_OPERATIONS as readonly string[]).includes(operationId);

export interface UploadBody {
  fileName: string;
  pfx: Buffer;
  password: string | null;
  /** The body's other fields, as the contract let them through (an install's selection, a swap's moment). */
  fields: Record<string, unknown>;
}

const invalid = (what: string) => new CertdeskError('INVALID_REQUEST', `Requisição inválida: ${what}`);

/**
 * A request body's JSON, for every route (http/app.ts parses small bodies with it, the PFX worker an
 * upload's): blank is no body (undefined); U+0000 is refused, since PostgreSQL text cannot hold it
 * (a 400, not a database error); anything else that is not JSON is a 400 too.
 */
export function parseJsonBody(text: string): unknown {
  if (!text.trim()) return undefined;
  if (text.includes('\\u0000')) throw invalid('caractere nulo (U+0000) não é aceito.');
  try {
    return JSON.parse(text);
  } catch {
    throw invalid('o corpo não é JSON válido.');
  }
}

export function readUploadBody(operationId: UploadOperation, bytes: Buffer): UploadBody {
  const body = parseJsonBody(bytes.toString('utf8'));
  if (body === undefined) throw invalid('corpo ausente.');
  const problem = checkRequest(operationId, body);
  if (problem) throw invalid(`${problem}.`);
  const { fileName, pfxBase64, password, ...fields } = body as { fileName: string; pfxBase64: string; password: string | null };
  // The name is only shown, never used as a path; still, a name that is a path is a bad request.
  if (/[\\/\u0000-\u001f]/.test(fileName) || /^\.+$/.test(fileName.trim()))
    throw invalid('fileName deve ser só o nome do arquivo, sem pastas.');
  // Buffer.from skips characters that are not base64; the contract asks for base64, so refuse them.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(pfxBase64) || pfxBase64.length % 4 !== 0) throw invalid('pfxBase64 não é base64 válido.');
  return { fileName, pfx: Buffer.from(pfxBase64, 'base64'), password, fields };
}
