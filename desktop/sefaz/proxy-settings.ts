/**
 * The proxy the desktop's SEFAZ checks go through (Configurações → Proxy): this computer's
 * HTTPS_PROXY / NO_PROXY (the default), none, or an address set here. The address and its bypass
 * list live in `proxy.json`; the proxy's user and password only in the OS keychain (account
 * `proxy:credentials`) — never in a file, never back to the screen. Credentials typed inside the
 * address (`http://user:password@host:port`) are moved to the keychain the same way.
 */
import { join } from 'node:path';
import type { Low } from 'lowdb';
import { PROXY_MODES, type ProxyMode, type ProxySettingsView } from '@certdesk/shared/proxy-settings';
import { CertdeskError, logAndContinue } from '@certdesk/core/errors';
import { parseProxyUrl, type ProxyOption } from '@certdesk/core/sefaz/proxy';
import type { SecretStore } from '../keychain';
import { isRecord, openPreferences } from '../preferences';

interface ProxyDoc {
  mode: ProxyMode;
  url: string | null;
  noProxy: string;
}

export interface ProxySave {
  mode: ProxyMode;
  url?: string;
  noProxy?: string;
  username?: string;
  password?: string;
  clearCredentials?: boolean;
}

interface Credentials {
  username: string;
  password: string;
}

const ACCOUNT = 'proxy:credentials';
const DEFAULTS: ProxyDoc = { mode: 'environment', url: null, noProxy: '' };

const variable = (env: NodeJS.ProcessEnv, name: string) => env[name.toLowerCase()] || env[name.toUpperCase()] || null;

/** The proxy's address as shown and stored: scheme, host and port, never credentials. */
function withoutCredentials(url: string): { url: string; credentials: Credentials | null } {
  const route = parseProxyUrl(url); // INVALID_REQUEST with the reason, in Portuguese
  const parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url.trim()) ? url.trim() : `http://${url.trim()}`);
  const username = decodeURIComponent(parsed.username);
  const credentials = username || parsed.password ? { username, password: decodeURIComponent(parsed.password) } : null;
  return { url: `http://${route.label}`, credentials };
}

export class ProxySettings {
  private constructor(
    private readonly db: Low<ProxyDoc>,
    private readonly keychain: SecretStore,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async open(dataDir: string, keychain: SecretStore, env: NodeJS.ProcessEnv = process.env): Promise<ProxySettings> {
    const db = await openPreferences<ProxyDoc>(join(dataDir, 'proxy.json'), DEFAULTS, isRecord);
    const raw = db.data as Partial<ProxyDoc>;
    db.data = {
      mode: PROXY_MODES.includes(raw.mode as ProxyMode) ? raw.mode! : 'environment',
      url: typeof raw.url === 'string' ? raw.url : null,
      noProxy: typeof raw.noProxy === 'string' ? raw.noProxy : '',
    };
    return new ProxySettings(db, keychain, env);
  }

  private async credentials(): Promise<Credentials | null> {
    const stored = await this.keychain.get(ACCOUNT).catch(logAndContinue('reading the proxy credentials', null));
    if (!stored) return null;
    try {
      const parsed = JSON.parse(stored) as Partial<Credentials>;
      return typeof parsed.username === 'string' && typeof parsed.password === 'string'
        ? { username: parsed.username, password: parsed.password }
        : null;
    } catch {
      return null;
    }
  }

  async view(): Promise<ProxySettingsView> {
    const { mode, url, noProxy } = this.db.data;
    const credentials = await this.credentials();
    const environment = variable(this.env, 'https_proxy');
    let environmentProxy: string | null = null;
    try {
      environmentProxy = environment ? parseProxyUrl(environment).label : null;
    } catch {
      environmentProxy = null; // an address that does not parse is shown as none (the checks then say so)
    }
    return {
      mode,
      url,
      noProxy,
      hasCredentials: credentials !== null,
      username: credentials?.username ?? null,
      environmentProxy,
      environmentNoProxy: variable(this.env, 'no_proxy'),
    };
  }

  async save(request: ProxySave): Promise<ProxySettingsView> {
    const next: ProxyDoc = { ...this.db.data, mode: request.mode };
    let credentials: Credentials | null = null;
    if (request.url !== undefined) {
      if (request.url.trim()) ({ url: next.url, credentials } = withoutCredentials(request.url));
      else next.url = null;
    }
    if (request.noProxy !== undefined) next.noProxy = request.noProxy.trim();
    if (next.mode === 'manual' && !next.url)
      throw new CertdeskError('INVALID_REQUEST', 'Informe o endereço do proxy (http://host:porta) ou escolha outra opção.');
    if (request.username !== undefined || request.password !== undefined) {
      const kept = await this.credentials();
      credentials = { username: request.username ?? kept?.username ?? '', password: request.password ?? kept?.password ?? '' };
    }
    // The secret first: if the keychain cannot keep it, nothing is saved (it never goes to a file).
    if (credentials && (credentials.username || credentials.password)) {
      try {
        await this.keychain.set(ACCOUNT, JSON.stringify(credentials));
      } catch (error) {
        if (error instanceof CertdeskError && error.code === 'KEYCHAIN_UNAVAILABLE')
          throw new CertdeskError(
            'KEYCHAIN_UNAVAILABLE',
            'O cofre de senhas do sistema não está disponível: o usuário e a senha do proxy não foram guardados (eles nunca são gravados em arquivo).',
          );
        throw error;
      }
    } else if (request.clearCredentials) {
      await this.keychain.delete(ACCOUNT).catch(logAndContinue('deleting the proxy credentials', false));
    }
    this.db.data = next;
    await this.db.write();
    return this.view();
  }

  /** What the checks use now: the chosen mode, with the keychain's credentials put into a manual address. */
  async option(): Promise<ProxyOption> {
    const { mode, url, noProxy } = this.db.data;
    if (mode !== 'manual' || !url) return { kind: mode === 'none' ? 'none' : 'environment' };
    const credentials = await this.credentials();
    if (!credentials) return { kind: 'manual', url, noProxy };
    const withAuth = new URL(url);
    withAuth.username = encodeURIComponent(credentials.username);
    withAuth.password = encodeURIComponent(credentials.password);
    return { kind: 'manual', url: withAuth.toString(), noProxy };
  }
}
