/**
 * CertDesk Cloud's scheduled job, shared by every instance on one database: each run first runs the
 * swaps that are due (tenant-swaps.ts), then claims the warnings due for every tenant that has
 * somewhere to send them (expiries, scheduled swaps that ran or failed) and sends the deliveries due.
 * Claims are unique inserts and deliveries are taken with `skip locked` (tenant-warning-store.ts),
 * so instances running it at the same moment never send twice. Runs never overlap on an instance.
 * Budget per run: 2,000 certificates looked at, 500 swaps, DELIVERIES_PER_RUN deliveries.
 */
import type { Environment } from '@certdesk/shared/environment';
import { randomUUID } from 'node:crypto';
import { dueExpiryWarnings, revokedWarning, testWarning, type DueWarning, type RevocationFacts } from '@certdesk/shared/warning-events';
import type { Branch, InstalledCertificate, ModuleDef } from '@certdesk/shared/workspace';
import type { DeliveryLogEntry, WarningSettings } from '@certdesk/shared/warning-settings';
import {
  attemptDelivery,
  attemptEntry,
  claimWarnings,
  DELIVERIES_PER_RUN,
  type WarningSecrets,
} from '@certdesk/core/warnings/warning-dispatch';
import { warnable } from '@certdesk/core/warnings/warnable';
import { logAndContinue } from '@certdesk/core/errors';
import type { Database } from '../db/database';
import { settleDelivery, takeDueDeliveries, TenantWarningClaims, type TenantDelivery } from './tenant-warning-store';
import type { TenantWarningSettings } from './tenant-warning-settings';

export const CERTIFICATES_PER_RUN = 2_000;
/** Deliveries leased at once: 5 × the SMTP budget's worst case (40 s) is well inside LEASE_MINUTES (5). */
const DELIVERY_BATCH = 5;
/** Expiry warnings start this many days ahead (the widest threshold, plus the day it is crossed). */
const HORIZON_DAYS = 31;

export interface DueSwapRunner {
  /** Runs the swaps due at `now` (each claims its own warning in the transaction that runs it). */
  runDue(now: Date): Promise<unknown>;
  /** Certificates with a pending swap, per tenant and environment: the expiry warning says so. */
  pendingFrom(tenantId: string): Promise<Map<string, string>>;
}

interface CertificateRow {
  tenant_id: string;
  environment: Environment;
  record: InstalledCertificate;
  branches: Branch[];
  modules: ModuleDef[];
}

export class WarningJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Database,
    private readonly settings: TenantWarningSettings,
    private readonly now: () => Date,
    private readonly swaps: DueSwapRunner | null = null,
  ) {}

  /** Every `intervalMs` (0: never; tests call runOnce). */
  start(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => void this.runOnce().catch(logAndContinue('the scheduled warnings job', null)), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One run (never two at once on this instance: a second call waits for the first and runs again). */
  async runOnce(): Promise<{ claimed: DueWarning[]; attempts: DeliveryLogEntry[] }> {
    while (this.running) await this.running.catch(() => undefined);
    const run = this.run();
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = null;
    }
  }

  private async run(): Promise<{ claimed: DueWarning[]; attempts: DeliveryLogEntry[] }> {
    const now = this.now();
    if (this.swaps) await this.swaps.runDue(now).catch(logAndContinue('the due certificate swaps', null));
    const claimed: DueWarning[] = [];
    const tenants = await this.db.query<{ tenant_id: string; settings: WarningSettings }>(
      'select tenant_id, settings from warning_settings',
    );
    for (const { tenant_id: tenantId, settings } of tenants) {
      // One tenant whose warnings cannot be claimed now is logged and tried again next run; the others go on.
      const mine = await this.dueExpiries(tenantId, now)
        .then((due) => claimWarnings(new TenantWarningClaims(this.db, tenantId), due, settings, now))
        .catch(logAndContinue("a tenant's expiry warnings", [] as DueWarning[]));
      claimed.push(...mine);
    }
    return { claimed, attempts: await this.sendDue(now) };
  }

  private async dueExpiries(tenantId: string, now: Date): Promise<DueWarning[]> {
    const horizon = new Date(now.getTime() + HORIZON_DAYS * 86_400_000);
    const rows = await this.db.query<CertificateRow>(
      `select c.tenant_id, c.environment, c.record, w.branches, w.modules
         from certificates c join workspaces w on w.tenant_id = c.tenant_id and w.environment = c.environment
        where c.tenant_id = $1 and (c.record->'certificate'->>'notAfter')::timestamptz <= $2 and c.record->'replacedBy' is null
          and not exists (select 1 from warning_events e where e.tenant_id = c.tenant_id and e.environment = c.environment
                           and e.key = c.id::text || ':expired')
        order by (c.record->'certificate'->>'notAfter') limit $3`,
      [tenantId, horizon, CERTIFICATES_PER_RUN],
    );
    const pending = this.swaps ? await this.swaps.pendingFrom(tenantId) : new Map<string, string>();
    const due: DueWarning[] = [];
    for (const environment of ['producao', 'homologacao'] as const) {
      const mine = rows.filter((r) => r.environment === environment);
      due.push(
        ...dueExpiryWarnings(
          environment,
          mine.map((r) => warnable(r.record, r, pending.get(r.record.id) ?? null)),
          now,
        ),
      );
    }
    return due;
  }

  /** "Enviar teste" of a tenant: one test message to each of its recipients now; answers those attempts. */
  async test(tenantId: string, environment: Environment): Promise<DeliveryLogEntry[]> {
    const now = this.now();
    const due = testWarning(environment, now, randomUUID());
    const claimed = await claimWarnings(new TenantWarningClaims(this.db, tenantId), [due], await this.settings.settings(tenantId), now);
    if (!claimed.length) return [];
    return (await this.sendDue(now, tenantId)).filter((e) => e.event === 'test');
  }

  private async sendDue(now: Date, tenantId?: string): Promise<DeliveryLogEntry[]> {
    const entries: DeliveryLogEntry[] = [];
    const perTenant = new Map<string, { settings: WarningSettings; secrets: WarningSecrets }>();
    // Leased a few at a time: a batch's worst case (every SMTP timeout in full) stays inside the
    // lease, so no other instance takes a delivery this one is still sending.
    for (let taken = 0; taken < DELIVERIES_PER_RUN;) {
      const batch = await takeDueDeliveries(this.db, now, Math.min(DELIVERY_BATCH, DELIVERIES_PER_RUN - taken), tenantId);
      if (!batch.length) break;
      taken += batch.length;
      for (const delivery of batch) {
        // A tenant whose settings or secrets cannot be read now fails only its own deliveries: their
        // lease runs out and a later run takes them again.
        const entry = await this.deliver(delivery, perTenant, now).catch(logAndContinue('a warning delivery', null));
        if (entry) entries.push(entry);
      }
    }
    return entries;
  }

  private async deliver(
    delivery: TenantDelivery,
    perTenant: Map<string, { settings: WarningSettings; secrets: WarningSecrets }>,
    now: Date,
  ): Promise<DeliveryLogEntry> {
    let tenant = perTenant.get(delivery.tenantId);
    if (!tenant) {
      tenant = { settings: await this.settings.settings(delivery.tenantId), secrets: this.settings.secrets(delivery.tenantId) };
      perTenant.set(delivery.tenantId, tenant);
    }
    const entry = attemptEntry(delivery, await attemptDelivery(delivery, tenant.settings, tenant.secrets), now);
    await settleDelivery(this.db, delivery, entry);
    return entry;
  }

  /**
   * The revocation check found a tenant's certificate revoked: claim its warning (once) and send.
   * The trigger the revocation field's author wires (docs/ARCHITECTURE.md, "Warnings that reach people").
   */
  async certificateRevoked(tenantId: string, environment: Environment, certificateId: string, facts: RevocationFacts): Promise<boolean> {
    const [row] = await this.db.query<CertificateRow>(
      `select c.tenant_id, c.environment, c.record, w.branches, w.modules from certificates c
         join workspaces w on w.tenant_id = c.tenant_id and w.environment = c.environment
        where c.tenant_id = $1 and c.environment = $2 and c.id = $3`,
      [tenantId, environment, certificateId],
    );
    if (!row) return false;
    const due = revokedWarning(environment, warnable(row.record, row), facts);
    if (!due) return false;
    const claimed = await claimWarnings(
      new TenantWarningClaims(this.db, tenantId),
      [due],
      await this.settings.settings(tenantId),
      this.now(),
    );
    if (claimed.length) await this.sendDue(this.now());
    return claimed.length > 0;
  }
}
