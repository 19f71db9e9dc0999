/**
 * A CRL read in a worker thread (CertDesk Cloud runs it in its PFX pool, pfx-worker.ts): the job
 * carries the CRL's bytes and the issuer's name and key, the answer the accepted index as parts
 * (crl-index.ts), both ways by transfer — so the parse, the signature check over the whole TBS and
 * the serial table cost the caller's event loop nothing but passing buffers. The rule applied is
 * acceptCrl's, the same one the desktop runs on its own thread.
 */
import { createPublicKey } from 'node:crypto';
import { acceptCrl, CrlError, CrlIndex, type CrlIndexParts } from './crl-index';
import type { PoolCertificate } from './certificate-pool';
import { transferableBytes } from '../transferable-bytes';

export interface CrlJob {
  crl: ArrayBuffer;
  issuerSubjectKey: string;
  /** The issuer's public key, SPKI DER. */
  issuerKey: ArrayBuffer;
}

/** The index read, or why the CRL was refused (a CrlError's message, kept word for word). */
export type CrlJobAnswer = { parts: CrlIndexParts } | { refused: string };

/** The job for `bytes` (copied when they are a view into a larger buffer, else handed over as they are). */
export function crlJob(bytes: Buffer, issuer: PoolCertificate): { job: CrlJob; transfer: ArrayBuffer[] } {
  const crl = transferableBytes(bytes, true);
  const issuerKey = new Uint8Array(issuer.x509.publicKey.export({ type: 'spki', format: 'der' })).buffer;
  return { job: { crl, issuerSubjectKey: issuer.subjectKey, issuerKey }, transfer: [crl, issuerKey] };
}

/** In the worker: accept the CRL; a refusal is an answer, not a failure. */
export function runCrlJob(job: CrlJob): { answer: CrlJobAnswer; transfer: ArrayBuffer[] } {
  try {
    const publicKey = createPublicKey({ key: Buffer.from(job.issuerKey), format: 'der', type: 'spki' });
    const { parts, transfer } = acceptCrl(Buffer.from(job.crl), { subjectKey: job.issuerSubjectKey, publicKey }).toParts();
    return { answer: { parts }, transfer };
  } catch (error) {
    if (error instanceof CrlError) return { answer: { refused: error.message }, transfer: [] };
    throw error;
  }
}

/** Back on the caller's thread: the index, or the refusal as the CrlError acceptCrl threw. */
export function crlFromAnswer(answer: CrlJobAnswer): CrlIndex {
  if ('refused' in answer) throw new CrlError(answer.refused);
  return CrlIndex.fromParts(answer.parts);
}
