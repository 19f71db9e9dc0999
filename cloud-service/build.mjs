#!/usr/bin/env node
/**
 * Builds CertDesk Cloud to plain JavaScript that `node` runs with nothing but the service's runtime
 * dependencies (package.json "dependencies"): @certdesk/core and @certdesk/shared are bundled in,
 * every runtime dependency stays an import of node_modules.
 *
 *   node build.mjs             dist/server.js, dist/admin.js, dist/pfx-worker.js, dist/list-worker.js, dist/migrations/
 *   node build.mjs --testing   dist-testing/: the same server plus the test suite's hooks
 *                              (tests/support/cloud-service-with-test-hooks.ts) — never in dist/
 */
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const testing = process.argv.includes('--testing');
const outdir = join(here, testing ? 'dist-testing' : 'dist');
const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const runtime = Object.keys(pkg.dependencies);

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    ...(testing ? { server: join(here, '../tests/support/cloud-service-with-test-hooks.ts') } : { server: join(here, 'server.ts') }),
    ...(testing ? {} : { admin: join(here, 'admin.ts') }),
    // The PFX reader's worker thread: the pool loads ./pfx-worker.js beside the chunk that holds it.
    'pfx-worker': fileURLToPath(import.meta.resolve('@certdesk/core/pfx/pfx-worker')),
    // The list's worker thread (list-workers.ts loads ./list-worker.js beside the chunk that holds it).
    'list-worker': join(here, 'list-worker.ts'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  // The runtime dependencies (and their subpaths) are installed beside the service, not bundled.
  external: runtime.flatMap((name) => [name, `${name}/*`]),
  banner: { js: '#!/usr/bin/env node' },
  // Chunks beside the entries: the worker pool and the migrations are found next to the code that needs them.
  chunkNames: '[name]-[hash]',
  logLevel: 'warning',
});
// Migrations are read at start from ./migrations beside the code that applies them.
cpSync(join(here, 'db/migrations'), join(outdir, 'migrations'), { recursive: true });
console.log(`CertDesk Cloud construído em ${outdir}`);
