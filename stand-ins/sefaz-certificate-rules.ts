/**
 * How the SEFAZ stand-in judges the client certificate it is shown, in the order a real server
 * does: the TLS layer (IIS) first — an issuer it does not know is refused in the handshake, an
 * expired certificate gets HTTP 403 — then the application's rejections 280–286. Everything is read
 * from the certificate itself and the stand-in's hierarchies (tests/fixtures/sefaz/).
 */
import { verify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { children, read } from '../scripts/fixtures/der';

export type Verdict =
  | { kind: 'refuse'; why: string }
  | { kind: 'forbidden'; why: string }
  | { kind: 'reject'; cStat: 280 | 281 | 282 | 283 | 284 | 285 | 286 }
  | { kind: 'accept' };

export interface StandinAuthorities {
  /** The stand-in's "ICP-Brasil" root, and the intermediates under it by role. */
  root: X509Certificate;
  ssl: X509Certificate;
  rfb: X509Certificate;
  semLcr: X509Certificate;
  invalid: X509Certificate;
  /** Trusted by the server, outside ICP-Brasil. */
  corporate: X509Certificate;
  revokedSerials: Set<bigint>;
}

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const CNPJ_OID_DER = Buffer.from('0605604c010303', 'hex'); // OID 2.16.76.1.3.3 as written in an otherName

/** Serials an LCR (DER, v2) lists, after checking it is `issuer`'s and its signature holds. */
export function revokedSerials(crl: Buffer, issuer: X509Certificate): Set<bigint> {
  const [tbs, , signature] = children(read(crl).content);
  if (!tbs || !signature) throw new Error('LCR ilegível');
  // bitString: first byte is the count of unused bits
  if (!verify('sha256', tbs.raw, issuer.publicKey, signature.content.subarray(1))) throw new Error('assinatura da LCR não confere');
  const revoked = children(tbs.content).find(
    (item, index) => index >= 3 && item.tag === 0x30 && children(item.content).every((e) => e.tag === 0x30),
  );
  return new Set(
    (revoked ? children(revoked.content) : []).map((entry) => BigInt(`0x${children(entry.content)[0]!.content.toString('hex')}`)),
  );
}

export function loadAuthorities(dir: string): StandinAuthorities {
  const cert = (name: string) => new X509Certificate(readFileSync(join(dir, `${name}.crt`)));
  const rfb = cert('rfb');
  return {
    root: cert('root'),
    ssl: cert('ssl'),
    rfb,
    semLcr: cert('semLcr'),
    invalid: cert('invalid'),
    corporate: cert('corporate'),
    revokedSerials: revokedSerials(readFileSync(join(dir, 'rfb.crl')), rfb),
  };
}

// Names and signature only: OpenSSL's checkIssued also wants keyCertSign, which the "not a CA" issuer lacks.
const signedBy = (leaf: X509Certificate, issuer: X509Certificate) => leaf.issuer === issuer.subject && leaf.verify(issuer.publicKey);

/** What a server that trusts `authorities` makes of `leaf` at `now`. */
export function judge(leaf: X509Certificate | undefined, authorities: StandinAuthorities, now: Date): Verdict {
  if (!leaf) return { kind: 'refuse', why: 'sem certificado de cliente' };
  const { rfb, semLcr, invalid, corporate } = authorities;
  const issuer = [rfb, semLcr, invalid, corporate].find((ca) => signedBy(leaf, ca));
  if (!issuer) return { kind: 'refuse', why: 'emissor desconhecido' };
  if (new Date(leaf.validTo) < now) return { kind: 'forbidden', why: 'certificado vencido' };
  if (new Date(leaf.validFrom) > now) return { kind: 'reject', cStat: 281 };
  if (issuer === corporate) return { kind: 'reject', cStat: 285 };
  if (issuer === invalid) return { kind: 'reject', cStat: 283 };
  if (issuer === semLcr) return { kind: 'reject', cStat: 286 };
  if (authorities.revokedSerials.has(BigInt(`0x${leaf.serialNumber}`))) return { kind: 'reject', cStat: 284 };
  if (!leaf.raw.includes(CNPJ_OID_DER)) return { kind: 'reject', cStat: 282 };
  // Node 22 names it extKeyUsage; Node 20 keyUsage (the extended key usage either way).
  const extended = (leaf as { extKeyUsage?: string[] }).extKeyUsage ?? leaf.keyUsage;
  if (extended !== undefined && !extended.includes(CLIENT_AUTH)) return { kind: 'reject', cStat: 280 };
  return { kind: 'accept' };
}

/** The CNPJ of an e-CNPJ (otherName 2.16.76.1.3.3), or null. */
export function cnpjOf(leaf: X509Certificate): string | null {
  const at = leaf.raw.indexOf(CNPJ_OID_DER);
  if (at < 0) return null;
  const digits = /[0-9A-Z]{14}/.exec(leaf.raw.subarray(at, at + 40).toString('latin1'));
  return digits?.[0] ?? null;
}
