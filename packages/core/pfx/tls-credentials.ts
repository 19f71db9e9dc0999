/**
 * The key and certificate chain of a PFX, ready for a mutual-TLS connection (the SEFAZ status
 * check). Opened by CertDesk's own PKCS#12 engine rather than Node's `pfx` option: OpenSSL 3 keeps
 * RC2-40, RC4 and the other ciphers of PFX files written by Windows and older tools in its legacy
 * provider, which Node does not load, so `tls.createSecureContext({ pfx })` refuses many real files.
 * The key leaves here as PKCS#8 PEM, in memory only: never written, logged or sent to the renderer.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { PfxInspection } from '@certdesk/shared/contract';
import { CertdeskError } from '../errors';
import { ICP_BRASIL_CERTIFICATES } from '../trust/icp-brasil-certificates';
import { openPfxBytes } from './inspect';
import type { Password } from './kdf';
import { importPrivateKey } from './key-details';

export interface TlsCredentials {
  /** PKCS#8 PEM of the certificate's private key. */
  key: string;
  /** The certificate, then the CA certificates that chain from it (PEM, root left out). */
  certificateChain: string;
  /** SHA-256 of the certificate, lowercase hex: the key under which check results are kept. */
  fingerprint: string;
  notBefore: string;
  notAfter: string;
  inspection: PfxInspection;
}

const pem = (der: Buffer) =>
  `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
const selfSigned = (cert: X509Certificate) => cert.checkIssued(cert);

let shippedIntermediates: X509Certificate[] | null = null;

/** The ICP-Brasil intermediates CertDesk ships, to complete a chain the file left out. */
function shipped(): X509Certificate[] {
  shippedIntermediates ??= ICP_BRASIL_CERTIFICATES.map((shipped) => new X509Certificate(Buffer.from(shipped.der, 'base64'))).filter(
    (cert) => !selfSigned(cert),
  );
  return shippedIntermediates;
}

/**
 * Opens `bytes` with `password` (the same order and errors as an inspection) and returns what a TLS
 * client needs. Refuses, with the inspector's codes, a file without a certificate (NO_CERTIFICATE),
 * without its private key (NO_PRIVATE_KEY) or whose key is another certificate's (KEY_MISMATCH).
 */
export function tlsCredentialsFromPfx(bytes: Buffer, password: Password, now = new Date()): TlsCredentials {
  const { inspection, contents } = openPfxBytes(bytes, 'certificado.pfx', { password, now });
  if (!inspection.certificate)
    throw new CertdeskError('NO_CERTIFICATE', 'O arquivo não tem certificado: não há com o que conectar à SEFAZ.');
  const fingerprint = inspection.certificate.fingerprints.sha256;
  const certificates = contents.certificates.map((entry) => entry.der);
  const leafDer = certificates.find((der) => createHash('sha256').update(der).digest('hex') === fingerprint);
  if (!leafDer) throw new CertdeskError('CORRUPT', 'O certificado principal do arquivo não pôde ser lido de novo.');
  const leaf = new X509Certificate(leafDer);

  let key = null;
  for (const entry of contents.keys) {
    let imported;
    try {
      imported = importPrivateKey(entry.pkcs8).key;
    } catch {
      continue; // a damaged key elsewhere in the file: the inspection already reported it
    }
    if (imported && leaf.checkPrivateKey(imported)) {
      key = imported;
      break;
    }
  }
  if (!key) {
    if (contents.keys.length === 0) {
      throw new CertdeskError('NO_PRIVATE_KEY', 'O arquivo não tem a chave privada do certificado: sem ela não há como conectar à SEFAZ.');
    }
    throw new CertdeskError('KEY_MISMATCH', 'A chave privada do arquivo não corresponde ao certificado: a SEFAZ recusaria a conexão.');
  }

  // Leaf, then each issuer found in the file (else among the shipped ICP-Brasil intermediates),
  // stopping at a self-signed root: the server has its roots, a missing intermediate is what fails.
  const inFile = certificates.filter((der) => der !== leafDer).map((der) => new X509Certificate(der));
  const chain = [leaf];
  for (let current = leaf; chain.length < 10 && !selfSigned(current);) {
    const issuer = [...inFile, ...shipped()].find((c) => !chain.includes(c) && current.checkIssued(c) && current.verify(c.publicKey));
    if (!issuer || selfSigned(issuer)) break;
    chain.push(issuer);
    current = issuer;
  }
  return {
    key: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificateChain: chain.map((cert) => pem(cert.raw)).join(''),
    fingerprint,
    notBefore: inspection.certificate.notBefore,
    notAfter: inspection.certificate.notAfter,
    inspection,
  };
}
