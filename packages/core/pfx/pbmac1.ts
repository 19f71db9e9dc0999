/**
 * PBMAC1 integrity (RFC 9579): the PFX MAC computed with an HMAC whose key comes from PBKDF2, as
 * OpenSSL 3.4+ (`-pbmac1_pbkdf2`) and Java 24+ write for FIPS-friendly files.
 *
 *   MacData.mac.digestAlgorithm = { id-PBMAC1, PBMAC1-params {
 *     keyDerivationFunc { id-PBKDF2, { salt, iterationCount, keyLength, prf } },
 *     messageAuthScheme { hmacWithSHA256 | … } } }
 *
 * Per RFC 9579 §6 the salt and iteration count are PBKDF2's; MacData's own macSalt/iterations are
 * ignored (the RFC's A.5 vector puts the real salt there and must fail). keyLength is required
 * (A.6). A MAC shorter than the HMAC output is refused, never compared as a prefix.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Asn1ShapeError, child, children, integer, isUniversal, oid, octets, Type, type Node } from './asn1';
import { count, tooComplex, type Derivation, type WorkBudget } from './budget';
import { PRF, UnsupportedAlgorithmError } from './ciphers';
import { pbkdf2 } from './kdf';
import type { PasswordForm } from './password-forms';

export const PBMAC1_OID = '1.2.840.113549.1.5.14';
const PBKDF2_OID = '1.2.840.113549.1.5.12';

const OUTPUT_SIZE: Record<string, number> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };
/** HMAC uses a key up to its hash's block size as it is (a longer one is hashed down first). */
const BLOCK_SIZE: Record<string, number> = { sha1: 64, sha224: 64, sha256: 64, sha384: 128, sha512: 128 };

export interface Pbmac1Params {
  hmac: string;
  prf: string;
  salt: Buffer;
  iterations: number;
  keyLength: number;
}

/** What the file asks for; a malformed or incomplete parameter set is CORRUPT, never skipped. */
export function readPbmac1Params(params: Node | undefined): Pbmac1Params {
  const kdf = child(params, 0, 'PBMAC1');
  const kdfOid = oid(child(kdf, 0, 'PBMAC1 KDF'), 'PBMAC1 KDF');
  if (kdfOid !== PBKDF2_OID) throw new UnsupportedAlgorithmError(`PBMAC1 com KDF ${kdfOid}`);
  const fields = children(child(kdf, 1, 'PBKDF2'), 'PBKDF2');
  const salt = octets(fields[0], 'salt do PBMAC1'); // otherSource salts are not used by any writer
  const iterations = integer(fields[1], 'iterações do PBMAC1');
  if (iterations < 1) throw new UnsupportedAlgorithmError(`${iterations} iterações`); // above the cap: the budget's
  let keyLength: number | null = null;
  let prf = 'sha1';
  for (const extra of fields.slice(2)) {
    if (isUniversal(extra, Type.INTEGER)) keyLength = integer(extra, 'keyLength do PBMAC1');
    else {
      const prfOid = oid(child(extra, 0, 'prf'), 'prf');
      prf = PRF[prfOid] ?? '';
      if (!prf) throw new UnsupportedAlgorithmError(`PBMAC1 com PRF ${prfOid}`);
    }
  }
  if (keyLength === null) throw new Asn1ShapeError('PBMAC1 sem keyLength (obrigatório pela RFC 9579)');
  if (keyLength < 1) throw new Asn1ShapeError(`PBMAC1 com keyLength ${keyLength} inválido`);
  const schemeOid = oid(child(child(params, 1, 'PBMAC1'), 0, 'PBMAC1 HMAC'), 'PBMAC1 HMAC');
  const hmac = PRF[schemeOid];
  if (!hmac) throw new UnsupportedAlgorithmError(`PBMAC1 com HMAC ${schemeOid}`);
  const maximum = BLOCK_SIZE[hmac]!;
  if (keyLength > maximum) {
    throw tooComplex(
      'keyLength',
      `O arquivo pede uma chave de MAC de ${count(keyLength)} bytes para HMAC-${hmac.toUpperCase()}; o máximo é ${count(maximum)}.`,
      keyLength,
      maximum,
    );
  }
  return { hmac, prf, salt, iterations, keyLength };
}

export function pbmac1Derivation(params: Pbmac1Params): Derivation {
  return { kdf: 'pbkdf2', hash: params.prf, iterations: params.iterations, bytes: params.keyLength };
}

/** True when `expected` is the PBMAC1 of `authSafe` under this form of the password. */
export function pbmac1Matches(
  params: Pbmac1Params,
  expected: Buffer,
  authSafe: Buffer,
  password: PasswordForm,
  budget: WorkBudget,
): boolean {
  if (expected.length !== OUTPUT_SIZE[params.hmac]) {
    throw new Asn1ShapeError(`MAC PBMAC1 com ${expected.length} bytes, esperado ${OUTPUT_SIZE[params.hmac]}: truncado ou alterado`);
  }
  const key = pbkdf2(password.octets, params.salt, params.iterations, params.keyLength, params.prf, budget);
  const actual = createHmac(params.hmac, key).update(authSafe).digest();
  return timingSafeEqual(actual, expected);
}

export function describePbmac1(params: Pbmac1Params): string {
  return `PBMAC1 HMAC-${params.hmac.toUpperCase()} (PBKDF2-${params.prf.toUpperCase()})`;
}
