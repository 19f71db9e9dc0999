/**
 * OCSP (RFC 6960) for one certificate: the request is built and the answer read with
 * @peculiar/asn1-ocsp; the answer's signature is checked with node:crypto against the issuer or a
 * responder certificate the issuer signed for OCSP (id-kp-OCSPSigning), and the answer must be
 * about this very certificate (issuer name and key hashes, serial) and current.
 */
import { createHash } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import {
  BasicOCSPResponse,
  CertID,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  TBSRequest,
  id_kp_OCSPSigning,
  id_pkix_ocsp_basic,
} from '@peculiar/asn1-ocsp';
import { childrenOf, frameCertificate, readTlv, valueOf } from './der-walk';
import { PoolCertificate } from './certificate-pool';
import { verifySignature } from './signature';

export class OcspError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OcspError';
  }
}

export interface OcspAnswer {
  status: 'good' | 'revoked' | 'unknown';
  revokedAt: Date | null;
  reasonCode: number | null;
  producedAt: Date;
  thisUpdate: Date;
  nextUpdate: Date | null;
}

/** Clocks differ: an answer dated up to five minutes ahead is still taken. */
const SKEW_MS = 5 * 60_000;
const SHA1 = '1.3.14.3.2.26';

const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest();

/** The three values a CertID names a certificate by, with SHA-1 as RFC 6960 clients send. */
function certIdParts(leaf: PoolCertificate, issuer: PoolCertificate): { nameHash: Buffer; keyHash: Buffer; serial: Buffer } {
  const leafFrame = frameCertificate(leaf.der);
  const issuerFrame = frameCertificate(issuer.der);
  const [, publicKey] = childrenOf(issuer.der, issuerFrame.spki);
  if (!publicKey) throw new OcspError('chave pública do emissor ilegível');
  return {
    nameHash: sha1(issuer.der.subarray(issuerFrame.subject.start, issuerFrame.subject.end)),
    keyHash: sha1(valueOf(issuer.der, publicKey).subarray(1)), // the BIT STRING's bits, without the unused-bits octet
    serial: Buffer.from(valueOf(leaf.der, leafFrame.serial)),
  };
}

export function ocspRequestFor(leaf: PoolCertificate, issuer: PoolCertificate): Buffer {
  const { nameHash, keyHash, serial } = certIdParts(leaf, issuer);
  const certId = new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1, parameters: null }),
    issuerNameHash: new OctetString(nameHash),
    issuerKeyHash: new OctetString(keyHash),
    serialNumber: serial.buffer.slice(serial.byteOffset, serial.byteOffset + serial.length) as ArrayBuffer,
  });
  const request = new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certId })] }) });
  return Buffer.from(AsnConvert.serialize(request));
}

const stripZeros = (bytes: Buffer) => {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
};

/** Read and check an OCSP answer about `leaf`; throws OcspError saying what is wrong with it. */
export function readOcspResponse(der: Buffer, leaf: PoolCertificate, issuer: PoolCertificate, now: Date): OcspAnswer {
  let basic: BasicOCSPResponse;
  let basicDer: Buffer;
  try {
    const response = AsnConvert.parse(der, OCSPResponse);
    if (response.responseStatus !== OCSPResponseStatus.successful) {
      throw new OcspError(`o respondedor recusou a consulta (situação ${response.responseStatus})`);
    }
    if (response.responseBytes?.responseType !== id_pkix_ocsp_basic) throw new OcspError('resposta OCSP de tipo desconhecido');
    basicDer = Buffer.from(response.responseBytes.response.buffer);
    basic = AsnConvert.parse(basicDer, BasicOCSPResponse);
  } catch (error) {
    if (error instanceof OcspError) throw error;
    throw new OcspError('resposta OCSP ilegível');
  }

  // The signed bytes exactly as received, and the responder certificates as received (not re-encoded).
  const outer = readTlv(basicDer, 0);
  const [tbs, , , certsWrapper] = childrenOf(basicDer, outer);
  const sent = certsWrapper
    ? childrenOf(basicDer, childrenOf(basicDer, certsWrapper)[0]!).map((c) => basicDer.subarray(c.start, c.end))
    : [];
  const responderId = basic.tbsResponseData.responderID;
  const signers = [issuer, ...sent.map((d) => new PoolCertificate(Buffer.from(d), 'aia'))].filter((candidate) => {
    if (responderId.byKey) {
      const frame = frameCertificate(candidate.der);
      const [, key] = childrenOf(candidate.der, frame.spki);
      if (!key || !sha1(valueOf(candidate.der, key).subarray(1)).equals(Buffer.from(responderId.byKey.buffer))) return false;
    }
    // A delegated responder must be issued by the same AC, for OCSP signing.
    return candidate === issuer || (candidate.signedBy(issuer) && (candidate.x509.keyUsage ?? []).includes(id_kp_OCSPSigning));
  });
  const signed = basicDer.subarray(tbs!.start, tbs!.end);
  const signature = Buffer.from(basic.signature);
  if (!signers.some((s) => verifySignature(basic.signatureAlgorithm.algorithm, signed, signature, s.x509.publicKey))) {
    throw new OcspError('a assinatura da resposta OCSP não confere com o emissor nem com um respondedor autorizado por ele');
  }

  const { nameHash, keyHash, serial } = certIdParts(leaf, issuer);
  const single = basic.tbsResponseData.responses.find(
    (r) =>
      r.certID.hashAlgorithm.algorithm === SHA1 &&
      Buffer.from(r.certID.issuerNameHash.buffer).equals(nameHash) &&
      Buffer.from(r.certID.issuerKeyHash.buffer).equals(keyHash) &&
      stripZeros(Buffer.from(r.certID.serialNumber)).equals(stripZeros(serial)),
  );
  if (!single) throw new OcspError('a resposta OCSP não fala deste certificado');
  if (single.thisUpdate.getTime() > now.getTime() + SKEW_MS) throw new OcspError('a resposta OCSP está datada no futuro');
  if (single.nextUpdate && single.nextUpdate.getTime() < now.getTime() - SKEW_MS) throw new OcspError('a resposta OCSP está vencida');
  const revoked = single.certStatus.revoked;
  return {
    status: revoked ? 'revoked' : single.certStatus.unknown !== undefined ? 'unknown' : 'good',
    revokedAt: revoked ? revoked.revocationTime : null,
    reasonCode: revoked?.revocationReason ? revoked.revocationReason.reason : null,
    producedAt: basic.tbsResponseData.producedAt,
    thisUpdate: single.thisUpdate,
    nextUpdate: single.nextUpdate ?? null,
  };
}
