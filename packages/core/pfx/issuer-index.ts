/**
 * Who issued whom among a set of certificates, in time linear in their number. Comparing every
 * pair with X509Certificate.checkIssued made 10,000 chained certificates cost 53 s; here each
 * certificate is looked up by the issuer name it carries, candidates whose key identifiers or key
 * usage already rule them out are skipped, and OpenSSL's checkIssued only confirms — at most a few
 * times per question, so a file of thousands of look-alike names stays linear too.
 */
import { Type, isContext, type Node } from './asn1';
import type { ParsedCertificate } from './certificate';

/** checkIssued calls per question: real files need one; more only happen in crafted ones. */
const CONFIRMATIONS = 8;

const KEY_CERT_SIGN_BIT = 5;

function hexOf(node: Node | undefined): string | null {
  return node && typeof node.value === 'string' ? Buffer.from(node.value, 'binary').toString('hex') : null;
}

/** SubjectKeyIdentifier (an OCTET STRING). */
function subjectKeyId(cert: ParsedCertificate): string | null {
  const ski = cert.extensions.get('2.5.29.14');
  return ski && ski.type === Type.OCTETSTRING ? hexOf(ski) : null;
}

/** AuthorityKeyIdentifier's keyIdentifier ([0] IMPLICIT OCTET STRING). */
function authorityKeyId(cert: ParsedCertificate): string | null {
  const aki = cert.extensions.get('2.5.29.35');
  if (!aki || !Array.isArray(aki.value)) return null;
  return hexOf((aki.value as Node[]).find((n) => isContext(n, 0)));
}

/** False when a keyUsage extension is present without keyCertSign (OpenSSL then refuses the issuer). */
function maySignCertificates(cert: ParsedCertificate): boolean {
  const bits = cert.extensions.get('2.5.29.15');
  if (!bits || typeof bits.value !== 'string' || bits.value.length < 2) return true;
  return (bits.value.charCodeAt(1 + (KEY_CERT_SIGN_BIT >> 3)) & (0x80 >> (KEY_CERT_SIGN_BIT & 7))) !== 0;
}

interface Entry {
  cert: ParsedCertificate;
  ski: string | null;
  aki: string | null;
  signs: boolean;
}

export class IssuerIndex {
  private readonly entries = new Map<ParsedCertificate, Entry>();
  private readonly bySubject = new Map<string, Entry[]>();
  private readonly byIssuer = new Map<string, Entry[]>();

  constructor(certs: readonly ParsedCertificate[]) {
    for (const cert of certs) {
      const entry: Entry = { cert, ski: subjectKeyId(cert), aki: authorityKeyId(cert), signs: maySignCertificates(cert) };
      this.entries.set(cert, entry);
      push(this.bySubject, cert.subjectKey, entry);
      push(this.byIssuer, cert.issuerKey, entry);
    }
  }

  /** The first certificate here (in the order given) that issued `cert`, leaving out `skip`. */
  issuerOf(cert: ParsedCertificate, skip: ReadonlySet<ParsedCertificate>): ParsedCertificate | undefined {
    const subject = this.entries.get(cert) ?? describe(cert);
    let tries = 0;
    for (const candidate of this.bySubject.get(cert.issuerKey) ?? []) {
      if (skip.has(candidate.cert) || !plausible(subject, candidate)) continue;
      if (tries++ === CONFIRMATIONS) return undefined;
      if (cert.x509.checkIssued(candidate.cert.x509)) return candidate.cert;
    }
    return undefined;
  }

  /** Whether `cert` issued another certificate here. */
  issuedAny(cert: ParsedCertificate): boolean {
    const issuer = this.entries.get(cert) ?? describe(cert);
    let tries = 0;
    for (const subject of this.byIssuer.get(cert.subjectKey) ?? []) {
      if (subject.cert === cert || !plausible(subject, issuer)) continue;
      if (tries++ === CONFIRMATIONS) return false;
      if (subject.cert.x509.checkIssued(cert.x509)) return true;
    }
    return false;
  }
}

function describe(cert: ParsedCertificate): Entry {
  return { cert, ski: subjectKeyId(cert), aki: authorityKeyId(cert), signs: maySignCertificates(cert) };
}

/** What checkIssued would refuse without a call: another key identifier, or no right to sign certificates. */
function plausible(subject: Entry, issuer: Entry): boolean {
  if (!issuer.signs) return false;
  return subject.aki === null || issuer.ski === null || subject.aki === issuer.ski;
}

function push(map: Map<string, Entry[]>, key: string, entry: Entry): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}
