/**
 * The PKCS#12 container (RFC 7292): PFX → MAC check → AuthenticatedSafe → SafeContents → bags.
 * Returns raw DER certificates and PKCS#8 private keys; what they mean is certificate.ts's job.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  Asn1ShapeError,
  bytesOf,
  child,
  children,
  integer,
  isContext,
  octets,
  oid,
  parseDer,
  parseDerPrefix,
  text,
  toDer,
  type Node,
} from './asn1';
import { DecryptionError, describeAlgorithm, decrypt, MAX_ITERATIONS, UnsupportedAlgorithmError, type SchemeDescription } from './ciphers';
import { pkcs12Kdf } from './kdf';
import type { PasswordForm } from './password-forms';
import { describePbmac1, PBMAC1_OID, pbmac1Matches, readPbmac1Params } from './pbmac1';

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  envelopedData: '1.2.840.113549.1.7.3',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  safeContentsBag: '1.2.840.113549.1.12.10.1.6',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
} as const;

const MAC_HASH: Record<string, { node: string; label: string; size: number }> = {
  '1.3.14.3.2.26': { node: 'sha1', label: 'SHA-1', size: 20 },
  '2.16.840.1.101.3.4.2.4': { node: 'sha224', label: 'SHA-224', size: 28 },
  '2.16.840.1.101.3.4.2.1': { node: 'sha256', label: 'SHA-256', size: 32 },
  '2.16.840.1.101.3.4.2.2': { node: 'sha384', label: 'SHA-384', size: 48 },
  '2.16.840.1.101.3.4.2.3': { node: 'sha512', label: 'SHA-512', size: 64 },
  '1.2.840.113549.2.5': { node: 'md5', label: 'MD5', size: 16 },
};

export interface BagAttributes {
  friendlyName: string | null;
  localKeyId: string | null;
}

export interface CertEntry extends BagAttributes {
  der: Buffer;
}

export interface KeyEntry extends BagAttributes {
  pkcs8: Buffer;
}

export interface Pkcs12Contents {
  certificates: CertEntry[];
  keys: KeyEntry[];
  mac: { algorithm: string; iterations: number } | null;
  encryption: (SchemeDescription & { target: 'certificates' | 'privateKey' })[];
}

/** The MAC did not verify: a wrong password or a damaged file (a MAC cannot tell which). */
export class MacMismatchError extends Error {
  constructor() {
    super('MAC não confere');
    this.name = 'MacMismatchError';
  }
}

export interface ParsedPfx {
  authSafe: Buffer;
  macData: Node | undefined;
  /** Bytes after the end of the PFX structure (zero padding from .NET), ignored. */
  trailing: number;
}

/** Structural parse only: throws Asn1ShapeError / forge errors for what is not a PFX. */
export function parsePfx(bytes: Buffer): ParsedPfx {
  checkOuterLength(bytes);
  const { node: pfx, trailing } = parseDerPrefix(bytes);
  const parts = children(pfx, 'PFX');
  if (integer(parts[0], 'versão') !== 3) throw new Asn1ShapeError('versão do PFX diferente de 3');
  const authSafeInfo = child(pfx, 1, 'authSafe');
  const type = oid(child(authSafeInfo, 0, 'authSafe'), 'authSafe');
  if (type !== OID.data) throw new UnsupportedAlgorithmError(`authSafe ${type} (modo de chave pública)`);
  const authSafe = octets(child(child(authSafeInfo, 1, 'authSafe'), 0, 'authSafe'), 'authSafe');
  return { authSafe, macData: parts[2], trailing };
}

/**
 * Compare the outer SEQUENCE's declared length with the file size: the lenient BER parser would
 * otherwise read a truncated file as far as it goes and report a MAC mismatch (a "wrong password").
 */
function checkOuterLength(bytes: Buffer): void {
  if (bytes[0] !== 0x30 || bytes.length < 2) return; // not DER at all: the parser reports it
  const first = bytes[1]!;
  if (first === 0x80) return; // indefinite length (BER): only the parser can tell
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count > 4 || bytes.length < 2 + count) return;
    length = bytes.readUIntBE(2, count);
    header += count;
  }
  if (header + length > bytes.length) {
    throw new TruncatedError(`o arquivo tem ${bytes.length} bytes, mas a estrutura declara ${header + length}: está truncado`);
  }
}

export class TruncatedError extends Asn1ShapeError {}

/** The password bytes the file's MAC depends on: PBKDF2 octets for PBMAC1, else the BMPString. */
export function macInputOf(parsed: ParsedPfx, password: PasswordForm): Buffer {
  if (!parsed.macData) return Buffer.alloc(0);
  try {
    const algorithm = child(child(parsed.macData, 0, 'macData'), 0, 'digestInfo');
    return oid(child(algorithm, 0, 'digestInfo'), 'algoritmo do MAC') === PBMAC1_OID ? password.octets : password.bmp;
  } catch {
    return password.bmp; // verifyMac reports the damage
  }
}

/** Verify the MAC with one form of a candidate password; returns the algorithm for the report. */
export function verifyMac(parsed: ParsedPfx, password: PasswordForm): { algorithm: string; iterations: number } | null {
  if (!parsed.macData) return null;
  const digestInfo = child(parsed.macData, 0, 'macData');
  const algorithm = child(digestInfo, 0, 'digestInfo');
  const algOid = oid(child(algorithm, 0, 'digestInfo'), 'algoritmo do MAC');
  if (algOid === PBMAC1_OID) {
    const params = readPbmac1Params(children(algorithm, 'PBMAC1')[1]);
    if (!pbmac1Matches(params, octets(child(digestInfo, 1, 'digestInfo'), 'MAC'), parsed.authSafe, password)) throw new MacMismatchError();
    return { algorithm: describePbmac1(params), iterations: params.iterations };
  }
  const hash = MAC_HASH[algOid];
  if (!hash) throw new UnsupportedAlgorithmError(`MAC ${algOid}`);
  const expected = octets(child(digestInfo, 1, 'digestInfo'), 'MAC');
  const salt = octets(child(parsed.macData, 1, 'macData'), 'salt do MAC');
  const iterNode = children(parsed.macData, 'macData')[2];
  const iterations = iterNode ? integer(iterNode, 'iterações do MAC') : 1;
  if (iterations < 1 || iterations > MAX_ITERATIONS) throw new UnsupportedAlgorithmError(`${iterations} iterações`);
  const key = pkcs12Kdf(hash.node, password.bmp, salt, iterations, 3, hash.size);
  const actual = createHmac(hash.node, key).update(parsed.authSafe).digest();
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw new MacMismatchError();
  return { algorithm: hash.label, iterations };
}

/** Decrypt and collect every bag, assuming `password` is right (the MAC said so, or there is none). */
export function readContents(parsed: ParsedPfx, password: PasswordForm): Omit<Pkcs12Contents, 'mac'> {
  const out: Omit<Pkcs12Contents, 'mac'> = { certificates: [], keys: [], encryption: [] };
  for (const info of children(parseDer(parsed.authSafe), 'AuthenticatedSafe')) {
    const type = oid(child(info, 0, 'ContentInfo'), 'ContentInfo');
    const content = child(info, 1, 'ContentInfo');
    if (type === OID.data) {
      readSafeContents(octets(child(content, 0, 'data'), 'data'), password, out, 0);
    } else if (type === OID.encryptedData) {
      const encryptedContentInfo = child(child(content, 0, 'EncryptedData'), 1, 'EncryptedData');
      const algorithm = child(encryptedContentInfo, 1, 'EncryptedContentInfo');
      const encrypted = children(encryptedContentInfo, 'EncryptedContentInfo')[2];
      if (!encrypted) continue; // detached content: nothing stored here
      note(out, algorithm, 'certificates');
      const plain = decrypt(algorithm, bytesOf(encrypted, 'conteúdo cifrado'), password);
      readSafeContents(plain, password, out, 0);
    } else if (type === OID.envelopedData) {
      throw new UnsupportedAlgorithmError('conteúdo envelopado (chave pública)');
    }
  }
  return out;
}

function note(out: Omit<Pkcs12Contents, 'mac'>, algorithm: Node, target: 'certificates' | 'privateKey'): void {
  const scheme = { ...describeAlgorithm(algorithm), target };
  const same = (e: typeof scheme) =>
    e.target === target && e.algorithm === scheme.algorithm && e.kdf === scheme.kdf && e.iterations === scheme.iterations;
  if (!out.encryption.some(same)) out.encryption.push(scheme);
}

function readSafeContents(der: Buffer, password: PasswordForm, out: Omit<Pkcs12Contents, 'mac'>, depth: number): void {
  if (depth > 4) throw new Asn1ShapeError('SafeContents aninhados demais');
  let bags: Node[];
  try {
    bags = children(parseDer(der), 'SafeContents');
  } catch {
    // Garbage after decryption is how RC4 (no padding) reports a wrong key.
    throw new DecryptionError();
  }
  for (const bag of bags) {
    const bagId = oid(child(bag, 0, 'SafeBag'), 'SafeBag');
    const valueWrapper = child(bag, 1, 'SafeBag');
    if (!isContext(valueWrapper, 0)) throw new Asn1ShapeError('SafeBag sem valor');
    const value = child(valueWrapper, 0, 'SafeBag');
    const attributes = readAttributes(children(bag, 'SafeBag')[2]);
    if (bagId === OID.keyBag) {
      out.keys.push({ pkcs8: toDer(value), ...attributes });
    } else if (bagId === OID.shroudedKeyBag) {
      const algorithm = child(value, 0, 'EncryptedPrivateKeyInfo');
      note(out, algorithm, 'privateKey');
      const pkcs8 = decrypt(algorithm, octets(child(value, 1, 'EncryptedPrivateKeyInfo'), 'chave'), password);
      out.keys.push({ pkcs8, ...attributes });
    } else if (bagId === OID.certBag) {
      const certType = oid(child(value, 0, 'CertBag'), 'CertBag');
      if (certType !== OID.x509Certificate) continue;
      const der = octets(child(child(value, 1, 'CertBag'), 0, 'CertBag'), 'certificado');
      out.certificates.push({ der, ...attributes });
    } else if (bagId === OID.safeContentsBag) {
      readSafeContents(toDer(value), password, out, depth + 1);
    }
  }
}

function readAttributes(set: Node | undefined): BagAttributes {
  const result: BagAttributes = { friendlyName: null, localKeyId: null };
  if (!set || !Array.isArray(set.value)) return result;
  for (const attribute of set.value as Node[]) {
    try {
      const type = oid(child(attribute, 0, 'atributo'), 'atributo');
      const first = child(child(attribute, 1, 'atributo'), 0, 'atributo');
      if (type === OID.friendlyName) result.friendlyName = text(first);
      if (type === OID.localKeyId) result.localKeyId = bytesOf(first, 'localKeyId').toString('hex');
    } catch {
      // An odd attribute never makes a readable file unreadable.
    }
  }
  return result;
}
