/**
 * The per-user configuration folder, for code that runs without Electron (the `certdesk` CLI):
 * %APPDATA%\CertDesk, ~/Library/Application Support/CertDesk, or $XDG_CONFIG_HOME/certdesk. Never a
 * shared temp folder: another local user could plant settings there (docs/SECURITY.md).
 * CERTDESK_CONFIG_DIR overrides it (tests, portable installs).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function userConfigDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env['CERTDESK_CONFIG_DIR']) return env['CERTDESK_CONFIG_DIR'];
  if (platform === 'win32') return join(env['APPDATA'] || join(homedir(), 'AppData', 'Roaming'), 'CertDesk');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'CertDesk');
  return join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'certdesk');
}
