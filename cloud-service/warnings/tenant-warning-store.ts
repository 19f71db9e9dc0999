/**
 * CertDesk Cloud's warnings in PostgreSQL, for every instance at once. A warning is claimed by a
 * unique insert into warning_events (tenant, environment, key) in the same transaction as its
 * deliveries; deliveries due are taken with `for update skip locked` and leased for five minutes, so
 * two instances running the job never send the same one (a lease that runs out — an instance
 * stopped mid-send — lets another try again). Every statement names its tenant except the job's.
 */
import { randomUUID } from 'node:crypto';
import type { Environment } from '@certdesk/shared/environment';
import type { DueWarning, WarningMessage } from '@certdesk/shared/warning-events';
import type { DeliveryLogEntry } from '@certdesk/shared/warning-settings';
import type { QueuedDelivery, WarningStore, WarningTarget } from '@certdesk/core/warnings/warning-dispatch';
import type { Database, Queryable } from '../db/database';

export const LEASE_MINUTES = 5;

interface DeliveryRow {
  id: string;
  tenant_id: string;
  environment: Environment;
  event: QueuedDelivery['event'];
  channel: QueuedDelivery['channel'];
  target: string;
  webhook_id: string | null;
  attempts: number;
  message: WarningMessage;
}

export type TenantDelivery = QueuedDelivery & { tenantId: string };

/** Claims for one tenant (the WarningStore the pipeline writes into). */
export class TenantWarningClaims implements Pick<WarningStore, 'claim'> {
  constructor(
    private readonly db: Database,
    private readonly tenantId: string,
  ) {}

  claim(due: DueWarning, message: WarningMessage, targets: WarningTarget[], now: Date): Promise<boolean> {
    return this.db.transaction((tx) => claimIn(tx, this.tenantId, due, message, targets, now));
  }
}

/** The claim inside a transaction the caller holds (a swap's run claims its warning with its commit). */
export async function claimIn(
  tx: Queryable,
  tenantId: string,
  due: DueWarning,
  message: WarningMessage,
  targets: WarningTarget[],
  now: Date,
): Promise<boolean> {
  const eventId = randomUUID();
  const rows = await tx.query<{ id: string }>(
    `insert into warning_events (id, tenant_id, environment, key, event, claimed_at, message) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (tenant_id, environment, key) do nothing returning id`,
    [eventId, tenantId, due.environment, due.key, due.event, now, JSON.stringify(message)],
  );
  if (!rows.length) return false;
  for (const t of targets)
    await tx.query(
      `insert into warning_deliveries (id, event_id, tenant_id, environment, event, channel, target, webhook_id, state, next_attempt_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9)`,
      [randomUUID(), eventId, tenantId, due.environment, due.event, t.channel, t.target, t.webhookId, now],
    );
  return true;
}

/** Deliveries of every tenant due at `now`, leased to this instance. */
export async function takeDueDeliveries(db: Database, now: Date, limit: number, tenantId?: string): Promise<TenantDelivery[]> {
  const rows = await db.query<DeliveryRow>(
    `update warning_deliveries d set lease_until = $1::timestamptz + make_interval(mins => $3)
      from warning_events e
     where e.id = d.event_id and d.id in (
       select id from warning_deliveries
        where state = 'pending' and next_attempt_at <= $1 and (lease_until is null or lease_until < $1)
          and ($4::uuid is null or tenant_id = $4)
        order by next_attempt_at limit $2 for update skip locked)
     returning d.id, d.tenant_id, d.environment, d.event, d.channel, d.target, d.webhook_id, d.attempts, e.message`,
    [now, limit, LEASE_MINUTES, tenantId ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    environment: r.environment,
    event: r.event,
    channel: r.channel,
    target: r.target,
    webhookId: r.webhook_id,
    attempts: r.attempts,
    message: r.message,
  }));
}

export async function settleDelivery(db: Database, delivery: TenantDelivery, entry: DeliveryLogEntry): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `update warning_deliveries set state = $2, attempts = $3, next_attempt_at = coalesce($4, next_attempt_at), lease_until = null
        where id = $1 and tenant_id = $5`,
      [delivery.id, entry.outcome === 'retry' ? 'pending' : entry.outcome, entry.attempt, entry.nextAttemptAt, delivery.tenantId],
    );
    await tx.query('insert into warning_log (tenant_id, delivery_id, entry) values ($1, $2, $3)', [
      delivery.tenantId,
      delivery.id,
      JSON.stringify(entry),
    ]);
  });
}

export async function deliveryLog(db: Queryable, tenantId: string, limit: number): Promise<DeliveryLogEntry[]> {
  const rows = await db.query<{ entry: DeliveryLogEntry }>(
    'select entry from warning_log where tenant_id = $1 order by seq desc limit $2',
    [tenantId, Math.min(Math.max(limit, 1), 500)],
  );
  return rows.map((r) => r.entry);
}
