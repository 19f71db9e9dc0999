/**
 * CertDesk Cloud, wired: database (PostgreSQL with `databaseUrl`, else PGlite in `dataDir`),
 * migrations, KEKs (checked against every tenant before anything is served), tenants, sessions,
 * metrics and the HTTP app from the contract. Used by the server's entries (server.ts through
 * run-server.ts, and the test suite's), the tests and the bench.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { CertdeskError } from '@certdesk/core/errors';
import { Auth } from './auth';
import { KekError, loadKeks, type Kek } from './crypto';
import { openDatabase, type Database } from './db/database';
import { migrate, schemaState } from './db/migrate';
import { ListCache } from './list-cache';
import { API_PREFIX, buildApp } from './http/app';
import { ServiceMetrics } from './http/metrics';
import { operations } from './http/operations';
import { warningOperations } from './http/warning-operations';
import { swapOperations } from './http/swap-operations';
import { TenantSwaps } from './tenant-swaps';
import { TenantWorkspace } from './tenant-workspace';
import { TenantSefazChecks, type CloudSefazOptions } from './sefaz/tenant-sefaz-checks';
import { Tenants } from './tenants';
import { TenantWarningSettings } from './warnings/tenant-warning-settings';
import { WarningJob } from './warnings/warning-job';
import { TrustService } from '@certdesk/core/trust/trust-service';
import { RevocationJob, type RevocationJobOptions } from './revocation-job';
import { TenantTrust } from './tenant-trust';
import { UploadInspector } from './upload-inspector';

export interface CloudServiceOptions {
  /** postgres://… — a real PostgreSQL shared by every instance. */
  databaseUrl?: string;
  /** The embedded default's folder (PGlite database and, without CERTDESK_CLOUD_KEK, the KEK file). */
  dataDir?: string;
  port?: number;
  host?: string;
  /** KEKs given directly (tests); otherwise from `env` / `<dataDir>/kek`. */
  keks?: Kek[];
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  sessionHours?: number;
  /** Creates the demo tenant EXEMPLO and its users when absent (`--demo`). */
  demo?: boolean;
  /** The load balancers in front (addresses or CIDR ranges): see AppOptions.trustedProxies. */
  trustedProxies?: string[];
  /** The JSON request log (run-server.ts makes it, with redaction); none by default (tests). */
  logger?: FastifyBaseLogger;
  /** Routes of the test suite's own entry only (tests/support/); never given by the production server. */
  extraRoutes?: (app: FastifyInstance, service: { db: Database; sefaz: TenantSefazChecks; swaps: TenantSwaps }) => void;
  /** How the SEFAZ checks connect (proxy; the suite's entry points them at the stand-in). */
  sefaz?: CloudSefazOptions;
  /** The list cache's size in characters of kept answers (default 64 MiB; 0 turns it off). */
  listCacheBytes?: number;
  /**
   * Worker threads that open uploaded PFX files and read CRLs (default: one per core, 2 to 8), each
   * file's time limit (default 10 s) and each CRL's (default 5 s).
   */
  inspection?: { workers?: number; timeoutMs?: number; crlTimeoutMs?: number };
  log?: (line: string) => void;
  /** How often the scheduled job (due swaps, warnings) runs on this instance; 0 or absent: never (tests call it). */
  jobsIntervalMs?: number;
  /** Tenants may send warnings to private and loopback addresses (an internal SMTP relay; the tests' stand-ins). */
  allowPrivateWarningTargets?: boolean;
  /** The background revocation recheck's settings; false: not run by this instance (tests that drive it by hand). */
  revocationJob?: RevocationJobOptions | false;
  /** How long an install waits for the revocation check's network answer (default 5 s). */
  installCheckWaitMs?: number;
}

export interface CloudService {
  url: string;
  app: FastifyInstance;
  db: Database;
  tenants: Tenants;
  auth: Auth;
  workspace: TenantWorkspace;
  sefaz: TenantSefazChecks;
  metrics: ServiceMetrics;
  warnings: { settings: TenantWarningSettings; job: WarningJob };
  swaps: TenantSwaps;
  /** Each certificate's chain and revocation check, per tenant. */
  trust: TenantTrust;
  /** This instance's turn of the revocation recheck (`turn()` runs one now). */
  revocationJob: RevocationJob;
  /** Stops accepting, lets the requests in flight finish, then closes the database. */
  close(): Promise<void>;
}

/** Demo accounts (`--demo` only; documented in docs/CLOUD.md — change them for real use). */
export const DEMO_TENANT = { code: 'EXEMPLO', name: 'Empresa Exemplo' };
export const DEMO_USERS = [
  { login: 'ana@empresa.com.br', sso: true, name: 'Ana Administradora', role: 'administrator', password: 'Admin#2026' },
  { login: 'EXEMPLO.admin', sso: false, name: 'Administrador', role: 'administrator', password: 'Admin#2026' },
  { login: 'EXEMPLO.joao', sso: false, name: 'João (consulta)', role: 'read-only', password: 'Leitura#2026' },
] as const;

export async function seedDemo(tenants: Tenants): Promise<void> {
  if (await tenants.byCode(DEMO_TENANT.code)) return;
  try {
    await tenants.add(DEMO_TENANT.code, DEMO_TENANT.name);
    for (const user of DEMO_USERS) await tenants.addUser({ ...user, tenantCode: DEMO_TENANT.code });
  } catch (error) {
    // Another instance seeding at the same moment: it wins, the result is the same.
    if (!(error instanceof CertdeskError && error.code === 'INVALID_DATA')) throw error;
  }
}

export async function startCloudService(options: CloudServiceOptions): Promise<CloudService> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const keks = options.keks ?? (await loadKeks({ env: options.env ?? process.env, dataDir: options.dataDir, log }));
  const db = await openDatabase({ url: options.databaseUrl, dataDir: options.dataDir, server: true });
  try {
    await migrate(db);
    const tenants = new Tenants(db, keks);
    // A wrong KEK refuses to start, naming the key id the data needs, instead of failing installs later.
    await tenants.verifyKeks();
    const metrics = new ServiceMetrics();
    const auth = new Auth(db, now, options.sessionHours, {
      passwordJudged: () => metrics.passwordsJudged.inc(),
      failed: (reason) => metrics.signInFailures.inc({ reason }),
    });
    const inspector = new UploadInspector(options.inspection);
    metrics.watchInspections(inspector);
    // CRLs, OCSP answers and AIA certificates are public and signed: one cache for every tenant, in
    // the instance's folder (`trust-cache/`; with only DATABASE_URL, CRLs are kept in memory).
    // Each CRL is parsed and verified in the inspector's workers, never on the event loop.
    const evaluator = new TrustService({ dataDir: options.dataDir ?? null, online: true, now, readCrl: inspector.readCrl });
    const trust = new TenantTrust(db, evaluator, now, options.installCheckWaitMs);
    const workspace = new TenantWorkspace(db, tenants, now, new ListCache(options.listCacheBytes), inspector, trust);
    metrics.watchList(workspace.listCache.counts);
    const revocationJob = new RevocationJob(db, trust, tenants, inspector, now, { log, ...(options.revocationJob || {}) });
    const sefaz = new TenantSefazChecks(db, workspace, now, options.sefaz);
    if (options.demo) await seedDemo(tenants);
    const warningSettings = new TenantWarningSettings(db, tenants, options.allowPrivateWarningTargets ?? false);
    const swaps = new TenantSwaps(db, tenants, workspace, now, inspector, trust);
    const job = new WarningJob(db, warningSettings, now, swaps);
    const warnings = { settings: warningSettings, job };
    const app = await buildApp({
      auth,
      operations: { ...operations(workspace, auth, sefaz), ...swapOperations(swaps), ...warningOperations(warnings) },
      trustedProxies: options.trustedProxies,
      logger: options.logger,
      metrics,
      readiness: async () => ({
        database: await db.query('select 1').then(
          () => 'ok',
          () => 'o banco de dados não responde',
        ),
        migrations: await schemaState(db).catch(() => 'não foi possível ler as migrações aplicadas'),
        kek: await tenants.verifyKeks().then(
          () => 'ok',
          (error: unknown) => (error instanceof KekError ? error.message : 'não foi possível verificar a KEK'),
        ),
      }),
      extraRoutes: options.extraRoutes ? (fastify) => options.extraRoutes!(fastify, { db, sefaz, swaps }) : undefined,
    });
    const host = options.host ?? '127.0.0.1';
    await app.listen({ port: options.port ?? 0, host });
    job.start(options.jobsIntervalMs ?? 0);
    if (options.revocationJob !== false) revocationJob.start();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${API_PREFIX}`,
      app,
      db,
      tenants,
      auth,
      workspace,
      sefaz,
      metrics,
      warnings,
      swaps,
      trust,
      revocationJob,
      async close() {
        await job.stop();
        revocationJob.stop();
        await app.close();
        await inspector.close();
        await workspace.listCache.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
