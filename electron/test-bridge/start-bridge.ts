/**
 * `npm run dev:browser` / Playwright web server: the whole app in a browser tab on the embedded
 * workspace, through the test bridge. Options: --port N (default 5199), --data DIR (default
 * .certdesk-data), --static DIR (default out/renderer-bridge), --service NAME (keychain service),
 * --fresh (empty the data folder first).
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readFileSync, rmSync } from 'node:fs';
import { createCore } from '#core/composition-root';
import { OsKeychain } from '#core/keychain/keychain';
import { startBridge } from './bridge-server';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
}

const dataDir = resolve(option('data', process.env['CERTDESK_DATA_DIR'] ?? '.certdesk-data'));
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
// The clock the core sees: CERTDESK_NOW fixes it, the end-to-end suite may move it (POST /test/clock).
let fixedNow: Date | null = process.env['CERTDESK_NOW'] ? new Date(process.env['CERTDESK_NOW']) : null;
// --fresh: start from an empty workspace (the end-to-end suite), never used on a real data folder.
if (process.argv.includes('--fresh')) rmSync(dataDir, { recursive: true, force: true });

const core = await createCore({
  dataDir,
  shell: 'browser',
  version,
  keychain: new OsKeychain(option('service', 'CertDesk')),
  now: () => fixedNow ?? new Date(),
});
const bridge = await startBridge({
  handlers: core.handlers,
  staticDir: resolve(option('static', 'out/renderer-bridge')),
  stagingDir: join(tmpdir(), `certdesk-stage-${process.pid}`),
  port: Number(option('port', '5199')),
  setNow: (now) => {
    fixedNow = now;
  },
});
console.log(`CertDesk no navegador: ${bridge.url}/  (dados em ${dataDir})`);

const stop = (): void => {
  void bridge.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
