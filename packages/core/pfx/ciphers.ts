/**
 * Password-based decryption for every scheme PKCS#12 files use in the wild: PBES2 (PBKDF2 + AES,
 * 3DES, Camellia, DES, RC2), the PKCS#12 PBE family (3DES, 2-key 3DES, RC2-40/128, RC4-40/128) and
 * PBES1. Ciphers run on node:crypto where OpenSSL's default provider has them; RC2, single DES and
 * RC4 live only in OpenSSL's legacy provider (not loaded by Node), so those use node-forge / a tiny
 * RC4 here.
 */
import { createDecipheriv, getCiphers } from 'node:crypto';
import forge from 'node-forge';
import { camelliaCbcDecrypt } from './camellia';
import { child, children, integer, octets, oid, type Node } from './asn1';
import { count, tooComplex, type Derivation, type WorkBudget } from './budget';
import { pbkdf1, pbkdf2, pkcs12Kdf } from './kdf';
import type { PasswordForm } from './password-forms';

export class UnsupportedAlgorithmError extends Error {
  constructor(readonly algorithm: string) {
    super(`algoritmo sem suporte: ${algorithm}`);
    this.name = 'UnsupportedAlgorithmError';
  }
}

/** Wrong key: bad padding. With no MAC in the file this is how a wrong password shows. */
export class DecryptionError extends Error {
  constructor() {
    super('falha ao decifrar');
    this.name = 'DecryptionError';
  }
}

export const PRF: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

interface BlockCipher {
  label: string;
  node: string;
  keySize: number;
}

const PBES2_CIPHERS: Record<string, BlockCipher> = {
  '2.16.840.1.101.3.4.1.2': { label: 'AES-128-CBC', node: 'aes-128-cbc', keySize: 16 },
  '2.16.840.1.101.3.4.1.22': { label: 'AES-192-CBC', node: 'aes-192-cbc', keySize: 24 },
  '2.16.840.1.101.3.4.1.42': { label: 'AES-256-CBC', node: 'aes-256-cbc', keySize: 32 },
  '1.2.840.113549.3.7': { label: '3DES-CBC', node: 'des-ede3-cbc', keySize: 24 },
  '1.3.14.3.2.7': { label: 'DES-CBC', node: 'des-cbc', keySize: 8 },
  '1.2.392.200011.61.1.1.1.2': { label: 'Camellia-128-CBC', node: 'camellia-128-cbc', keySize: 16 },
  '1.2.392.200011.61.1.1.1.3': { label: 'Camellia-192-CBC', node: 'camellia-192-cbc', keySize: 24 },
  '1.2.392.200011.61.1.1.1.4': { label: 'Camellia-256-CBC', node: 'camellia-256-cbc', keySize: 32 },
};

interface Pkcs12Pbe {
  label: string;
  kind: 'rc4' | 'des-ede3' | 'des-ede' | 'rc2';
  keySize: number;
}

const PKCS12_PBE: Record<string, Pkcs12Pbe> = {
  '1.2.840.113549.1.12.1.1': { label: 'PBE-SHA1-RC4-128', kind: 'rc4', keySize: 16 },
  '1.2.840.113549.1.12.1.2': { label: 'PBE-SHA1-RC4-40', kind: 'rc4', keySize: 5 },
  '1.2.840.113549.1.12.1.3': { label: 'PBE-SHA1-3DES', kind: 'des-ede3', keySize: 24 },
  '1.2.840.113549.1.12.1.4': { label: 'PBE-SHA1-2DES', kind: 'des-ede', keySize: 16 },
  '1.2.840.113549.1.12.1.5': { label: 'PBE-SHA1-RC2-128', kind: 'rc2', keySize: 16 },
  '1.2.840.113549.1.12.1.6': { label: 'PBE-SHA1-RC2-40', kind: 'rc2', keySize: 5 },
};

const PBES1: Record<string, { label: string; hash: string; cipher: 'des' | 'rc2' }> = {
  '1.2.840.113549.1.5.3': { label: 'PBE-MD5-DES', hash: 'md5', cipher: 'des' },
  '1.2.840.113549.1.5.6': { label: 'PBE-MD5-RC2-64', hash: 'md5', cipher: 'rc2' },
  '1.2.840.113549.1.5.10': { label: 'PBE-SHA1-DES', hash: 'sha1', cipher: 'des' },
  '1.2.840.113549.1.5.11': { label: 'PBE-SHA1-RC2-64', hash: 'sha1', cipher: 'rc2' },
};

const PBES2_OID = '1.2.840.113549.1.5.13';
const PBKDF2_OID = '1.2.840.113549.1.5.12';
const RC2_CBC_OID = '1.2.840.113549.3.2';

const nativeCiphers = new Set(getCiphers());

/**
 * Make node:crypto look as if it lacked some ciphers, as Electron's BoringSSL lacks Camellia:
 * lets the tests prove the fallbacks open real files. Returns the function that undoes it.
 */
export function simulateMissingNativeCiphers(names: string[]): () => void {
  const removed = names.filter((name) => nativeCiphers.delete(name));
  return () => removed.forEach((name) => nativeCiphers.add(name));
}

/** Below 1 is no count at all; above the cap is the budget's to refuse (budget.ts), before any work. */
function iterationsOf(node: Node | undefined, what: string): number {
  const count = integer(node, what);
  if (count < 1) throw new UnsupportedAlgorithmError(`${count} iterações`);
  return count;
}

export interface SchemeDescription {
  algorithm: string;
  kdf: string;
  iterations: number | null;
  /** 40-bit RC2/RC4: breakable by brute force in hours. */
  weak: boolean;
}

/** Name a scheme for the protection report without decrypting anything. */
export function describeAlgorithm(algorithm: Node): SchemeDescription {
  const id = oid(child(algorithm, 0, 'algoritmo'), 'algoritmo');
  const params = children(algorithm, 'algoritmo')[1];
  if (id === PBES2_OID) {
    const kdfParams = child(child(params, 0, 'PBES2'), 1, 'PBKDF2');
    const scheme = oid(child(child(params, 1, 'PBES2'), 0, 'PBES2'), 'cifra');
    const prfNode = children(kdfParams, 'PBKDF2').find((n) => Array.isArray(n.value));
    const prf = prfNode ? (PRF[oid(child(prfNode, 0, 'prf'), 'prf')] ?? 'prf?') : 'sha1';
    const cipher = PBES2_CIPHERS[scheme]?.label ?? (scheme === RC2_CBC_OID ? 'RC2-CBC' : scheme);
    return {
      algorithm: `PBES2 ${cipher}`,
      kdf: `PBKDF2-${prf.toUpperCase()}`,
      iterations: integer(child(kdfParams, 1, 'PBKDF2'), 'iterações'),
      weak: false,
    };
  }
  const pbe = PKCS12_PBE[id] ?? PBES1[id];
  if (pbe) {
    const kdf = id in PBES1 ? `PBKDF1-${PBES1[id]!.hash.toUpperCase()}` : 'PKCS#12 KDF (SHA-1)';
    const weak = pbe.label.endsWith('-40');
    return { algorithm: pbe.label, kdf, iterations: integer(child(params, 1, 'PBE'), 'iterações'), weak };
  }
  return { algorithm: id, kdf: '?', iterations: null, weak: false };
}

/** RC2 takes keys of 1 to 128 bytes (RFC 8018 B.2.3); without keyLength, 16. */
const RC2_MAX_KEY = 128;

/** An encryption scheme's parameters, read (and bounded) before anything is derived. */
type Scheme =
  | { kind: 'pbes2'; salt: Buffer; iterations: number; prf: string; keySize: number; cipher: BlockCipher | 'rc2'; iv: Buffer }
  | { kind: 'pkcs12'; pbe: Pkcs12Pbe; salt: Buffer; iterations: number }
  | { kind: 'pbes1'; v1: (typeof PBES1)[string]; salt: Buffer; iterations: number };

function readScheme(algorithm: Node): Scheme {
  const id = oid(child(algorithm, 0, 'algoritmo'), 'algoritmo');
  const params = children(algorithm, 'algoritmo')[1];
  if (id === PBES2_OID) return readPbes2(params);
  const pbe = PKCS12_PBE[id];
  const v1 = PBES1[id];
  if (!pbe && !v1) throw new UnsupportedAlgorithmError(id);
  const salt = octets(child(params, 0, 'PBE'), 'salt');
  const iterations = iterationsOf(child(params, 1, 'PBE'), 'iterações');
  return pbe ? { kind: 'pkcs12', pbe, salt, iterations } : { kind: 'pbes1', v1: v1!, salt, iterations };
}

function readPbes2(params: Node | undefined): Scheme {
  const kdf = child(params, 0, 'PBES2');
  if (oid(child(kdf, 0, 'KDF'), 'KDF') !== PBKDF2_OID) throw new UnsupportedAlgorithmError('KDF não PBKDF2');
  const kdfParams = children(child(kdf, 1, 'PBKDF2'), 'PBKDF2');
  const salt = octets(kdfParams[0], 'salt');
  const iterations = iterationsOf(kdfParams[1], 'iterações');
  let prf = 'sha1';
  let keyLength: number | null = null;
  for (const extra of kdfParams.slice(2)) {
    if (Array.isArray(extra.value)) {
      const prfOid = oid(child(extra, 0, 'prf'), 'prf');
      prf = PRF[prfOid] ?? '';
      if (!prf) throw new UnsupportedAlgorithmError(prfOid);
    } else keyLength = integer(extra, 'keyLength');
  }
  const scheme = child(params, 1, 'PBES2');
  const schemeOid = oid(child(scheme, 0, 'cifra'), 'cifra');
  const schemeParams = children(scheme, 'cifra')[1];
  if (schemeOid === RC2_CBC_OID) {
    // RC2-CBC-Parameter ::= SEQUENCE { rc2ParameterVersion INTEGER OPTIONAL, iv OCTET STRING }
    const parts = Array.isArray(schemeParams?.value) ? children(schemeParams, 'RC2') : [schemeParams!];
    const iv = octets(parts[parts.length - 1], 'iv');
    const keySize = keyLength ?? 16;
    if (keySize < 1) throw new UnsupportedAlgorithmError(`RC2-CBC com chave de ${keySize} bytes`);
    if (keySize > RC2_MAX_KEY) throw keyTooLong(keySize, 'RC2-CBC', RC2_MAX_KEY);
    return { kind: 'pbes2', salt, iterations, prf, keySize, cipher: 'rc2', iv };
  }
  const cipher = PBES2_CIPHERS[schemeOid];
  if (!cipher) throw new UnsupportedAlgorithmError(schemeOid);
  // The cipher takes exactly its key size: a longer keyLength would only make PBKDF2 work for
  // bytes nobody uses (100,000,000 of them in a 228-byte hostile file).
  if (keyLength !== null && keyLength > cipher.keySize) throw keyTooLong(keyLength, cipher.label, cipher.keySize);
  if (keyLength !== null && keyLength < cipher.keySize)
    throw new UnsupportedAlgorithmError(`${cipher.label} com chave de ${keyLength} bytes`);
  return { kind: 'pbes2', salt, iterations, prf, keySize: cipher.keySize, cipher, iv: octets(schemeParams, 'iv') };
}

function keyTooLong(asked: number, cipher: string, maximum: number): Error {
  return tooComplex(
    'keyLength',
    `O arquivo pede uma chave derivada de ${count(asked)} bytes para ${cipher}; o máximo é ${count(maximum)}.`,
    asked,
    maximum,
  );
}

/** The derivations decrypting under `algorithm` takes, for the budget to price before any runs. */
export function derivationsOf(algorithm: Node): Derivation[] {
  const scheme = readScheme(algorithm);
  if (scheme.kind === 'pbes2') return [{ kdf: 'pbkdf2', hash: scheme.prf, iterations: scheme.iterations, bytes: scheme.keySize }];
  if (scheme.kind === 'pbes1') return [{ kdf: 'pbkdf1', hash: scheme.v1.hash, iterations: scheme.iterations, bytes: 16 }];
  const key: Derivation = { kdf: 'pkcs12', hash: 'sha1', iterations: scheme.iterations, bytes: scheme.pbe.keySize };
  return scheme.pbe.kind === 'rc4' ? [key] : [key, { ...key, bytes: 8 }];
}

/** Decrypt `data` encrypted under `algorithm` (an AlgorithmIdentifier node) with one form of the password. */
export function decrypt(algorithm: Node, data: Buffer, password: PasswordForm, budget: WorkBudget): Buffer {
  const scheme = readScheme(algorithm);
  if (scheme.kind === 'pbes2') {
    const key = pbkdf2(password.octets, scheme.salt, scheme.iterations, scheme.keySize, scheme.prf, budget);
    if (scheme.cipher === 'rc2') return rc2Cbc(key, scheme.keySize * 8, scheme.iv, data);
    if (scheme.cipher.node === 'des-cbc') return forgeCbc('DES-CBC', key, scheme.iv, data);
    return nativeCbc(scheme.cipher.node, key, scheme.iv, data);
  }
  if (scheme.kind === 'pkcs12') {
    const { pbe, salt, iterations } = scheme;
    const pass = password.bmp;
    const key = pkcs12Kdf('sha1', pass, salt, iterations, 1, pbe.keySize, budget);
    if (pbe.kind === 'rc4') return rc4(key, data);
    const iv = pkcs12Kdf('sha1', pass, salt, iterations, 2, 8, budget);
    if (pbe.kind === 'rc2') return rc2Cbc(key, pbe.keySize * 8, iv, data);
    // 2-key 3DES is 3DES with K3 = K1.
    const key3 = pbe.kind === 'des-ede' ? Buffer.concat([key, key.subarray(0, 8)]) : key;
    return nativeCbc('des-ede3-cbc', key3, iv, data);
  }
  const derived = pbkdf1(scheme.v1.hash, password.octets, scheme.salt, scheme.iterations, budget);
  const [key, iv] = [derived.subarray(0, 8), derived.subarray(8, 16)];
  return scheme.v1.cipher === 'des' ? forgeCbc('DES-CBC', key, iv, data) : rc2Cbc(key, 64, iv, data);
}

function nativeCbc(name: string, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  if (!nativeCiphers.has(name) && name.startsWith('camellia-')) {
    const plain = camelliaCbcDecrypt(key, iv, data);
    if (!plain) throw new DecryptionError();
    return plain;
  }
  if (!nativeCiphers.has(name)) throw new UnsupportedAlgorithmError(name);
  let decipher;
  try {
    decipher = createDecipheriv(name, key, iv);
  } catch {
    throw new UnsupportedAlgorithmError(name);
  }
  try {
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

function forgeCbc(name: 'DES-CBC', key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const decipher = forge.cipher.createDecipher(name, key.toString('binary'));
  decipher.start({ iv: iv.toString('binary') });
  decipher.update(forge.util.createBuffer(data.toString('binary')));
  if (!decipher.finish()) throw new DecryptionError();
  return Buffer.from(decipher.output.getBytes(), 'binary');
}

function rc2Cbc(key: Buffer, effectiveBits: number, iv: Buffer, data: Buffer): Buffer {
  if (data.length % 8 !== 0 || iv.length !== 8) throw new DecryptionError();
  const decipher = forge.rc2.createDecryptionCipher(key.toString('binary'), effectiveBits);
  decipher.start(iv.toString('binary'));
  decipher.update(forge.util.createBuffer(data.toString('binary')));
  if (!decipher.finish()) throw new DecryptionError();
  return Buffer.from(decipher.output.getBytes(), 'binary');
}

/** RC4 (stream cipher, no padding): wrong keys show up later as unparseable ASN.1. */
export function rc4(key: Buffer, data: Buffer): Buffer {
  const S = new Uint8Array(256);
  for (let i = 0; i < 256; i++) S[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + S[i]! + key[i % key.length]!) & 0xff;
    [S[i], S[j]] = [S[j]!, S[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + S[i]!) & 0xff;
    [S[i], S[j]] = [S[j]!, S[i]!];
    out[n] = data[n]! ^ S[(S[i]! + S[j]!) & 0xff]!;
  }
  return out;
}
