/**
 * Sets of certificates a chain may be completed from — the file's, the ICP-Brasil ACs CertDesk
 * ships, those fetched from AIA addresses — indexed by subject name so that finding an issuer
 * never parses the whole set. A certificate is parsed (X509Certificate) only when it is a candidate.
 */
import { X509Certificate } from 'node:crypto';
import { frameCertificate, nameKey } from './der-walk';
import { ICP_BRASIL_CERTIFICATES } from './icp-brasil-certificates';
import { pointersOf, type CertificatePointers } from './certificate-pointers';

export type LinkSource = 'file' | 'shipped' | 'aia';

export class PoolCertificate {
  private parsed: X509Certificate | null = null;
  private read: CertificatePointers | null | undefined;
  /** Signature checks already made against each issuer (an AC met in file after file is checked once). */
  private readonly verified = new WeakMap<PoolCertificate, boolean>();
  readonly subjectKey: string;
  readonly issuerKey: string;

  constructor(
    readonly der: Buffer,
    readonly source: LinkSource,
    /** The AIA address it was fetched from (source 'aia'). */
    readonly url: string | null = null,
    x509?: X509Certificate,
  ) {
    const frame = frameCertificate(der);
    this.subjectKey = nameKey(der, frame.subject);
    this.issuerKey = nameKey(der, frame.issuer);
    if (x509) this.parsed = x509;
  }

  get x509(): X509Certificate {
    this.parsed ??= new X509Certificate(this.der);
    return this.parsed;
  }

  get fingerprint(): string {
    return this.x509.fingerprint256;
  }

  /** CRL, AIA and OCSP addresses and key identifiers, read once (null when the extensions are unreadable). */
  get pointers(): CertificatePointers | null {
    if (this.read === undefined) {
      try {
        this.read = pointersOf(this.der);
      } catch {
        this.read = null;
      }
    }
    return this.read;
  }

  /** Subject and authority key identifiers (null when absent or unreadable). */
  get ids(): { subject: string | null; authority: string | null } {
    return { subject: this.pointers?.subjectKeyId ?? null, authority: this.pointers?.authorityKeyId ?? null };
  }

  /** This certificate's signature verifies with `issuer`'s key (and the names chain). */
  signedBy(issuer: PoolCertificate): boolean {
    if (this.issuerKey !== issuer.subjectKey) return false;
    let result = this.verified.get(issuer);
    if (result === undefined) {
      try {
        result = this.x509.verify(issuer.x509.publicKey);
      } catch {
        result = false; // a key node:crypto cannot use (v7's algorithm, damaged) proves nothing
      }
      this.verified.set(issuer, result);
    }
    return result;
  }

  get selfSigned(): boolean {
    return this.subjectKey === this.issuerKey && this.signedBy(this);
  }
}

export class CertificatePool {
  private readonly bySubject = new Map<string, PoolCertificate[]>();
  private readonly fingerprints = new Set<string>();

  constructor(certificates: PoolCertificate[] = []) {
    for (const cert of certificates) this.add(cert);
  }

  add(cert: PoolCertificate): boolean {
    const id = cert.der.toString('base64');
    if (this.fingerprints.has(id)) return false;
    this.fingerprints.add(id);
    const list = this.bySubject.get(cert.subjectKey) ?? [];
    list.push(cert);
    this.bySubject.set(cert.subjectKey, list);
    return true;
  }

  has(der: Buffer): boolean {
    return this.fingerprints.has(der.toString('base64'));
  }

  /** Certificates whose subject is `cert`'s issuer. */
  issuersOf(cert: PoolCertificate): PoolCertificate[] {
    return this.bySubject.get(cert.issuerKey) ?? [];
  }

  get size(): number {
    return this.fingerprints.size;
  }
}

/**
 * CA certificates met in files, kept per thread by their DER (at most 256, oldest out): a folder from
 * one AC carries the same AC and root in file after file, and their parsing, extensions and
 * signature checks are then done once. A certificate's answers never change, so sharing is safe.
 */
const authorities = new Map<string, PoolCertificate>();
const MAX_AUTHORITIES = 256;

/** A pool entry for `der` from a file: the kept one for a CA certificate, a fresh one otherwise. */
export function fileCertificate(der: Buffer, x509?: X509Certificate): PoolCertificate {
  const id = der.toString('base64');
  const known = authorities.get(id);
  if (known) return known;
  const entry = new PoolCertificate(Buffer.from(der), 'file', null, x509);
  if (entry.x509.ca) {
    if (authorities.size >= MAX_AUTHORITIES) authorities.delete(authorities.keys().next().value!);
    authorities.set(id, entry);
  }
  return entry;
}

let shipped: CertificatePool | null = null;

/** The ICP-Brasil ACs and roots CertDesk ships, indexed once per thread on first use. */
export function shippedPool(): CertificatePool {
  shipped ??= new CertificatePool(ICP_BRASIL_CERTIFICATES.map((c) => new PoolCertificate(Buffer.from(c.der, 'base64'), 'shipped')));
  return shipped;
}
