/**
 * CertDesk Cloud reads and the history row writer, tenant-scoped like everything else: what the
 * certificate list is made of, its revision, history pages and a certificate's decrypted secrets. Split from tenant-workspace.ts (the operations).
 */
import type { Environment } from '@certdesk/shared/contract';
import type { HistoryEntry } from '@certdesk/shared/workspace';
import { CertdeskError } from '@certdesk/core/errors';
import { HISTORY_PAGE_BYTES, type HistoryQuery } from '@certdesk/core/workspace/history-log';
import type { Caller } from './auth';
import { open, secretContext } from './crypto';
import type { Queryable } from './db/database';
import { run, type Statement } from './db/statement';
import type { Tenants } from './tenants';

export type { HistoryQuery };

/** A row's revocation fact (packages/shared/certificate-row.ts `revoked`), only when the kept check says revoked. */
const REVOKED_FACT = `case when t.report->'revocation'->>'status' = 'revoked'
  then jsonb_build_object('revoked', jsonb_build_object('revokedAt', t.report->'revocation'->'revokedAt',
                                                        'reasonCode', t.report->'revocation'->'reasonCode'))
  else '{}'::jsonb end`;

/**
 * What the list is made of, read in one statement (one snapshot): the workspace's revision and each
 * certificate's row facts, in install order, as JSON text — parsed in a list worker, not here. The
 * heavy parts of a record (the kept inspection, the last results) stay in PostgreSQL; `rowAt`
 * (packages/shared/certificate-row.ts) picks the row's fields.
 * `revision` is null when the environment has no workspace row yet (nothing was ever written).
 */
export async function listSourcesText(db: Queryable, c: Caller, env: Environment): Promise<{ revision: number | null; sources: string }> {
  const [row] = await db.query<{ revision: number | string | null; sources: string }>(
    `select w.revision,
            (select coalesce(jsonb_agg((c.record - 'inspection' - 'lastResults') || ${REVOKED_FACT} order by c.created_at, c.id), '[]')::text
               from certificates c left join certificate_trust t on t.certificate_id = c.id and t.tenant_id = $1
              where c.tenant_id = $1 and c.environment = $2) as sources
       from (select 1) one left join workspaces w on w.tenant_id = $1 and w.environment = $2`,
    [c.tenantId, env],
  );
  return { revision: row!.revision === null ? null : Number(row!.revision), sources: row!.sources };
}

/** What changed in a list after a revision (listChangesText). */
export interface ListChangesText {
  /** The workspace's revision now; null without a workspace. */
  revision: number | null;
  /** Removals are kept from this revision on: a kept answer older than it cannot catch up. */
  removalsFrom: number;
  /** The rows changed after `since`, their facts as in listSourcesText, in list order (JSON text). */
  changed: string;
  /** Their ids, in the same order, and the id of the row that follows each in the list now (null: last). */
  ids: string[];
  next: (string | null)[];
  /** Certificates deleted after `since`. */
  removed: string[];
}

/**
 * What changed in a list after revision `since`, in one statement (one snapshot): the rows whose
 * last change came after it (migration 006 keeps each row's revision) and the certificates deleted
 * since — read by index, so the cost is the size of the change, not of the list.
 */
export async function listChangesText(db: Queryable, c: Caller, env: Environment, since: number): Promise<ListChangesText> {
  const [row] = await db.query<{
    revision: number | string | null;
    removals_from: number | string | null;
    changed: string;
    ids: string[];
    next: (string | null)[];
    removed: string[];
  }>(
    `with changed as (
       select c.id, c.created_at, (c.record - 'inspection' - 'lastResults') || ${REVOKED_FACT} as facts,
              (select n.id from certificates n
                where n.tenant_id = $1 and n.environment = $2 and n.created_at >= c.created_at and (n.created_at, n.id) > (c.created_at, c.id)
                order by n.created_at, n.id limit 1) as next
         from certificates c left join certificate_trust t on t.certificate_id = c.id and t.tenant_id = $1
        where c.tenant_id = $1 and c.environment = $2 and c.list_revision > $3)
     select w.revision, w.removals_from,
            (select coalesce(jsonb_agg(facts order by created_at, id), '[]')::text from changed) as changed,
            (select coalesce(array_agg(id::text order by created_at, id), '{}') from changed) as ids,
            (select coalesce(array_agg(next::text order by created_at, id), '{}') from changed) as next,
            (select coalesce(array_agg(r.certificate_id::text order by r.revision), '{}') from certificate_removals r
              where r.tenant_id = $1 and r.environment = $2 and r.revision > $3) as removed
       from (select 1) one left join workspaces w on w.tenant_id = $1 and w.environment = $2`,
    [c.tenantId, env, since],
  );
  return {
    revision: row!.revision === null ? null : Number(row!.revision),
    removalsFrom: Number(row!.removals_from ?? 0),
    changed: row!.changed,
    ids: row!.ids,
    next: row!.next,
    removed: row!.removed,
  };
}

/** The workspace's revision now (the list cache's one check per request); null without a workspace. */
export async function listRevision(db: Queryable, c: Caller, env: Environment): Promise<number | null> {
  const [row] = await db.query<{ revision: number | string }>('select revision from workspaces where tenant_id = $1 and environment = $2', [
    c.tenantId,
    env,
  ]);
  return row ? Number(row.revision) : null;
}

/** One history row: the entry as shown, plus the columns it is filtered by (and who, and whose). */
export function historyInsert(c: Pick<Caller, 'tenantId'> & { userId: string | null }, entry: HistoryEntry): Statement {
  const branches = [
    ...new Set(
      [
        ...(entry.results ?? []),
        ...(entry.before ?? []),
        ...(entry.after ?? []),
        ...(entry.served ?? []),
        ...(entry.swap?.results ?? []),
      ].map((l) => l.branch),
    ),
  ];
  // A swap's entry is in both certificates' histories: the new one is its related certificate.
  return {
    text: `insert into history (id, tenant_id, environment, certificate_id, action, branches, user_id, entry, related_certificate_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    values: [
      entry.id,
      c.tenantId,
      entry.environment,
      entry.certificate.id,
      entry.action,
      branches,
      c.userId,
      JSON.stringify(entry),
      entry.swap?.to.id ?? null,
    ],
  };
}

export async function appendHistory(
  tx: Queryable,
  c: Pick<Caller, 'tenantId'> & { userId: string | null },
  entry: HistoryEntry,
): Promise<void> {
  await run(tx, historyInsert(c, entry));
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
  if (query.certificateId) add('(certificate_id = ? or related_certificate_id = $' + (params.length + 1) + ')', query.certificateId);
  if (query.action) add('action = ?', query.action);
  if (query.branch) add('? = any(branches)', query.branch);
  if (query.after) add('seq < coalesce((select seq from history where tenant_id = $1 and id = ?), 0)', query.after);
  params.push(limit + 1);
  const limitParam = params.length;
  params.push(HISTORY_PAGE_BYTES);
  // The page stops at `limit` entries or once it holds about HISTORY_PAGE_BYTES (as the embedded
  // history does); the sizes are summed in the database, so no oversized row is ever sent here.
  const rows = await db.query<{ entry: HistoryEntry; available: number }>(
    `select entry, available from (
       select entry, seq, count(*) over () as available,
              coalesce(sum(octet_length(entry::text)) over (order by seq desc rows between unbounded preceding and 1 preceding), 0) as before
         from history where ${where.join(' and ')} order by seq desc limit $${limitParam}
     ) page where before <= $${params.length} order by seq desc`,
    params,
  );
  const available = Number(rows[0]?.available ?? 0);
  const entries = rows.slice(0, limit).map((r) => r.entry);
  return { entries, more: available > entries.length };
}

/** The stored PFX and password of an installed certificate, decrypted (server-side use and tests). */
export async function readSecrets(
  db: Queryable,
  tenants: Tenants,
  c: Pick<Caller, 'tenantId'>,
  id: string,
): Promise<{ pfx: Buffer; password: string | null }> {
  const [row] = await db.query<{ pfx: Buffer; password: Buffer | null }>(
    'select pfx, password from certificate_secrets where tenant_id = $1 and certificate_id = $2',
    [c.tenantId, id],
  );
  if (!row) throw new CertdeskError('NOT_FOUND', 'Certificado não encontrado.');
  const dek = await tenants.dek(c.tenantId);
  return {
    pfx: open(dek, Buffer.from(row.pfx), secretContext(c.tenantId, id, 'pfx')),
    password: row.password ? open(dek, Buffer.from(row.password), secretContext(c.tenantId, id, 'password')).toString('utf8') : null,
  };
}
