/**
 * The InvoiCy screen's and CLI's operations: URLs per environment (editable, in `invoicy.json`),
 * EmpPK and CK only in the keychain (or, for the CLI, CERTDESK_INVOICY_EMPPK / CERTDESK_INVOICY_CK),
 * and the three calls. A downloaded PFX is saved as received in the data folder's `downloads/`.
 */
import { realpath, stat, writeFile } from 'node:fs/promises';
import { ensureOwnDir } from '@certdesk/core/no-follow';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { Low } from 'lowdb';
import type { Environment, InvoicyResult, InvoicySettingsView } from '@certdesk/shared/contract';
import { CertdeskError, logAndContinue } from '@certdesk/core/errors';
import { checkSecureUrl } from '../secure-url';
import type { SecretStore } from '../keychain';
import { SessionSecrets } from '../session-secrets';
import { documentNumber, type InvoicyOperation } from './request-documents';
import { callInvoicy } from './invoicy-client';
import { isRecord, openPreferences } from '../preferences';

export const DEFAULT_URLS: Record<Environment, string> = {
  homologacao: 'https://homolog.invoicy.com.br/aextensaocertificadosoap.aspx',
  producao: 'https://app.invoicy.com.br/aextensaocertificadosoap.aspx',
};

const account = (environment: Environment, key: 'emppk' | 'ck') => `invoicy:${environment}:${key}`;

export class InvoicyService {
  /** The keychain, or this session's memory when there is none (desktop/session-secrets.ts). */
  private readonly secrets: SessionSecrets;

  private constructor(
    private readonly db: Low<Partial<Record<Environment, { url: string }>>>,
    private readonly dataDir: string,
    keychain: SecretStore,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.secrets = new SessionSecrets(keychain);
  }

  static async open(dataDir: string, keychain: SecretStore, env: NodeJS.ProcessEnv = {}): Promise<InvoicyService> {
    const db = await openPreferences<Partial<Record<Environment, { url: string }>>>(join(dataDir, 'invoicy.json'), {}, isRecord);
    return new InvoicyService(db, dataDir, keychain, env);
  }

  url(environment: Environment): string {
    return this.db.data[environment]?.url ?? DEFAULT_URLS[environment];
  }

  async settings(environment: Environment): Promise<InvoicySettingsView> {
    // Only a view: no keychain reads as "not set", and saving then reports the keychain itself.
    const [empPK, ck] = await Promise.all([
      this.secrets.get(account(environment, 'emppk')).catch(() => null),
      this.secrets.get(account(environment, 'ck')).catch(() => null),
    ]);
    const sessionOnly = ['emppk', 'ck'].some((key) => this.secrets.sessionOnly(account(environment, key as 'emppk' | 'ck')));
    return {
      url: this.url(environment),
      defaultUrl: DEFAULT_URLS[environment],
      hasEmpPK: !!empPK,
      hasCk: !!ck,
      ...(sessionOnly ? { keysKept: 'session' as const } : {}),
    };
  }

  async save(environment: Environment, patch: { url?: string; empPK?: string; ck?: string }): Promise<InvoicySettingsView> {
    if (patch.url !== undefined) {
      this.db.data[environment] = { url: checkSecureUrl(patch.url, 'do serviço InvoiCy') };
      await this.db.write();
    }
    // Secrets only to the keychain; with none, to this session's memory (said on screen), never to a file.
    if (patch.empPK) await this.secrets.set(account(environment, 'emppk'), patch.empPK.trim());
    if (patch.ck) await this.secrets.set(account(environment, 'ck'), patch.ck.trim());
    return this.settings(environment);
  }

  private async credentials(environment: Environment, url?: string) {
    // A keychain that fails shows as INVOICY_NOT_CONFIGURED below; the log keeps the real cause.
    const unread = logAndContinue('reading the InvoiCy keys from the keychain', null);
    const empPK = this.env['CERTDESK_INVOICY_EMPPK'] || (await this.secrets.get(account(environment, 'emppk')).catch(unread));
    const ck = this.env['CERTDESK_INVOICY_CK'] || (await this.secrets.get(account(environment, 'ck')).catch(unread));
    if (!empPK || !ck) {
      throw new CertdeskError('INVOICY_NOT_CONFIGURED', 'Informe a EmpPK e a chave de comunicação (CK) do InvoiCy para este ambiente.');
    }
    return { url: url ? checkSecureUrl(url, 'do serviço InvoiCy') : this.url(environment), empPK, ck };
  }

  async call(
    environment: Environment,
    operation: InvoicyOperation,
    document: string,
    options: { password?: string; url?: string } = {},
  ): Promise<InvoicyResult> {
    const answer = await callInvoicy(await this.credentials(environment, options.url), operation, document, options.password);
    let file: string | null = null;
    if (answer.pfx) {
      const dir = await ensureOwnDir(join(this.dataDir, 'downloads')); // never a link (no-follow.ts)
      file = join(dir, `certificado-${documentNumber(document)}-${new Date().toISOString().replace(/[:.]/g, '-')}.pfx`);
      await writeFile(file, answer.pfx, { mode: 0o600, flag: 'wx' }); // a certificate with its key: private to this user, a new file
    }
    return { messages: answer.messages, file, wsdl: answer.wsdl };
  }

  /**
   * A file this service downloaded, checked before the shell is asked to show it: only a file
   * inside `downloads/` (after resolving links), so the renderer cannot have any other path opened.
   */
  async downloadedFile(file: string): Promise<{ file: string; folder: string }> {
    const refused = new CertdeskError('NOT_FOUND', 'O arquivo não está entre os baixados do InvoiCy (pode ter sido removido).');
    let real: string;
    let folder: string;
    try {
      [real, folder] = await Promise.all([realpath(file), realpath(join(this.dataDir, 'downloads'))]);
    } catch {
      throw refused;
    }
    const inside = relative(folder, real);
    if (!inside || inside.startsWith('..') || isAbsolute(inside) || !(await stat(real)).isFile()) throw refused;
    return { file: real, folder: dirname(real) };
  }
}
