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
 * the template makes it, the others wait for it.
 */
import { access, cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
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
  const failed = join(dir, 'failed');
  if (await exists(ready)) return cluster;
  // The folder is this run's alone, so mkdir is the lock and can never be stale from another run
  // (a lock refreshed by timer would go stale here: PGlite's creation holds the event loop).
  const maker = await mkdir(join(dir, 'making')).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return false;
      throw error;
    },
  );
  if (maker) {
    try {
      const db = await openPglite(cluster);
      await db.close();
      await mkdir(ready);
      return cluster;
    } catch (error) {
      await mkdir(failed).catch(() => undefined);
      throw error;
    }
  }
  // Another worker is creating it (over a minute on a loaded machine); if it fails or takes too
  // long, this test's service creates its own cluster as it would without the template.
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline && !(await exists(failed))) {
    if (await exists(ready)) return cluster;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return null;
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
