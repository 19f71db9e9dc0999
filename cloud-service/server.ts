/**
 * `npm run cloud:server`: CertDesk Cloud (docs/CLOUD.md).
 *   --port N (default 5399)  --host H (default 127.0.0.1)  --data DIR (default .certdesk-cloud)
 *   DATABASE_URL=postgres://…  a real PostgreSQL (else PGlite, Postgres in WebAssembly, in DIR/pgdata)
 *   CERTDESK_CLOUD_KEK=…       the key-encryption key (base64, 32 bytes); else DIR/kek, created 0600
 *   --demo                     creates tenant EXEMPLO with demo users when absent
 *   --trust-proxy              behind a load balancer: client address from X-Forwarded-For
 *   --fresh                    empties DIR first (the end-to-end suite)
 *   --test-hooks               tests only: POST /test/reset empties every tenant's data
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { startCloudService } from './service';

// Nothing this process writes (PGlite files, the KEK) may be readable by other accounts.
process.umask(0o077);
const option = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
};
const flag = (name: string) => process.argv.includes(`--${name}`);
const dataDir = resolve(option('data', '.certdesk-cloud'));
const databaseUrl = process.env['DATABASE_URL'] || undefined;
if (flag('fresh')) rmSync(dataDir, { recursive: true, force: true });
try {
  const service = await startCloudService({
    databaseUrl,
    // With DATABASE_URL the folder only matters for the KEK file, and only without CERTDESK_CLOUD_KEK.
    dataDir: databaseUrl && !process.argv.includes('--data') ? undefined : dataDir,
    port: Number(option('port', '5399')),
    host: option('host', '127.0.0.1'),
    demo: flag('demo'),
    testHooks: flag('test-hooks'),
    trustProxy: flag('trust-proxy'),
    log: (line) => console.log(line),
  });
  console.log(`CertDesk Cloud em ${service.url} (${databaseUrl ? 'PostgreSQL' : `PGlite em ${dataDir}`})`);
  if (flag('demo')) console.log('Demonstração: EXEMPLO.admin / Admin#2026, EXEMPLO.joao / Leitura#2026, ana@empresa.com.br / Admin#2026');
  const stop = () => void service.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(`CertDesk Cloud não iniciou: ${(error as Error).message}`);
  process.exit(1);
}
