/**
 * How the desktop reaches SEFAZ through a corporate proxy, as the Settings screen shows it. The
 * proxy's user and password live only in the OS keychain: the screen learns whether there are
 * some (`hasCredentials`), never what they are.
 */

/** `environment`: HTTPS_PROXY / NO_PROXY of this computer (the default); `none`: always direct; `manual`: the address below. */
export const PROXY_MODES = ['environment', 'none', 'manual'] as const;
export type ProxyMode = (typeof PROXY_MODES)[number];

export interface ProxySettingsView {
  mode: ProxyMode;
  /** The manual proxy, `http://host:port`, without credentials (null when none was given). */
  url: string | null;
  /** Hosts that bypass the manual proxy, in NO_PROXY syntax. */
  noProxy: string;
  hasCredentials: boolean;
  /** The user name kept with the credentials (shown so the user knows which account is in use). */
  username: string | null;
  /** What `environment` means on this computer now: HTTPS_PROXY as host:port (no credentials), or null. */
  environmentProxy: string | null;
  environmentNoProxy: string | null;
}
