/**
 * Reading and writing a swap's certificates and its row, and cancelling the pending swaps of a
 * certificate being deleted: what tenant-swaps.ts and tenant-workspace.ts (deletion) need, kept
 * apart so neither imports the other back.
 */
import type { Environment } from '@certdesk/shared/contract';
import type { CertificateSwap } from '@certdesk/shared/certificate-swap';
import type { InstalledCertificate } from '@certdesk/shared/workspace';
import type { Caller } from './auth';
import type { Queryable } from './db/database';

type Tenant = Pick<Caller, 'tenantId'>;

export async function saveSwap(tx: Queryable, c: Tenant, swap: CertificateSwap): Promise<void> {
  await tx.query('update certificate_swaps set state = $3, record = $4 where tenant_id = $1 and id = $2', [
    c.tenantId,
    swap.id,
    swap.state,
    JSON.stringify(swap),
  ]);
}

/** Pending swaps from or to `id` end as cancelled (the certificate is being deleted in `tx`). */
export async function cancelSwapsOf(tx: Queryable, c: Tenant, env: Environment, id: string, user: string, now: Date): Promise<void> {
  const rows = await tx.query<{ record: CertificateSwap }>(
    `select record from certificate_swaps where tenant_id = $1 and environment = $2 and state = 'pending' and (from_id = $3 or to_id = $3) for update`,
    [c.tenantId, env, id],
  );
  for (const { record } of rows) await saveSwap(tx, c, { ...record, state: 'cancelled', endedBy: user, endedAt: now.toISOString() });
}

/** A certificate's record, locked until the transaction ends (undefined: not in this environment). */
export async function recordOf(tx: Queryable, c: Tenant, env: Environment, id: string): Promise<InstalledCertificate | undefined> {
  const [row] = await tx.query<{ record: InstalledCertificate }>(
    'select record from certificates where tenant_id = $1 and environment = $2 and id = $3 for update',
    [c.tenantId, env, id],
  );
  return row?.record;
}
