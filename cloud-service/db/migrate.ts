/**
 * Versioned migrations: numbered `.sql` files in ./migrations, applied in order, each in its own
 * transaction with a row in `schema_migrations`. An advisory lock makes two instances starting at
 * once on one database apply each migration exactly once.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from './database';

const DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Any constant: the key every CertDesk Cloud instance locks while migrating. */
const LOCK_KEY = 7_150_415;

export async function migrationFiles(): Promise<{ version: number; name: string; sql: string }[]> {
  const names = (await readdir(DIR)).filter((n) => /^\d{3}_[a-z0-9_]+\.sql$/.test(n)).sort();
  return Promise.all(names.map(async (name) => ({ version: Number(name.slice(0, 3)), name, sql: await readFile(DIR + name, 'utf8') })));
}

/** Applies what is missing; answers the versions applied now. */
export async function migrate(db: Database): Promise<number[]> {
  const files = await migrationFiles();
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.query(
      `create table if not exists schema_migrations (
         version integer primary key, name text not null, applied_at timestamptz not null default now())`,
    );
    const done = new Set((await tx.query<{ version: number }>('select version from schema_migrations')).map((r) => r.version));
    const applied: number[] = [];
    for (const file of files) {
      if (done.has(file.version)) continue;
      // Statements one by one: the extended protocol (used inside this transaction) takes one at a time.
      for (const statement of splitStatements(file.sql)) await tx.query(statement);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [file.version, file.name]);
      applied.push(file.version);
    }
    return applied;
  });
}

/**
 * Statements end with `;` at a line's end. A function body is dollar-quoted (`$$ … $$`) and has
 * such semicolons of its own: a piece that leaves a `$$` open goes on to the next `;`.
 */
function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let pending = '';
  for (const piece of sql.split(/;\s*$/m)) {
    pending = pending ? `${pending};${piece}` : piece;
    if ((pending.match(/\$\$/g)?.length ?? 0) % 2) continue;
    statements.push(pending);
    pending = '';
  }
  if (pending) statements.push(pending);
  return statements.map((s) => s.replace(/^\s*--.*$/gm, '').trim()).filter(Boolean);
}

/**
 * What readiness reports of the schema: 'ok' when every migration this build knows is applied, else
 * which are missing (an instance started before `migrate` finished elsewhere, or a failed upgrade).
 */
export async function schemaState(db: Database): Promise<string> {
  const known = (await migrationFiles()).map((f) => f.version);
  const applied = new Set((await db.query<{ version: number }>('select version from schema_migrations')).map((r) => Number(r.version)));
  const missing = known.filter((v) => !applied.has(v));
  return missing.length ? `migrações pendentes: ${missing.join(', ')}` : 'ok';
}
