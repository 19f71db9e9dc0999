/**
 * The server's settings from its command line and environment (node:util parseArgs; unknown options
 * are refused). Options win over variables:
 *
 *   --port N              CERTDESK_CLOUD_PORT        default 5399
 *   --host H              CERTDESK_CLOUD_HOST        default 127.0.0.1
 *   --data DIR            CERTDESK_CLOUD_DATA        default .certdesk-cloud (PGlite and, without
 *                                                    CERTDESK_CLOUD_KEK, the KEK file)
 *   DATABASE_URL=postgres://…                        a real PostgreSQL (else PGlite in DIR/pgdata)
 *   CERTDESK_CLOUD_KEK / CERTDESK_CLOUD_KEK_PREVIOUS the key-encryption keys (docs/CLOUD.md)
 *   --trusted-proxies L   CERTDESK_CLOUD_TRUSTED_PROXIES  comma-separated addresses/CIDRs of the load
 *                                                    balancers whose X-Forwarded-For is believed
 *   --metrics-port N      CERTDESK_CLOUD_METRICS_PORT   Prometheus metrics on their own listener (off
 *   --metrics-host H      CERTDESK_CLOUD_METRICS_HOST   by default; loopback unless told otherwise)
 *   --log-level L         CERTDESK_CLOUD_LOG_LEVEL   fatal|error|warn|info|debug (default info)
 *   --inspection-workers N  CERTDESK_CLOUD_INSPECTION_WORKERS  threads opening uploaded PFX files
 *                                                    (default one per core, 2 to 8)
 *   --inspection-timeout S  CERTDESK_CLOUD_INSPECTION_TIMEOUT  seconds one file may take (default 10)
 *   --demo                                           creates tenant EXEMPLO with demo users when absent
 *   --jobs-interval S     CERTDESK_CLOUD_JOBS_INTERVAL  seconds between runs of the scheduled job (due
 *                                                    swaps, warnings); default 60, 0 turns it off
 *   --allow-private-warning-targets                  lets tenants send warnings to SMTP servers and
 *                                                    webhooks on private or loopback addresses
 *   --exit-on-stdin-close                            stops (gracefully) when stdin closes: for a
 *                                                    supervisor holding a pipe to it (the test suite);
 *                                                    never under systemd, whose stdin is empty
 */
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface ServerSettings {
  port: number;
  host: string;
  dataDir: string | undefined;
  databaseUrl: string | undefined;
  trustedProxies: string[];
  metrics: { port: number; host: string } | null;
  logLevel: string;
  demo: boolean;
  jobsIntervalSeconds: number;
  allowPrivateWarningTargets: boolean;
  inspection: { workers?: number; timeoutMs?: number };
  exitOnStdinClose: boolean;
}

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  data: { type: 'string' },
  'trusted-proxies': { type: 'string' },
  'metrics-port': { type: 'string' },
  'metrics-host': { type: 'string' },
  'log-level': { type: 'string' },
  'inspection-workers': { type: 'string' },
  'inspection-timeout': { type: 'string' },
  demo: { type: 'boolean' },
  'jobs-interval': { type: 'string' },
  'allow-private-warning-targets': { type: 'boolean' },
  'exit-on-stdin-close': { type: 'boolean' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class SettingsError extends Error {}

function portOf(text: string, what: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new SettingsError(`${what} inválida: ${text}`);
  return port;
}

/** An address or CIDR range (`10.0.0.0/8`, `::1`); anything else is refused at start. */
function proxyOf(entry: string): string {
  const [address = '', bits, extra] = entry.split('/');
  const family = isIP(address);
  const max = family === 4 ? 32 : 128;
  if (!family || extra !== undefined || (bits !== undefined && (!/^\d+$/.test(bits) || Number(bits) > max)))
    throw new SettingsError(`Proxy confiável inválido: ${entry} (use endereços IP ou faixas CIDR, separados por vírgula).`);
  return entry;
}

function inspectionOf(workers: string | undefined, timeout: string | undefined): ServerSettings['inspection'] {
  const out: ServerSettings['inspection'] = {};
  if (workers !== undefined) {
    if (!/^\d+$/.test(workers) || Number(workers) < 2 || Number(workers) > 64)
      throw new SettingsError(`Número de leitores de PFX inválido: ${workers} (de 2 a 64; com um só, um cliente ocuparia todos).`);
    out.workers = Number(workers);
  }
  if (timeout !== undefined) {
    const seconds = Number(timeout.replace(',', '.'));
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600)
      throw new SettingsError(`Tempo limite de leitura de PFX inválido: ${timeout} (segundos, acima de 0 e até 600).`);
    out.timeoutMs = Math.round(seconds * 1000);
  }
  return out;
}

export function readServerSettings<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  env: NodeJS.ProcessEnv,
  own: T = {} as T,
): { settings: ServerSettings; values: Record<string, string | boolean | undefined> } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...OPTIONS, ...own }, strict: true, allowPositionals: false });
  } catch (error) {
    throw new SettingsError((error as Error).message);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const text = (name: string, variable: string): string | undefined => (values[name] as string | undefined) || env[variable] || undefined;
  const databaseUrl = env['DATABASE_URL'] || undefined;
  const data = text('data', 'CERTDESK_CLOUD_DATA');
  const metricsPort = text('metrics-port', 'CERTDESK_CLOUD_METRICS_PORT');
  const logLevel = text('log-level', 'CERTDESK_CLOUD_LOG_LEVEL') ?? 'info';
  const jobs = text('jobs-interval', 'CERTDESK_CLOUD_JOBS_INTERVAL') ?? '60';
  if (!/^\d{1,5}$/.test(jobs)) throw new SettingsError(`Intervalo dos trabalhos agendados inválido: ${jobs} (segundos).`);
  if (!LEVELS.includes(logLevel)) throw new SettingsError(`Nível de log inválido: ${logLevel} (${LEVELS.join(', ')}).`);
  return {
    settings: {
      port: portOf(text('port', 'CERTDESK_CLOUD_PORT') ?? '5399', 'Porta'),
      host: text('host', 'CERTDESK_CLOUD_HOST') ?? '127.0.0.1',
      // With DATABASE_URL the folder only matters for the KEK file, and only when one is given.
      dataDir: data ? resolve(data) : databaseUrl ? undefined : resolve('.certdesk-cloud'),
      databaseUrl,
      trustedProxies: (text('trusted-proxies', 'CERTDESK_CLOUD_TRUSTED_PROXIES') ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean)
        .map(proxyOf),
      metrics: metricsPort
        ? { port: portOf(metricsPort, 'Porta de métricas'), host: text('metrics-host', 'CERTDESK_CLOUD_METRICS_HOST') ?? '127.0.0.1' }
        : null,
      logLevel,
      demo: values['demo'] === true,
      jobsIntervalSeconds: Number(jobs),
      allowPrivateWarningTargets: values['allow-private-warning-targets'] === true || env['CERTDESK_CLOUD_ALLOW_PRIVATE_TARGETS'] === '1',
      inspection: inspectionOf(
        text('inspection-workers', 'CERTDESK_CLOUD_INSPECTION_WORKERS'),
        text('inspection-timeout', 'CERTDESK_CLOUD_INSPECTION_TIMEOUT'),
      ),
      exitOnStdinClose: values['exit-on-stdin-close'] === true,
    },
    values,
  };
}
