/**
 * Where one end-to-end run lives. Its three servers (browser mode, CertDesk Cloud, the InvoiCy stand-in)
 * listen on ports the OS picks (`--port 0`), so a run never meets the app on its own defaults (5199,
 * 5299, 5399) nor another run; Playwright reads each port from the line the server prints once it
 * listens (playwright.config.ts, `wait`) into the environment its test workers inherit.
 *
 * CERTDESK_E2E_SLOT (0–9, default 0) keeps two runs in one worktree apart: data folders, reports and
 * keychain namespace.
 */
const slot = Number(process.env['CERTDESK_E2E_SLOT'] ?? '0');
if (!Number.isInteger(slot) || slot < 0 || slot > 9)
  throw new Error(`CERTDESK_E2E_SLOT must be 0–9, got ${process.env['CERTDESK_E2E_SLOT']}`);

export const E2E_SUFFIX = slot === 0 ? '' : `-${slot}`;

/** The environment variables Playwright fills from the servers' "listening" lines (named groups). */
export const PORT_VARIABLES = {
  browserMode: 'CERTDESK_E2E_BROWSER_MODE_PORT',
  cloud: 'CERTDESK_E2E_CLOUD_PORT',
  invoicy: 'CERTDESK_E2E_INVOICY_PORT',
} as const;

/**
 * The port `server` listens on in this run. Only known once the servers are up (in the test workers),
 * so call it from a test or a fixture, never while a module loads: Playwright lists tests before it
 * starts the servers.
 */
export function e2ePort(server: keyof typeof PORT_VARIABLES): number {
  const value = Number(process.env[PORT_VARIABLES[server]]);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${PORT_VARIABLES[server]} is not set: the ${server} server is started by playwright.config.ts`);
  return value;
}
