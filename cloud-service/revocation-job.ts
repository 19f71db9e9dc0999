/**
 * The background revocation recheck of CertDesk Cloud: every instance runs it, none duplicates
 * another's work. A turn claims due rows of certificate_trust (their nextCheckAt passed) by setting
 * `claimed_until` in one UPDATE whose WHERE is checked again on each row it locks — under
 * READ COMMITTED a row another instance claimed a moment earlier no longer matches and is skipped —
 * then checks them outside any transaction and keeps each answer (tenant-trust.ts), which releases
 * the claim. An instance that dies mid-turn leaves claims that lapse after LEASE_MS.
 *
 * Fairness: a claim takes at most `perTenant` rows of each tenant, ordered round-robin (each
 * tenant's first due row, then each one's second…), so a tenant with thousands of certificates due
 * (or whose CRL addresses answer slowly, each within the engine's budgets) does not hold back the
 * others' turn. The job checks at most `concurrency` certificates at once — fewer than the trust
 * engine's own limit (trust-service.ts) — so the checks at install, of any tenant, always find a
 * free place and never queue behind the background work. Rows installed before the checks existed have no certificates
 * kept: they are read once from the stored PFX, in the PFX worker pool (upload-inspector.ts, the one opener).
 */
import type { Environment } from '@certdesk/shared/contract';
import { errorKind } from '@certdesk/core/errors';
import { recheckOptions } from '@certdesk/core/workspace/revocation-check';
import type { Database } from './db/database';
import { readSecrets } from './tenant-reads';
import type { TenantTrust } from './tenant-trust';
import type { Tenants } from './tenants';
import type { UploadInspector } from './upload-inspector';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface RevocationJobOptions {
  /** Time between turns (default a minute; a little random spread so instances do not meet). */
  intervalMs?: number;
  /** Rows of one tenant per claim (default 5). */
  perTenant?: number;
  /** Rows per claim (default 50). */
  batch?: number;
  /** How long a claim holds (default 10 min: above the engine's worst case for one certificate). */
  leaseMs?: number;
  /** Claims per turn at most (default 20): a turn ends, and the next one starts fresh. */
  claimsPerTurn?: number;
  /** Certificates checked at once (default 3; the engine checks 8 at once, the rest is left to installs). */
  concurrency?: number;
  log?: (line: string) => void;
  /** Each certificate this instance checks (tests: two instances never check the same one). */
  onChecked?: (certificateId: string) => void;
}

interface ClaimedRow {
  id: string;
  tenantId: string;
  environment: Environment;
  certificates: string[];
}

export class RevocationJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly trust: TenantTrust,
    private readonly tenants: Tenants,
    private readonly inspector: Pick<UploadInspector, 'open'>,
    private readonly now: () => Date,
    private readonly options: RevocationJobOptions = {},
  ) {}

  start(): void {
    const interval = this.options.intervalMs ?? MINUTE;
    const next = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.turn().finally(next), interval * (0.75 + Math.random() * 0.5));
      this.timer.unref();
    };
    next();
  }

  /** One turn now (or the one under way): claims and checks until nothing is due. Answers how many were checked. */
  turn(): Promise<number> {
    this.running ??= this.runTurn()
      .catch((error: unknown) => {
        this.options.log?.(`verificação de revogação: a rodada falhou (${errorKind(error)})`);
        return 0;
      })
      .finally(() => (this.running = null));
    return this.running;
  }

  private async runTurn(): Promise<number> {
    let checked = 0;
    for (let claims = 0; claims < (this.options.claimsPerTurn ?? 20) && !this.stopped; claims++) {
      const now = this.now();
      const rows = await this.claim(now);
      if (rows.length === 0) break;
      await this.checkAll(rows, now);
      checked += rows.length;
    }
    return checked;
  }

  private claim(now: Date): Promise<ClaimedRow[]> {
    return this.db.query<ClaimedRow>(
      `update certificate_trust t set claimed_until = $2
        where t.certificate_id in (
                select certificate_id from (
                  select certificate_id, next_check_at,
                         row_number() over (partition by tenant_id order by next_check_at, certificate_id) as n
                    from certificate_trust
                   where next_check_at <= $1 and (claimed_until is null or claimed_until <= $1)) due
                 where n <= $3 order by n, next_check_at limit $4)
          and t.next_check_at <= $1 and (t.claimed_until is null or t.claimed_until <= $1)
      returning t.certificate_id as id, t.tenant_id as "tenantId", t.environment, t.certificates`,
      [now, new Date(now.getTime() + (this.options.leaseMs ?? 10 * MINUTE)), this.options.perTenant ?? 5, this.options.batch ?? 50],
    );
  }

  /** The claimed rows, `concurrency` at a time, tenants taking turns (UPDATE … RETURNING keeps no order). */
  private async checkAll(claimed: ClaimedRow[], now: Date): Promise<void> {
    const byTenant = new Map<string, ClaimedRow[]>();
    for (const row of claimed) byTenant.set(row.tenantId, [...(byTenant.get(row.tenantId) ?? []), row]);
    const rows: ClaimedRow[] = [];
    for (let round = 0; rows.length < claimed.length; round++) for (const own of byTenant.values()) if (own[round]) rows.push(own[round]!);
    let next = 0;
    const lane = async () => {
      while (next < rows.length) await this.check(rows[next++]!, now);
    };
    await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency ?? 3) }, lane));
  }

  private async check(row: ClaimedRow, now: Date): Promise<void> {
    this.options.onChecked?.(row.id);
    let certificates: Buffer[] = row.certificates.map((b64) => Buffer.from(b64, 'base64'));
    let learned: Buffer[] | undefined;
    try {
      if (certificates.length === 0) {
        // Installed before the checks: the certificates come out of the stored file, once.
        const { pfx, password } = await readSecrets(this.db, this.tenants, { tenantId: row.tenantId }, row.id);
        certificates = learned = (await this.inspector.open(row.tenantId, pfx, 'certificado.pfx', password, now)).certificates;
      }
      const [leaf, ...others] = certificates;
      if (!leaf) throw new Error('sem certificado');
      const report = await this.trust.evaluator.evaluate(leaf, others, recheckOptions(now));
      await this.trust.save(row.tenantId, row.environment, row.id, { report, certificates: learned });
    } catch (error) {
      // Not checkable now (the stored file does not open, a key was rotated away…): try again tomorrow.
      this.options.log?.(`verificação de revogação: certificado ${row.id} não verificado (${errorKind(error)})`);
      await this.trust
        .save(row.tenantId, row.environment, row.id, { report: null, nextCheckAt: new Date(now.getTime() + DAY) })
        .catch(() => undefined); // the claim lapses on its own
    }
  }

  /** Stop turning; a turn under way stops after its current claim (its answers are kept whole). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
