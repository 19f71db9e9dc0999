/**
 * Running browser mode: the settings every entry shares (folder, port, access key, built renderer),
 * listening on loopback with the next free port when the default is taken, the one address to open,
 * and a clean stop. The product's entry (start-browser-mode.ts) serves one core; the test suite's
 * entry (tests/support/) adds its hooks through `extraRoutes` and swaps cores underneath.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { exitOnStdinClose } from '@certdesk/core/exit-on-stdin-close';
import type { HandlerTable } from '@certdesk/shared/contract';
import { startBrowserModeServer, type BrowserModeServer, type ExtraRoute } from './browser-mode-server';

export const DEFAULT_BROWSER_MODE_PORT = 5199;

export interface BrowserModeSettings {
  dataDir: string;
  port: number;
  /** Given by the user: taken or nothing (no walking to the next free port). */
  portGiven: boolean;
  token: string;
  staticDir: string;
  keychainService: string;
  /** Stop when stdin closes: whoever started the process (the test suite) holds its stdin and is gone. */
  exitOnStdinClose: boolean;
}

type Options = NonNullable<ParseArgsConfig['options']>;

const SHARED_OPTIONS = {
  port: { type: 'string' },
  data: { type: 'string' },
  token: { type: 'string' },
  static: { type: 'string' },
  service: { type: 'string' },
  'exit-on-stdin-close': { type: 'boolean' },
} as const satisfies Options;

/**
 * The shared options (and their environment variables) plus an entry's own: `--port N`
 * (CERTDESK_PORT), `--data DIR` (CERTDESK_DATA_DIR), `--token T` (CERTDESK_ACCESS_KEY), `--static DIR`
 * (CERTDESK_STATIC_DIR), `--service S` (CERTDESK_KEYCHAIN_SERVICE), `--exit-on-stdin-close` (stop when
 * stdin closes: for a supervisor holding a pipe to it, such as the test suite's runner). Unknown
 * options are refused.
 */
export function readBrowserModeSettings<T extends Options>(
  argv: string[],
  env: NodeJS.ProcessEnv,
  own: T = {} as T,
): { settings: BrowserModeSettings; values: Record<string, string | boolean | undefined> } {
  const { values } = parseArgs({ args: argv, options: { ...SHARED_OPTIONS, ...own }, strict: true, allowPositionals: false });
  const given = values as Record<string, string | boolean | undefined>;
  const text = (name: keyof typeof SHARED_OPTIONS, variable: string): string | undefined =>
    (given[name] as string | undefined) || env[variable] || undefined;
  const portText = text('port', 'CERTDESK_PORT');
  const port = portText === undefined ? DEFAULT_BROWSER_MODE_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`Porta inválida: ${portText}`);
  return {
    settings: {
      dataDir: resolve(text('data', 'CERTDESK_DATA_DIR') ?? '.certdesk-data'),
      port,
      portGiven: portText !== undefined,
      token: text('token', 'CERTDESK_ACCESS_KEY') ?? randomBytes(24).toString('hex'),
      staticDir: resolve(text('static', 'CERTDESK_STATIC_DIR') ?? 'out/renderer-browser'),
      keychainService: text('service', 'CERTDESK_KEYCHAIN_SERVICE') ?? 'CertDesk',
      exitOnStdinClose: given['exit-on-stdin-close'] === true,
    },
    values: given,
  };
}

export class UsageError extends Error {}

export interface BrowserModeServing {
  /** The table to serve; a function because the test entry swaps the core underneath. */
  handlers: () => HandlerTable;
  extraRoutes?: Record<string, ExtraRoute>;
  /** Closes what the entry opened (the core, its keychain namespace), after the server stopped. */
  close(): Promise<void>;
}

/**
 * Listens on loopback: the port asked for, or, when none was given and the default is taken, the
 * next free one (ten tries, then any). Errors are worded for the person who ran the command.
 */
export async function listenBrowserMode(settings: BrowserModeSettings, serving: BrowserModeServing): Promise<BrowserModeServer> {
  for (let attempt = 0; ; attempt++) {
    const candidate = settings.portGiven ? settings.port : attempt < 10 ? settings.port + attempt : 0;
    try {
      return await startBrowserModeServer({
        handlers: serving.handlers,
        staticDir: settings.staticDir,
        // Uploads staged by the browser live in the user's own data folder, never in a shared temp
        // folder (staging.ts clears them at start, after use and at stop).
        stagingDir: resolve(settings.dataDir, '.staging'),
        port: candidate,
        token: settings.token,
        extraRoutes: serving.extraRoutes,
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' && !settings.portGiven) continue;
      throw new UsageError(
        code === 'EADDRINUSE'
          ? `A porta ${settings.port} já está em uso. Escolha outra com --port N (ou CERTDESK_PORT).`
          : `Não foi possível abrir a porta ${settings.port} (${code ?? 'erro'}).`,
      );
    }
  }
}

/**
 * Prints the address (one line `CERTDESK_URL=…` for whoever started the process) and stops cleanly on
 * SIGINT, SIGTERM or SIGHUP (and, with --exit-on-stdin-close, when stdin closes), closing what the
 * entry opened.
 */
export function announceAndStayUp(settings: BrowserModeSettings, server: BrowserModeServer, serving: BrowserModeServing): void {
  const actual = Number(new URL(server.url).port);
  if (!settings.portGiven && actual !== settings.port) console.log(`A porta ${settings.port} está ocupada; usando ${actual}.`);
  console.log(`CertDesk no navegador (dados em ${settings.dataDir}).`);
  console.log(`CERTDESK_URL=${server.openUrl}`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server
      .close()
      .then(() => serving.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
  if (settings.exitOnStdinClose) exitOnStdinClose(stop);
}
