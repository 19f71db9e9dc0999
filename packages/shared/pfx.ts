/** What inspecting a PKCS#12 file reports (the shape `certdesk inspect --json` prints). */
import type { TrustReport } from './trust';

/** File names CertDesk treats as PKCS#12: `.pfx` and `.p12`, any case. */
export const PFX_FILE_NAME = /\.(pfx|p12)$/i;

export type CertificateType = 'e-CNPJ' | 'e-CPF' | 'other';
export type ValidityStatus = 'valid' | 'expiring' | 'expired' | 'not-yet-valid';

export interface CertificateSummary {
  commonName: string;
  holderName: string;
  type: CertificateType;
  cnpj: string | null;
  cpf: string | null;
  responsible: { name: string | null; cpf: string | null } | null;
  birthDate: string | null;
  issuerCommonName: string;
  /** Distinguished names as text, most specific first (`CN=…, L=São Paulo, O=…, C=BR`). */
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  daysRemaining: number;
  status: ValidityStatus;
  policy: string | null;
  /** `RSA`, `RSA-PSS`, `EC`, `DSA`, `DH`, `Ed25519`, `Ed448`, `X25519`, `X448`, `ML-DSA-65`…, or an OID. */
  keyAlgorithm: string;
  keySize: number | null;
  /** EC keys only: the curve (OpenSSL's name, e.g. `prime256v1`, `brainpoolP256r1`). */
  keyCurve?: string;
  fingerprints: { sha1: string; sha256: string };
  /** SHA-256 of the SubjectPublicKeyInfo (lowercase hex): the same key in two certificates has the same. Absent on records kept before it existed. */
  publicKeySha256?: string;
  /** keyUsage bit names (digitalSignature, nonRepudiation, keyEncipherment…). */
  keyUsage: string[];
  /** extendedKeyUsage names (clientAuth, emailProtection…) or dotted OIDs when unnamed. */
  extendedKeyUsage: string[];
  email: string | null;
}

/** How one part of the file is encrypted. */
export interface EncryptionScheme {
  target: 'certificates' | 'privateKey';
  /** e.g. `PBES2 AES-256-CBC`, `PBE-SHA1-3DES`. */
  algorithm: string;
  /** e.g. `PBKDF2-SHA256`, `PKCS#12 KDF (SHA-1)`. */
  kdf: string;
  iterations: number | null;
}

export type ProtectionWarningCode =
  /** A well-formed file holding only private keys: `certificate` is null, `key` describes the key. */
  | 'NO_CERTIFICATE'
  | 'NO_MAC'
  | 'WEAK_CIPHER'
  | 'LOW_ITERATIONS'
  | 'NO_PRIVATE_KEY'
  | 'KEY_MISMATCH'
  | 'NOT_ENCRYPTED'
  /** A key (or certificate key) of an algorithm CertDesk cannot use, e.g. ML-DSA or GOST. */
  | 'UNSUPPORTED_ALGORITHM'
  /** Bytes after the end of the PFX structure (e.g. .NET's zero padding), ignored. */
  | 'TRAILING_BYTES'
  /** The password matched only in an old non-UTF-8 form (ISO-8859-1, or OpenSSL < 1.1's). */
  | 'PASSWORD_ENCODING'
  /** A password was typed but the file opens without one. */
  | 'PASSWORD_NOT_NEEDED';

export interface ProtectionWarning {
  code: ProtectionWarningCode;
  /** Portuguese text for the CLI and logs; the renderer translates by code. */
  message: string;
}

export interface ProtectionReport {
  mac: string | null;
  macIterations: number | null;
  encryption: EncryptionScheme[];
  warnings: ProtectionWarning[];
}

export interface ChainLink {
  commonName: string;
  notAfter: string;
  /** false for a CA certificate CertDesk ships and added to complete the chain. */
  inFile: boolean;
}

/** The file's private key (the leaf's, else the first): algorithm and size. */
/** "RSA 2048 bits", or the algorithm alone when its size is unknown: how the screens and the CLI name a key. */
export const keyText = (algorithm: string, size: number | null | undefined): string => (size ? `${algorithm} ${size} bits` : algorithm);

export interface PrivateKeySummary {
  algorithm: string;
  size: number | null;
  curve: string | null;
  /** false for algorithms CertDesk cannot use (ML-DSA, GOST…): then it cannot be matched by its public key. */
  supported: boolean;
}

export interface PfxInspection {
  file: string;
  /** null for a key-only file (NO_CERTIFICATE warning): the key is in `key`. */
  certificate: CertificateSummary | null;
  /** Every other certificate that has a private key, when the file holds more than one. */
  otherCertificates: CertificateSummary[];
  /**
   * Every remaining certificate in the file (CA and extra certificates), in file order. The engine
   * always fills this and `key`; they are optional because inspections kept at install by earlier
   * versions (and the installed-details view) have neither.
   */
  extraCertificates?: CertificateSummary[];
  /** matchesCertificate is null when there is no key, or its algorithm cannot be used (UNSUPPORTED_ALGORITHM). */
  privateKey: { present: boolean; matchesCertificate: boolean | null };
  key?: PrivateKeySummary | null;
  /** Leaf first, up to the root when known. */
  chain: ChainLink[];
  /** The ICP-Brasil root the chain reaches (signatures checked), or null. */
  icpBrasilRoot: string | null;
  protection: ProtectionReport;
}

/** The app's answer to opening a file: the inspection plus how the password was found. */
export interface PfxOpenResult extends PfxInspection {
  /**
   * Chain and revocation from what is at hand (the shipped set, the kept CRLs and AIA certificates),
   * never waiting on the network; the `trust:check` channel asks the network after. Absent for a
   * key-only file.
   */
  trust?: TrustReport | null;
  passwordSource: 'typed' | 'none' | 'remembered';
  /** A password for this certificate is in the OS keychain. */
  passwordRemembered: boolean;
  /** Why "remember" failed (e.g. KEYCHAIN_UNAVAILABLE); the file itself opened. */
  rememberError: string | null;
}

/** A sub-folder a walk could not list: its contents were not looked at. */
export interface UnreadableFolder {
  path: string;
  /** The system's error code (EACCES, EPERM, ENOENT, EIO…), or 'erro' when it gave none. */
  code: string;
}

export interface FolderListing {
  files: string[];
  /** More PFX files than the limit: only the first ones are listed. */
  truncated: boolean;
  /** Sub-folders that could not be listed, in the order met; their contents are not in `files`. */
  unreadableFolders: UnreadableFolder[];
}

/** Most serious first: the order every list of a file's problems is shown in. */
export const PROBLEM_ORDER: readonly ProtectionWarningCode[] = [
  'NO_CERTIFICATE',
  'KEY_MISMATCH',
  'NO_PRIVATE_KEY',
  'UNSUPPORTED_ALGORITHM',
  'NOT_ENCRYPTED',
  'NO_MAC',
  'WEAK_CIPHER',
  'LOW_ITERATIONS',
  'TRAILING_BYTES',
  'PASSWORD_ENCODING',
  'PASSWORD_NOT_NEEDED',
];

/**
 * What is wrong with a file that did open: its private key (absent, or of another certificate)
 * and every protection warning, most serious first. The CLI, the bulk table and the CSV all say
 * exactly this list, so a broken file never looks fine in one of them.
 */
export function problemsOf(found: Pick<PfxInspection, 'privateKey' | 'protection'> | null | undefined): ProtectionWarningCode[] {
  if (!found) return [];
  const codes = new Set<ProtectionWarningCode>();
  if (!found.privateKey.present) codes.add('NO_PRIVATE_KEY');
  if (found.privateKey.present && found.privateKey.matchesCertificate === false) codes.add('KEY_MISMATCH');
  for (const warning of found.protection.warnings) codes.add(warning.code);
  return [...codes].sort((a, b) => PROBLEM_ORDER.indexOf(a) - PROBLEM_ORDER.indexOf(b));
}
