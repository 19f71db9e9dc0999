/**
 * The PKCS#12 container (RFC 7292): PFX → MAC check → AuthenticatedSafe → SafeContents → bags.
 * Returns raw DER certificates and PKCS#8 private keys; what they mean is certificate.ts's job.
 */
import { CertdeskError } from '../errors';
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
import { ContentTally, count, tooComplex, type WorkBudget } from './budget';
import { DecryptionError, describeAlgorithm, decrypt, UnsupportedAlgorithmError, type SchemeDescription } from './ciphers';
import type { PasswordForm } from './password-forms';
import { OID, partsOf, plainBagsOf, safeContentsWatch, shroudedKeyDerivations } from './pkcs12-parts';
import type { ParsedPfx } from './pkcs12-parsed';

export type { ParsedPfx };

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

/** Structural parse only: throws Asn1ShapeError / forge errors for what is not a PFX. */
export function parsePfx(bytes: Buffer, budget: WorkBudget): ParsedPfx {
  checkOuterLength(bytes);
  const { node: pfx, trailing } = parseDerPrefix(bytes, budget);
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

/** One reading of the contents: what it collected, what it met, what it may spend. */
interface Reading {
  out: Omit<Pkcs12Contents, 'mac'>;
  password: PasswordForm;
  budget: WorkBudget;
  tally: ContentTally;
}

/** Decrypt and collect every bag, assuming `password` is right (the MAC said so, or there is none). */
export function readContents(parsed: ParsedPfx, password: PasswordForm, budget: WorkBudget): Omit<Pkcs12Contents, 'mac'> {
  const reading: Reading = {
    out: { certificates: [], keys: [], encryption: [] },
    password,
    budget,
    tally: new ContentTally(budget.limits),
  };
  const infos = partsOf(parsed, budget, reading.tally);
  for (const info of infos) {
    const type = oid(child(info, 0, 'ContentInfo'), 'ContentInfo');
    const content = child(info, 1, 'ContentInfo');
    if (type === OID.data) {
      const der = octets(child(content, 0, 'data'), 'data');
      let bags: Node[];
      try {
        bags = plainBagsOf(parsed, info, der, budget, reading.tally);
      } catch (error) {
        throw error instanceof CertdeskError ? error : new DecryptionError(); // as readSafeContents says it
      }
      readBags(bags, reading, 0);
    } else if (type === OID.encryptedData) {
      const encryptedContentInfo = child(child(content, 0, 'EncryptedData'), 1, 'EncryptedData');
      const algorithm = child(encryptedContentInfo, 1, 'EncryptedContentInfo');
      const encrypted = children(encryptedContentInfo, 'EncryptedContentInfo')[2];
      if (!encrypted) continue; // detached content: nothing stored here
      note(reading.out, algorithm, 'certificates');
      const plain = decrypt(algorithm, bytesOf(encrypted, 'conteúdo cifrado'), password, budget);
      readSafeContents(plain, reading, 0);
    } else if (type === OID.envelopedData) {
      throw new UnsupportedAlgorithmError('conteúdo envelopado (chave pública)');
    }
  }
  return reading.out;
}

function note(out: Omit<Pkcs12Contents, 'mac'>, algorithm: Node, target: 'certificates' | 'privateKey'): void {
  const scheme = { ...describeAlgorithm(algorithm), target };
  const same = (e: typeof scheme) =>
    e.target === target && e.algorithm === scheme.algorithm && e.kdf === scheme.kdf && e.iterations === scheme.iterations;
  if (!out.encryption.some(same)) out.encryption.push(scheme);
}

function readSafeContents(der: Buffer, reading: Reading, depth: number): void {
  const { budget, tally } = reading;
  if (depth > budget.limits.nesting) {
    throw tooComplex(
      'nesting',
      `O arquivo tem SafeContents aninhados em mais de ${count(budget.limits.nesting)} níveis; o máximo é ${count(budget.limits.nesting)}.`,
      depth,
      budget.limits.nesting,
    );
  }
  if (depth > 0) tally.addSafeContents(1);
  let bags: Node[];
  try {
    bags = children(parseDer(der, true, budget, safeContentsWatch(tally)), 'SafeContents');
  } catch (error) {
    if (error instanceof CertdeskError) throw error; // over budget: refused, not a wrong key
    // Garbage after decryption is how RC4 (no padding) reports a wrong key.
    throw new DecryptionError();
  }
  readBags(bags, reading, depth);
}

function readBags(bags: Node[], reading: Reading, depth: number): void {
  const { out, password, budget } = reading;
  // Keys found inside an encrypted part are priced together before the first is decrypted.
  budget.plan(shroudedKeyDerivations(bags));
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
      const pkcs8 = decrypt(algorithm, octets(child(value, 1, 'EncryptedPrivateKeyInfo'), 'chave'), password, budget);
      out.keys.push({ pkcs8, ...attributes });
    } else if (bagId === OID.certBag) {
      const certType = oid(child(value, 0, 'CertBag'), 'CertBag');
      if (certType !== OID.x509Certificate) continue;
      const der = octets(child(child(value, 1, 'CertBag'), 0, 'CertBag'), 'certificado');
      out.certificates.push({ der, ...attributes });
    } else if (bagId === OID.safeContentsBag) {
      readSafeContents(toDer(value), reading, depth + 1);
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
