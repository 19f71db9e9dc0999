/**
 * Browser mode: the whole app in a browser tab on the embedded workspace, through the test bridge.
 * Started by `node scripts/start.mjs` when there is no Electron, by `npm run dev:browser` and by the
 * Playwright suite.
 *
 * Options (and environment variables):
 *   --port N      CERTDESK_PORT       default 5199; when the default is taken, the next free one
 *   --data DIR    CERTDESK_DATA_DIR   default .certdesk-data
 *   --token T     CERTDESK_BRIDGE_TOKEN  default: random for this run
 *   --static DIR  the renderer built with --mode bridge (default out/renderer-bridge)
 *   --service S   keychain service name (default CertDesk)
 *   --fresh       empty the data folder first (tests only)
 *   --test-hooks  /test/clock and /test/reset: a fresh data folder and keychain namespace per test
 * Prints one line `CERTDESK_URL=<address with the token>` for whoever started it.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createCore, type Core } from '../composition-root';
import { ensurePrivateDir } from '@certdesk/core/private-dir';
import { CertdeskError } from '@certdesk/core/errors';
import { OsKeychain, type SecretStore } from '../keychain';
import { startBridge, type Bridge } from './bridge-server';
import { NoKeychain, TrackedKeychain } from './tracked-keychain';

function option(name: string, variable: string, fallback: string): { value: string; given: boolean } {
  const index = process.argv.indexOf(`--${name}`);
  if (index > 0 && process.argv[index + 1]) return { value: process.argv[index + 1]!, given: true };
  const fromEnv = process.env[variable];
  return fromEnv ? { value: fromEnv, given: true } : { value: fallback, given: false };
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const dataDir = resolve(option('data', 'CERTDESK_DATA_DIR', '.certdesk-data').value);
const port = option('port', 'CERTDESK_PORT', '5199');
const token = option('token', 'CERTDESK_BRIDGE_TOKEN', randomBytes(24).toString('hex')).value;
const service = option('service', 'CERTDESK_KEYCHAIN_SERVICE', 'CertDesk').value;
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const testHooks = flag('test-hooks');

// The clock the core sees: CERTDESK_NOW fixes it, the end-to-end suite may move it (/test/clock).
let fixedNow: Date | null = process.env['CERTDESK_NOW'] ? new Date(process.env['CERTDESK_NOW']) : null;
if (flag('fresh')) await rm(dataDir, { recursive: true, force: true });
await ensurePrivateDir(dataDir);

// Each test of the suite gets its own folder and keychain namespace; the app itself has one of each.
const runId = randomBytes(4).toString('hex');
let generation = 0;
// Only the suite's keychain forgets what it wrote: the app's remembered passwords stay remembered.
const keychainFor = (n: number) => (testHooks ? new TrackedKeychain(new OsKeychain(`${service}-${runId}-${n}`)) : new OsKeychain(service));
let keychain: SecretStore & { clear?: () => Promise<void> } = keychainFor(0);
let core: Core;
try {
  core = await open(testHooks ? join(dataDir, 'test-0') : dataDir);
} catch (error) {
  // Say what is wrong (folder in use, damaged document) instead of a stack trace.
  console.error(error instanceof CertdeskError ? error.message : `Não foi possível abrir a pasta de dados ${dataDir}.`);
  process.exit(1);
}

function open(folder: string): Promise<Core> {
  return createCore({ dataDir: folder, shell: 'browser', version, keychain, now: () => fixedNow ?? new Date() });
}

async function reset(options: { keychain?: 'none' } = {}): Promise<string> {
  await core.close();
  await keychain.clear?.();
  generation += 1;
  fixedNow = null;
  const folder = join(dataDir, `test-${generation}`);
  keychain = options.keychain === 'none' ? new NoKeychain() : keychainFor(generation);
  core = await open(folder);
  return folder;
}

// Uploads staged by the browser live in the user's own data folder, never in a shared temp folder
// (staging.ts clears them at start, after use and at stop).
const stagingDir = join(dataDir, '.staging');

async function listen(candidate: number): Promise<Bridge> {
  return startBridge({
    handlers: () => core.handlers,
    staticDir: resolve(option('static', 'CERTDESK_STATIC_DIR', 'out/renderer-bridge').value),
    stagingDir,
    port: candidate,
    token,
    testHooks: testHooks
      ? {
          setNow: (now) => {
            fixedNow = now;
          },
          reset,
        }
      : undefined,
  });
}

let bridge: Bridge | undefined;
const wanted = Number(port.value);
if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) {
  console.error(`Porta inválida: ${port.value}`);
  process.exit(2);
}
for (let attempt = 0; !bridge; attempt++) {
  try {
    bridge = await listen(port.given ? wanted : attempt < 10 ? wanted + attempt : 0);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' || port.given) {
      console.error(
        code === 'EADDRINUSE'
          ? `A porta ${wanted} já está em uso. Escolha outra com --port N (ou CERTDESK_PORT).`
          : `Não foi possível abrir a porta ${wanted} (${code ?? 'erro'}).`,
      );
      process.exit(1);
    }
  }
}
const actual = new URL(bridge.url).port;
if (!port.given && actual !== String(wanted)) console.log(`A porta ${wanted} está ocupada; usando ${actual}.`);
console.log(`CertDesk no navegador (dados em ${dataDir}).`);
console.log(`CERTDESK_URL=${bridge.openUrl}`);

const stop = (): void => {
  void bridge
    .close()
    .then(() => core.close())
    .then(() => keychain.clear?.())
    .finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
