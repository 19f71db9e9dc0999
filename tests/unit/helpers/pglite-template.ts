/**
 * An empty PGlite cluster made once per run and copied into each test's data folder. Creating a
 * cluster (PGlite's initdb, in WebAssembly) costs about 9 CPU-seconds; copying one and opening the
 * copy costs under 1, and a dozen test files start the cloud service on a fresh embedded database.
 *
 * The template is made by the product's own code (openPglite), then closed: what a test gets is
 * exactly what a first start of the service leaves behind before its migrations, which still run
 * on the copy as on any first start. A test about what happens while PGlite creates its cluster
 * (the modes of the files it extracts) asks testDatabase('pglite', { fresh: true }) instead.
 *
 * The folder comes from pglite-template-setup.ts (one per Vitest run); the first worker that needs
 * the template makes it under a lock, the others wait for it.
 */
import { access, cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { inject } from 'vitest';
import { openPglite } from '../../../cloud-service/db/database';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplateDir: string;
  }
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

async function template(): Promise<string | null> {
  const dir = inject('pgliteTemplateDir');
  if (!dir) return null; // run without the suite's config: every test creates its own cluster
  const cluster = join(dir, 'pgdata');
  const ready = join(dir, 'ready');
  if (await exists(ready)) return cluster;
  // A cluster takes well over a minute to create on a loaded machine: wait for another worker's.
  const release = await lockfile.lock(dir, {
    lockfilePath: join(dir, 'making.lock'),
    stale: 30_000,
    retries: { retries: 600, minTimeout: 500, maxTimeout: 500 },
  });
  try {
    if (!(await exists(ready))) {
      const db = await openPglite(cluster);
      await db.close();
      await mkdir(ready);
    }
  } finally {
    await release();
  }
  return cluster;
}

/**
 * Puts a copy of the template cluster at `<dataDir>/pgdata` (where the service opens its embedded
 * database) unless a cluster is already there.
 */
export async function seedPglite(dataDir: string): Promise<void> {
  const target = join(dataDir, 'pgdata');
  if (await exists(target)) return;
  const cluster = await template();
  if (!cluster) return;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await cp(cluster, target, { recursive: true, preserveTimestamps: true });
}
