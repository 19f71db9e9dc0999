/**
 * Name and size of a public or private key for people, for every algorithm node:crypto knows and,
 * by OID, for those it cannot import (ML-DSA, ML-KEM, SLH-DSA, GOST): such a key is described and
 * reported as unsupported instead of making the file look damaged.
 *
 * Sizes follow what `openssl pkey -text` prints, so users can compare: RSA/DSA/DH the modulus
 * (prime) bits, EC the curve's bits, Ed25519 256, Ed448 456, X25519 253, X448 448.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { child, children, isUniversal, oid, parseDer, Type, type Node } from './asn1';
import { WorkBudget } from './budget';
import { checkKeySize } from './key-limits';

export interface KeyDescription {
  /** e.g. `RSA`, `EC`, `Ed25519`, `DH`, `ML-DSA-65`, or the dotted OID when unknown. */
  algorithm: string;
  size: number | null;
  /** EC curve (OpenSSL's name, e.g. `prime256v1`, `brainpoolP256r1`), else null. */
  curve: string | null;
  /** node:crypto can use the key (verify signatures, match it with its certificate). */
  supported: boolean;
}

/** Algorithms node:crypto handles: a key of these that fails to import is damaged, not unsupported. */
const NATIVE: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSA-PSS',
  '1.2.840.10045.2.1': 'EC',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.840.113549.1.3.1': 'DH',
  '1.2.840.10046.2.1': 'DH', // X9.42 dhpublicnumber: node:crypto names no type for it
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

const FIXED_SIZE: Record<string, number> = { X25519: 253, X448: 448, Ed25519: 256, Ed448: 456 };

/** Algorithms seen in PKCS#12 files that node:crypto (OpenSSL 3.0) cannot import. */
const FOREIGN: Record<string, [name: string, size: number | null]> = {
  '2.16.840.1.101.3.4.3.17': ['ML-DSA-44', null],
  '2.16.840.1.101.3.4.3.18': ['ML-DSA-65', null],
  '2.16.840.1.101.3.4.3.19': ['ML-DSA-87', null],
  '2.16.840.1.101.3.4.4.1': ['ML-KEM-512', null],
  '2.16.840.1.101.3.4.4.2': ['ML-KEM-768', null],
  '2.16.840.1.101.3.4.4.3': ['ML-KEM-1024', null],
  '1.2.643.2.2.19': ['GOST R 34.10-2001', 256],
  '1.2.643.7.1.1.1.1': ['GOST R 34.10-2012', 256],
  '1.2.643.7.1.1.1.2': ['GOST R 34.10-2012', 512],
  '1.2.156.10197.1.301': ['SM2', 256],
};
for (let n = 20; n <= 31; n++) FOREIGN[`2.16.840.1.101.3.4.3.${n}`] = ['SLH-DSA', null];

/** Curves by OID, for EC keys node:crypto cannot import (its own names come from OpenSSL). */
const CURVES: Record<string, string> = {
  '1.2.840.10045.3.1.7': 'prime256v1',
  '1.3.132.0.34': 'secp384r1',
  '1.3.132.0.35': 'secp521r1',
  '1.3.132.0.10': 'secp256k1',
  '1.2.156.10197.1.301': 'SM2',
};

function bitLength(node: Node | undefined): number | null {
  if (!isUniversal(node, Type.INTEGER) || typeof node!.value !== 'string') return null;
  const bytes = Buffer.from(node!.value, 'binary');
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const first = bytes[start] ?? 0;
  return first === 0 ? 0 : (bytes.length - start - 1) * 8 + (32 - Math.clz32(first));
}

/** Bits of a curve from its name: prime256v1 → 256, brainpoolP384r1 → 384, sect571k1 → 571. */
function curveBits(curve: string): number | null {
  const digits = /(\d{3})/.exec(curve);
  return digits ? Number(digits[1]) : null;
}

/** Describe an AlgorithmIdentifier (+ the KeyObject when node:crypto imported the key). */
function describe(algorithm: Node, key: KeyObject | null): KeyDescription {
  const id = oid(child(algorithm, 0, 'algoritmo da chave'), 'algoritmo da chave');
  const params = children(algorithm, 'algoritmo da chave')[1];
  const name = NATIVE[id];
  if (!name) {
    const [foreign, size] = FOREIGN[id] ?? [id, null];
    return { algorithm: foreign, size, curve: null, supported: false };
  }
  const details = key?.asymmetricKeyDetails ?? {};
  if (name === 'EC') {
    const curve = details.namedCurve ?? (isUniversal(params, Type.OID) ? (CURVES[oid(params, 'curva')] ?? oid(params, 'curva')) : null);
    if (curve === 'SM2') return { algorithm: 'SM2', size: 256, curve, supported: key !== null };
    return { algorithm: 'EC', size: curve ? curveBits(curve) : null, curve, supported: key !== null };
  }
  let size = details.modulusLength ?? FIXED_SIZE[name] ?? null;
  // DSA and DH parameters start with the prime p; its bits are the key size.
  if (size === null && (name === 'DSA' || name === 'DH') && params && Array.isArray(params.value)) size = bitLength(child(params, 0, 'p'));
  return { algorithm: name, size, curve: null, supported: key !== null };
}

/**
 * A certificate's SubjectPublicKeyInfo (DER), with the key node:crypto already read from the
 * certificate (`X509Certificate.publicKey`, kept by the certificate object): decoding the same DER
 * again cost ~0.1 ms a certificate in OpenSSL 3's decoder (measured).
 */
export function describePublicKey(spki: Buffer, parsed: () => KeyObject, budget: WorkBudget = new WorkBudget()): KeyDescription {
  let key: KeyObject | null = null;
  try {
    key = parsed();
  } catch {
    // described from the OID below; `supported` says node:crypto could not use it
  }
  return describe(child(parseDer(spki, true, budget), 0, 'SubjectPublicKeyInfo'), key);
}

export interface ImportedPrivateKey {
  description: KeyDescription;
  /** null when node:crypto cannot import this algorithm. */
  key: KeyObject | null;
}

/** Thrown for a key of an algorithm node:crypto handles that still does not import: damaged. */
export class DamagedKeyError extends Error {}

/**
 * A PKCS#8 PrivateKeyInfo: imported when possible, described either way. Its numbers are bounded
 * first (key-limits.ts): a key past them is refused with TOO_COMPLEX before node:crypto sees it.
 */
export function importPrivateKey(pkcs8: Buffer, budget: WorkBudget = new WorkBudget()): ImportedPrivateKey {
  let info: Node;
  let algorithm: Node;
  try {
    info = parseDer(pkcs8, true, budget);
    algorithm = child(info, 1, 'PrivateKeyInfo');
    oid(child(algorithm, 0, 'algoritmo da chave'), 'algoritmo da chave');
  } catch (error) {
    if (overBudget(error)) throw error;
    throw new DamagedKeyError('PrivateKeyInfo ilegível');
  }
  const verdict = checkKeySize(info, algorithm, budget);
  if (!verdict.importable) return { description: describe(algorithm, null), key: null };
  let key: KeyObject | null = null;
  try {
    key = (verdict.rsa && rsaFromJwk(algorithm, verdict.rsa)) ?? createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  } catch (error) {
    if (overBudget(error)) throw error;
    if (NATIVE[oid(child(algorithm, 0, 'algoritmo'), 'algoritmo')]) throw new DamagedKeyError('chave danificada');
  }
  return { description: describe(algorithm, key), key };
}

const RSA_OID = '1.2.840.113549.1.1.1';
const RSA_JWK_FIELDS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/** An unsigned big-endian INTEGER as base64url without leading zero bytes (JWK's form). */
function jwkNumber(node: Node | undefined): string | null {
  if (!isUniversal(node, Type.INTEGER) || typeof node!.value !== 'string') return null;
  const bytes = Buffer.from(node!.value, 'binary');
  if (bytes.length === 0 || bytes[0]! & 0x80) return null; // negative: not a valid RSA number
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start).toString('base64url');
}

/**
 * A two-prime RSA key (nearly every PFX) imported through JWK from the numbers of its RSAPrivateKey:
 * OpenSSL 3's PKCS#8 DER decoder costs 1–3 ms a key, the JWK import ~0.05 ms (measured). Anything
 * else (multi-prime, odd encodings) returns null and takes the DER path, which stays the reference.
 */
function rsaFromJwk(algorithm: Node, rsaPrivateKey: Node): KeyObject | null {
  if (oid(child(algorithm, 0, 'algoritmo'), 'algoritmo') !== RSA_OID) return null;
  try {
    const rsa = children(rsaPrivateKey, 'RSAPrivateKey');
    // version 0 and exactly the eight numbers: two primes, nothing OpenSSL would read differently
    if (rsa.length !== 9 || jwkNumber(rsa[0]) !== 'AA') return null;
    const jwk: Record<string, string> = { kty: 'RSA' };
    for (const [i, field] of RSA_JWK_FIELDS.entries()) {
      const value = jwkNumber(rsa[i + 1]);
      if (value === null) return null;
      jwk[field] = value;
    }
    return createPrivateKey({ key: jwk, format: 'jwk' });
  } catch {
    return null;
  }
}

const overBudget = (error: unknown): boolean => (error as { code?: string } | null)?.code === 'TOO_COMPLEX';
