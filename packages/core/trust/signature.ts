/**
 * Signature checks of CRLs and OCSP answers with node:crypto: the algorithm comes from the
 * structure's AlgorithmIdentifier, the bytes signed are the TBS part exactly as received.
 */
import { verify, type KeyObject } from 'node:crypto';

const DIGEST_OF: Record<string, string | null> = {
  '1.2.840.113549.1.1.5': 'sha1', // sha1WithRSAEncryption
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1', // ecdsa-with-SHA1
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.3.101.112': null, // Ed25519: no separate digest
  '1.3.101.113': null, // Ed448
};

/** true only when `signature` over `signed` verifies with `key` under the named algorithm. */
export function verifySignature(algorithmOid: string, signed: Buffer, signature: Buffer, key: KeyObject): boolean {
  if (!(algorithmOid in DIGEST_OF)) return false; // RSA-PSS and unknown algorithms: not proven, so not accepted
  try {
    return verify(DIGEST_OF[algorithmOid]!, signed, key, signature);
  } catch {
    return false; // a key of another type, or a damaged signature
  }
}

export const isSupportedSignature = (algorithmOid: string): boolean => algorithmOid in DIGEST_OF;
