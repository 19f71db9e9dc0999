/**
 * Every authenticated request reads its session, user, tenant and — for the list cache — its
 * workspace's revision. Read one statement per request, 50 clients cost 50 statements a moment:
 * measured on the 2-core machine, PostgreSQL spent ~0.26 ms of CPU per cached list and the
 * server's main thread about as much again sending, parsing and queueing them
 * (docs/DECISIONS.md, "Cloud under load"). Here the requests that arrive while statements are
 * under way wait for the next one and go together, so the cost of a statement is shared by every
 * request in it; a request that arrives when the database is idle goes at once.
 */
import type { Queryable } from './db/database';
import type { Role } from './tenants';

export interface SessionRow {
  tenant_id: string;
  code: string;
  user_id: string;
  name: string;
  login: string;
  role: Role;
  revision: number | null;
}

/** Requests in one statement at most. */
const MAX_BATCH = 100;
/** Statements under way at once: fewer than the pool's 10 connections, so writes always find one. */
const MAX_IN_FLIGHT = 3;

interface Waiting {
  hash: Buffer;
  environment: string | null;
  resolve: (row: SessionRow | null) => void;
  reject: (error: unknown) => void;
}

export class SessionReads {
  private waiting: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly db: Queryable,
    private readonly now: () => Date,
  ) {}

  /** The live session of `hash` (SHA-256 of the token) with the revision of its tenant's `environment`, or null. */
  read(hash: Buffer, environment: string | null): Promise<SessionRow | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ hash, environment, resolve, reject });
      if (this.scheduled) return;
      // After the event loop's I/O phase: the requests parsed in it go in one statement.
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.start();
      });
    });
  }

  private start(): void {
    while (this.waiting.length > 0 && this.inFlight < MAX_IN_FLIGHT) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.start();
      });
    }
  }

  private async run(batch: Waiting[]): Promise<void> {
    try {
      const rows = await this.db.query<SessionRow & { n: number }>(
        `select q.n, s.tenant_id, t.code, s.user_id, u.name, u.login, u.role,
                (select w.revision from workspaces w where w.tenant_id = s.tenant_id and w.environment = q.environment) as revision
           from unnest($1::text[], $2::text[]) with ordinality as q(token_hash, environment, n)
           join sessions s on s.token_hash = decode(q.token_hash, 'hex')
           join users u on u.id = s.user_id join tenants t on t.id = s.tenant_id
          where s.expires_at > $3 and not u.disabled`,
        [batch.map((w) => w.hash.toString('hex')), batch.map((w) => w.environment), this.now()],
      );
      const found = new Map(rows.map((row) => [Number(row.n), row]));
      batch.forEach((w, i) => w.resolve(found.get(i + 1) ?? null));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
