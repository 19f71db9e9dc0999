/**
 * `npm run cloud:server`: the reference cloud server (loopback by default).
 * Options: --port N (default 5399), --host H (default 127.0.0.1), --data DIR (default .certdesk-cloud),
 * --fresh (empty the data folder first), --test-hooks (tests only: `POST /test/reset` empties the
 * tenant for the next test).
 * Demo accounts on a fresh data folder: ana@empresa.com.br / Admin#2026 (SSO, administrator),
 * EXEMPLO.admin / Admin#2026 (administrator), EXEMPLO.joao / Leitura#2026 (read-only).
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { startReferenceServer } from '../stand-ins/cloud/reference-server';

const option = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
};
// --fresh: start from an empty server (the end-to-end suite).
if (process.argv.includes('--fresh')) rmSync(resolve(option('data', '.certdesk-cloud')), { recursive: true, force: true });
const server = await startReferenceServer({
  dataDir: resolve(option('data', '.certdesk-cloud')),
  port: Number(option('port', '5399')),
  host: option('host', '127.0.0.1'),
  testHooks: process.argv.includes('--test-hooks'),
});
console.log(`CertDesk Cloud (servidor de referência) em ${server.url}`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
