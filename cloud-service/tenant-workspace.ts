/**
 * The management domain (docs/PRODUCT.md §2) for one tenant, over the database: the same pure rules
 * as the embedded workspace (packages/core/workspace/workspace-rules.ts, packages/shared/workspace.ts), with
 * PostgreSQL transactions in place of the journal. Every statement filters on the caller's tenant.
 * A change locks its tenant's workspace row (`for update`), so operations on one tenant and
 * environment are serialised across every instance, and the unique (tenant, environment, sha256)
 * index is the last word on duplicates. The SQL itself is in workspace-rows.ts.
 */
import type { Environment, PfxInspection, SecretNotice } from '@certdesk/shared/contract';
import {
  certificateView,
  type Branch,
  type CertificateView,
  type HistoryEntry,
  type InstalledCertificate,
  type Link,
  type LinkResult,
  type ModuleDef,
  type SelectionItem,
  type WorkspaceStatus,
} from '@certdesk/shared/workspace';
import { CertdeskError } from '@certdesk/core/errors';
import { refuseRevokedEdit } from '@certdesk/core/workspace/revocation-check';
import { historyEntry, newCertificate, relinked, servesBranch, withBranchRenamed } from '@certdesk/core/workspace/certificate-records';
import { EXAMPLE_BRANCHES, EXAMPLE_MODULES } from '@certdesk/core/workspace/example-workspace';
import { checkInstallable, normalizeBranch, validateCatalogue } from '@certdesk/core/workspace/workspace-rules';
import type { TlsCredentials } from '@certdesk/core/pfx/tls-credentials';
import type { Caller } from './auth';
import type { Database } from './db/database';
import { ListCache, type ListAnswer, type ListChange } from './list-cache';
import { appendHistory, historyInsert, historyPage, readSecrets, type HistoryQuery } from './tenant-reads';
import { run, together } from './db/statement';
import type { Tenants } from './tenants';
import { cancelSwapsOf } from './swap-rows';
import {
  certificateRecords,
  certificatesServing,
  findCertificate,
  certificateInserts,
  certificateUpdate,
  listsLastStatement,
  lockWorkspace,
  refuseDuplicate,
  saveWorkspaceRow,
  updateCertificate,
  workspaceStatus,
  type LockedRow,
} from './workspace-rows';
import type { TenantTrust } from './tenant-trust';
import { UploadInspector } from './upload-inspector';

export type { HistoryQuery };

/** An install with its PFX already decoded (the HTTP body is read in a worker: installUpload). */
interface InstallRequest {
  fileName: string;
  pfx: Buffer;
  password: string | null;
  selection: SelectionItem[];
  manual?: boolean;
}

type InstallAnswer = { certificate: CertificateView; results: LinkResult[]; secretNotice?: SecretNotice };

export class TenantWorkspace {
  constructor(
    private readonly db: Database,
    private readonly tenants: Tenants,
    private readonly now: () => Date,
    readonly listCache = new ListCache(),
    /** Where uploads are opened: worker threads, never this thread (upload-inspector.ts). */
    private readonly inspector: Pick<UploadInspector, 'open' | 'openUpload' | 'tlsCredentials'> = new UploadInspector(),
    /** Chain and revocation at install, kept per certificate (tenant-trust.ts); absent: not checked. */
    private readonly trust: TenantTrust | null = null,
  ) {}

  /** After a commit: the list cache's answer follows the write by the rows it changed (none: catalogue only). Also after a swap's (tenant-swaps.ts). */
  written(c: Pick<Caller, 'tenantId'>, env: Environment, locked: LockedRow, change: ListChange): void {
    void this.listCache.written(c, env, locked.previous, locked.revision, change, this.now());
  }

  status(c: Caller, env: Environment): Promise<WorkspaceStatus> {
    return workspaceStatus(this.db, c, env);
  }

  async setup(c: Caller, env: Environment, request: { kind: 'example' } | { kind: 'guided'; branches: Branch[]; modules: ModuleDef[] }) {
    const branches = request.kind === 'example' ? EXAMPLE_BRANCHES : request.branches;
    const modules = request.kind === 'example' ? EXAMPLE_MODULES : request.modules;
    validateCatalogue(branches, modules);
    const locked = await this.db.transaction(async (tx) => {
      const row = await lockWorkspace(tx, c, env, false);
      await saveWorkspaceRow(tx, c, env, { setup: request.kind, branches: branches.map(normalizeBranch), modules });
      return row;
    });
    this.written(c, env, locked, {});
    return this.status(c, env);
  }

  /** Add or change a branch; renaming its code moves every certificate's links, with history (PRODUCT.md §2). */
  async saveBranch(c: Caller, env: Environment, branch: Branch, previousCode: string): Promise<WorkspaceStatus> {
    const [locked, replaced] = await this.db.transaction(async (tx) => {
      const doc = await lockWorkspace(tx, c, env, true);
      // A client older than 1.5 does not send the state: the one stored stays (a minor version keeps old clients whole).
      const uf = branch.uf === undefined ? (doc.branches.find((b) => b.code === previousCode)?.uf ?? null) : branch.uf;
      const saved = normalizeBranch({ ...branch, uf });
      const branches = [...doc.branches.filter((b) => b.code !== previousCode), saved].sort((a, b) => a.code.localeCompare(b.code));
      validateCatalogue(branches, doc.modules);
      await saveWorkspaceRow(tx, c, env, { setup: doc.setup, branches, modules: doc.modules });
      const moved: InstalledCertificate[] = [];
      const from = previousCode;
      if (from === saved.code || !doc.branches.some((b) => b.code === from)) return [doc, moved] as const;
      const at = this.now();
      for (const cert of await certificateRecords(tx, c, env)) {
        if (!servesBranch(cert, from)) continue;
        const after = withBranchRenamed(cert, from, saved.code, at);
        moved.push(after);
        await updateCertificate(tx, c, after);
        await appendHistory(
          tx,
          c,
          this.entry(c, env, 'edit', cert, { before: cert.links, after: after.links, renamedBranch: { from, to: saved.code } }),
        );
      }
      return [doc, moved] as const;
    });
    this.written(c, env, locked, { replaced });
    return this.status(c, env);
  }

  async deleteBranch(c: Caller, env: Environment, code: string): Promise<WorkspaceStatus> {
    const locked = await this.db.transaction(async (tx) => {
      const doc = await lockWorkspace(tx, c, env, true);
      const serving = await certificatesServing(tx, c, env, code);
      if (serving)
        throw new CertdeskError(
          'INVALID_DATA',
          `A filial ${code} ainda é atendida por ${serving} certificado(s): edite-os antes de excluí-la.`,
        );
      await saveWorkspaceRow(tx, c, env, { ...doc, branches: doc.branches.filter((b) => b.code !== code) });
      return doc;
    });
    this.written(c, env, locked, {});
    return this.status(c, env);
  }

  async saveModules(c: Caller, env: Environment, modules: ModuleDef[]): Promise<WorkspaceStatus> {
    const locked = await this.db.transaction(async (tx) => {
      const doc = await lockWorkspace(tx, c, env, true);
      validateCatalogue(doc.branches, modules);
      await saveWorkspaceRow(tx, c, env, { ...doc, modules });
      return doc;
    });
    this.written(c, env, locked, {});
    return this.status(c, env);
  }

  async list(c: Caller, env: Environment): Promise<CertificateView[]> {
    const now = this.now();
    return (await certificateRecords(this.db, c, env)).map((r) => certificateView(r, now));
  }

  /**
   * The list's rows as JSON text and its gzip form, for the HTTP answer, from the list cache
   * (list-cache.ts). `revision`: the workspace's, read with the session (absent: read here).
   */
  listAnswer(c: Caller, env: Environment, revision?: number | null): Promise<ListAnswer> {
    return this.listCache.answer(this.db, c, env, this.now(), revision);
  }

  /** The service's clock (the list's If-None-Match is checked at this moment). */
  clock(): Date {
    return this.now();
  }

  history(c: Caller, env: Environment, query: HistoryQuery): Promise<{ entries: HistoryEntry[]; more: boolean }> {
    return historyPage(this.db, c, env, query);
  }

  async get(c: Caller, env: Environment, id: string): Promise<CertificateView> {
    const view = certificateView(await findCertificate(this.db, c, env, id), this.now());
    const trust = await this.trust?.report(this.db, c.tenantId, id);
    return trust === undefined ? view : { ...view, trust };
  }

  private entry(
    c: Caller,
    env: Environment,
    action: HistoryEntry['action'],
    cert: InstalledCertificate,
    extra: Partial<HistoryEntry>,
  ): HistoryEntry {
    return historyEntry(authorOf(c), this.now(), env, action, cert, extra);
  }

  /** An install as it arrives over HTTP: the raw body, read and its PFX opened in a worker (upload-inspector.ts). */
  async installUpload(c: Caller, env: Environment, body: Buffer): Promise<InstallAnswer> {
    const { upload, inspection, certificates } = await this.inspector.openUpload(c.tenantId, 'installCertificate', body, this.now());
    const fields = upload.fields as { selection: SelectionItem[]; manual?: boolean };
    const request: InstallRequest = {
      ...upload,
      selection: fields.selection,
      ...(fields.manual !== undefined ? { manual: fields.manual } : {}),
    };
    return this.installOpened(c, env, request, inspection, certificates);
  }

  async install(c: Caller, env: Environment, request: InstallRequest): Promise<InstallAnswer> {
    const { inspection, certificates } = await this.inspector.open(c.tenantId, request.pfx, request.fileName, request.password, this.now());
    return this.installOpened(c, env, request, inspection, certificates);
  }

  /** Opened (in a worker) and checked before the transaction: a slow file or network does not hold the tenant's lock. */
  private async installOpened(
    c: Caller,
    env: Environment,
    request: InstallRequest,
    inspection: PfxInspection,
    certificates: Buffer[],
  ): Promise<InstallAnswer> {
    checkInstallable(inspection);
    const check = this.trust ? await this.trust.atInstall(c.tenantId, certificates) : null; // refuses a revoked one
    const summary = inspection.certificate;
    if (!summary) throw new CertdeskError('CORRUPT', 'O arquivo não contém um certificado: nada a instalar.');
    const sha256 = summary.fingerprints.sha256;
    const dek = await this.tenants.dek(c.tenantId);
    try {
      const [locked, last, answer] = await this.db.transaction(async (tx) => {
        const doc = await lockWorkspace(tx, c, env, true, sha256); // refuses a duplicate
        const { cert, results } = newCertificate({
          environment: env,
          inspection,
          fileName: request.fileName,
          selection: request.selection,
          manual: request.manual,
          catalogue: doc,
          user: authorOf(c),
          at: this.now(),
        });
        const entry = this.entry(c, env, 'install', cert, {
          selection: request.selection,
          results,
          ...(request.manual ? { manual: true } : {}),
        });
        // The row, its secrets, its history and its trust row: one statement, one round trip.
        const [order] = await run<{ last: boolean }>(
          tx,
          together(
            [
              ...certificateInserts(c, env, cert, sha256, { dek, pfx: request.pfx, password: request.password }),
              historyInsert(c, entry),
              ...(this.trust && check ? [this.trust.keepStatement(c.tenantId, env, cert.id, certificates, check)] : []),
            ],
            listsLastStatement(c, env),
          ),
        );
        const view = certificateView(cert, this.now());
        return [doc, order!.last, { certificate: check ? { ...view, trust: check.report } : view, results, cert }] as const;
      });
      if (last) this.written(c, env, locked, { appended: [answer.cert] });
      // The network's answer, if it came after the install: kept when it comes.
      if (this.trust && check?.later) this.trust.keepLater(c.tenantId, env, answer.certificate.id, check.later);
      return { certificate: answer.certificate, results: answer.results };
    } catch (error) {
      // The unique index caught a race: an install of the same file that waited for the lock read
      // the duplicate check's snapshot from before the first one committed. Answered as the duplicate.
      if ((error as { code?: string }).code === '23505') await refuseDuplicate(this.db, c, env, sha256);
      throw error;
    }
  }

  /** An installed certificate's key and chain for a SEFAZ check's mutual TLS, opened in a worker (never on this thread). */
  async tlsCredentials(c: Caller, id: string): Promise<TlsCredentials> {
    const { pfx, password } = await this.secrets(c, id);
    return this.inspector.tlsCredentials(c.tenantId, pfx, password, this.now());
  }

  /** The stored PFX and password of an installed certificate, decrypted (server-side use and tests). */
  secrets(c: Caller, id: string): Promise<{ pfx: Buffer; password: string | null }> {
    return readSecrets(this.db, this.tenants, c, id);
  }

  async edit(c: Caller, env: Environment, id: string, selection: SelectionItem[]) {
    const [locked, updated, results, current, trust] = await this.db.transaction(async (tx) => {
      const doc = await lockWorkspace(tx, c, env, true);
      const current = await findCertificate(tx, c, env, id);
      // Like an expired one, a revoked certificate can only be deleted.
      const trust = await this.trust?.report(tx, c.tenantId, id);
      refuseRevokedEdit(trust);
      const { updated, results } = relinked(current, selection, doc, this.now());
      const entry = this.entry(c, env, 'edit', current, { before: current.links, after: updated.links, results });
      await run(tx, together([certificateUpdate(c, updated), historyInsert(c, entry)])); // one round trip
      return [doc, updated, results, current, trust] as const;
    });
    this.written(c, env, locked, { replaced: [updated] });
    const view = certificateView(updated, this.now());
    return { certificate: trust === undefined ? view : { ...view, trust }, before: current.links, after: updated.links, results };
  }

  async remove(c: Caller, env: Environment, id: string): Promise<{ served: Link[] }> {
    const [locked, served] = await this.db.transaction(async (tx) => {
      const doc = await lockWorkspace(tx, c, env, false);
      const current = await findCertificate(tx, c, env, id);
      await tx.query('delete from certificates where tenant_id = $1 and id = $2', [c.tenantId, id]);
      // A swap waiting on this certificate can no longer run: cancelled with the deletion.
      await cancelSwapsOf(tx, c, env, id, authorOf(c), this.now());
      await appendHistory(tx, c, this.entry(c, env, 'delete', current, { served: current.links }));
      return [doc, current.links] as const;
    });
    this.written(c, env, locked, { removed: [id] });
    return { served };
  }
}

/** Who did it, as history and the details show it: the name and the login of the signed-in user. */
export function authorOf(c: Caller): string {
  return `${c.name} (${c.login})`;
}
