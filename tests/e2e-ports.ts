/**
 * Where one end-to-end run lives. Each worker's three servers (browser mode, CertDesk Cloud, the InvoiCy
 * stand-in; tests/e2e/worker-servers.ts) listen on ports the OS picks (`--port 0`), so a run never meets
 * the app on its own defaults (5199, 5299, 5399) nor another run or worker; the worker reads each port
 * from the line the server prints once it listens into its own environment.
 *
 * CERTDESK_E2E_SLOT (0–9, default 0) keeps two runs in one worktree apart: data folders, reports and
 * keychain namespace.
 */
const slot = Number(process.env['CERTDESK_E2E_SLOT'] ?? '0');
if (!Number.isInteger(slot) || slot < 0 || slot > 9)
  throw new Error(`CERTDESK_E2E_SLOT must be 0–9, got ${process.env['CERTDESK_E2E_SLOT']}`);

export const E2E_SUFFIX = slot === 0 ? '' : `-${slot}`;

/** The environment variables a worker fills from its servers' "listening" lines. */
export const PORT_VARIABLES = {
  browserMode: 'CERTDESK_E2E_BROWSER_MODE_PORT',
  cloud: 'CERTDESK_E2E_CLOUD_PORT',
  invoicy: 'CERTDESK_E2E_INVOICY_PORT',
} as const;

/**
 * The port `server` listens on in this worker. Only known once its servers are up, so call it from a
 * test or a fixture, never while a module loads: Playwright lists tests before workers start.
 */
export function e2ePort(server: keyof typeof PORT_VARIABLES): number {
  const value = Number(process.env[PORT_VARIABLES[server]]);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(
      `${PORT_VARIABLES[server]} is not set: the ${server} server is started by the worker fixture (tests/e2e/worker-servers.ts)`,
    );
  return value;
}
