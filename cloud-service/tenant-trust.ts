/**
 * Each certificate's chain and revocation check in CertDesk Cloud (table certificate_trust,
 * migration 004), tenant-scoped like every other read and write: the check at install
 * (packages/core/workspace/revocation-check.ts, the same rules as the embedded workspace), the row
 * kept in the install's transaction, and the answers the revocation job (revocation-job.ts) or a
 * late network answer bring later. A change of "revoked" moves the workspace's revision, so every
 * instance's list cache shows the badge; other rechecks leave the lists alone.
 */
import type { Environment } from '@certdesk/shared/contract';
import type { TrustReport } from '@certdesk/shared/trust';
import { logAndContinue } from '@certdesk/core/errors';
import {
  certificatesToKeep,
  checkAtInstall,
  INSTALL_CHECK_WAIT_MS,
  refuseRevokedInstall,
  type InstallCheck,
  type TrustEvaluator,
} from '@certdesk/core/workspace/revocation-check';
import type { Database, Queryable } from './db/database';
import type { Statement } from './db/statement';

const base64 = (certificates: Buffer[]) => JSON.stringify(certificatesToKeep(certificates).map((der) => der.toString('base64')));

/** Network checks at install in flight per tenant (the engine runs 8 at once for the whole instance). */
const PER_TENANT_INSTALL_CHECKS = 2;

export class TenantTrust {
  /** Network checks at install in flight, by tenant. */
  private readonly installChecks = new Map<string, number>();

  constructor(
    private readonly db: Database,
    readonly evaluator: TrustEvaluator,
    private readonly now: () => Date,
    private readonly installWaitMs = INSTALL_CHECK_WAIT_MS,
  ) {}

  /**
   * The check at install, before the transaction (the network is not waited for under a lock);
   * refuses a revoked certificate. A tenant has at most PER_TENANT_INSTALL_CHECKS network checks in
   * flight: past that its installs answer from the cache at once and are left due for the job, so
   * a tenant installing many files at once never fills the engine's places another tenant needs.
   * An install whose check found no free network place within the wait does the same
   * (checkAtInstall).
   */
  async atInstall(tenantId: string, certificates: Buffer[]): Promise<InstallCheck> {
    let check: InstallCheck;
    const inFlight = this.installChecks.get(tenantId) ?? 0;
    if (inFlight >= PER_TENANT_INSTALL_CHECKS) {
      const [leaf, ...others] = certificates;
      const report = leaf ? await this.evaluator.evaluate(leaf, others, { online: false }).catch(() => null) : null;
      check = { report, later: null, unasked: true };
    } else {
      this.installChecks.set(tenantId, inFlight + 1);
      const done = () => {
        const left = (this.installChecks.get(tenantId) ?? 1) - 1;
        if (left > 0) this.installChecks.set(tenantId, left);
        else this.installChecks.delete(tenantId);
      };
      try {
        check = await checkAtInstall(this.evaluator, certificates, this.installWaitMs);
      } catch (error) {
        done();
        throw error;
      }
      if (check.later) void check.later.finally(done);
      else done();
    }
    refuseRevokedInstall(check.report);
    return check;
  }

  /**
   * In the install's transaction: the certificate's row — due now when nothing answered, or when
   * the network was never asked (`check.unasked`: the background recheck asks it). A statement, so
   * the install sends it with its other writes (db/statement.ts).
   */
  keepStatement(tenantId: string, env: Environment, id: string, certificates: Buffer[], check: InstallCheck): Statement {
    const { report } = check;
    return {
      text: `insert into certificate_trust (certificate_id, tenant_id, environment, certificates, report, next_check_at)
       values ($1, $2, $3, $4, $5, $6)`,
      values: [
        id,
        tenantId,
        env,
        base64(certificates),
        report === null ? null : JSON.stringify(report),
        (!check.unasked && report?.revocation.nextCheckAt) || this.now(),
      ],
    };
  }

  /** The network's answer that came after the install: kept when it comes (if the certificate is still there). */
  keepLater(tenantId: string, env: Environment, id: string, later: Promise<TrustReport | null>): void {
    void later
      .then((report) => report && this.save(tenantId, env, id, { report }))
      .catch(logAndContinue('keeping a late revocation answer', undefined));
  }

  /** The kept report of a certificate of the tenant (null: never checked; undefined: no row). */
  async report(q: Queryable, tenantId: string, id: string): Promise<TrustReport | null | undefined> {
    const [row] = await q.query<{ report: TrustReport | null }>(
      'select report from certificate_trust where tenant_id = $1 and certificate_id = $2',
      [tenantId, id],
    );
    return row ? row.report : undefined;
  }

  /**
   * Keep a check's outcome and release the row's claim. The workspace's row is locked first — the
   * order every write of the tenant takes (a delete cascades to this row under that lock) — and
   * its revision moves only when "revoked" changed, with the certificate's row marked changed at it
   * (list-cache.ts catches up by it). `report` null keeps the last one (a check that could not
   * run); `nextCheckAt` then says when to try again.
   */
  async save(
    tenantId: string,
    env: Environment,
    id: string,
    outcome: { report: TrustReport | null; certificates?: Buffer[]; nextCheckAt?: Date },
  ): Promise<{ revokedNow: boolean }> {
    return this.db.transaction(async (tx) => {
      await tx.query('select 1 from workspaces where tenant_id = $1 and environment = $2 for update', [tenantId, env]);
      const [row] = await tx.query<{ status: string | null }>(
        `select report->'revocation'->>'status' as status from certificate_trust
          where tenant_id = $1 and certificate_id = $2 for update`,
        [tenantId, id],
      );
      if (!row) return { revokedNow: false }; // deleted meanwhile
      const { report } = outcome;
      const next = outcome.nextCheckAt ?? (report ? new Date(report.revocation.nextCheckAt) : this.now());
      await tx.query(
        `update certificate_trust
            set report = coalesce($3, report), next_check_at = $4, claimed_until = null, certificates = coalesce($5, certificates)
          where tenant_id = $1 and certificate_id = $2`,
        [tenantId, id, report === null ? null : JSON.stringify(report), next, outcome.certificates ? base64(outcome.certificates) : null],
      );
      const wasRevoked = row.status === 'revoked';
      const isRevoked = report ? report.revocation.status === 'revoked' : wasRevoked;
      if (wasRevoked !== isRevoked) {
        await tx.query(`update workspaces set revision = nextval('workspace_revisions') where tenant_id = $1 and environment = $2`, [
          tenantId,
          env,
        ]);
        // The row's "revoked" is this certificate's change: other instances' lists catch up by it.
        await tx.query(
          `update certificates c set list_revision = w.revision from workspaces w
            where c.tenant_id = $1 and c.id = $3 and w.tenant_id = $1 and w.environment = $2`,
          [tenantId, env, id],
        );
      }
      return { revokedNow: isRevoked && !wasRevoked };
    });
  }
}
