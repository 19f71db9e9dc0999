/**
 * Recognise the things people save with a .pfx name that are not PKCS#12, so the message can say
 * what the file is and what to do instead of "corrupt".
 */
import { X509Certificate } from 'node:crypto';

/** Java keystores start with a magic number (JKS 0xFEEDFEED, JCEKS 0xCECECECE) instead of a DER SEQUENCE. */
const JAVA_KEYSTORES: [magic: number, type: string][] = [
  [0xfeedfeed, 'JKS'],
  [0xcececece, 'JCEKS'],
];

/** Quote a file name for a shell command line (single quotes, as POSIX shells and PowerShell both accept). */
const quoted = (name: string): string => `'${name.replace(/'/g, "''")}'`;

/** A Portuguese hint when `bytes` is recognisably something else; null when it may be a damaged PFX. */
export function diagnoseNotPkcs12(bytes: Buffer, file = 'keystore.jks'): string | null {
  const magic = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  const java = JAVA_KEYSTORES.find(([value]) => value === magic);
  if (java) {
    const target = `${file.replace(/\.[^.]*$/, '')}.p12`;
    return (
      `O arquivo é um keystore Java (${java[1]}), não um PKCS#12. Converta-o com o keytool do Java: ` +
      `keytool -importkeystore -srckeystore ${quoted(file)} -srcstoretype ${java[1]} -destkeystore ${quoted(target)} -deststoretype PKCS12`
    );
  }
  const head = bytes.subarray(0, 4096).toString('latin1');
  if (/-----BEGIN [A-Z0-9 ]+-----/.test(head)) {
    const kinds = [...head.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]);
    return `O arquivo é texto PEM (${[...new Set(kinds)].join(', ')}), não um PKCS#12. Converta com "openssl pkcs12 -export" ou use o .pfx original.`;
  }
  const trimmed = bytes.toString('latin1').replace(/\s+/g, '');
  if (trimmed.length >= 64 && /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) {
    const decoded = Buffer.from(trimmed, 'base64');
    const hint = decoded[0] === 0x30 ? ' Parece um PFX codificado em base64: decodifique-o (base64 -d) antes de abrir.' : '';
    return `O arquivo é texto base64, não um PKCS#12 binário.${hint}`;
  }
  if (bytes[0] === 0x30) {
    try {
      const cert = new X509Certificate(bytes);
      return `O arquivo é um certificado isolado (${cert.subject.split('\n').find((l) => l.startsWith('CN=')) ?? 'X.509'}), sem chave privada; um PFX/P12 contém o certificado e a chave.`;
    } catch {
      return null; // DER but no certificate: possibly a damaged PFX, which the caller reports as such
    }
  }
  return 'O arquivo não é um PKCS#12 (PFX/P12): o conteúdo não tem a estrutura esperada.';
}
