/**
 * Which backend serves each environment: the embedded workspace (default) or a cloud service
 * (docs/PRODUCT.md §3). The choice and the signed-in user live in `backends.json`; the session token
 * only in the keychain. The last cloud list is kept so it stays visible offline, marked with its age,
 * and beside it the last workspace status, so that offline the list still names branches and modules.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { BackendInfo, Environment } from '@certdesk/shared/contract';
import { certificateRow, rowAt, type CertificateRow } from '@certdesk/shared/certificate-row';
import type { WorkspaceStatus } from '@certdesk/shared/workspace';
import { CertdeskError, logAndContinue } from '@certdesk/core/errors';
import { checkSecureUrl } from './secure-url';
import type { SecretStore } from './keychain';
import type { ManagementBackend } from '@certdesk/core/workspace/management-backend';
import type { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import { CloudClient, type SignIn } from './cloud-client';
import { isRecord, openPreferences } from './preferences';
import { SessionSecrets } from './session-secrets';

interface EnvironmentBackend {
  kind: 'embedded' | 'cloud';
  url: string | null;
  session: BackendInfo['session'];
  /** Last list read from the cloud, for offline use (rows; files written before 1.2 hold full certificates). */
  cache: { at: string; items: CertificateRow[]; etag?: string | null } | null;
  /**
   * Last workspace status read from the cloud, kept beside the list: without it an offline list
   * read in a new session could only show module ids (absent in files written before it existed).
   */
  statusCache?: { at: string; status: WorkspaceStatus } | null;
}

type Doc = Partial<Record<Environment, EnvironmentBackend>>;

const tokenAccount = (environment: Environment) => `cloud:${environment}:token`;
const OFFLINE = new Set(['CLOUD_OFFLINE', 'CLOUD_TIMEOUT', 'CLOUD_SERVER']);

export class BackendRouter {
  /** The cloud token: in the keychain, or in this session's memory when there is none. */
  private readonly keychain: SessionSecrets;

  private constructor(
    private readonly db: Low<Doc>,
    private readonly embedded: WorkspaceService,
    keychain: SecretStore,
    private readonly now: () => Date,
  ) {
    this.keychain = new SessionSecrets(keychain);
  }

  static async open(
    dataDir: string,
    embedded: WorkspaceService,
    keychain: SecretStore,
    now: () => Date = () => new Date(),
  ): Promise<BackendRouter> {
    await mkdir(dataDir, { recursive: true });
    const db = await openPreferences<Doc>(join(dataDir, 'backends.json'), {}, isRecord);
    return new BackendRouter(db, embedded, keychain, now);
  }

  private config(environment: Environment): EnvironmentBackend {
    return this.db.data[environment] ?? { kind: 'embedded', url: null, session: null, cache: null };
  }

  private async update(environment: Environment, patch: Partial<EnvironmentBackend>): Promise<void> {
    this.db.data[environment] = { ...this.config(environment), ...patch };
    await this.db.write();
  }

  info(environment: Environment): BackendInfo {
    const { kind, url, session } = this.config(environment);
    const sessionOnly = !!session && this.keychain.sessionOnly(tokenAccount(environment));
    return { environment, kind, url, session, ...(sessionOnly ? { tokenKept: 'session' as const } : {}) };
  }

  async choose(environment: Environment, kind: 'embedded' | 'cloud', url?: string): Promise<BackendInfo> {
    if (kind === 'embedded') {
      await this.keychain.delete(tokenAccount(environment)).catch(logAndContinue('deleting the cloud token', false));
      await this.update(environment, { kind, session: null, cache: null, statusCache: null });
    } else {
      if (!url) throw new CertdeskError('INVALID_DATA', 'Informe o endereço do serviço na nuvem.');
      const checked = checkSecureUrl(url, 'da nuvem');
      const changed = checked !== this.config(environment).url;
      if (changed) await this.keychain.delete(tokenAccount(environment)).catch(logAndContinue('deleting the cloud token', false));
      await this.update(environment, { kind, url: checked, ...(changed ? { session: null, cache: null, statusCache: null } : {}) });
    }
    return this.info(environment);
  }

  private client(environment: Environment): CloudClient {
    const { url } = this.config(environment);
    if (!url) throw new CertdeskError('INVALID_DATA', 'Informe o endereço do serviço na nuvem.');
    return new CloudClient({
      baseUrl: url,
      // No keychain, no token: the request goes out unauthenticated and the cloud's 401 asks to sign in again.
      token: () => this.keychain.get(tokenAccount(environment)).catch(() => null),
      // An ended session: drop the stale user so the screens ask to sign in again.
      onSessionEnded: () => this.update(environment, { session: null }),
    });
  }

  async signIn(environment: Environment, credentials: SignIn): Promise<BackendInfo> {
    const session = await this.client(environment).signIn(credentials);
    // The token only in the keychain; with none, in memory for this session (said on screen), never in a file.
    await this.keychain.set(tokenAccount(environment), session.token);
    await this.update(environment, { session: { user: session.user.name, role: session.user.role, expiresAt: session.expiresAt } });
    return this.info(environment);
  }

  async signOut(environment: Environment): Promise<BackendInfo> {
    await this.client(environment)
      .signOut()
      .catch(() => undefined); // the local sign-out happens regardless
    await this.keychain.delete(tokenAccount(environment)).catch(logAndContinue('deleting the cloud token', false));
    await this.update(environment, { session: null });
    return this.info(environment);
  }

  /** The service behind an environment's management calls (the list: `list()`, rows from either). */
  backend(environment: Environment): ManagementBackend {
    return this.config(environment).kind === 'embedded' ? this.embedded : this.client(environment);
  }

  /** The cloud client of an environment the cloud serves (its SEFAZ checks and warnings settings live there); null for the embedded workspace. */
  cloud(environment: Environment): CloudClient | null {
    return this.config(environment).kind === 'cloud' ? this.client(environment) : null;
  }

  /** The list's rows, from the cloud when it answers, else the last ones kept (with their date). */
  async list(environment: Environment): Promise<{ items: CertificateRow[]; staleSince: string | null }> {
    const config = this.config(environment);
    if (config.kind === 'embedded') return { items: (await this.embedded.list(environment)).map(certificateRow), staleSince: null };
    try {
      // The list kept is offered by its tag: when it is still the cloud's, nothing is sent back.
      const held = config.cache?.etag ? { items: config.cache.items, etag: config.cache.etag } : null;
      const { items, etag } = await this.client(environment).listSince(environment, held);
      await this.update(environment, { cache: { at: new Date().toISOString(), items, etag } });
      return { items, staleSince: null };
    } catch (error) {
      if (error instanceof CertdeskError && OFFLINE.has(error.code) && config.cache)
        // The list as it was, but validity and day counts as of now: they are never stored facts.
        return { items: config.cache.items.map((item) => rowAt(item, this.now())), staleSince: config.cache.at };
      throw error;
    }
  }

  /**
   * The workspace status, from the cloud when it answers, else the last one kept, marked with
   * `staleSince` (the screens then treat it as offline and allow no changes).
   */
  async status(environment: Environment): Promise<WorkspaceStatus & { staleSince?: string }> {
    const config = this.config(environment);
    if (config.kind === 'embedded') return await this.embedded.status(environment);
    try {
      const status = await this.backend(environment).status(environment);
      await this.update(environment, { statusCache: { at: new Date().toISOString(), status } });
      return status;
    } catch (error) {
      if (error instanceof CertdeskError && OFFLINE.has(error.code) && config.statusCache)
        return { ...config.statusCache.status, staleSince: config.statusCache.at };
      throw error;
    }
  }
}
