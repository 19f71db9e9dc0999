/**
 * The management domain (docs/PRODUCT.md §2) for one tenant, over the database: the same pure rules
 * as the embedded workspace (electron/core/workspace/workspace-rules.ts, shared/workspace.ts), with
 * PostgreSQL transactions in place of the journal. Every statement filters on the caller's tenant.
 * A change locks its tenant's workspace row (`for update`), so operations on one tenant and
 * environment are serialised across every instance, and the unique (tenant, environment, sha256)
 * index is the last word on duplicates.
 */
import { randomUUID } from 'node:crypto';
import type { Environment, SecretNotice } from '#shared/contract';
import {
  certificateView,
  evaluateSelection,
  installedStatus,
  keptInspection,
  linksOf,
  storedSummary,
  type Branch,
  type CertificateView,
  type HistoryEntry,
  type InstalledCertificate,
  type Link,
  type LinkResult,
  type ModuleDef,
  type SelectionItem,
  type WorkspaceStatus,
} from '#shared/workspace';
import { CertdeskError } from '#core/errors';
import { inspectBytes } from '#core/pfx/inspect';
import { EXAMPLE_BRANCHES, EXAMPLE_MODULES } from '#core/workspace/example-workspace';
import { checkInstallable, normalizeBranch, validateCatalogue } from '#core/workspace/workspace-rules';
import type { Caller } from './auth';
import { open, seal } from './crypto';
import type { Database, Queryable } from './db/database';
import { appendHistory, historyPage, listJson, type HistoryQuery } from './tenant-reads';
import type { Tenants } from './tenants';

export type { HistoryQuery };

interface WorkspaceRow {
  setup: 'guided' | 'example' | null;
  branches: Branch[];
  modules: ModuleDef[];
}

const envName = (e: Environment) => (e === 'producao' ? 'Produção' : 'Homologação');
const secretContext = (tenantId: string, certificateId: string, kind: 'pfx' | 'password') => `${tenantId}:${certificateId}:${kind}`;

export class TenantWorkspace {
  constructor(
    private readonly db: Database,
    private readonly tenants: Tenants,
    private readonly now: () => Date,
  ) {}

  /** The tenant's workspace row, locked until the transaction ends (created empty on first use). */
  private async lock(tx: Queryable, c: Caller, env: Environment, ready: boolean): Promise<WorkspaceRow> {
    await tx.query('insert into workspaces (tenant_id, environment) values ($1, $2) on conflict do nothing', [c.tenantId, env]);
    const [row] = await tx.query<WorkspaceRow>(
      'select setup, branches, modules from workspaces where tenant_id = $1 and environment = $2 for update',
      [c.tenantId, env],
    );
    if (ready && !row!.setup)
      throw new CertdeskError('SETUP_REQUIRED', 'Configure as filiais e os módulos deste ambiente antes de instalar certificados.');
    return row!;
  }

  async status(c: Caller, env: Environment): Promise<WorkspaceStatus> {
    const [row] = await this.db.query<WorkspaceRow & { count: number }>(
      `select w.setup, w.branches, w.modules,
              (select count(*) from certificates where tenant_id = $1 and environment = $2) as count
         from (select 1) one left join workspaces w on w.tenant_id = $1 and w.environment = $2`,
      [c.tenantId, env],
    );
    const setup = row?.setup ?? null;
    return {
      environment: env,
      ready: setup !== null,
      setup,
      branches: row?.branches ?? [],
      modules: row?.modules ?? [],
      certificates: Number(row?.count ?? 0),
    };
  }

  async setup(c: Caller, env: Environment, request: { kind: 'example' } | { kind: 'guided'; branches: Branch[]; modules: ModuleDef[] }) {
    const branches = request.kind === 'example' ? EXAMPLE_BRANCHES : request.branches;
    const modules = request.kind === 'example' ? EXAMPLE_MODULES : request.modules;
    validateCatalogue(branches, modules);
    await this.db.transaction(async (tx) => {
      await this.lock(tx, c, env, false);
      await this.saveRow(tx, c, env, { setup: request.kind, branches: branches.map(normalizeBranch), modules });
    });
    return this.status(c, env);
  }

  private async saveRow(tx: Queryable, c: Caller, env: Environment, row: WorkspaceRow): Promise<void> {
    await tx.query('update workspaces set setup = $3, branches = $4, modules = $5 where tenant_id = $1 and environment = $2', [
      c.tenantId,
      env,
      row.setup,
      JSON.stringify(row.branches),
      JSON.stringify(row.modules),
    ]);
  }

  /** Add or change a branch; renaming its code moves every certificate's links, with history (PRODUCT.md §2). */
  async saveBranch(c: Caller, env: Environment, branch: Branch, previousCode: string): Promise<WorkspaceStatus> {
    await this.db.transaction(async (tx) => {
      const doc = await this.lock(tx, c, env, true);
      const saved = normalizeBranch(branch);
      const branches = [...doc.branches.filter((b) => b.code !== previousCode), saved].sort((a, b) => a.code.localeCompare(b.code));
      validateCatalogue(branches, doc.modules);
      await this.saveRow(tx, c, env, { ...doc, branches });
      const from = previousCode;
      if (from === saved.code || !doc.branches.some((b) => b.code === from)) return;
      const rename = <T extends Link>(l: T): T => (l.branch === from ? { ...l, branch: saved.code } : l);
      const at = this.now().toISOString();
      for (const cert of await this.records(tx, c, env)) {
        if (!cert.links.some((l) => l.branch === from) && !cert.lastResults.some((r) => r.branch === from)) continue;
        const after: InstalledCertificate = {
          ...cert,
          links: cert.links.map(rename),
          lastResults: cert.lastResults.map(rename),
          updatedAt: at,
        };
        await this.update(tx, c, after);
        await appendHistory(
          tx,
          c,
          this.entry(c, env, 'edit', cert, { before: cert.links, after: after.links, renamedBranch: { from, to: saved.code } }),
        );
      }
    });
    return this.status(c, env);
  }

  async deleteBranch(c: Caller, env: Environment, code: string): Promise<WorkspaceStatus> {
    await this.db.transaction(async (tx) => {
      const doc = await this.lock(tx, c, env, true);
      const [serving] = await tx.query<{ count: number }>(
        `select count(*) as count from certificates where tenant_id = $1 and environment = $2 and record->'links' @> $3::jsonb`,
        [c.tenantId, env, JSON.stringify([{ branch: code }])],
      );
      if (Number(serving!.count))
        throw new CertdeskError(
          'INVALID_DATA',
          `A filial ${code} ainda é atendida por ${serving!.count} certificado(s): edite-os antes de excluí-la.`,
        );
      await this.saveRow(tx, c, env, { ...doc, branches: doc.branches.filter((b) => b.code !== code) });
    });
    return this.status(c, env);
  }

  async saveModules(c: Caller, env: Environment, modules: ModuleDef[]): Promise<WorkspaceStatus> {
    await this.db.transaction(async (tx) => {
      const doc = await this.lock(tx, c, env, true);
      validateCatalogue(doc.branches, modules);
      await this.saveRow(tx, c, env, { ...doc, modules });
    });
    return this.status(c, env);
  }

  private async records(tx: Queryable, c: Caller, env: Environment): Promise<InstalledCertificate[]> {
    const rows = await tx.query<{ record: InstalledCertificate }>(
      'select record from certificates where tenant_id = $1 and environment = $2 order by created_at, id',
      [c.tenantId, env],
    );
    return rows.map((r) => r.record);
  }

  async list(c: Caller, env: Environment): Promise<CertificateView[]> {
    const now = this.now();
    return (await this.records(this.db, c, env)).map((r) => certificateView(r, now));
  }

  /** The list as JSON text for the HTTP answer (tenant-reads.ts); the same content as `list()`. */
  listJson(c: Caller, env: Environment): Promise<string> {
    return listJson(this.db, c, env, this.now());
  }

  history(c: Caller, env: Environment, query: HistoryQuery): Promise<{ entries: HistoryEntry[]; more: boolean }> {
    return historyPage(this.db, c, env, query);
  }

  private async find(tx: Queryable, c: Caller, env: Environment, id: string, forUpdate = false): Promise<InstalledCertificate> {
    const [row] = await tx.query<{ record: InstalledCertificate }>(
      `select record from certificates where tenant_id = $1 and environment = $2 and id = $3${forUpdate ? ' for update' : ''}`,
      [c.tenantId, env, id],
    );
    if (!row) throw new CertdeskError('NOT_FOUND', 'Certificado não encontrado neste ambiente (pode ter sido excluído).');
    return row.record;
  }

  async get(c: Caller, env: Environment, id: string): Promise<CertificateView> {
    return certificateView(await this.find(this.db, c, env, id), this.now());
  }

  private entry(
    c: Caller,
    env: Environment,
    action: HistoryEntry['action'],
    cert: InstalledCertificate,
    extra: Partial<HistoryEntry>,
  ): HistoryEntry {
    const s = cert.certificate;
    return {
      id: randomUUID(),
      at: this.now().toISOString(),
      user: authorOf(c),
      environment: env,
      action,
      certificate: { id: cert.id, sha256: s.fingerprints.sha256, holderName: s.holderName, cnpj: s.cnpj, cpf: s.cpf, notAfter: s.notAfter },
      ...extra,
    };
  }

  private async update(tx: Queryable, c: Caller, cert: InstalledCertificate): Promise<void> {
    await tx.query('update certificates set record = $3 where tenant_id = $1 and id = $2', [c.tenantId, cert.id, JSON.stringify(cert)]);
  }

  async install(
    c: Caller,
    env: Environment,
    request: { fileName: string; pfx: Buffer; password: string | null; selection: SelectionItem[]; manual?: boolean },
  ): Promise<{ certificate: CertificateView; results: LinkResult[]; secretNotice?: SecretNotice }> {
    // Opened before the transaction: a slow file does not hold the tenant's lock.
    const inspection = inspectBytes(request.pfx, request.fileName, { password: request.password, now: this.now() });
    checkInstallable(inspection);
    const summary = inspection.certificate;
    if (!summary) throw new CertdeskError('CORRUPT', 'O arquivo não contém um certificado: nada a instalar.');
    const sha256 = summary.fingerprints.sha256;
    const dek = await this.tenants.dek(c.tenantId);
    try {
      return await this.db.transaction(async (tx) => {
        const doc = await this.lock(tx, c, env, true);
        await this.refuseDuplicate(tx, c, env, sha256);
        const results = evaluateSelection(request.selection, summary, doc.branches, doc.modules);
        const at = this.now().toISOString();
        const cert: InstalledCertificate = {
          id: randomUUID(),
          environment: env,
          origin: request.manual ? 'manual' : 'certdesk',
          fileName: request.fileName,
          certificate: storedSummary(summary),
          inspection: keptInspection(inspection),
          links: linksOf(results),
          lastResults: results,
          installedAt: at,
          installedBy: authorOf(c),
          updatedAt: at,
        };
        await tx.query('insert into certificates (id, tenant_id, environment, sha256, record) values ($1, $2, $3, $4, $5)', [
          cert.id,
          c.tenantId,
          env,
          sha256,
          JSON.stringify(cert),
        ]);
        await tx.query('insert into certificate_secrets (certificate_id, tenant_id, pfx, password) values ($1, $2, $3, $4)', [
          cert.id,
          c.tenantId,
          seal(dek, request.pfx, secretContext(c.tenantId, cert.id, 'pfx')),
          request.password === null
            ? null
            : seal(dek, Buffer.from(request.password, 'utf8'), secretContext(c.tenantId, cert.id, 'password')),
        ]);
        await appendHistory(
          tx,
          c,
          this.entry(c, env, 'install', cert, { selection: request.selection, results, ...(request.manual ? { manual: true } : {}) }),
        );
        return { certificate: certificateView(cert, this.now()), results };
      });
    } catch (error) {
      // The unique index caught a race the lock did not (it should not happen; answer as a duplicate).
      if ((error as { code?: string }).code === '23505') await this.refuseDuplicate(this.db, c, env, sha256);
      throw error;
    }
  }

  private async refuseDuplicate(tx: Queryable, c: Caller, env: Environment, sha256: string): Promise<void> {
    const [existing] = await tx.query<{ id: string }>(
      'select id from certificates where tenant_id = $1 and environment = $2 and sha256 = $3',
      [c.tenantId, env, sha256],
    );
    if (existing)
      throw new CertdeskError('DUPLICATE_CERTIFICATE', `Este certificado já está instalado em ${envName(env)}: edite o existente.`, {
        existingId: existing.id,
      });
  }

  /** The stored PFX and password of an installed certificate, decrypted (server-side use and tests). */
  async secrets(c: Caller, id: string): Promise<{ pfx: Buffer; password: string | null }> {
    const [row] = await this.db.query<{ pfx: Buffer; password: Buffer | null }>(
      'select pfx, password from certificate_secrets where tenant_id = $1 and certificate_id = $2',
      [c.tenantId, id],
    );
    if (!row) throw new CertdeskError('NOT_FOUND', 'Certificado não encontrado.');
    const dek = await this.tenants.dek(c.tenantId);
    return {
      pfx: open(dek, Buffer.from(row.pfx), secretContext(c.tenantId, id, 'pfx')),
      password: row.password ? open(dek, Buffer.from(row.password), secretContext(c.tenantId, id, 'password')).toString('utf8') : null,
    };
  }

  async edit(c: Caller, env: Environment, id: string, selection: SelectionItem[]) {
    return this.db.transaction(async (tx) => {
      const doc = await this.lock(tx, c, env, true);
      const current = await this.find(tx, c, env, id);
      if (installedStatus(current, this.now()).status === 'expired')
        throw new CertdeskError('EXPIRED_DELETE_ONLY', 'Certificado expirado: a única ação permitida é a exclusão.');
      const results = evaluateSelection(selection, current.certificate, doc.branches, doc.modules);
      const updated: InstalledCertificate = {
        ...current,
        links: linksOf(results),
        lastResults: results,
        updatedAt: this.now().toISOString(),
      };
      await this.update(tx, c, updated);
      await appendHistory(tx, c, this.entry(c, env, 'edit', current, { before: current.links, after: updated.links, results }));
      return { certificate: certificateView(updated, this.now()), before: current.links, after: updated.links, results };
    });
  }

  async remove(c: Caller, env: Environment, id: string): Promise<{ served: Link[] }> {
    return this.db.transaction(async (tx) => {
      await this.lock(tx, c, env, false);
      const current = await this.find(tx, c, env, id);
      await tx.query('delete from certificates where tenant_id = $1 and id = $2', [c.tenantId, id]);
      await appendHistory(tx, c, this.entry(c, env, 'delete', current, { served: current.links }));
      return { served: current.links };
    });
  }
}

/** Who did it, as history and the details show it: the name and the login of the signed-in user. */
export function authorOf(c: Caller): string {
  return `${c.name} (${c.login})`;
}
