/**
 * What an X.509 certificate says, for people: holder, ICP-Brasil identifiers from the
 * subjectAltName otherName entries (DOC-ICP-04 §7.1.2.3), policy type, validity, key, fingerprints.
 * node:crypto's X509Certificate handles RSA and EC keys and fingerprints; the ICP-Brasil fields and
 * UTF-8 subject attributes are read from the DER with the ASN.1 helpers.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { CertificateSummary, CertificateType } from '@certdesk/shared/contract';
import { isValidCnpj, isValidCpf, normalizeDocument } from '@certdesk/shared/tax-ids';
import { validityOf } from '@certdesk/shared/status';
import { bytesOf, child, children, dateOf, isContext, oid, parseDer, text, toDer, type Node } from './asn1';
import { WorkBudget } from './budget';
import { describePublicKey, type KeyDescription } from './key-details';

const ICP = {
  personData: '2.16.76.1.3.1',
  responsibleName: '2.16.76.1.3.2',
  cnpj: '2.16.76.1.3.3',
  responsibleData: '2.16.76.1.3.4',
} as const;

const POLICY_TYPES: Record<string, string> = {
  '1': 'A1',
  '2': 'A2',
  '3': 'A3',
  '4': 'A4',
  '101': 'S1',
  '102': 'S2',
  '103': 'S3',
  '104': 'S4',
  '303': 'T3',
  '304': 'T4',
};

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '1.3.6.1.4.1.311.20.2.2': 'smartcardLogon',
  '1.3.6.1.4.1.311.10.3.12': 'documentSigning',
};

export interface ParsedCertificate {
  der: Buffer;
  x509: X509Certificate;
  subject: Map<string, string>;
  issuer: Map<string, string>;
  subjectText: string;
  issuerText: string;
  /** The names compared the way OpenSSL compares them (case and spacing ignored), for issuer lookups. */
  subjectKey: string;
  issuerKey: string;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  /** SubjectPublicKeyInfo as written in the certificate (readable even when node:crypto cannot use the key). */
  spki: Buffer;
  key: KeyDescription;
  /** extnID → parsed extnValue, read once. */
  extensions: Map<string, Node>;
}

const NAME_LABELS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/**
 * A distinguished name as a map (first value per type), as display text (most specific first) and
 * as a comparison key: OpenSSL matches names after trimming, collapsing spaces and lowering case,
 * so the key does the same (lowering every letter, not only ASCII: a wider match only means one
 * more candidate for OpenSSL's own check, never a missed one).
 */
function readName(name: Node): { map: Map<string, string>; text: string; key: string } {
  const attributes = new Map<string, string>();
  const parts: string[] = [];
  const rdns: string[] = [];
  for (const rdn of children(name, 'nome')) {
    const values: string[] = [];
    for (const atv of children(rdn, 'RDN')) {
      const type = oid(child(atv, 0, 'atributo'), 'atributo');
      const value = text(child(atv, 1, 'atributo'));
      if (!attributes.has(type)) attributes.set(type, value);
      parts.push(`${NAME_LABELS[type] ?? type}=${value}`);
      values.push(`${type}=${value.trim().replace(/\s+/g, ' ').toLowerCase()}`);
    }
    rdns.push(values.join('+'));
  }
  return { map: attributes, text: parts.reverse().join(', '), key: rdns.join('\n') };
}

/**
 * CA certificates already parsed in this thread, by their DER. A folder of PFX files from one
 * certificate authority carries the same intermediate and root in file after file, and parsing one
 * (X509Certificate, ~0.1 ms) was most of a certificate's cost. Only CA certificates are kept — an
 * end-entity certificate is one company's, met once — and a ParsedCertificate is never changed
 * after it is built, so sharing one between reports is safe. Bounded: oldest out first.
 */
const parsedAuthorities = new Map<string, ParsedCertificate>();
const MAX_KEPT_AUTHORITIES = 256;

export function parseCertificate(der: Buffer, budget: WorkBudget = new WorkBudget()): ParsedCertificate {
  const id = der.toString('base64');
  const known = parsedAuthorities.get(id);
  if (known) return known;
  const parsed = parseFresh(der, budget);
  if (parsed.isCa) {
    if (parsedAuthorities.size >= MAX_KEPT_AUTHORITIES) parsedAuthorities.delete(parsedAuthorities.keys().next().value!);
    // A copy: `der` may be a view into a whole file's bytes, which the cache must not keep alive.
    parsedAuthorities.set(id, { ...parsed, der: Buffer.from(der) });
    return parsedAuthorities.get(id)!;
  }
  return parsed;
}

function parseFresh(der: Buffer, budget: WorkBudget): ParsedCertificate {
  const x509 = new X509Certificate(der);
  const tbs = child(parseDer(der, true, budget), 0, 'certificado');
  const fields = children(tbs, 'TBSCertificate');
  const offset = isContext(fields[0], 0) ? 1 : 0; // explicit version is optional (v1 certificates)
  const validity = fields[offset + 3];
  const issuer = readName(fields[offset + 2]!);
  const subject = readName(fields[offset + 4]!);
  const spki = toDer(child(tbs, offset + 5, 'SubjectPublicKeyInfo'));
  return {
    der,
    x509,
    issuer: issuer.map,
    subject: subject.map,
    issuerText: issuer.text,
    subjectText: subject.text,
    subjectKey: subject.key,
    issuerKey: issuer.key,
    notBefore: dateOf(child(validity, 0, 'validade'), 'validade'),
    notAfter: dateOf(child(validity, 1, 'validade'), 'validade'),
    isCa: x509.ca,
    spki,
    key: describePublicKey(spki, () => x509.publicKey, budget),
    extensions: readExtensions(
      fields.find((n) => isContext(n, 3)),
      budget,
    ),
  };
}

function readExtensions(wrapper: Node | undefined, budget: WorkBudget): Map<string, Node> {
  const result = new Map<string, Node>();
  if (!wrapper) return result;
  for (const ext of children(child(wrapper, 0, 'extensões'), 'extensões')) {
    const parts = children(ext, 'extensão');
    try {
      result.set(oid(parts[0], 'extensão'), parseDer(bytesOf(parts[parts.length - 1], 'extensão'), true, budget));
    } catch (error) {
      if ((error as { code?: string }).code === 'TOO_COMPLEX') throw error;
      // An extension we cannot parse is left out; the rest of the certificate still reads.
    }
  }
  return result;
}

export function commonNameOf(names: Map<string, string>): string {
  return names.get('2.5.4.3') ?? names.get('2.5.4.10') ?? '';
}

function extension(cert: ParsedCertificate, extnId: string): Node | null {
  return cert.extensions.get(extnId) ?? null;
}

function keyUsage(cert: ParsedCertificate): string[] {
  const bits = extension(cert, '2.5.29.15');
  if (!bits || typeof bits.value !== 'string' || bits.value.length < 1) return [];
  const raw = Buffer.from(bits.value, 'binary').subarray(1); // first octet: unused bits
  return KEY_USAGE_BITS.filter((_, index) => ((raw[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0);
}

function extendedKeyUsage(cert: ParsedCertificate): string[] {
  const eku = extension(cert, '2.5.29.37');
  if (!eku || !Array.isArray(eku.value)) return [];
  return (eku.value as Node[]).map((n) => {
    const id = oid(n, 'EKU');
    return EKU_NAMES[id] ?? id;
  });
}

interface SanFields {
  others: Map<string, string>;
  email: string | null;
}

function readSan(cert: ParsedCertificate): SanFields {
  const result: SanFields = { others: new Map(), email: null };
  const san = extension(cert, '2.5.29.17');
  if (!san) return result;
  for (const name of children(san, 'subjectAltName')) {
    if (isContext(name, 0)) {
      const typeId = oid(child(name, 0, 'otherName'), 'otherName');
      // value is [0] EXPLICIT ANY: OCTET STRING, PrintableString or UTF8String in ICP-Brasil.
      result.others.set(typeId, text(child(child(name, 1, 'otherName'), 0, 'otherName')).trim());
    } else if (isContext(name, 1) && !result.email) {
      result.email = bytesOf(name, 'e-mail').toString('latin1');
    }
  }
  return result;
}

/** ddmmaaaa → YYYY-MM-DD; zeros (not informed) or an impossible date → null. */
function birthDate(ddmmaaaa: string): string | null {
  const match = /^(\d{2})(\d{2})(\d{4})$/.exec(ddmmaaaa);
  if (!match || ddmmaaaa === '00000000') return null;
  const [, d, m, y] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCDate() !== Number(d) || date.getUTCMonth() !== Number(m) - 1) return null;
  return `${y}-${m}-${d}`;
}

function personData(value: string | undefined): { birthDate: string | null; cpf: string | null } {
  if (!value) return { birthDate: null, cpf: null };
  const cpf = value.slice(8, 19);
  return { birthDate: birthDate(value.slice(0, 8)), cpf: isValidCpf(cpf) ? cpf : null };
}

function policyType(cert: ParsedCertificate): string | null {
  const policies = extension(cert, '2.5.29.32');
  if (!policies) return null;
  for (const info of children(policies, 'políticas')) {
    const id = oid(child(info, 0, 'política'), 'política');
    const match = /^2\.16\.76\.1\.2\.(\d+)\./.exec(id);
    if (match) return POLICY_TYPES[match[1]!] ?? `ICP-Brasil ${match[1]}`;
  }
  return null;
}

function hex(buffer: Buffer): string {
  return buffer.toString('hex');
}

/** Summarize a certificate for the inspector, the CLI JSON and the workspace. */
export function summarize(cert: ParsedCertificate, now: Date): CertificateSummary {
  const commonName = commonNameOf(cert.subject);
  const san = readSan(cert);
  // Fallback: the `NAME:NUMBER` form of the CN, only when the otherName entries are missing.
  const [cnName, cnNumber] = commonName.includes(':')
    ? [commonName.slice(0, commonName.lastIndexOf(':')), normalizeDocument(commonName.slice(commonName.lastIndexOf(':') + 1))]
    : [commonName, ''];

  let cnpj = san.others.get(ICP.cnpj) ?? null;
  if (cnpj !== null) cnpj = normalizeDocument(cnpj);
  const holder = personData(san.others.get(ICP.personData));
  const responsibleData = personData(san.others.get(ICP.responsibleData));
  if (!cnpj && !holder.cpf && cnNumber.length === 14 && isValidCnpj(cnNumber)) cnpj = cnNumber;
  const cpf = holder.cpf ?? (!cnpj && cnNumber.length === 11 && isValidCpf(cnNumber) ? cnNumber : null);
  const type: CertificateType = cnpj ? 'e-CNPJ' : cpf ? 'e-CPF' : 'other';
  const responsibleName = san.others.get(ICP.responsibleName) ?? null;
  const responsible =
    type === 'e-CNPJ' && (responsibleName || responsibleData.cpf) ? { name: responsibleName, cpf: responsibleData.cpf } : null;

  const { daysRemaining, status } = validityOf(cert.notBefore, cert.notAfter, now);
  return {
    commonName,
    holderName: cnName.trim(),
    type,
    cnpj,
    cpf: type === 'e-CPF' ? cpf : null,
    responsible,
    birthDate: type === 'e-CPF' ? holder.birthDate : responsible ? responsibleData.birthDate : null,
    issuerCommonName: commonNameOf(cert.issuer),
    subject: cert.subjectText,
    issuer: cert.issuerText,
    serialNumber: cert.x509.serialNumber.toLowerCase(),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    daysRemaining,
    status,
    policy: policyType(cert),
    keyAlgorithm: cert.key.algorithm,
    keySize: cert.key.size,
    ...(cert.key.curve ? { keyCurve: cert.key.curve } : {}),
    fingerprints: {
      sha1: hex(createHash('sha1').update(cert.der).digest()),
      sha256: hex(createHash('sha256').update(cert.der).digest()),
    },
    // The key's own fingerprint: a renewal tells whether the new certificate kept the old key.
    publicKeySha256: hex(createHash('sha256').update(cert.spki).digest()),
    keyUsage: keyUsage(cert),
    extendedKeyUsage: extendedKeyUsage(cert),
    email: san.email ?? cert.subject.get('1.2.840.113549.1.9.1') ?? null,
  };
}
