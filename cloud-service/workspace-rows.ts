/**
 * The SQL under tenant-workspace.ts and tenant-swaps.ts: the tenant's workspace row (its lock and
 * revision, its catalogue) and its certificate rows. Kept apart from the operations so the rules
 * read as rules; every statement filters on the caller's tenant, like everything else here.
 */
import type { Environment } from '@certdesk/shared/contract';
import type { Branch, InstalledCertificate, ModuleDef, WorkspaceStatus } from '@certdesk/shared/workspace';
import { CertdeskError } from '@certdesk/core/errors';
import { duplicateCertificate } from '@certdesk/core/workspace/certificate-records';
import type { Caller } from './auth';
import { seal, secretContext } from './crypto';
import type { Queryable } from './db/database';
import { run, type Statement } from './db/statement';

type Tenant = Pick<Caller, 'tenantId'>;

export interface WorkspaceRow {
  setup: 'guided' | 'example' | null;
  branches: Branch[];
  modules: ModuleDef[];
}

/** The locked row, and the revisions before and after this transaction's write (list-cache.ts). */
export interface LockedRow extends WorkspaceRow {
  previous: number;
  revision: number;
}

/**
 * The update takes the row lock and gives the workspace a fresh revision: every write goes through
 * here, so every list cache (list-cache.ts, any instance) sees the change; a transaction that fails
 * rolls the revision back with everything else. The revision before is read under the same lock:
 * the list cache moves its answer from that one to this one. `$3`, when given, is a certificate's
 * SHA-256: its row in the environment, if any, comes back as `duplicate`.
 */
const lockStatement = (duplicate: boolean) =>
  `with before as (select revision from workspaces where tenant_id = $1 and environment = $2 for update)
   update workspaces w set revision = nextval('workspace_revisions') from before
    where w.tenant_id = $1 and w.environment = $2
   returning before.revision as previous, w.revision, w.setup, w.branches, w.modules${
     duplicate
       ? ',\n     (select d.id from certificates d where d.tenant_id = $1 and d.environment = $2 and d.sha256 = $3) as duplicate'
       : ''
   }`;

type LockAnswer = WorkspaceRow & { previous: string | number; revision: string | number; duplicate?: string | null };

/**
 * The tenant's workspace row, locked until the transaction ends (created empty on first use): every
 * change's first step. With `sha256` (an install), a certificate of the environment with that
 * fingerprint is refused in the same statement; the unique index is the last word on a race.
 */
export async function lockWorkspace(tx: Queryable, c: Tenant, env: Environment, ready: boolean, sha256?: string): Promise<LockedRow> {
  const values = sha256 === undefined ? [c.tenantId, env] : [c.tenantId, env, sha256];
  const text = lockStatement(sha256 !== undefined);
  let [row] = await tx.query<LockAnswer>(text, values);
  if (!row) {
    // The first write of a tenant's environment: its row is made, then locked like any other.
    await tx.query('insert into workspaces (tenant_id, environment) values ($1, $2) on conflict do nothing', [c.tenantId, env]);
    [row] = await tx.query<LockAnswer>(text, values);
  }
  if (ready && !row!.setup)
    throw new CertdeskError('SETUP_REQUIRED', 'Configure as filiais e os módulos deste ambiente antes de instalar certificados.');
  if (row!.duplicate) throw duplicateCertificate(env, row!.duplicate);
  const { duplicate: _duplicate, ...locked } = row!;
  return { ...locked, previous: Number(locked.previous), revision: Number(locked.revision) };
}

export async function saveWorkspaceRow(tx: Queryable, c: Tenant, env: Environment, row: WorkspaceRow): Promise<void> {
  await tx.query('update workspaces set setup = $3, branches = $4, modules = $5 where tenant_id = $1 and environment = $2', [
    c.tenantId,
    env,
    row.setup,
    JSON.stringify(row.branches),
    JSON.stringify(row.modules),
  ]);
}

/** The workspace's setup, catalogue and certificate count, in one statement (no row yet: not set up). */
export async function workspaceStatus(db: Queryable, c: Tenant, env: Environment): Promise<WorkspaceStatus> {
  const [row] = await db.query<WorkspaceRow & { count: number }>(
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

/** The environment's certificates in install order. */
export async function certificateRecords(tx: Queryable, c: Tenant, env: Environment): Promise<InstalledCertificate[]> {
  const rows = await tx.query<{ record: InstalledCertificate }>(
    'select record from certificates where tenant_id = $1 and environment = $2 order by created_at, id',
    [c.tenantId, env],
  );
  return rows.map((r) => r.record);
}

/** How many of the environment's certificates have a link to this branch. */
export async function certificatesServing(tx: Queryable, c: Tenant, env: Environment, branch: string): Promise<number> {
  const [serving] = await tx.query<{ count: number }>(
    `select count(*) as count from certificates where tenant_id = $1 and environment = $2 and record->'links' @> $3::jsonb`,
    [c.tenantId, env, JSON.stringify([{ branch }])],
  );
  return Number(serving!.count);
}

export async function findCertificate(tx: Queryable, c: Tenant, env: Environment, id: string): Promise<InstalledCertificate> {
  const [row] = await tx.query<{ record: InstalledCertificate }>(
    'select record from certificates where tenant_id = $1 and environment = $2 and id = $3',
    [c.tenantId, env, id],
  );
  if (!row) throw new CertdeskError('NOT_FOUND', 'Certificado não encontrado neste ambiente (pode ter sido excluído).');
  return row.record;
}

/** A certificate's record written again (its links, its name), as a statement. */
export function certificateUpdate(c: Tenant, cert: InstalledCertificate): Statement {
  return {
    text: 'update certificates set record = $3 where tenant_id = $1 and id = $2',
    values: [c.tenantId, cert.id, JSON.stringify(cert)],
  };
}

export async function updateCertificate(tx: Queryable, c: Tenant, cert: InstalledCertificate): Promise<void> {
  await run(tx, certificateUpdate(c, cert));
}

/**
 * A new certificate's row and its secrets, sealed with the tenant's key (crypto.ts) before they
 * leave this process: two parts of one statement (db/statement.ts), the row's named
 * `new_certificate` (its id and created_at returned for `listsLastStatement`).
 */
export function certificateInserts(
  c: Tenant,
  env: Environment,
  cert: InstalledCertificate,
  sha256: string,
  secrets: { dek: Buffer; pfx: Buffer; password: string | null },
): (Statement & { name: string })[] {
  const { dek, pfx, password } = secrets;
  return [
    {
      name: 'new_certificate',
      text: 'insert into certificates (id, tenant_id, environment, sha256, record) values ($1, $2, $3, $4, $5) returning id, created_at',
      values: [cert.id, c.tenantId, env, sha256, JSON.stringify(cert)],
    },
    {
      name: 'new_secrets',
      text: 'insert into certificate_secrets (certificate_id, tenant_id, pfx, password) values ($1, $2, $3, $4)',
      values: [
        cert.id,
        c.tenantId,
        seal(dek, pfx, secretContext(c.tenantId, cert.id, 'pfx')),
        password === null ? null : seal(dek, Buffer.from(password, 'utf8'), secretContext(c.tenantId, cert.id, 'password')),
      ],
    },
  ];
}

export async function refuseDuplicate(tx: Queryable, c: Tenant, env: Environment, sha256: string): Promise<void> {
  const [existing] = await tx.query<{ id: string }>(
    'select id from certificates where tenant_id = $1 and environment = $2 and sha256 = $3',
    [c.tenantId, env, sha256],
  );
  if (existing) throw duplicateCertificate(env, existing.id);
}

/**
 * Whether the certificate inserted by the `new_certificate` part of the same statement is the
 * list's last row (`last`). The list is in install order (created_at, id): a new row is its last one
 * unless the clock stepped back; then the kept answer is not updated but rebuilt. The statement's
 * snapshot holds the rows before the insert, which are the ones to compare with. For an install
 * and a swap's new certificate alike.
 */
export function listsLastStatement(c: Tenant, env: Environment): Statement {
  return {
    text: `select not exists (select 1 from certificates o, new_certificate n
                             where o.tenant_id = $1 and o.environment = $2
                               and (o.created_at, o.id) > (n.created_at, n.id)) as last`,
    values: [c.tenantId, env],
  };
}
