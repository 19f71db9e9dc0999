/**
 * SEFAZ checks on CertDesk Cloud: the service holds each certificate's file and password (encrypted
 * under the tenant's key), so it makes the check itself and keeps the result per tenant in
 * `sefaz_checks` (migration 003). Answers within three minutes are reused from what is stored, so a
 * repeat is answered with its time whichever instance gets it. Budgets: 2 checks at a time per
 * tenant with 20 more waiting (then BUSY, 429), 16 at a time per instance; each check's calls have
 * the client's own limits (10 s to connect, 20 s to answer, 256 KB).
 */
import type { Environment } from '@certdesk/shared/environment';
import type { SefazCertificateCheck, SefazCheckSummary } from '@certdesk/shared/sefaz-checks';
import { SefazCheckPlanner } from '@certdesk/core/sefaz/check-planner';
import { checkInstalledCertificate } from '@certdesk/core/sefaz/installed-certificate-check';
import type { ProxyOption } from '@certdesk/core/sefaz/proxy';
import { SefazStatusClient } from '@certdesk/core/sefaz/status-client';
import type { ConnectOverride } from '@certdesk/core/sefaz/transport';
import type { Caller } from '../auth';
import type { Database } from '../db/database';
import type { TenantWorkspace } from '../tenant-workspace';
import { Gate } from './check-gate';
import { openCheckCredentials } from './open-credentials';

export interface CloudSefazOptions {
  /** Default: the server's HTTPS_PROXY / NO_PROXY. */
  proxy?: ProxyOption;
  /**
   * Tests only (the suite's own entry): send the checks to the SEFAZ stand-in and trust its root.
   * The production server never sets them.
   */
  connectOverride?: ConnectOverride;
  extraTrustAnchors?: readonly string[];
  perTenant?: number;
  waitingPerTenant?: number;
  perInstance?: number;
}

/** Planners kept in memory (each tenant's calls under way are shared; kept answers also live in the database). */
const MAX_PLANNERS = 200;
const KEPT_PER_TENANT = 500;

export class TenantSefazChecks {
  private readonly client: SefazStatusClient;
  private readonly planners = new Map<string, SefazCheckPlanner>();
  private readonly tenantGates = new Map<string, Gate>();
  private readonly instanceGate: Gate;

  constructor(
    private readonly db: Database,
    private readonly workspace: TenantWorkspace,
    private readonly now: () => Date,
    private readonly options: CloudSefazOptions = {},
  ) {
    this.client = new SefazStatusClient({
      proxy: options.proxy,
      now,
      connectOverride: options.connectOverride,
      extraTrustAnchors: options.extraTrustAnchors,
    });
    this.instanceGate = new Gate(options.perInstance ?? 16);
  }

  private planner(tenantId: string): SefazCheckPlanner {
    let planner = this.planners.get(tenantId);
    if (planner)
      this.planners.delete(tenantId); // re-inserted below: the map's order is recency
    else planner = new SefazCheckPlanner(this.client, { now: () => this.now().getTime(), maxKept: KEPT_PER_TENANT });
    this.planners.set(tenantId, planner);
    if (this.planners.size > MAX_PLANNERS) this.planners.delete(this.planners.keys().next().value!);
    return planner;
  }

  private gate(tenantId: string): Gate {
    let gate = this.tenantGates.get(tenantId);
    if (!gate) this.tenantGates.set(tenantId, (gate = new Gate(this.options.perTenant ?? 2, this.options.waitingPerTenant ?? 20)));
    return gate;
  }

  async check(c: Caller, env: Environment, id: string): Promise<SefazCertificateCheck> {
    const gate = this.gate(c.tenantId);
    try {
      return await gate.run(() => this.instanceGate.run(() => this.run(c, env, id)));
    } finally {
      if (gate.idle) this.tenantGates.delete(c.tenantId);
    }
  }

  private async run(c: Caller, env: Environment, id: string): Promise<SefazCertificateCheck> {
    const [status, certificate, earlier] = await Promise.all([
      this.workspace.status(c, env),
      this.workspace.get(c, env, id),
      this.stored(c, env, id),
    ]);
    const check = await checkInstalledCertificate({
      planner: this.planner(c.tenantId),
      certificate: { id, fingerprint: certificate.certificate.fingerprints.sha256, links: certificate.links },
      branches: status.branches,
      environment: env,
      earlier,
      now: this.now,
      credentials: async () => {
        const { pfx, password } = await this.workspace.secrets(c, id);
        return openCheckCredentials(pfx, password, this.now());
      },
    });
    // Kept only while the certificate exists (deleted meanwhile: the answer goes to the caller alone).
    await this.db.query(
      `insert into sefaz_checks (certificate_id, tenant_id, environment, summary, result, checked_at)
       select $1, $2, $3, $4, $5, $6 where exists (select 1 from certificates where id = $1 and tenant_id = $2 and environment = $3)
       on conflict (certificate_id) do update set summary = excluded.summary, result = excluded.result, checked_at = excluded.checked_at`,
      [id, c.tenantId, env, JSON.stringify(check.summary), JSON.stringify(check), check.summary.checkedAt],
    );
    return check;
  }

  private async stored(c: Caller, env: Environment, id: string): Promise<SefazCertificateCheck | null> {
    const [row] = await this.db.query<{ result: SefazCertificateCheck }>(
      'select result from sefaz_checks where tenant_id = $1 and environment = $2 and certificate_id = $3',
      [c.tenantId, env, id],
    );
    return row?.result ?? null;
  }

  /** The certificate's last check; NOT_FOUND for a certificate the tenant does not have. */
  async last(c: Caller, env: Environment, id: string): Promise<SefazCertificateCheck | null> {
    const stored = await this.stored(c, env, id);
    if (!stored) await this.workspace.get(c, env, id);
    return stored;
  }

  async summaries(c: Caller, env: Environment): Promise<SefazCheckSummary[]> {
    const rows = await this.db.query<{ summary: SefazCheckSummary }>(
      'select summary from sefaz_checks where tenant_id = $1 and environment = $2 order by checked_at',
      [c.tenantId, env],
    );
    return rows.map((r) => r.summary);
  }

  /** Forget the answers kept in memory (the database's stay): the test suite's reset between tests. */
  forgetKept(): void {
    this.planners.clear();
  }
}
