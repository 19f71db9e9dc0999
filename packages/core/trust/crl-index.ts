/**
 * A CRL read once and looked up by serial. ICP-Brasil CRLs reach several MB (a hundred thousand
 * entries and more); building the library's object tree for all of them costs seconds (measured in
 * `npm run bench -- --only crl`), so the list of entries is walked once with der-walk.ts, keeping
 * each entry's offset under its serial, and only the entry asked for is read — with
 * @peculiar/asn1-x509, like the CRL's header fields and extensions. The signature is checked over the
 * TBS bytes exactly as received, with node:crypto (signature.ts).
 */
import type { KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  CRLReason,
  Extensions,
  IssuingDistributionPoint,
  RevokedCertificate,
  Time,
  id_ce_authorityKeyIdentifier,
  id_ce_cRLNumber,
  id_ce_cRLReasons,
  id_ce_issuingDistributionPoint,
} from '@peculiar/asn1-x509';
import { bytesOf, childrenOf, DerError, nameKey, readTlv, type Tlv } from './der-walk';
import { CrlError } from './crl-error';
import { SerialTable, type SerialTableParts } from './serial-table';

export { CrlError };
import { verifySignature } from './signature';

/** More entries than any real CRL carries (the largest ICP-Brasil ones have a few hundred thousand). */
export const MAX_CRL_ENTRIES = 3_000_000;

/** Extensions whose meaning we apply or that change nothing for a full CRL; any other critical one makes the CRL unusable (RFC 5280 §5.2). */
const UNDERSTOOD = new Set([id_ce_cRLNumber, id_ce_authorityKeyIdentifier, id_ce_issuingDistributionPoint]);

export interface CrlEntry {
  revokedAt: Date;
  /** RFC 5280 CRLReason (0 unspecified, 1 keyCompromise …), null when the entry gives none. */
  reasonCode: number | null;
}

/** What a CRL is checked against: the issuer's name (der-walk's nameKey) and public key. */
export interface CrlIssuer {
  subjectKey: string;
  publicKey: KeyObject;
}

/**
 * A read CRL as plain data, to cross threads (structured clone; `der` and the table's arrays by
 * transfer): what a worker that read and verified it sends back, so the lookups run where asked.
 */
export interface CrlIndexParts {
  der: Uint8Array;
  tbs: Tlv;
  signatureOid: string;
  signatureStart: number;
  entries: SerialTableParts;
  issuerKey: string;
  thisUpdate: number;
  nextUpdate: number | null;
  unusable: string | null;
}

/**
 * Read `der` and accept it only when `issuer` issued and signed it and it can answer: the one rule
 * for every CRL used, whichever thread runs it (the desktop's own, or the cloud's workers). Throws CrlError.
 */
export function acceptCrl(der: Buffer, issuer: CrlIssuer): CrlIndex {
  const crl = CrlIndex.parse(der);
  if (crl.issuerKey !== issuer.subjectKey) throw new CrlError('a LCR foi emitida por outra AC');
  if (!crl.verify(issuer.publicKey)) throw new CrlError('a assinatura da LCR não confere com a AC emissora');
  if (crl.unusable) throw new CrlError(crl.unusable);
  return crl;
}

export class CrlIndex {
  private constructor(
    private readonly der: Buffer,
    private readonly tbs: Tlv,
    private readonly signatureOid: string,
    private readonly signature: Buffer,
    private readonly entries: SerialTable,
    readonly issuerKey: string,
    readonly thisUpdate: Date,
    readonly nextUpdate: Date | null,
    /** Why the CRL cannot answer even if its signature is good (a critical extension we do not apply), or null. */
    readonly unusable: string | null,
  ) {}

  /** This index as plain data for another thread; the buffers listed in the second place may be transferred. */
  toParts(): { parts: CrlIndexParts; transfer: ArrayBuffer[] } {
    const entries = this.entries.toParts();
    const parts: CrlIndexParts = {
      der: this.der,
      tbs: this.tbs,
      signatureOid: this.signatureOid,
      signatureStart: this.signature.byteOffset - this.der.byteOffset,
      entries,
      issuerKey: this.issuerKey,
      thisUpdate: this.thisUpdate.getTime(),
      nextUpdate: this.nextUpdate?.getTime() ?? null,
      unusable: this.unusable,
    };
    const whole = this.der.byteOffset === 0 && this.der.byteLength === this.der.buffer.byteLength;
    const transfer = [entries.slots.buffer, entries.serialStart.buffer, entries.serialEnd.buffer] as ArrayBuffer[];
    if (whole && this.der.buffer instanceof ArrayBuffer) transfer.push(this.der.buffer);
    return { parts, transfer };
  }

  /** An index another thread read (toParts there): nothing is parsed again. */
  static fromParts(parts: CrlIndexParts): CrlIndex {
    const der = Buffer.from(parts.der.buffer, parts.der.byteOffset, parts.der.byteLength);
    return new CrlIndex(
      der,
      parts.tbs,
      parts.signatureOid,
      der.subarray(parts.signatureStart),
      SerialTable.fromParts(parts.entries),
      parts.issuerKey,
      new Date(parts.thisUpdate),
      parts.nextUpdate === null ? null : new Date(parts.nextUpdate),
      parts.unusable,
    );
  }

  get size(): number {
    return this.entries.size;
  }

  /** The CRL as received (DER). */
  get encoded(): Buffer {
    return this.der;
  }

  get bytes(): number {
    return this.der.length;
  }

  /** Read a CRL: structure, header and the serial index, in one pass over the entries. */
  static parse(der: Buffer, maxEntries = MAX_CRL_ENTRIES): CrlIndex {
    try {
      const outer = readTlv(der, 0);
      if (outer.tag !== 0x30 || outer.end !== der.length) throw new CrlError('a LCR não é uma estrutura DER única');
      const [tbs, algorithm, signatureBits] = childrenOf(der, outer);
      if (!tbs || !algorithm || signatureBits?.tag !== 0x03) throw new CrlError('a LCR está incompleta');
      const signatureOid = AsnConvert.parse(bytesOf(der, algorithm), AlgorithmIdentifier).algorithm;

      const fields = childrenOf(der, tbs);
      let i = fields[0]?.tag === 0x02 ? 1 : 0; // version is optional
      const innerAlgorithm = fields[i++];
      const issuer = fields[i++];
      const thisUpdate = fields[i++];
      if (!innerAlgorithm || !issuer || !thisUpdate) throw new CrlError('o cabeçalho da LCR está incompleto');
      if (!bytesOf(der, innerAlgorithm).equals(bytesOf(der, algorithm)))
        throw new CrlError('os algoritmos de assinatura da LCR não coincidem');
      let nextUpdate: Tlv | undefined;
      if (fields[i] && (fields[i]!.tag === 0x17 || fields[i]!.tag === 0x18)) nextUpdate = fields[i++];
      const revoked = fields[i]?.tag === 0x30 ? fields[i++] : undefined;
      const extensions = fields[i]?.tag === 0xa0 ? fields[i++] : undefined;

      const entries = revoked ? SerialTable.build(der, revoked, maxEntries) : SerialTable.empty();
      return new CrlIndex(
        der,
        tbs,
        signatureOid,
        der.subarray(signatureBits.valueStart + 1, signatureBits.end),
        entries,
        nameKey(der, issuer),
        timeOf(der, thisUpdate),
        nextUpdate ? timeOf(der, nextUpdate) : null,
        extensions ? unusableReason(bytesOf(der, childrenOf(der, extensions)[0]!)) : null,
      );
    } catch (error) {
      if (error instanceof CrlError) throw error;
      throw new CrlError(error instanceof DerError ? error.message : 'a LCR não pôde ser lida');
    }
  }

  /** The signature over the TBS bytes verifies with the issuer's key. */
  verify(issuerKey: KeyObject): boolean {
    return verifySignature(this.signatureOid, this.der.subarray(this.tbs.start, this.tbs.end), this.signature, issuerKey);
  }

  /** The entry for a serial (lowercase hex, as certificates print it), or null: not listed. */
  lookup(serialHex: string): CrlEntry | null {
    const normalized = serialHex.replace(/^(00)+(?=.)/, '');
    const offset = this.entries.find(this.der, Buffer.from(normalized.length % 2 ? `0${normalized}` : normalized, 'hex'));
    if (offset < 0) return null;
    const entryTlv = readTlv(this.der, offset);
    const entry = AsnConvert.parse(bytesOf(this.der, entryTlv), RevokedCertificate);
    const reason = entry.crlEntryExtensions?.find((e) => e.extnID === id_ce_cRLReasons);
    return {
      revokedAt: entry.revocationDate.getTime(),
      reasonCode: reason ? AsnConvert.parse(reason.extnValue.buffer, CRLReason).reason : null,
    };
  }
}

function timeOf(der: Buffer, tlv: Tlv): Date {
  return AsnConvert.parse(bytesOf(der, tlv), Time).getTime();
}

function unusableReason(extensionsDer: Buffer): string | null {
  for (const extension of AsnConvert.parse(extensionsDer, Extensions)) {
    if (extension.critical && !UNDERSTOOD.has(extension.extnID)) return `extensão crítica ${extension.extnID} não suportada`;
    if (extension.extnID === '2.5.29.27') return 'é uma LCR delta, não uma LCR completa';
    if (extension.extnID === id_ce_issuingDistributionPoint) {
      // A partitioned or indirect CRL answers for part of the certificates only: not applied here.
      const idp = AsnConvert.parse(extension.extnValue.buffer, IssuingDistributionPoint);
      if (idp.onlyContainsCACerts || idp.onlyContainsAttributeCerts || idp.onlySomeReasons || idp.indirectCRL) {
        return 'a LCR cobre só parte dos certificados (ponto de distribuição restrito)';
      }
    }
  }
  return null;
}
