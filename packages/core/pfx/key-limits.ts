/**
 * Key sizes bounded before node:crypto imports a private key. Importing a DSA or DH key computes
 * its public half (g^x mod p) in one native call: 11–13 s for a DSA key with a 32,768-bit p, and
 * ~0.55 s for an 8,192-bit DH key with a full-length x (measured), so the numbers are read from
 * the PKCS#8 first. Bounds are those of real keys, with room (docs/DECISIONS.md):
 * - RSA: modulus up to 16,384 bits (OpenSSL's own ceiling for using one), every number no longer;
 * - DSA: p up to 4,096 bits (FIPS 186 stops at 3,072), q up to 256 bits, 0 < x < q, g < p;
 * - DH: p up to 4,096 bits, g and x no longer than p (x < q when the X9.42 q is given);
 * - EC: a named curve CertDesk knows, with a private scalar no longer than the curve's order.
 *   Explicit curve parameters and unknown curves are not imported at all (the key is described
 *   and reported as unsupported, as ML-DSA keys are).
 */
import { child, children, isUniversal, oid, parseDer, Type, type Node } from './asn1';
import { count, tooComplex, type WorkBudget } from './budget';

export const KEY_LIMITS = { rsaBits: 16_384, dsaPBits: 4_096, dsaQBits: 256, dhPBits: 4_096 } as const;

const RSA = ['1.2.840.113549.1.1.1', '1.2.840.113549.1.1.10'];
const DSA = '1.2.840.10040.4.1';
const DH = '1.2.840.113549.1.3.1';
const DHX = '1.2.840.10046.2.1';
const EC = '1.2.840.10045.2.1';

/** Named curves by OID → bytes of the group order (the longest private scalar). */
const CURVE_ORDER_BYTES: Record<string, number> = {
  '1.2.840.10045.3.1.1': 24, // prime192v1
  '1.3.132.0.33': 28, // secp224r1
  '1.2.840.10045.3.1.7': 32, // prime256v1
  '1.3.132.0.34': 48, // secp384r1
  '1.3.132.0.35': 66, // secp521r1
  '1.3.132.0.31': 24, // secp192k1
  '1.3.132.0.32': 29, // secp224k1 (order of 225 bits)
  '1.3.132.0.10': 32, // secp256k1
  '1.2.156.10197.1.301': 32, // SM2
};
// brainpoolP160r1/t1 … brainpoolP512r1/t1 (RFC 5639): 1.3.36.3.3.2.8.1.1.{1..14}
[20, 24, 28, 32, 40, 48, 64].forEach((bytes, i) => {
  CURVE_ORDER_BYTES[`1.3.36.3.3.2.8.1.1.${2 * i + 1}`] = bytes;
  CURVE_ORDER_BYTES[`1.3.36.3.3.2.8.1.1.${2 * i + 2}`] = bytes;
});

/** An unsigned INTEGER's magnitude (leading zero bytes dropped), or null for anything else. */
function magnitude(node: Node | undefined): Buffer | null {
  if (!isUniversal(node, Type.INTEGER) || typeof node!.value !== 'string') return null;
  const bytes = Buffer.from(node!.value, 'binary');
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

function bits(value: Buffer | null): number {
  if (!value || value.length === 0 || value[0] === 0) return 0;
  return (value.length - 1) * 8 + (32 - Math.clz32(value[0]!));
}

function less(a: Buffer | null, b: Buffer | null): boolean {
  if (!a || !b) return false;
  return a.length !== b.length ? a.length < b.length : Buffer.compare(a, b) < 0;
}

function refuse(what: string, found: number, maximum: number): never {
  throw tooComplex('keySize', `A chave privada ${what} tem ${count(found)} bits; o máximo é ${count(maximum)}.`, found, maximum);
}

/** The private key's own structure, inside PrivateKeyInfo's OCTET STRING. */
function privateKeyOf(info: Node, budget: WorkBudget): Node {
  const octetString = child(info, 2, 'PrivateKeyInfo');
  if (!isUniversal(octetString, Type.OCTETSTRING) || typeof octetString.value !== 'string') throw new Error('chave');
  return parseDer(Buffer.from(octetString.value, 'binary'), true, budget);
}

export interface KeyVerdict {
  /** False for EC keys off the known named curves: described, never imported. */
  importable: boolean;
  /** The RSAPrivateKey already parsed here, for the JWK import to reuse. */
  rsa?: Node;
}

/**
 * Refuse (TOO_COMPLEX) a key whose numbers are past the bounds above, and say whether node:crypto
 * may import it. Malformed keys are left to the import, which reports them as damaged without
 * doing costly work.
 */
export function checkKeySize(info: Node, algorithm: Node, budget: WorkBudget): KeyVerdict {
  const id = oid(child(algorithm, 0, 'algoritmo da chave'), 'algoritmo da chave');
  const params = children(algorithm, 'algoritmo da chave')[1];
  try {
    if (RSA.includes(id)) return { importable: true, rsa: checkRsa(privateKeyOf(info, budget)) };
    if (id === DSA) checkDsa(params, privateKeyOf(info, budget));
    else if (id === DH || id === DHX) checkDh(id, params, privateKeyOf(info, budget));
    else if (id === EC) return { importable: checkEc(params, privateKeyOf(info, budget)) };
  } catch (error) {
    if ((error as { code?: string }).code === 'TOO_COMPLEX') throw error;
    // An unreadable structure: the import says it is damaged, and costs nothing to find out.
  }
  return { importable: true };
}

function checkRsa(rsa: Node): Node {
  const numbers = children(rsa, 'RSAPrivateKey').slice(1, 9);
  const modulus = bits(magnitude(numbers[0]));
  if (modulus > KEY_LIMITS.rsaBits) refuse('RSA', modulus, KEY_LIMITS.rsaBits);
  for (const number of numbers) {
    const size = bits(magnitude(number));
    if (size > KEY_LIMITS.rsaBits) refuse('RSA', size, KEY_LIMITS.rsaBits);
  }
  return rsa;
}

function checkDsa(params: Node | undefined, x: Node): void {
  const [p, q, g] = children(params, 'parâmetros DSA').map(magnitude);
  if (bits(p!) > KEY_LIMITS.dsaPBits) refuse('DSA (primo p)', bits(p!), KEY_LIMITS.dsaPBits);
  if (bits(q!) > KEY_LIMITS.dsaQBits) refuse('DSA (primo q)', bits(q!), KEY_LIMITS.dsaQBits);
  if (bits(g!) > bits(p!)) refuse('DSA (gerador g)', bits(g!), bits(p!));
  const secret = magnitude(x);
  if (!less(secret, q!)) refuse('DSA (x, que deve ser menor que q)', bits(secret), bits(q!));
}

function checkDh(id: string, params: Node | undefined, x: Node): void {
  // PKCS#3: { p, g, privateValueLength? }; X9.42: { p, g, q, … }.
  const [p, g, q] = children(params, 'parâmetros DH').map(magnitude);
  const primeBits = bits(p!);
  if (primeBits > KEY_LIMITS.dhPBits) refuse('DH (primo p)', primeBits, KEY_LIMITS.dhPBits);
  if (bits(g!) > primeBits) refuse('DH (gerador g)', bits(g!), primeBits);
  const secret = magnitude(x);
  if (bits(secret) > primeBits) refuse('DH (x)', bits(secret), primeBits);
  if (id === DHX && q && !less(secret, q)) refuse('DH (x, que deve ser menor que q)', bits(secret), bits(q));
}

function checkEc(params: Node | undefined, ecPrivateKey: Node): boolean {
  if (!isUniversal(params, Type.OID)) return false; // explicit parameters: not imported
  const maximum = CURVE_ORDER_BYTES[oid(params, 'curva')];
  if (maximum === undefined) return false;
  const scalar = child(ecPrivateKey, 1, 'ECPrivateKey');
  if (!isUniversal(scalar, Type.OCTETSTRING) || typeof scalar.value !== 'string') return true;
  if (scalar.value.length > maximum) refuse('EC (escalar privado)', scalar.value.length * 8, maximum * 8);
  return true;
}
