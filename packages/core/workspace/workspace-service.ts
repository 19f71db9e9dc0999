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
import { CertdeskError } from '../errors';
import type { SecretStore } from '../secret-store';
import { duplicateCertificate, historyEntry, newCertificate, relinked, servesBranch, withBranchRenamed } from './certificate-records';
import { EXAMPLE_BRANCHES, EXAMPLE_MODULES } from './example-workspace';
import { checkInstallable, normalizeBranch, validateCatalogue } from './workspace-rules';
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

export interface WorkspaceOptions {
  dataDir: string;
  keychain: SecretStore;
  /** Opens a PFX (the worker pool in the app). */
  inspect: (path: string, password: string | null) => Promise<PfxInspection>;
  now?: () => Date;
  user?: () => string;
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

  constructor(private readonly options: WorkspaceOptions) {
    this.now = options.now ?? (() => new Date());
    this.user = options.user ?? localUser;
    this.swapping = new WorkspaceSwaps({
      store: (environment) => this.store(environment),
      ready: (environment) => this.ready(environment),
      inspect: (path, password) => this.options.inspect(path, password),
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

  private view(cert: InstalledCertificate): CertificateView {
    return certificateView(cert, this.now());
  }

  async status(environment: Environment): Promise<WorkspaceStatus> {
    const store = await this.store(environment);
    const { setup, branches, modules } = store.workspace.data;
    return { environment, ready: setup !== null, setup, branches, modules, certificates: store.certificates.data.certificates.length };
  }

  async setup(environment: Environment, request: SetupRequest): Promise<WorkspaceStatus> {
    const store = await this.store(environment);
    await store.queue.run(async () => {
      const branches = request.kind === 'example' ? EXAMPLE_BRANCHES : request.branches;
      const modules = request.kind === 'example' ? EXAMPLE_MODULES : request.modules;
      validateCatalogue(branches, modules);
      await store.saveWorkspace({ version: 1, setup: request.kind, branches: branches.map(normalizeBranch), modules });
    });
    return this.status(environment);
  }

  /**
   * Add or change a branch. Renaming its code (`previousCode`) carries the links of every
   * certificate that served it over to the new code in the same atomic operation, with a history
   * entry per certificate moved: a certificate never serves a code that no longer exists.
   */
  async saveBranch(environment: Environment, branch: Branch, previousCode?: string): Promise<WorkspaceStatus> {
    const store = await this.ready(environment);
    await store.queue.run(async () => {
      const doc = store.workspace.data;
      const saved = normalizeBranch(branch);
      const others = doc.branches.filter((b) => b.code !== (previousCode ?? branch.code));
      const branches = [...others, saved].sort((a, b) => a.code.localeCompare(b.code));
      validateCatalogue(branches, doc.modules);
      const next = { ...doc, branches };
      const from = previousCode ?? saved.code;
      const renamed = from !== saved.code && doc.branches.some((b) => b.code === from);
      const moved = renamed ? store.certificates.data.certificates.filter((c) => servesBranch(c, from)) : [];
      if (!moved.length) return store.saveWorkspace(next);
      const at = this.now();
      const updated = new Map<string, InstalledCertificate>();
      const entries = moved.map((c) => {
        const after = withBranchRenamed(c, from, saved.code, at);
        updated.set(c.id, after);
        return this.entry(environment, 'edit', c, { before: c.links, after: after.links, renamedBranch: { from, to: saved.code } });
      });
      await store.commit(
        entries[0]!,
        store.certificates.data.certificates.map((c) => updated.get(c.id) ?? c),
        [],
        undefined,
        { entries: entries.slice(1), workspace: next },
      );
    });
    return this.status(environment);
  }

  async deleteBranch(environment: Environment, code: string): Promise<WorkspaceStatus> {
    const store = await this.ready(environment);
    await store.queue.run(async () => {
      const serving = store.certificates.data.certificates.filter((c) => c.links.some((l) => l.branch === code));
      if (serving.length) {
        throw new CertdeskError(
          'INVALID_DATA',
          `A filial ${code} ainda é atendida por ${serving.length} certificado(s): edite-os antes de excluí-la.`,
        );
      }
      const doc = store.workspace.data;
      await store.saveWorkspace({ ...doc, branches: doc.branches.filter((b) => b.code !== code) });
    });
    return this.status(environment);
  }

  async saveModules(environment: Environment, modules: ModuleDef[]): Promise<WorkspaceStatus> {
    const store = await this.ready(environment);
    await store.queue.run(async () => {
      const doc = store.workspace.data;
      validateCatalogue(doc.branches, modules);
      await store.saveWorkspace({ ...doc, modules });
    });
    return this.status(environment);
  }

  async list(environment: Environment): Promise<CertificateView[]> {
    const store = await this.store(environment);
    return store.certificates.data.certificates.map((c) => this.view(c));
  }

  async get(environment: Environment, id: string): Promise<CertificateView> {
    const store = await this.store(environment);
    return this.view(this.find(store, id));
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
    // Opened before the queue: a slow file does not hold up other windows' operations.
    const inspection = await this.options.inspect(request.path, request.password);
    checkInstallable(inspection);
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
      const kept = await store.commit(entry, [...store.certificates.data.certificates, cert], [], {
        sha256,
        password: request.password,
        pfx,
      });
      const secretNotice: SecretNotice | undefined =
        kept === 'password' ? 'password-not-kept' : kept === 'none' ? 'copy-not-kept' : undefined;
      return { certificate: this.view(cert), results, ...(secretNotice ? { secretNotice } : {}) };
    });
  }

  async edit(environment: Environment, id: string, selection: SelectionItem[]): Promise<EditResult> {
    const store = await this.ready(environment);
    return store.queue.run(async () => {
      const current = this.find(store, id);
      const { updated, results } = relinked(current, selection, store.workspace.data, this.now());
      const entry = this.entry(environment, 'edit', current, { before: current.links, after: updated.links, results });
      await store.commit(
        entry,
        store.certificates.data.certificates.map((c) => (c.id === id ? updated : c)),
      );
      return { certificate: this.view(updated), before: current.links, after: updated.links, results };
    });
  }

  async remove(environment: Environment, id: string): Promise<{ served: Link[] }> {
    const store = await this.store(environment);
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
      return { served: current.links };
    });
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
