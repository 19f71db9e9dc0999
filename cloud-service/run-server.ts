/**
 * Running CertDesk Cloud as a server process: the JSON log, the service, the metrics listener and a
 * graceful stop. On SIGTERM or SIGINT the instance stops accepting (readiness answers 503 at once,
 * new requests 503), lets the requests in flight finish, closes the database and exits 0; a stop that
 * takes longer than STOP_TIMEOUT_MS exits 1 (a process manager restarts it; the database's
 * transactions keep every install whole either way). With --exit-on-stdin-close the same stop runs
 * when stdin closes (the supervisor holding it is gone).
 */
import { exitOnStdinClose } from '@certdesk/core/exit-on-stdin-close';
import pino, { type Logger } from 'pino';
import { DEMO_USERS, startCloudService, type CloudService, type CloudServiceOptions } from './service';
import type { ServerSettings } from './server-settings';

const STOP_TIMEOUT_MS = 30_000;

/**
 * Log lines waiting for standard output at most (~40,000 request lines): past it, lines are dropped
 * rather than held in memory while nothing reads them.
 */
const LOG_BUFFER_BYTES = 16 * 1024 * 1024;

/**
 * One JSON object per line on stdout. Whatever could hold a secret is censored wherever it appears:
 * headers with credentials, bodies (passwords, PFX bytes) and any field named like a secret.
 * Written asynchronously: a synchronous write blocks the event loop whenever the reader of stdout
 * (a pipe to a log collector) falls behind — measured, a quarter of the server's busy time in a
 * burst of 50 list requests (docs/DECISIONS.md, "Cloud under load"). Lines written while a write is
 * under way go together in the next one; what is waiting is written at exit.
 */
export function serverLogger(level: string): Logger {
  const out = pino.destination({ dest: 1, sync: false, maxLength: LOG_BUFFER_BYTES });
  return pino(
    {
      level,
      base: { service: 'certdesk-cloud' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.body',
          'res.headers["set-cookie"]',
          '*.password',
          '*.token',
          '*.pfx',
          '*.kek',
          '*.authorization',
        ],
        censor: '[oculto]',
      },
    },
    out,
  );
}

export async function runServer(
  settings: ServerSettings,
  extra: Pick<CloudServiceOptions, 'extraRoutes' | 'now' | 'sefaz'> = {},
): Promise<{ service: CloudService; log: Logger }> {
  // Nothing this process writes (PGlite files, the KEK) may be readable by other accounts.
  process.umask(0o077);
  const log = serverLogger(settings.logLevel);
  let service: CloudService;
  try {
    service = await startCloudService({
      databaseUrl: settings.databaseUrl,
      dataDir: settings.dataDir,
      port: settings.port,
      host: settings.host,
      demo: settings.demo,
      jobsIntervalMs: settings.jobsIntervalSeconds * 1000,
      allowPrivateWarningTargets: settings.allowPrivateWarningTargets,
      trustedProxies: settings.trustedProxies,
      inspection: settings.inspection,
      logger: log,
      log: (line) => log.warn(line),
      ...extra,
    });
  } catch (error) {
    log.fatal({ errorKind: (error as Error).name }, `CertDesk Cloud não iniciou: ${(error as Error).message}`);
    throw error;
  }
  const metrics = settings.metrics ? await service.metrics.listen(settings.metrics.port, settings.metrics.host) : null;
  log.info(
    { url: service.url, database: settings.databaseUrl ? 'postgresql' : 'pglite', metrics: metrics?.url ?? null },
    `CertDesk Cloud em ${service.url}`,
  );
  if (settings.demo)
    log.info({ logins: DEMO_USERS.map((u) => u.login) }, 'demonstração: usuários de exemplo criados (senhas em docs/CLOUD.md)');

  let stopping = false;
  const stop = (signal: NodeJS.Signals | 'stdin closed') => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'encerrando: novas requisições recusadas, as em andamento terminam');
    const timer = setTimeout(() => {
      log.error('o encerramento passou do tempo limite; saindo assim mesmo');
      process.exit(1);
    }, STOP_TIMEOUT_MS);
    timer.unref();
    void Promise.all([service.close(), metrics?.close()]).then(
      () => {
        log.info('encerrado');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ errorKind: (error as Error).name }, 'falha ao encerrar');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (settings.exitOnStdinClose) exitOnStdinClose(() => stop('stdin closed'));
  return { service, log };
}
