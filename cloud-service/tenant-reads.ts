/**
 * CertDesk Cloud reads and the history row writer, tenant-scoped like everything else: the
 * certificate list as JSON text and history pages. Split from tenant-workspace.ts (the operations).
 */
import type { Environment } from '#shared/contract';
import { validityOf } from '#shared/status';
import { installedStatus, type HistoryEntry, type InstalledCertificate, type Link } from '#shared/workspace';
import type { Caller } from './auth';
import type { Queryable } from './db/database';

export interface HistoryQuery {
  certificateId?: string;
  branch?: string;
  action?: HistoryEntry['action'];
  limit?: number;
  after?: string;
}

/**
 * The list as JSON text, for the HTTP answer: a tenant's 1,000 certificates are ~2 MB of JSON, and
 * parsing each stored record only to serialise it again was most of a list's cost. PostgreSQL
 * hands over each record's text; only the clock-derived fields (validity and status, the same
 * rules as `certificateView`) are computed here and spliced in. Same content as `list()`.
 */
export async function listJson(db: Queryable, c: Caller, env: Environment, now: Date): Promise<string> {
  const rows = await db.query<{
    rest: string;
    cert: string;
    not_before: string;
    not_after: string;
    origin: 'certdesk' | 'manual';
    links: number;
  }>(
    `select (record - 'certificate')::text as rest, (record->'certificate')::text as cert,
            record->'certificate'->>'notBefore' as not_before, record->'certificate'->>'notAfter' as not_after,
            record->>'origin' as origin, jsonb_array_length(record->'links') as links
       from certificates where tenant_id = $1 and environment = $2 order by created_at, id`,
    [c.tenantId, env],
  );
  const views = rows.map((r) => {
    const validity = validityOf(new Date(r.not_before), new Date(r.not_after), now);
    const facts = { notBefore: r.not_before, notAfter: r.not_after } as InstalledCertificate['certificate'];
    const derived = installedStatus({ certificate: facts, origin: r.origin, links: new Array<Link>(Number(r.links)) }, now);
    const certificate = `${r.cert.slice(0, -1)}, "status": ${JSON.stringify(validity.status)}, "daysRemaining": ${validity.daysRemaining}}`;
    return `${r.rest.slice(0, -1)}, "certificate": ${certificate}, "status": ${JSON.stringify(derived.status)}, "daysRemaining": ${derived.daysRemaining}}`;
  });
  return `[${views.join(',')}]`;
}

/** One history row: the entry as shown, plus the columns it is filtered by (and who, and whose). */
export async function appendHistory(tx: Queryable, c: Caller, entry: HistoryEntry): Promise<void> {
  const branches = [
    ...new Set([...(entry.results ?? []), ...(entry.before ?? []), ...(entry.after ?? []), ...(entry.served ?? [])].map((l) => l.branch)),
  ];
  await tx.query(
    `insert into history (id, tenant_id, environment, certificate_id, action, branches, user_id, entry)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [entry.id, c.tenantId, entry.environment, entry.certificate.id, entry.action, branches, c.userId, JSON.stringify(entry)],
  );
}

/** A page of the tenant's history, newest first (filters and `after` cursor as in history-log.ts). */
export async function historyPage(
  db: Queryable,
  c: Caller,
  env: Environment,
  query: HistoryQuery,
): Promise<{ entries: HistoryEntry[]; more: boolean }> {
  const limit = Math.min(Math.max(query.limit ?? 200, 1), 1000);
  const params: unknown[] = [c.tenantId, env];
  const where = ['tenant_id = $1', 'environment = $2'];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (query.certificateId) add('certificate_id = ?', query.certificateId);
  if (query.action) add('action = ?', query.action);
  if (query.branch) add('? = any(branches)', query.branch);
  if (query.after) add('seq < coalesce((select seq from history where tenant_id = $1 and id = ?), 0)', query.after);
  params.push(limit + 1);
  const rows = await db.query<{ entry: HistoryEntry }>(
    `select entry from history where ${where.join(' and ')} order by seq desc limit $${params.length}`,
    params,
  );
  return { entries: rows.slice(0, limit).map((r) => r.entry), more: rows.length > limit };
}
