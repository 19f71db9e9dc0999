/**
 * Debian's Chromium for Playwright and the renderer bench: Playwright's own browser download is not
 * reachable from the build machines. The flags keep it from reaching for the network at start.
 */
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env['CERTDESK_CHROMIUM'] ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
