/**
 * Ports and folders of one end-to-end run. CERTDESK_E2E_SLOT (0–9, default 0) shifts them all, so two
 * runs on one machine (two developers' worktrees, or a run beside a long benchmark) do not meet.
 */
const slot = Number(process.env['CERTDESK_E2E_SLOT'] ?? '0');
if (!Number.isInteger(slot) || slot < 0 || slot > 9)
  throw new Error(`CERTDESK_E2E_SLOT must be 0–9, got ${process.env['CERTDESK_E2E_SLOT']}`);

export const E2E_SUFFIX = slot === 0 ? '' : `-${slot}`;
export const BROWSER_MODE_PORT = 5199 + slot * 1000;
export const INVOICY_PORT = 5299 + slot * 1000;
export const CLOUD_PORT = 5399 + slot * 1000;
