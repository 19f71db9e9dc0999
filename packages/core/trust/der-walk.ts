/**
 * Framing of DER (tag, length, where the value starts and ends) without building a tree. The
 * structures themselves are read with @peculiar/asn1-* (docs/DECISIONS.md, "Trust and revocation");
 * this walker exists for the places a tree is too slow: indexing the hundreds of thousands of
 * entries of a CRL in one pass, keying the shipped CA certificates by name without parsing them, and
 * reading every leaf's CRL, AIA and key identifier pointers (certificate-pointers.ts).
 */

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first value byte. */
  valueStart: number;
  /** Offset just past the value. */
  end: number;
}

/** One element at `offset`, which must end within `limit`. Definite lengths only (DER). */
export function readTlv(buf: Buffer, offset: number, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw new DerError('estrutura DER truncada');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('marca DER de vários bytes não esperada');
  let p = offset + 1;
  let length = buf[p++]!;
  if (length === 0x80) throw new DerError('comprimento indefinido não é DER');
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count > 4 || p + count > limit) throw new DerError('comprimento DER inválido');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[p++]!;
  }
  const end = p + length;
  if (end > limit) throw new DerError('estrutura DER truncada');
  return { tag, start: offset, valueStart: p, end };
}

/** The elements inside a constructed element. */
export function childrenOf(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = parent.valueStart; offset < parent.end;) {
    const item = readTlv(buf, offset, parent.end);
    out.push(item);
    offset = item.end;
  }
  return out;
}

export const bytesOf = (buf: Buffer, tlv: Tlv): Buffer => buf.subarray(tlv.start, tlv.end);
export const valueOf = (buf: Buffer, tlv: Tlv): Buffer => buf.subarray(tlv.valueStart, tlv.end);

/** An INTEGER's value as lowercase hex without leading zero octets (how serials are compared). */
export function integerHex(buf: Buffer, tlv: Tlv): string {
  let start = tlv.valueStart;
  while (start < tlv.end - 1 && buf[start] === 0) start++;
  return buf.toString('hex', start, tlv.end);
}

/**
 * A distinguished name as a comparison key, in the spirit of RFC 5280 §7.1: attribute types and
 * values in order, values case-folded with inner spaces collapsed, whatever string type carried
 * them (ICP-Brasil ACs wrote the same name as PrintableString in one certificate and UTF8String in
 * another). BMPString is decoded as UTF-16; every other string type as UTF-8.
 */
export function nameKey(buf: Buffer, name: Tlv): string {
  const parts: string[] = [];
  for (const rdn of childrenOf(buf, name)) {
    const atvs = childrenOf(buf, rdn).map((atv) => {
      const [type, value] = childrenOf(buf, atv);
      if (!type || !value) throw new DerError('nome X.509 inválido');
      const raw = valueOf(buf, value);
      const text = value.tag === 0x1e ? Buffer.from(raw).swap16().toString('utf16le') : raw.toString('utf8');
      return `${buf.toString('hex', type.valueStart, type.end)}=${text.trim().replace(/\s+/g, ' ').toLowerCase()}`;
    });
    parts.push(atvs.sort().join('+'));
  }
  return parts.join(',');
}

export interface CertificateFrame {
  tbs: Tlv;
  serial: Tlv;
  issuer: Tlv;
  subject: Tlv;
  spki: Tlv;
  /** The `[3]` wrapper of the extensions, when the certificate has any. */
  extensions: Tlv | null;
}

/** Where a certificate's fields sit, without parsing them. */
export function frameCertificate(der: Buffer): CertificateFrame {
  const outer = readTlv(der, 0);
  const [tbs] = childrenOf(der, outer);
  if (!tbs) throw new DerError('certificado sem TBSCertificate');
  const fields = childrenOf(der, tbs);
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0; // explicit version is optional (v1 certificates)
  const [serial, , issuer, , subject, spki, ...optional] = fields.slice(offset);
  if (!serial || !issuer || !subject || !spki) throw new DerError('TBSCertificate incompleto');
  return { tbs, serial, issuer, subject, spki, extensions: optional.find((f) => f.tag === 0xa3) ?? null };
}
