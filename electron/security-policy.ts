/**
 * The security decisions of the shell as pure functions, so they are unit-tested without Electron.
 * security.ts and ipc.ts apply them to Electron's objects.
 */

/** Where the renderer is loaded from: the app scheme's page, or the dev server in `npm run dev`. */
export interface AppOrigin {
  /** `app://certdesk/index.html` (app-protocol.ts): the only page of the packaged app. */
  appUrl: string | null;
  /** `http://localhost:5173` while developing with HMR; null in production. */
  devServerUrl: string | null;
}

/** Only our own page, in its main frame, may call IPC (VS Code's ValidatedIpcMain idea). */
export function isTrustedSender(url: string | undefined, isMainFrame: boolean, origin: AppOrigin): boolean {
  if (!url || !isMainFrame) return false;
  return isAppUrl(url, origin);
}

/**
 * Whether a URL is the app's own page: the app page exactly (any hash route, no query, no user
 * info, same scheme, host and path) or, while developing, the dev server's origin. `file:` is never
 * the app any more, whatever file it names.
 */
export function isAppUrl(url: string, origin: AppOrigin): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (origin.appUrl) {
    const page = new URL(origin.appUrl);
    if (
      parsed.protocol === page.protocol &&
      parsed.host === page.host &&
      parsed.pathname === page.pathname &&
      parsed.search === '' &&
      !parsed.username &&
      !parsed.password
    ) {
      return true;
    }
  }
  if (origin.devServerUrl) {
    if (parsed.origin === new URL(origin.devServerUrl).origin) return true;
  }
  return false;
}

/** Hosts the app may open in the user's browser; anything else is refused. */
export const EXTERNAL_HOSTS = [
  'www.gov.br',
  'www.iti.gov.br',
  'www.nfe.fazenda.gov.br',
  'invoicy.com.br',
  'app.invoicy.com.br',
  'homolog.invoicy.com.br',
  'github.com',
];

/** openExternal only for https URLs on the allowlist: never file:, javascript:, smb: or custom schemes. */
export function isAllowedExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && !parsed.username && EXTERNAL_HOSTS.includes(parsed.hostname);
  } catch {
    return false;
  }
}

/** The renderer needs none of Chromium's permissions (camera, geolocation, notifications via web…). */
export function isPermissionAllowed(permission: string): boolean {
  // Clipboard writes back the fingerprint copy buttons; nothing else is granted.
  return permission === 'clipboard-sanitized-write';
}

/**
 * Content-Security-Policy for the renderer. No inline or remote scripts; styles allow 'unsafe-inline'
 * because the component library injects its CSS at run time (CSS cannot run code). `connect-src`
 * is 'self' only: every network call goes through the main process. In the app, 'self' is
 * `app://certdesk` (a standard scheme has a real origin), so no `file:` URL can load code.
 */
export function contentSecurityPolicy(devServerUrl: string | null): string {
  const dev = devServerUrl ? ` ${devServerUrl} ${devServerUrl.replace(/^http/, 'ws')}` : '';
  return [
    "default-src 'none'",
    `script-src 'self'${dev}`,
    `style-src 'self' 'unsafe-inline'`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${dev}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
