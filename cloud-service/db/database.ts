/**
 * One small query interface over the two engines the service runs on: a real PostgreSQL (node-postgres
 * pool, `DATABASE_URL`) and PGlite (Postgres in WebAssembly, in a folder) for the embedded default.
 * Both speak the same SQL, so repositories and migrations are written once.
 */
import { watch } from 'node:fs';
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import lockfile from 'proper-lockfile';

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

// bigint counts come back as strings from node-postgres; ours stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));

/**
 * Statements are prepared once per connection (node-postgres keys them by name): the same few
 * statements run on every request (the session, the list's revision), and planning them each time
 * was a share of PostgreSQL's CPU on a small machine. Texts past the bound (SQL built with a variable
 * number of parameters) run unnamed, so a connection never holds an unbounded set.
 */
const statementNames = new Map<string, string>();
const MAX_PREPARED = 256;
function prepared(text: string, values?: unknown[]): pg.QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_PREPARED) {
    name = `s${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name === undefined ? { text, values } : { name, text, values };
}

/** Connections of a server's pool. */
export const SERVER_CONNECTIONS = 10;

/**
 * `openAll`: every connection opened now and kept open (a server). Opened on demand, the first
 * burst of requests after a quiet moment waited for each new one — a SCRAM exchange and a fresh
 * PostgreSQL backend with nothing cached or prepared yet — and node-postgres closed idle ones
 * after 10 s, so every burst started cold again (docs/DECISIONS.md, "Cloud under load").
 */
export async function openPostgres(url: string, max = SERVER_CONNECTIONS, openAll = false): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max, min: openAll ? max : 0 });
  // A broken idle connection (server restart) must not crash the process: the pool replaces it.
  pool.on('error', () => undefined);
  if (openAll) {
    const clients = await Promise.all(Array.from({ length: max }, () => pool.connect()));
    await Promise.all(clients.map((client) => client.query('select 1').finally(() => client.release())));
  } else await pool.query('select 1');
  return {
    kind: 'postgres',
    async query<T>(sql: string, params?: unknown[]) {
      return (await pool.query(prepared(sql, params))).rows as T[];
    },
    async transaction<T>(work: (tx: Queryable) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work({
          query: async <R>(sql: string, params?: unknown[]) => (await client.query(prepared(sql, params))).rows as R[],
        });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

/** Strips group and other permissions from one file or folder (never through a link). */
async function privatizeOne(path: string): Promise<void> {
  const info = await lstat(path);
  if (info.isSymbolicLink()) return;
  const mode = info.mode & 0o777;
  if (mode & 0o077) await chmod(path, mode & 0o700);
}

/** Strips group and other permissions from everything under `dir` (files PGlite made before). */
async function privatize(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await privatize(path);
    if (!entry.isSymbolicLink()) await privatizeOne(path);
  }
}

/**
 * PGlite's Emscripten file system sets modes itself (chmod ignores the umask): the files it extracts
 * at creation are 0666 and some it writes later (pg_internal.init) 0644. Every file that appears in
 * the folder is made private as it appears, so none is readable by another account while the server
 * runs, after a kill -9, or in a copy of the folder.
 */
function privatizeWhileRunning(dir: string): () => void {
  const watcher = watch(dir, { recursive: true }, (event, name) => {
    if (event === 'rename' && name) void privatizeOne(join(dir, name)).catch(() => undefined); // gone again: nothing to do
  });
  watcher.on('error', () => undefined);
  return () => watcher.close();
}

export async function openPglite(dir: string): Promise<Database> {
  // The folder holds every tenant's (encrypted) data: only the service's account may read any of it,
  // including the files PGlite creates later (they follow the umask; Emscripten asks for 0666).
  try {
    process.umask(0o077);
  } catch {
    // Worker threads cannot change the umask; the folder's 0700 still closes it to others.
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  await privatize(dir);
  // PGlite is one process's database: a second process (another server, cloud:admin) opening the
  // folder at the same time would corrupt it. A stale lock (kill -9) is taken over after 10 s; a
  // live one is reported after ~20 s of retries.
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, { stale: 10_000, retries: { retries: 20, minTimeout: 500, maxTimeout: 1000 } });
  } catch {
    throw new Error(`o banco embutido em ${dir} está em uso por outro processo: pare o servidor (ou use DATABASE_URL com PostgreSQL)`);
  }
  let db: PGlite;
  const stopWatching = privatizeWhileRunning(dir);
  try {
    // Loaded only here: the module alone costs ~0.75 s of CPU, which a server on PostgreSQL (and
    // every process that never opens the embedded database) has no reason to pay.
    const { PGlite: Engine } = await import('@electric-sql/pglite');
    db = await Engine.create(dir);
    await privatize(dir);
  } catch (error) {
    stopWatching();
    await release();
    throw error;
  }
  return {
    kind: 'pglite',
    async query<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params as unknown[])).rows;
    },
    transaction<T>(work: (tx: Queryable) => Promise<T>) {
      return db.transaction((tx) => work({ query: async <R>(sql: string, params?: unknown[]) => (await tx.query<R>(sql, params)).rows }));
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    async close() {
      await db.close();
      stopWatching();
      // Anything written between the last event and the close.
      await privatize(dir).catch(() => undefined);
      await release().catch(() => undefined);
    },
  };
}

/** `DATABASE_URL` → PostgreSQL (`server`: every connection opened at start and kept); otherwise PGlite in `<dataDir>/pgdata`. */
export function openDatabase(options: { url?: string; dataDir?: string; server?: boolean }): Promise<Database> {
  if (options.url) return openPostgres(options.url, SERVER_CONNECTIONS, options.server ?? false);
  if (!options.dataDir) throw new Error('sem DATABASE_URL, informe --data DIR para o banco embutido (PGlite)');
  return openPglite(`${options.dataDir}/pgdata`);
}
