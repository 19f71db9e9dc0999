/**
 * The one contract between the main process, the preload and the renderer (and the test bridge,
 * which exposes the same handler table over loopback HTTP).
 *
 * Request payloads are zod schemas so the main side can validate what crosses the boundary;
 * response payloads are plain types because they come from our own code. A channel added here
 * without a handler, a preload function or a renderer call is a compile error on the other ends.
 */
import { z } from 'zod';

export const ENVIRONMENTS = ['producao', 'homologacao'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const LOCALES = ['pt-BR', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const THEMES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEMES)[number];

/** Error codes that cross the bridge; the renderer translates them, the CLI prints `message`. */
export const ERROR_CODES = [
  'WRONG_PASSWORD',
  'PASSWORD_REQUIRED',
  'NOT_PKCS12',
  'CORRUPT',
  'EMPTY_FILE',
  'TOO_LARGE',
  'UNSUPPORTED_ALGORITHM',
  'UNREADABLE',
  'INVALID_REQUEST',
  'FORBIDDEN_SENDER',
  'KEYCHAIN_UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorPayload {
  code: ErrorCode;
  message: string;
}

/** What every channel answers: never a thrown error across the boundary. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ApiErrorPayload };

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  /** `electron` in the desktop app, `browser` when served through the test bridge. */
  shell: 'electron' | 'browser';
  dataDir: string;
}

export interface Settings {
  locale: Locale;
  theme: ThemePreference;
  environment: Environment;
}

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
  keyAlgorithm: string;
  keySize: number | null;
  fingerprints: { sha1: string; sha256: string };
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
  | 'NO_MAC'
  | 'WEAK_CIPHER'
  | 'LOW_ITERATIONS'
  | 'NO_PRIVATE_KEY'
  | 'KEY_MISMATCH'
  | 'NOT_ENCRYPTED';

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

export interface PfxInspection {
  file: string;
  certificate: CertificateSummary;
  /** Every other certificate that has a private key, when the file holds more than one. */
  otherCertificates: CertificateSummary[];
  privateKey: { present: boolean; matchesCertificate: boolean | null };
  /** Leaf first, up to the root when known. */
  chain: ChainLink[];
  /** The ICP-Brasil root the chain reaches (signatures checked), or null. */
  icpBrasilRoot: string | null;
  protection: ProtectionReport;
}

/** The app's answer to opening a file: the inspection plus how the password was found. */
export interface PfxOpenResult extends PfxInspection {
  passwordSource: 'typed' | 'none' | 'remembered';
  /** A password for this certificate is in the OS keychain. */
  passwordRemembered: boolean;
  /** Why "remember" failed (e.g. KEYCHAIN_UNAVAILABLE); the file itself opened. */
  rememberError: string | null;
}

export interface FolderListing {
  files: string[];
  /** More PFX files than the limit: only the first ones are listed. */
  truncated: boolean;
}

const settingsPatch = z
  .object({
    locale: z.enum(LOCALES),
    theme: z.enum(THEMES),
    environment: z.enum(ENVIRONMENTS),
  })
  .partial()
  .strict();

/** Request schemas, one per channel (`domain:verb`). */
export const requestSchemas = {
  'app:info': z.undefined(),
  'settings:get': z.undefined(),
  'settings:update': settingsPatch,
  'pfx:inspect': z
    .object({
      path: z.string().min(1).max(4096),
      // null means "try the empty, the absent and the remembered password".
      password: z.string().max(1024).nullable(),
      remember: z.boolean().optional(),
    })
    .strict(),
  'pfx:forget': z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
  'pfx:listFolder': z.object({ path: z.string().min(1).max(4096) }).strict(),
} as const;

export type Channel = keyof typeof requestSchemas;
export const CHANNELS = Object.keys(requestSchemas) as Channel[];

export interface Responses {
  'app:info': AppInfo;
  'settings:get': Settings;
  'settings:update': Settings;
  'pfx:inspect': PfxOpenResult;
  'pfx:forget': null;
  'pfx:listFolder': FolderListing;
}

export type RequestOf<C extends Channel> = z.infer<(typeof requestSchemas)[C]>;
export type ResponseOf<C extends Channel> = Responses[C];

/** `pfx:inspect` → `pfxInspect`: the name of the channel's function on `window.certdesk`. */
export type ApiName<C extends string> = C extends `${infer D}:${infer V}` ? `${D}${Capitalize<V>}` : never;

export function apiName<C extends Channel>(channel: C): ApiName<C> {
  const [domain, verb] = channel.split(':') as [string, string];
  return `${domain}${verb.charAt(0).toUpperCase()}${verb.slice(1)}` as ApiName<C>;
}

/** The shape of `window.certdesk`, built by the preload and consumed by renderer/api.ts. */
export type CertdeskApi = {
  [C in Channel as ApiName<C>]: RequestOf<C> extends undefined
    ? () => Promise<Envelope<ResponseOf<C>>>
    : (request: RequestOf<C>) => Promise<Envelope<ResponseOf<C>>>;
} & {
  /**
   * Absolute path of a dropped or chosen file (Electron's webUtils); not a channel. The test bridge
   * answers asynchronously, having copied the file beside itself.
   */
  pathForFile(file: File): string | Promise<string>;
};

/** The handler table the main process (and the test bridge) serve. */
export type HandlerTable = {
  [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>>;
};
