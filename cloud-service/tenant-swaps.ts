/**
 * "Substituir / Renovar" in CertDesk Cloud: each swap — now, scheduled, run when due, cancelled or
 * undone — is one transaction under the tenant's workspace lock (workspace-rows.ts `lockWorkspace`), with
 * the same record changes as the embedded workspace (packages/core/workspace/swap-records.ts). A due
 * swap is run by whichever instance's job gets its row: the workspace lock first, then the swap row
 * `for update skip locked` and still pending, so it runs exactly once; its warning is claimed in the
 * same transaction, so it is sent exactly once too. After each commit the list cache's kept answer
 * follows the rows the swap changed, as after an install or edit (tenant-workspace.ts `written`).
 */
import type { Environment, PfxInspection, SecretNotice } from '@certdesk/shared/contract';
import type { CertificateSwap } from '@certdesk/shared/certificate-swap';
import { swapWarning, composeWarning, type DueWarning } from '@certdesk/shared/warning-events';
import type { WarningSettings } from '@certdesk/shared/warning-settings';
import { certificateView, type CertificateView, type InstalledCertificate } from '@certdesk/shared/workspace';
import { CertdeskError, logAndContinue } from '@certdesk/core/errors';
import { newCertificate } from '@certdesk/core/workspace/certificate-records';
import {
  applySwap,
  checkSwappable,
  detachedFrom,
  newSwap,
  refuseSwap,
  swapBlocker,
  swapEntry,
  swapMoment,
  undoSwap,
} from '@certdesk/core/workspace/swap-records';
import { targetsOf } from '@certdesk/core/warnings/warning-dispatch';
import { swapFacts } from '@certdesk/core/warnings/warnable';
import type { Caller } from './auth';
import type { Database, Queryable } from './db/database';
import type { ListChange } from './list-cache';
import { appendHistory } from './tenant-reads';
import { authorOf, type TenantWorkspace } from './tenant-workspace';
import { run, together } from './db/statement';
import { certificateInserts, listsLastStatement, lockWorkspace, updateCertificate, type LockedRow } from './workspace-rows';
import type { Tenants } from './tenants';
import type { TenantTrust } from './tenant-trust';
import type { UploadInspector } from './upload-inspector';
import { recordOf, saveSwap } from './swap-rows';
import { claimIn } from './warnings/tenant-warning-store';

/** Due swaps one job run takes at most (the rest wait for the next run). */
export const SWAPS_PER_RUN = 500;

type Tenant = Pick<Caller, 'tenantId'> & { userId: string | null };

interface SwapRequest {
  fileName: string;
  pfx: Buffer;
  password: string | null;
  scheduledFor?: string | null;
}
type SwapAnswer = { swap: CertificateSwap; certificate: CertificateView; secretNotice?: SecretNotice };

export class TenantSwaps {
  constructor(
    private readonly db: Database,
    private readonly tenants: Tenants,
    private readonly workspace: TenantWorkspace,
    private readonly now: () => Date,
    /** The same worker pool as installs (upload-inspector.ts): the new file is never opened on this thread. */
    private readonly inspector: Pick<UploadInspector, 'open' | 'openUpload'>,
    /** Chain and revocation, as at install (tenant-trust.ts): a revoked certificate takes no links; absent: not checked. */
    private readonly trust: TenantTrust | null = null,
  ) {}

  /** A swap as it arrives over HTTP: the raw body, read and its PFX opened in a worker (upload-inspector.ts). */
  async swapUpload(c: Caller, env: Environment, id: string, body: Buffer): Promise<SwapAnswer> {
    const { upload, inspection, certificates } = await this.inspector.openUpload(c.tenantId, 'swapCertificate', body, this.now());
    const scheduledFor = (upload.fields as { scheduledFor?: string | null }).scheduledFor;
    return this.swapOpened(c, env, id, { ...upload, scheduledFor }, inspection, certificates);
  }

  async swap(c: Caller, env: Environment, id: string, request: SwapRequest): Promise<SwapAnswer> {
    const { inspection, certificates } = await this.inspector.open(c.tenantId, request.pfx, request.fileName, request.password, this.now());
    return this.swapOpened(c, env, id, request, inspection, certificates);
  }

  /** Opened before the transaction (a slow file does not hold the tenant's lock), in a worker; judged at the swap's moment. */
  private async swapOpened(
    c: Caller,
    env: Environment,
    id: string,
    request: SwapRequest,
    inspection: PfxInspection,
    certificates: Buffer[],
  ): Promise<SwapAnswer> {
    const scheduled = swapMoment(request.scheduledFor, this.now());
    checkSwappable(inspection, scheduled ?? this.now());
    // Checked like an install, before the transaction (a slow network holds no lock); refuses a revoked one.
    const check = this.trust ? await this.trust.atInstall(c.tenantId, certificates) : null;
    const dek = await this.tenants.dek(c.tenantId);
    const sha256 = inspection.certificate.fingerprints.sha256;
    const [doc, change, answer, added] = await this.db.transaction(async (tx) => {
      const doc = await lockWorkspace(tx, c, env, true);
      const now = this.now();
      const from = await recordOf(tx, c, env, id);
      if (!from) throw new CertdeskError('NOT_FOUND', 'Certificado não encontrado neste ambiente (pode ter sido excluído).');
      const [pending] = await tx.query(
        `select 1 from certificate_swaps where tenant_id = $1 and environment = $2 and from_id = $3 and state = 'pending'`,
        [c.tenantId, env, id],
      );
      const [existing] = await tx.query<{ record: InstalledCertificate }>(
        'select record from certificates where tenant_id = $1 and environment = $2 and sha256 = $3',
        [c.tenantId, env, sha256],
      );
      const to =
        existing?.record ??
        newCertificate({
          environment: env,
          inspection,
          fileName: request.fileName,
          selection: [],
          catalogue: doc,
          user: authorOf(c),
          at: now,
        }).cert;
      refuseSwap(from, to, !!pending);
      if (to.replacedBy)
        throw new CertdeskError('SWAP_REFUSED', 'O novo certificado já foi substituído por outro neste ambiente.', {
          reason: 'ALREADY_REPLACED',
        });
      // A new certificate's row, secrets and trust row in one statement, which also says whether it is the list's last row.
      const [inserted] = existing
        ? []
        : await run<{ last: boolean }>(
            tx,
            together(
              [
                ...certificateInserts(c, env, to, sha256, { dek, pfx: request.pfx, password: request.password }),
                ...(this.trust && check ? [this.trust.keepStatement(c.tenantId, env, to.id, certificates, check)] : []),
              ],
              listsLastStatement(c, env),
            ),
          );
      let swap = newSwap({ environment: env, from, to, scheduledFor: scheduled, user: authorOf(c), at: now });
      let result = to;
      const replaced: InstalledCertificate[] = [];
      if (!scheduled) {
        const applied = applySwap(swap, from, to, doc, now);
        await updateCertificate(tx, c, applied.from);
        await updateCertificate(tx, c, applied.to);
        swap = applied.swap;
        result = applied.to;
        replaced.push(applied.from);
      }
      // A new certificate is appended to the list when it is its last row; otherwise (the clock
      // stepped back) no change is told and the next request rebuilds the answer.
      let change: ListChange | null = { replaced };
      if (inserted) change = inserted.last ? { replaced, appended: [result] } : null;
      else if (!scheduled) replaced.push(result);
      await tx.query(
        `insert into certificate_swaps (id, tenant_id, environment, from_id, to_id, state, scheduled_for, record) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [swap.id, c.tenantId, env, from.id, to.id, swap.state, swap.scheduledFor, JSON.stringify(swap)],
      );
      await appendHistory(tx, c, swapEntry(authorOf(c), now, swap, from, scheduled ? 'scheduled' : 'done'));
      const view = certificateView(result, now);
      return [doc, change, { swap, certificate: check ? { ...view, trust: check.report } : view }, !existing] as const;
    });
    if (change) this.workspace.written(c, env, doc, change);
    // The network's answer, if it came after: kept for a certificate this swap added (an installed one has its own).
    if (added && this.trust && check?.later) this.trust.keepLater(c.tenantId, env, answer.certificate.id, check.later);
    return answer;
  }

  /** Pending swaps (soonest first), then the last ended ones (newest first). */
  async list(c: Caller, env: Environment): Promise<CertificateSwap[]> {
    const rows = await this.db.query<{ record: CertificateSwap }>(
      `select record from certificate_swaps where tenant_id = $1 and environment = $2
        order by (state = 'pending') desc, case when state = 'pending' then scheduled_for end, created_at desc limit 250`,
      [c.tenantId, env],
    );
    return rows.map((r) => r.record);
  }

  private async lockedSwap(tx: Queryable, c: Tenant, env: Environment, swapId: string): Promise<CertificateSwap> {
    const [row] = await tx.query<{ record: CertificateSwap }>(
      'select record from certificate_swaps where tenant_id = $1 and environment = $2 and id = $3 for update',
      [c.tenantId, env, swapId],
    );
    if (!row) throw new CertdeskError('NOT_FOUND', 'Substituição não encontrada neste ambiente.');
    return row.record;
  }

  async cancel(c: Caller, env: Environment, swapId: string): Promise<CertificateSwap> {
    const [doc, ended] = await this.db.transaction(async (tx) => {
      const doc = await lockWorkspace(tx, c, env, true);
      const swap = await this.lockedSwap(tx, c, env, swapId);
      if (swap.state !== 'pending')
        throw new CertdeskError('SWAP_REFUSED', 'Esta substituição já foi feita ou encerrada: não há o que cancelar.', {
          reason: 'NOT_PENDING',
        });
      const now = this.now();
      const ended: CertificateSwap = { ...swap, state: 'cancelled', endedBy: authorOf(c), endedAt: now.toISOString() };
      await saveSwap(tx, c, ended);
      const from = (await recordOf(tx, c, env, swap.from.id)) ?? detachedFrom(swap);
      await appendHistory(tx, c, swapEntry(authorOf(c), now, ended, from, 'cancelled'));
      return [doc, ended] as const;
    });
    this.workspace.written(c, env, doc, {}); // no row changes: only the revision moves
    return ended;
  }

  async undo(c: Caller, env: Environment, swapId: string): Promise<CertificateSwap> {
    const [doc, undone] = await this.db.transaction(async (tx) => {
      const doc = await lockWorkspace(tx, c, env, true);
      const swap = await this.lockedSwap(tx, c, env, swapId);
      const now = this.now();
      const undone = undoSwap(swap, await recordOf(tx, c, env, swap.from.id), await recordOf(tx, c, env, swap.to.id), authorOf(c), now);
      await updateCertificate(tx, c, undone.from);
      if (undone.to) await updateCertificate(tx, c, undone.to);
      await saveSwap(tx, c, undone.swap);
      await appendHistory(tx, c, swapEntry(authorOf(c), now, undone.swap, undone.from, 'undone'));
      return [doc, undone] as const;
    });
    this.workspace.written(c, env, doc, { replaced: undone.to ? [undone.from, undone.to] : [undone.from] });
    return undone.swap;
  }

  /**
   * The job's step: runs every swap due at `now`, each in its own transaction; a swap another
   * instance is running (row locked) or already ran (no longer pending) is skipped. Answers how many ran here.
   */
  async runDue(now: Date): Promise<{ ran: CertificateSwap[] }> {
    const due = await this.db.query<{ id: string; tenant_id: string; environment: Environment }>(
      `select id, tenant_id, environment from certificate_swaps where state = 'pending' and scheduled_for <= $1 order by scheduled_for limit $2`,
      [now, SWAPS_PER_RUN],
    );
    const ran: CertificateSwap[] = [];
    for (const row of due) {
      // One swap that cannot run (a broken record, a lost connection) is logged and stays pending for
      // the next run; it must not stop the swaps of other tenants queued after it.
      const c = { tenantId: row.tenant_id, userId: null };
      const done = await this.db
        .transaction((tx) => this.runOne(tx, c, row.environment, row.id, now))
        .catch(logAndContinue('a scheduled certificate swap', null));
      if (!done) continue;
      this.workspace.written(c, row.environment, done.locked, done.change);
      ran.push(done.ended);
    }
    return { ran };
  }

  private async runOne(
    tx: Queryable,
    c: Tenant,
    env: Environment,
    swapId: string,
    now: Date,
  ): Promise<{ ended: CertificateSwap; locked: LockedRow; change: ListChange } | null> {
    // The workspace first, as every change takes it (no lock order to deadlock on), then the swap row.
    const doc = await lockWorkspace(tx, c, env, false);
    const [row] = await tx.query<{ record: CertificateSwap }>(
      `select record from certificate_swaps where tenant_id = $1 and id = $2 and state = 'pending' for update skip locked`,
      [c.tenantId, swapId],
    );
    if (!row) return null;
    const swap = row.record;
    const from = await recordOf(tx, c, env, swap.from.id);
    const to = await recordOf(tx, c, env, swap.to.id);
    const revoked = to && this.trust ? (await this.trust.report(tx, c.tenantId, to.id))?.revocation.status === 'revoked' : false;
    const blocker = swapBlocker(from, to, now) ?? (revoked ? 'o novo certificado foi revogado.' : null);
    let ended: CertificateSwap;
    let change: ListChange = {};
    if (blocker) {
      ended = {
        ...swap,
        state: 'failed',
        ranAt: now.toISOString(),
        failure: { code: 'SWAP_BLOCKED', message: `Não foi possível substituir: ${blocker}` },
      };
      await saveSwap(tx, c, ended);
      await appendHistory(tx, c, swapEntry(swap.createdBy, now, ended, from ?? detachedFrom(swap), 'failed', ended.failure!.message));
    } else {
      const applied = applySwap(swap, from!, to!, doc, now);
      await updateCertificate(tx, c, applied.from);
      await updateCertificate(tx, c, applied.to);
      ended = applied.swap;
      change = { replaced: [applied.from, applied.to] };
      await saveSwap(tx, c, ended);
      await appendHistory(tx, c, swapEntry(swap.createdBy, now, ended, from!, 'done'));
    }
    // Its warning is claimed with the commit that ran it: sent once, whichever instance ran it.
    const [settings] = await tx.query<{ settings: WarningSettings }>('select settings from warning_settings where tenant_id = $1', [
      c.tenantId,
    ]);
    const targets = settings ? targetsOf(settings.settings) : [];
    if (targets.length) {
      const warning: DueWarning = swapWarning(env, swapFacts(ended, from?.links ?? [], doc), ended.state === 'done' ? 'done' : 'failed');
      await claimIn(tx, c.tenantId, warning, composeWarning(warning, now), targets, now);
    }
    return { ended, locked: doc, change };
  }

  /** Certificates with a pending swap (from id → when), for the expiry warnings' text. */
  async pendingFrom(tenantId: string): Promise<Map<string, string>> {
    const rows = await this.db.query<{ from_id: string; scheduled_for: Date }>(
      `select from_id, scheduled_for from certificate_swaps where tenant_id = $1 and state = 'pending' and scheduled_for is not null`,
      [tenantId],
    );
    return new Map(rows.map((r) => [r.from_id, new Date(r.scheduled_for).toISOString()]));
  }
}
