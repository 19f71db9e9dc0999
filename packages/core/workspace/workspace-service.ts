/**
 * The embedded backend's operations (docs/PRODUCT.md §2–3): setup, branches and modules, install /
 * edit / delete / register manual installation, list and history — per environment, each
 * operation serialized and committed atomically by its WorkspaceStore.
 */
import { readPfxFile } from '../pfx/read-pfx-file';
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import type { Environment, PfxInspection, SecretNotice } from '@certdesk/shared/contract';
import {
  certificateView,
  type Branch,
  type CertificateView,
  type HistoryEntry,
  type InstalledCertificate,
  type Link,
  type ModuleDef,
  type SelectionItem,
  type WorkspaceStatus,
} from '@certdesk/shared/workspace';
import { CertdeskError, logAndContinue } from '../errors';
import type { SecretStore } from '../secret-store';
import { deleteCatalogueBranch, saveCatalogueBranch, saveCatalogueModules, setUpCatalogue } from './catalogue-edits';
import { duplicateCertificate, historyEntry, newCertificate, relinked } from './certificate-records';
import { checkInstallable } from './workspace-rules';
import { readStoredCopy, type StoredCopy } from './stored-copy';
import type { HistoryQuery } from './history-log';
import type {
  EditResult,
  InstallRequest,
  InstallResult,
  ManagementBackend,
  SetupRequest,
  SwapRequest,
  SwapResult,
} from './management-backend';
import type { CertificateSwap } from '@certdesk/shared/certificate-swap';
import { WorkspaceSwaps } from './workspace-swaps';
import { WorkspaceStore } from './workspace-store';
import type { TrustReport } from '@certdesk/shared/trust';
import { refuseRevokedEdit } from './revocation-check';
import { WorkspaceTrust, type RecheckOutcome, type WorkspaceTrustOptions } from './workspace-trust';

export interface WorkspaceOptions {
  dataDir: string;
  keychain: SecretStore;
  /** Opens a PFX (the worker pool in the app). */
  inspect: (path: string, password: string | null) => Promise<PfxInspection>;
  now?: () => Date;
  user?: () => string;
  /** Chain and revocation at install and in the background (workspace-trust.ts); absent: not checked. */
  trust?: WorkspaceTrustOptions;
}

export type { InstallRequest } from './management-backend';

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    // No account name for this uid (containers, some domain setups): the history still needs an author.
    return 'usuário local';
  }
}

export class WorkspaceService implements ManagementBackend {
  private readonly stores = new Map<Environment, Promise<WorkspaceStore>>();
  private readonly now: () => Date;
  private readonly user: () => string;
  private readonly swapping: WorkspaceSwaps;
  private readonly trust: WorkspaceTrust | null;

  constructor(private readonly options: WorkspaceOptions) {
    this.now = options.now ?? (() => new Date());
    this.user = options.user ?? localUser;
    this.trust = options.trust ? new WorkspaceTrust(options.trust, this.now) : null;
    this.swapping = new WorkspaceSwaps({
      store: (environment) => this.store(environment),
      ready: (environment) => this.ready(environment),
      inspect: (path, password) => this.options.inspect(path, password),
      trust: this.trust,
      now: () => this.now(),
      user: () => this.user(),
    });
  }

  private store(environment: Environment): Promise<WorkspaceStore> {
    let store = this.stores.get(environment);
    if (!store) {
      store = WorkspaceStore.open(this.options.dataDir, environment, this.options.keychain);
      // A corrupt document must be reported on every call, not cached as a broken promise forever.
      store.catch(() => this.stores.delete(environment));
      this.stores.set(environment, store);
    }
    return store;
  }

  private async ready(environment: Environment): Promise<WorkspaceStore> {
    const store = await this.store(environment);
    if (!store.workspace.data.setup)
      throw new CertdeskError('SETUP_REQUIRED', 'Configure as filiais e os módulos deste ambiente antes de instalar certificados.');
    return store;
  }

  /** `trust`: the kept check (undefined when this workspace does not check). */
  private view(cert: InstalledCertificate, trust?: TrustReport | null): CertificateView {
    const view = certificateView(cert, this.now());
    return trust === undefined ? view : { ...view, trust };
  }

  /** The kept check of each certificate, when this workspace checks (opened outside the queue). */
  private async reports(store: WorkspaceStore): Promise<(id: string) => TrustReport | null | undefined> {
    const document = this.trust ? await this.trust.document(store) : null;
    return (id) => document?.report(id);
  }

  async status(environment: Environment): Promise<WorkspaceStatus> {
    const store = await this.store(environment);
    const { setup, branches, modules } = store.workspace.data;
    return { environment, ready: setup !== null, setup, branches, modules, certificates: store.certificates.data.certificates.length };
  }

  async setup(environment: Environment, request: SetupRequest): Promise<WorkspaceStatus> {
    const store = await this.store(environment);
    await store.queue.run(() => setUpCatalogue(store, request));
    return this.status(environment);
  }

  /** Add or change a branch; renaming it moves its certificates' links (catalogue-edits.ts). */
  async saveBranch(environment: Environment, branch: Branch, previousCode?: string): Promise<WorkspaceStatus> {
    const store = await this.ready(environment);
    const now = () => this.now();
    await store.queue.run(() =>
      saveCatalogueBranch(store, branch, previousCode, now, (action, cert, extra) => this.entry(environment, action, cert, extra)),
    );
    return this.status(environment);
  }

  async deleteBranch(environment: Environment, code: string): Promise<WorkspaceStatus> {
    const store = await this.ready(environment);
    await store.queue.run(() => deleteCatalogueBranch(store, code));
    return this.status(environment);
  }

  async saveModules(environment: Environment, modules: ModuleDef[]): Promise<WorkspaceStatus> {
    const store = await this.ready(environment);
    await store.queue.run(() => saveCatalogueModules(store, modules));
    return this.status(environment);
  }

  async list(environment: Environment): Promise<CertificateView[]> {
    const store = await this.store(environment);
    const trust = await this.reports(store);
    return store.certificates.data.certificates.map((c) => this.view(c, trust(c.id)));
  }

  async get(environment: Environment, id: string): Promise<CertificateView> {
    const store = await this.store(environment);
    const trust = await this.reports(store);
    return this.view(this.find(store, id), trust(id));
  }

  /**
   * The background recheck of one environment (the desktop's scheduler): what is due is checked
   * again. An environment that never kept a check is not even opened.
   */
  async recheckRevocation(environment: Environment): Promise<RecheckOutcome> {
    if (!this.trust || !WorkspaceTrust.anyKept(this.options.dataDir, environment)) return { checked: 0, newlyRevoked: 0, nextDelay: null };
    return this.trust.recheck(await this.store(environment));
  }

  private find(store: WorkspaceStore, id: string): InstalledCertificate {
    const cert = store.certificates.data.certificates.find((c) => c.id === id);
    if (!cert) throw new CertdeskError('NOT_FOUND', 'Certificado não encontrado neste ambiente (pode ter sido excluído).');
    return cert;
  }

  private entry(
    environment: Environment,
    action: HistoryEntry['action'],
    cert: InstalledCertificate,
    extra: Partial<HistoryEntry>,
  ): HistoryEntry {
    return historyEntry(this.user(), this.now(), environment, action, cert, extra);
  }

  async install(environment: Environment, request: InstallRequest): Promise<InstallResult> {
    const store = await this.ready(environment);
    // Opened and checked before the queue: a slow file or network does not hold up other windows' operations.
    const opened = this.trust
      ? await this.trust.open(request.path, request.password)
      : { inspection: await this.options.inspect(request.path, request.password), certificates: [] };
    const inspection = opened.inspection;
    checkInstallable(inspection);
    const check = this.trust ? await this.trust.atInstall(opened.certificates) : null; // refuses a revoked one
    const document = this.trust ? await this.trust.document(store) : null;
    return store.queue.run(async () => {
      const sha256 = inspection.certificate.fingerprints.sha256;
      const existing = store.certificates.data.certificates.find((c) => c.certificate.fingerprints.sha256 === sha256);
      if (existing) throw duplicateCertificate(environment, existing.id);
      const { cert, results } = newCertificate({
        environment,
        inspection,
        fileName: basename(request.path),
        selection: request.selection,
        manual: request.manual,
        catalogue: store.workspace.data,
        user: this.user(),
        at: this.now(),
      });
      const entry = this.entry(environment, 'install', cert, {
        selection: request.selection,
        results,
        ...(request.manual ? { manual: true } : {}),
      });
      // The encrypted copy and its secret, durable before the commit point (vault.ts).
      const pfx = await readPfxFile(request.path);
      // The check's entry too: an install that never commits leaves an orphan, dropped at next open.
      if (document && check) await this.trust!.keep(document, cert.id, opened.certificates, check.report);
      const kept = await store.commit(entry, [...store.certificates.data.certificates, cert], [], {
        sha256,
        password: request.password,
        pfx,
      });
      if (document && check?.later) this.trust!.keepLater(store, document, cert.id, check.later);
      const secretNotice: SecretNotice | undefined =
        kept === 'password' ? 'password-not-kept' : kept === 'none' ? 'copy-not-kept' : undefined;
      return { certificate: this.view(cert, check?.report), results, ...(secretNotice ? { secretNotice } : {}) };
    });
  }

  async edit(environment: Environment, id: string, selection: SelectionItem[]): Promise<EditResult> {
    const store = await this.ready(environment);
    const trust = await this.reports(store);
    return store.queue.run(async () => {
      const current = this.find(store, id);
      refuseRevokedEdit(trust(id)); // like an expired one, a revoked certificate can only be deleted
      const { updated, results } = relinked(current, selection, store.workspace.data, this.now());
      const entry = this.entry(environment, 'edit', current, { before: current.links, after: updated.links, results });
      await store.commit(
        entry,
        store.certificates.data.certificates.map((c) => (c.id === id ? updated : c)),
      );
      return { certificate: this.view(updated, trust(id)), before: current.links, after: updated.links, results };
    });
  }

  async remove(environment: Environment, id: string): Promise<{ served: Link[] }> {
    const store = await this.store(environment);
    const document = this.trust ? await this.trust.document(store) : null;
    return store.queue.run(async () => {
      const current = this.find(store, id);
      const entry = this.entry(environment, 'delete', current, { served: current.links });
      // A swap waiting on this certificate can no longer run: cancelled with the deletion.
      const swaps = this.swapping.cancelledBy(store, id);
      await store.commit(
        entry,
        store.certificates.data.certificates.filter((c) => c.id !== id),
        [current.certificate.fingerprints.sha256],
        undefined,
        swaps ? { swaps } : {},
      );
      // After the commit point: a crash before this leaves an orphan, dropped at the next open.
      await document
        ?.change((entries) => void delete entries[id])
        .catch(logAndContinue('removing a deleted certificate’s check', undefined));
      return { served: current.links };
    });
  }

  /**
   * An installed certificate with the copy kept in the vault and the password that opens it (the
   * SEFAZ check): `password` is the one the user typed when the keychain does not hold it.
   */
  async storedCopy(environment: Environment, id: string, password?: string | null): Promise<StoredCopy & { certificate: CertificateView }> {
    const store = await this.store(environment);
    const cert = this.find(store, id);
    const copy = await readStoredCopy(store, this.options.keychain, cert.certificate.fingerprints.sha256, password);
    return { ...copy, certificate: this.view(cert) };
  }

  async history(environment: Environment, query: HistoryQuery): Promise<{ entries: HistoryEntry[]; more: boolean }> {
    return (await this.store(environment)).history.list(query);
  }

  swap(environment: Environment, id: string, request: SwapRequest): Promise<SwapResult> {
    return this.swapping.swap(environment, id, request);
  }

  swaps(environment: Environment): Promise<CertificateSwap[]> {
    return this.swapping.list(environment);
  }

  cancelSwap(environment: Environment, swapId: string): Promise<CertificateSwap> {
    return this.swapping.cancel(environment, swapId);
  }

  undoSwap(environment: Environment, swapId: string): Promise<CertificateSwap> {
    return this.swapping.undo(environment, swapId);
  }

  /** Runs the swaps due now in `environment` (the desktop's timer, a restart); answers those that ended. */
  runDueSwaps(environment: Environment): Promise<CertificateSwap[]> {
    return this.swapping.runDue(environment);
  }
}
