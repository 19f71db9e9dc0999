/**
 * HTTP client of the cloud backend: the OpenAPI contract from the desktop side. Timeouts on every
 * call; retries only for idempotent ones (GET, PUT, DELETE) after a network error, a timeout or a
 * 5xx; answers validated against the contract; every failure a CertdeskError in Portuguese.
 * Redirects are never followed: every call carries the session token or a password (the contract
 * has no 3xx answer), and a redirect would re-send them to an address nobody configured.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Environment } from '@certdesk/shared/contract';
import { certificateRow, type CertificateRow } from '@certdesk/shared/certificate-row';
import type { Branch, CertificateView, HistoryEntry, Link, ModuleDef, SelectionItem, WorkspaceStatus } from '@certdesk/shared/workspace';
import type { SefazCertificateCheck, SefazCheckSummary } from '@certdesk/shared/sefaz-checks';
import { CertdeskError } from '@certdesk/core/errors';
import { isRedirect, redirectNotFollowed } from './secure-url';
import { checkResponse } from '@certdesk/core/cloud-api/contract-validator';
import type { HistoryQuery } from '@certdesk/core/workspace/history-log';
import type {
  EditResult,
  InstallRequest,
  InstallResult,
  ManagementBackend,
  SetupRequest,
  SwapRequest,
  SwapResult,
} from '@certdesk/core/workspace/management-backend';
import type { CertificateSwap } from '@certdesk/shared/certificate-swap';
import type { DeliveryLogEntry, WarningSettingsUpdate, WarningSettingsView } from '@certdesk/shared/warning-settings';

export interface CloudClientOptions {
  /** e.g. `https://nuvem.exemplo.com.br/api/v1` */
  baseUrl: string;
  token: () => Promise<string | null>;
  timeoutMs?: number;
  retries?: number;
  /** Waits between retries (tests shorten it). */
  backoffMs?: number;
  /** The cloud said the session has ended (401 outside sign-in): the desktop forgets its user. */
  onSessionEnded?: () => Promise<void>;
}

export interface CloudSession {
  token: string;
  expiresAt: string;
  user: { name: string; role: 'administrator' | 'read-only' };
}

export type SignIn = { method: 'sso'; email: string; password: string } | { method: 'cloud'; login: string; password: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A list answer the desktop holds, with the entity tag the cloud gave it (null: none, before 1.6). */
export interface HeldList {
  items: CertificateRow[];
  etag: string | null;
}

/** A conditional GET: the tag sent, and what came back (the answer's tag; 304 or not). */
interface Conditional {
  ifNoneMatch: string | undefined;
  etag: string | null;
  unchanged: boolean;
}

/**
 * A SEFAZ check runs on the service: a few calls of up to 10 s to connect and 20 s to answer each,
 * four at a time, possibly after the tenant's other checks. Longer than any other call's wait.
 */
const SEFAZ_CHECK_TIMEOUT_MS = 120_000;

export class CloudClient implements ManagementBackend {
  constructor(private readonly options: CloudClientOptions) {}

  private async request<T>(
    operationId: string,
    method: string,
    path: string,
    body?: unknown,
    query = '',
    conditional?: Conditional,
    timeoutMs?: number,
  ): Promise<T> {
    const idempotent = method !== 'POST';
    const attempts = idempotent ? 1 + (this.options.retries ?? 2) : 1;
    const token = await this.options.token();
    const url = `${this.options.baseUrl}${path}${query}`;
    let last: CertdeskError | null = null;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep((this.options.backoffMs ?? 300) * 2 ** (attempt - 1));
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: {
            'Content-Type': 'application/json',
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
            ...(conditional?.ifNoneMatch ? { 'If-None-Match': conditional.ifNoneMatch } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs ?? this.options.timeoutMs ?? 15_000),
        });
      } catch (error) {
        last =
          (error as Error).name === 'TimeoutError'
            ? new CertdeskError('CLOUD_TIMEOUT', 'O serviço na nuvem não respondeu a tempo.')
            : new CertdeskError('CLOUD_OFFLINE', 'Sem conexão com o serviço na nuvem.');
        continue;
      }
      if (conditional) {
        conditional.etag = response.headers.get('etag');
        // A 304 is no redirect here: it answers our own If-None-Match (the list held is still current).
        conditional.unchanged = response.status === 304 && !!conditional.ifNoneMatch;
        if (conditional.unchanged) {
          await response.body?.cancel();
          return undefined as T;
        }
      }
      if (isRedirect(response.status)) {
        await response.body?.cancel();
        throw redirectNotFollowed('CLOUD_BAD_RESPONSE', 'O serviço na nuvem', response.status, response.headers.get('location'), url);
      }
      if (response.status >= 500) {
        last = new CertdeskError('CLOUD_SERVER', `O serviço na nuvem falhou (HTTP ${response.status}). Tente novamente em instantes.`);
        continue;
      }
      const text = await response.text();
      let data: unknown;
      try {
        data = text ? JSON.parse(text) : undefined;
      } catch {
        throw new CertdeskError('CLOUD_BAD_RESPONSE', 'O serviço na nuvem respondeu algo que não é JSON; nada foi considerado.');
      }
      if (checkResponse(operationId, response.status, data)) {
        throw new CertdeskError('CLOUD_BAD_RESPONSE', 'A resposta do serviço na nuvem não segue o contrato; nada foi considerado.');
      }
      if (response.ok) return data as T;
      const error = data as { code: string; message: string; details?: Record<string, string> };
      // On sign-in a 401 means the credentials, not a session: say so (not "your session expired").
      if (response.status === 401 && operationId === 'signIn')
        throw new CertdeskError('WRONG_PASSWORD', 'Usuário ou senha incorretos para o serviço na nuvem.');
      // Contract 1.3: the right password of a disabled account; the server's words say what to do.
      if (response.status === 403 && operationId === 'signIn') throw new CertdeskError('ACCOUNT_DISABLED', error.message);
      if (response.status === 401) {
        await this.options.onSessionEnded?.();
        throw new CertdeskError('CLOUD_UNAUTHENTICATED', 'Sua sessão na nuvem expirou ou não existe: entre novamente.');
      }
      if (response.status === 403)
        throw new CertdeskError('CLOUD_FORBIDDEN', 'Somente administradores podem fazer alterações; você está no modo de consulta.');
      // Too many SEFAZ checks of this tenant under way (contract 1.5): try again in a moment.
      if (response.status === 429 && operationId === 'checkCertificateSefaz') throw new CertdeskError('BUSY', error.message);
      // Sign-in throttled (contract 1.1): the server's message says how long to wait.
      if (response.status === 429) throw new CertdeskError('CLOUD_UNAUTHENTICATED', error.message);
      const code = (error.code as never) ?? 'INVALID_REQUEST';
      throw new CertdeskError(code, error.message, error.details);
    }
    throw last!;
  }

  signIn(credentials: SignIn): Promise<CloudSession> {
    return this.request('signIn', 'POST', '/auth/sign-in', credentials);
  }

  signOut(): Promise<void> {
    return this.request('signOut', 'POST', '/auth/sign-out');
  }

  status(environment: Environment): Promise<WorkspaceStatus> {
    return this.request('getWorkspace', 'GET', `/environments/${environment}/workspace`);
  }

  setup(environment: Environment, request: SetupRequest): Promise<WorkspaceStatus> {
    return this.request('setupWorkspace', 'POST', `/environments/${environment}/workspace/setup`, request);
  }

  saveBranch(environment: Environment, branch: Branch, previousCode?: string): Promise<WorkspaceStatus> {
    return this.request(
      'saveBranch',
      'PUT',
      `/environments/${environment}/workspace/branches/${encodeURIComponent(previousCode ?? branch.code)}`,
      branch,
    );
  }

  deleteBranch(environment: Environment, code: string): Promise<WorkspaceStatus> {
    return this.request('deleteBranch', 'DELETE', `/environments/${environment}/workspace/branches/${encodeURIComponent(code)}`);
  }

  saveModules(environment: Environment, modules: ModuleDef[]): Promise<WorkspaceStatus> {
    return this.request('saveModules', 'PUT', `/environments/${environment}/workspace/modules`, modules);
  }

  /** The list's rows (contract 1.2.0); a 1.1 server's full certificates are cut down to rows here. */
  async list(environment: Environment): Promise<CertificateRow[]> {
    return (await this.listSince(environment, null)).items;
  }

  /**
   * The list, asked only if it changed (contract 1.6.0): with the entity tag of the answer held, a
   * 304 means the held rows are still the current ones (revision and derived fields alike), and
   * they are kept; a server before 1.6 answers 200 as always.
   */
  async listSince(environment: Environment, held: HeldList | null): Promise<HeldList & { unchanged: boolean }> {
    const conditional: Conditional = { ifNoneMatch: held?.etag ?? undefined, etag: null, unchanged: false };
    const items = await this.request<CertificateRow[] | undefined>(
      'listCertificates',
      'GET',
      `/environments/${environment}/certificates`,
      undefined,
      '',
      conditional,
    );
    if (conditional.unchanged && held) return { ...held, unchanged: true };
    return { items: (items ?? []).map(certificateRow), etag: conditional.etag, unchanged: false };
  }

  get(environment: Environment, id: string): Promise<CertificateView> {
    return this.request('getCertificate', 'GET', `/environments/${environment}/certificates/${id}`);
  }

  async install(environment: Environment, request: InstallRequest): Promise<InstallResult> {
    const pfxBase64 = (await readFile(request.path)).toString('base64');
    const body = {
      fileName: basename(request.path),
      pfxBase64,
      password: request.password,
      selection: request.selection,
      ...(request.manual ? { manual: true } : {}),
    };
    return this.request<InstallResult>('installCertificate', 'POST', `/environments/${environment}/certificates`, body);
  }

  edit(environment: Environment, id: string, selection: SelectionItem[]): Promise<EditResult> {
    return this.request<EditResult>('editCertificate', 'PUT', `/environments/${environment}/certificates/${id}/links`, { selection });
  }

  remove(environment: Environment, id: string): Promise<{ served: Link[] }> {
    return this.request('deleteCertificate', 'DELETE', `/environments/${environment}/certificates/${id}`);
  }

  /** Checks the certificate with SEFAZ on the service (contract 1.5.0), which keeps the result for the tenant. */
  checkSefaz(environment: Environment, id: string): Promise<SefazCertificateCheck> {
    const path = `/environments/${environment}/certificates/${id}/sefaz-check`;
    return this.request('checkCertificateSefaz', 'POST', path, undefined, '', undefined, SEFAZ_CHECK_TIMEOUT_MS);
  }

  async sefazCheck(environment: Environment, id: string): Promise<SefazCertificateCheck | null> {
    const path = `/environments/${environment}/certificates/${id}/sefaz-check`;
    return (await this.request<{ check: SefazCertificateCheck | null }>('getCertificateSefazCheck', 'GET', path)).check;
  }

  async sefazSummaries(environment: Environment): Promise<SefazCheckSummary[]> {
    return (await this.request<{ items: SefazCheckSummary[] }>('listSefazChecks', 'GET', `/environments/${environment}/sefaz-checks`))
      .items;
  }

  history(environment: Environment, query: HistoryQuery): Promise<{ entries: HistoryEntry[]; more: boolean }> {
    const params = new URLSearchParams(
      Object.entries(query)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    return this.request('listHistory', 'GET', `/environments/${environment}/history`, undefined, params.size ? `?${params}` : '');
  }

  /** Contract 1.3: the new PFX goes up (base64, as for an install) with when to swap. */
  async swap(environment: Environment, id: string, request: SwapRequest): Promise<SwapResult> {
    const body = {
      fileName: basename(request.path),
      pfxBase64: (await readFile(request.path)).toString('base64'),
      password: request.password,
      scheduledFor: request.scheduledFor ?? null,
    };
    return this.request<SwapResult>('swapCertificate', 'POST', `/environments/${environment}/certificates/${id}/swap`, body);
  }

  swaps(environment: Environment): Promise<CertificateSwap[]> {
    return this.request('listSwaps', 'GET', `/environments/${environment}/swaps`);
  }

  cancelSwap(environment: Environment, swapId: string): Promise<CertificateSwap> {
    return this.request('cancelSwap', 'DELETE', `/environments/${environment}/swaps/${swapId}`);
  }

  /** Not retried (POST): undoing twice would be refused anyway, but says nothing useful. */
  undoSwap(environment: Environment, swapId: string): Promise<CertificateSwap> {
    return this.request('undoSwap', 'POST', `/environments/${environment}/swaps/${swapId}/undo`);
  }

  /** The tenant's warnings settings (both environments share them). */
  warningSettings(): Promise<WarningSettingsView> {
    return this.request('getWarningSettings', 'GET', '/warnings/settings');
  }

  saveWarningSettings(update: WarningSettingsUpdate): Promise<WarningSettingsView> {
    return this.request('saveWarningSettings', 'PUT', '/warnings/settings', update);
  }

  async testWarnings(environment: Environment): Promise<DeliveryLogEntry[]> {
    return (await this.request<{ deliveries: DeliveryLogEntry[] }>('testWarnings', 'POST', `/environments/${environment}/warnings/test`))
      .deliveries;
  }

  warningDeliveries(limit = 100): Promise<DeliveryLogEntry[]> {
    return this.request('listWarningDeliveries', 'GET', '/warnings/deliveries', undefined, `?limit=${limit}`);
  }
}
