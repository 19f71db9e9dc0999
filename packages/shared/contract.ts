/**
 * The one contract between the main process, the preload and the renderer (and the browser mode,
 * which exposes the same handler table over loopback HTTP).
 *
 * Request payloads are zod schemas so the main side can validate what crosses the boundary;
 * response payloads are plain types because they come from our own code. A channel added here
 * without a handler, a preload function or a renderer call is a compile error on the other ends.
 */
import { z } from 'zod';
import type { CertificateRow } from './certificate-row';
import type { FolderListing, PfxOpenResult } from './pfx';
import type { TrustReport } from './trust';
import type { CertificateView, HistoryEntry, Link, LinkResult, WorkspaceStatus } from './workspace';
import type { CertificateSwap, SwapComparison } from './certificate-swap';
import type { DeliveryLogEntry, WarningSettingsView } from './warning-settings';
import { SMTP_SECURITY, WARNING_LIMITS } from './warning-settings';
import { ENVIRONMENTS, type Environment } from './environment';
import { UFS } from './sefaz';
import type { SefazCertificateCheck, SefazCheckSummary } from './sefaz-checks';
import type { ProxySettingsView } from './proxy-settings';

// The contract's modules import from it, never the other way round (no import circle in this package).
export { ENVIRONMENTS, type Environment };

export const LOCALES = ['pt-BR', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const THEMES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEMES)[number];

/** Said after an install when the OS keychain could not keep the password (or a protected copy). */
export type SecretNotice = 'password-not-kept' | 'copy-not-kept';

/** Error codes that cross the process boundary (IPC, browser mode, the cloud API); the renderer translates them, the CLI prints `message`. */
export const ERROR_CODES = [
  'WRONG_PASSWORD',
  'PASSWORD_REQUIRED',
  'NOT_PKCS12',
  'CORRUPT',
  'EMPTY_FILE',
  'TOO_LARGE',
  'TOO_COMPLEX',
  'UNSUPPORTED_ALGORITHM',
  'UNREADABLE',
  'UNREADABLE_FOLDER',
  'INVALID_REQUEST',
  'FORBIDDEN_SENDER',
  'KEYCHAIN_UNAVAILABLE',
  'DISK_FULL',
  'WORKSPACE_IN_USE',
  'DATA_FOLDER_UNSAFE',
  'TIMEOUT',
  'WORKSPACE_CORRUPT',
  'SETUP_REQUIRED',
  'NOT_FOUND',
  'CERTIFICATE_EXPIRED',
  'CERTIFICATE_NOT_YET_VALID',
  /** The revocation check says revoked: not installable, and delete is the only change left. */
  'CERTIFICATE_REVOKED',
  'NO_PRIVATE_KEY',
  'KEY_MISMATCH',
  'NO_CERTIFICATE',
  'DUPLICATE_CERTIFICATE',
  'EXPIRED_DELETE_ONLY',
  'SWAP_REFUSED',
  'MANUAL_WITHOUT_LINK',
  'INVALID_DATA',
  'INVOICY_NOT_CONFIGURED',
  'INVOICY_FAULT',
  'INVOICY_TIMEOUT',
  'INVOICY_TLS',
  'INVOICY_HTML',
  'INVOICY_HTTP',
  'INVOICY_OFFLINE',
  'CLOUD_UNAUTHENTICATED',
  'ACCOUNT_DISABLED',
  'CLOUD_FORBIDDEN',
  'CLOUD_SERVER',
  'CLOUD_TIMEOUT',
  'CLOUD_OFFLINE',
  'CLOUD_BAD_RESPONSE',
  'BUSY',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorPayload {
  code: ErrorCode;
  message: string;
  /** e.g. `{ existingId }` for DUPLICATE_CERTIFICATE, so the UI can offer to edit that one. */
  details?: Record<string, string>;
}

/** What every channel answers: never a thrown error across the boundary. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ApiErrorPayload };

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  /** `electron` in the desktop app, `browser` when served through the browser mode. */
  shell: 'electron' | 'browser';
  dataDir: string;
  /** The log file (no secrets in it), shown in About. */
  logFile: string;
  /** The core's clock (ISO UTC): the renderer derives days in the user's zone at this instant. */
  now: string;
  /** Preference documents found damaged at start and reset to defaults (each copied aside once). */
  preferenceResets: { document: string; backup: string | null }[];
}

export interface Settings {
  locale: Locale;
  theme: ThemePreference;
  environment: Environment;
}

export type {
  CertificateSummary,
  CertificateType,
  ChainLink,
  EncryptionScheme,
  FolderListing,
  PfxInspection,
  PfxOpenResult,
  ProtectionReport,
  ProtectionWarning,
  ProtectionWarningCode,
  ValidityStatus,
} from './pfx';

const environment = z.enum(ENVIRONMENTS);
const code = z.string().trim().min(1).max(20);
const moduleId = z.string().trim().min(1).max(60);
// A branch is saved with its state: the app asks for it, never guesses (null exists only in data
// saved before states were kept).
const branch = z
  .object({
    code,
    name: z.string().trim().min(1).max(120),
    cnpj: z.string().min(14).max(18),
    modules: z.array(moduleId).max(100),
    uf: z.enum(UFS),
  })
  .strict();
const moduleDef = z.object({ id: moduleId, name: z.string().trim().min(1).max(120), licensed: z.boolean() }).strict();
const selection = z.array(z.object({ branch: code, modules: z.array(moduleId).max(100) }).strict()).max(500);
const certificateId = z.string().uuid();
const isoMoment = z.string().datetime({ offset: true });
/** "Substituir / Renovar": the certificate to replace and the new file, now or at a moment. */
const swapRequest = z
  .object({
    environment,
    id: certificateId,
    path: z.string().min(1).max(4096),
    password: z.string().max(1024).nullable(),
    scheduledFor: isoMoment.nullable().optional(),
  })
  .strict();

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
  // The renderer's error sink: what failed, as a code and a class name only (never a message, which
  // may hold a path or a secret a library put in it).
  'app:logError': z
    .object({
      source: z.enum(['vue', 'promise']),
      code: z.enum([...ERROR_CODES, 'NETWORK']),
      kind: z.string().regex(/^[A-Za-z_$][\w$]{0,59}$/),
    })
    .strict(),
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
  // Chain and revocation of a certificate inspected in this session, asking the network (the
  // inspection answered what was at hand). By the certificate's SHA-256: the renderer holds no bytes.
  'trust:check': z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
  'workspace:status': z.object({ environment }).strict(),
  'workspace:setup': z.discriminatedUnion('kind', [
    z.object({ environment, kind: z.literal('example') }).strict(),
    z
      .object({ environment, kind: z.literal('guided'), branches: z.array(branch).max(5000), modules: z.array(moduleDef).max(200) })
      .strict(),
  ]),
  'workspace:saveBranch': z.object({ environment, branch, previousCode: code.optional() }).strict(),
  'workspace:deleteBranch': z.object({ environment, code }).strict(),
  'workspace:saveModules': z.object({ environment, modules: z.array(moduleDef).max(200) }).strict(),
  'certificates:list': z.object({ environment }).strict(),
  'certificates:get': z.object({ environment, id: certificateId }).strict(),
  'certificates:install': z
    .object({
      environment,
      path: z.string().min(1).max(4096),
      password: z.string().max(1024).nullable(),
      selection,
      manual: z.boolean().optional(),
    })
    .strict(),
  'certificates:edit': z.object({ environment, id: certificateId, selection }).strict(),
  'certificates:delete': z.object({ environment, id: certificateId }).strict(),
  // "Substituir / Renovar": the review (the file opened here, nothing sent) and the swap itself.
  // One request for both: the review answers exactly what confirming the same request would do.
  'certificates:previewSwap': swapRequest,
  'certificates:swap': swapRequest,
  'swaps:list': z.object({ environment }).strict(),
  'swaps:cancel': z.object({ environment, id: certificateId }).strict(),
  'swaps:undo': z.object({ environment, id: certificateId }).strict(),
  'warnings:getSettings': z.object({ environment }).strict(),
  'warnings:saveSettings': z
    .object({
      environment,
      recipients: z.array(z.string().max(320)).max(WARNING_LIMITS.recipients),
      smtp: z
        .object({
          host: z.string().min(1).max(253),
          port: z.number().int().min(1).max(65_535),
          security: z.enum(SMTP_SECURITY),
          user: z.string().max(200).nullable(),
          from: z.string().min(3).max(200),
        })
        .strict()
        .nullable(),
      smtpPassword: z.string().max(200).nullable().optional(),
      webhooks: z
        .array(
          z
            .object({
              id: z.string().max(60).optional(),
              url: z.string().min(1).max(500),
              secret: z.string().max(WARNING_LIMITS.secretMax).optional(),
            })
            .strict(),
        )
        .max(WARNING_LIMITS.webhooks),
    })
    .strict(),
  'warnings:test': z.object({ environment }).strict(),
  'warnings:deliveries': z.object({ environment, limit: z.number().int().min(1).max(500).optional() }).strict(),
  'backend:get': z.object({ environment }).strict(),
  'backend:set': z.object({ environment, kind: z.enum(['embedded', 'cloud']), url: z.string().min(1).max(500).optional() }).strict(),
  'cloud:signIn': z.discriminatedUnion('method', [
    z.object({ environment, method: z.literal('sso'), email: z.string().email().max(200), password: z.string().min(1).max(200) }).strict(),
    z
      .object({
        environment,
        method: z.literal('cloud'),
        login: z
          .string()
          .regex(/^[^.\s]+\.[^.\s]+$/)
          .max(200),
        password: z.string().min(1).max(200),
      })
      .strict(),
  ]),
  'cloud:signOut': z.object({ environment }).strict(),
  'invoicy:getSettings': z.object({ environment }).strict(),
  'invoicy:saveSettings': z
    .object({
      environment,
      url: z.string().min(1).max(500).optional(),
      empPK: z.string().min(1).max(500).optional(),
      ck: z.string().min(1).max(500).optional(),
    })
    .strict(),
  'invoicy:requestPassword': z.object({ environment, document: z.string().min(11).max(18), password: z.string().min(1).max(200) }).strict(),
  'invoicy:download': z.object({ environment, document: z.string().min(11).max(18) }).strict(),
  'invoicy:check': z.object({ environment, document: z.string().min(11).max(18) }).strict(),
  /** Show a downloaded file in the system's file manager (only files InvoiCy downloads were saved to). */
  'invoicy:openFolder': z.object({ file: z.string().min(1).max(4096) }).strict(),
  /**
   * Check one installed certificate with SEFAZ, for every branch and module it serves. `password`:
   * only when the stored copy's password is not in the keychain (the answer said PASSWORD_REQUIRED).
   */
  'sefaz:check': z.object({ environment, certificateId, password: z.string().max(1024).nullable().optional() }).strict(),
  /** The last check of one certificate (null: never checked). */
  'sefaz:lastCheck': z.object({ environment, certificateId }).strict(),
  /** What the list shows: the last check of each certificate, summarised. */
  'sefaz:summaries': z.object({ environment }).strict(),
  'proxy:get': z.undefined(),
  /**
   * The proxy the SEFAZ checks use. `manual`: `url` is http://host:port (credentials given in it are
   * moved to the keychain); `username`/`password` replace the kept ones, `clearCredentials` drops them.
   */
  'proxy:save': z
    .object({
      mode: z.enum(['environment', 'none', 'manual']),
      url: z.string().max(500).optional(),
      noProxy: z.string().max(2000).optional(),
      username: z.string().max(200).optional(),
      password: z.string().max(500).optional(),
      clearCredentials: z.boolean().optional(),
    })
    .strict(),
  'history:list': z
    .object({
      environment,
      certificateId: certificateId.optional(),
      branch: code.optional(),
      action: z.enum(['install', 'edit', 'delete', 'swap']).optional(), // HISTORY_ACTIONS (#shared/workspace)
      limit: z.number().int().min(1).max(1000).optional(),
      after: z.string().uuid().optional(),
    })
    .strict(),
} as const;

export type Channel = keyof typeof requestSchemas;
export const CHANNELS = Object.keys(requestSchemas) as Channel[];

export interface Responses {
  'app:info': AppInfo;
  'app:logError': null;
  'settings:get': Settings;
  'settings:update': Settings;
  'pfx:inspect': PfxOpenResult;
  'pfx:forget': null;
  'pfx:listFolder': FolderListing;
  'trust:check': TrustReport;
  /** `staleSince`: the cloud did not answer and this is the status last read from it (then). */
  'workspace:status': WorkspaceStatus & { staleSince?: string };
  'workspace:setup': WorkspaceStatus;
  'workspace:saveBranch': WorkspaceStatus;
  'workspace:deleteBranch': WorkspaceStatus;
  'workspace:saveModules': WorkspaceStatus;
  /**
   * Slim rows (packages/shared/certificate-row.ts): what the list shows. `staleSince`: the cloud did not
   * answer; this is the last list kept, from that moment.
   */
  'certificates:list': { items: CertificateRow[]; staleSince: string | null };
  'certificates:get': CertificateView;
  /** secretNotice: the OS keychain was unavailable, so the password (or the kept copy) was not kept. */
  'certificates:install': { certificate: CertificateView; results: LinkResult[]; secretNotice?: SecretNotice };
  'certificates:edit': { certificate: CertificateView; before: Link[]; after: Link[]; results: LinkResult[] };
  'certificates:delete': { served: Link[] };
  'certificates:previewSwap': SwapComparison;
  /** secretNotice: as for an install, when the new file's password (or copy) could not be kept. */
  'certificates:swap': { swap: CertificateSwap; certificate: CertificateView; secretNotice?: SecretNotice };
  'swaps:list': CertificateSwap[];
  'swaps:cancel': CertificateSwap;
  'swaps:undo': CertificateSwap;
  'warnings:getSettings': WarningSettingsView;
  'warnings:saveSettings': WarningSettingsView;
  'warnings:test': { deliveries: DeliveryLogEntry[] };
  'warnings:deliveries': DeliveryLogEntry[];
  'history:list': { entries: HistoryEntry[]; more: boolean };
  'backend:get': BackendInfo;
  'backend:set': BackendInfo;
  'cloud:signIn': BackendInfo;
  'cloud:signOut': BackendInfo;
  'invoicy:getSettings': InvoicySettingsView;
  'invoicy:saveSettings': InvoicySettingsView;
  'invoicy:requestPassword': InvoicyResult;
  'invoicy:download': InvoicyResult;
  'invoicy:check': InvoicyResult;
  /** `opened` false: no file manager here (browser mode); the screen shows the folder to copy instead. */
  'invoicy:openFolder': { opened: boolean; folder: string };
  'sefaz:check': SefazCertificateCheck;
  'sefaz:lastCheck': SefazCertificateCheck | null;
  'sefaz:summaries': { items: SefazCheckSummary[] };
  'proxy:get': ProxySettingsView;
  'proxy:save': ProxySettingsView;
}

/** Which backend serves an environment, and who is signed in to it (no token ever). */
export interface BackendInfo {
  environment: Environment;
  kind: 'embedded' | 'cloud';
  url: string | null;
  session: { user: string; role: 'administrator' | 'read-only'; expiresAt: string } | null;
  /** `session`: no OS keychain, so the sign-in lasts until CertDesk closes (said on screen). */
  tokenKept?: 'session';
}

export interface InvoicySettingsView {
  url: string;
  defaultUrl: string;
  /** `session`: no OS keychain, so the keys are held in memory until CertDesk closes (said on screen). */
  keysKept?: 'session';
  hasEmpPK: boolean;
  hasCk: boolean;
}

export interface InvoicyResult {
  messages: { codigo: number; descricao: string; documentos: string[] }[];
  /** Downloaded PFX saved here by the main process (download only). */
  file: string | null;
  wsdl: 'service' | 'bundled';
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
   * Absolute path of a dropped or chosen file (Electron's webUtils); not a channel. The browser mode
   * answers asynchronously, having copied the file beside itself.
   */
  pathForFile(file: File): string | Promise<string>;
  /**
   * Messages the main process sends on its own (menus, a second launch with a file, macOS
   * open-file). Returns the function that unsubscribes.
   */
  onAppEvent(listener: (event: AppEvent) => void): () => void;
};

/** Main → renderer: the one event channel, `app:event`. */
export type AppEvent =
  | { type: 'openFiles'; paths: string[] }
  | { type: 'navigate'; to: 'certificates' | 'inspector' | 'expiries' | 'history' | 'invoicy' | 'settings' }
  | { type: 'newCertificate' }
  | { type: 'reload' };

export const APP_EVENT_CHANNEL = 'app:event';

/** The handler table the main process (and the browser mode) serve. */
export type HandlerTable = {
  [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>>;
};
