/**
 * The certificate list, served from an answer already serialised (contract 1.2.0: rows only).
 * An entry is used only while two things hold:
 * - the workspace's revision in the database is still the one it was built at. Every write
 *   transaction sets a fresh revision under the workspace's row lock (migration 002), so one
 *   primary-key read per request tells any instance whether another one wrote since;
 * - the clock has not passed the first instant at which a row's derived fields (validity status,
 *   days left) would read differently. After that the same facts are derived again at the new
 *   "now" — no database read — so status and days left are always those of the request's moment.
 * A write made on this instance updates the entry by the rows it changed (`written`) rather than
 * dropping it: the answer moves from the revision before the write to the write's own, and only
 * the changed rows are derived. A write made on another instance is caught up with the same way:
 * each certificate row carries the revision of its last change and each delete leaves a removal
 * record (migration 006), so the next request reads only what changed after the kept revision
 * (`catchUp`) and rebuilds only when that cannot give the same answer. Builds, re-derivations,
 * updates and catch-ups are single-flight per tenant and environment (every request waiting for
 * one shares it), and their parsing, serialisation and gzip run in the list workers
 * (list-workers.ts), never on the event loop.
 * The cache is per instance and bounded by the size of the kept answers (least recently used out).
 */
import { createHash } from 'node:crypto';
import type { Environment } from '@certdesk/shared/contract';
import type { Caller } from './auth';
import type { Queryable } from './db/database';
import { catchUpPlan, idsOf, type AssembledAnswer, type ListChange, type PackedRows } from './list-answer';
import { ListWorkers, type ListRows } from './list-workers';
import { listChangesText, listRevision, listSourcesText } from './tenant-reads';

export { derivedStableUntil } from './list-answer';

/** A list answer: the JSON (UTF-8), the same gzip-compressed, and its entity tag (null: none). */
export interface ListAnswer extends AssembledAnswer {
  etag: string | null;
}

interface Entry extends ListAnswer, ListRows {
  revision: number;
}

/** An entry's rows as a list worker takes them (list-answer.ts PackedRows). */
const packed = (e: Entry): PackedRows => ({ body: e.body, ends: e.ends, ids: e.ids, until: e.until, blocks: e.blocks });

export type { ListChange };

/**
 * The list's entity tag: whose list (tenant and environment, hashed), at which revision, and until
 * when its derived fields hold. Whoever holds the answer of that tag holds the current one as long
 * as the revision is still the workspace's and the clock has not passed `until` — which the
 * server checks from the tag itself (`unchangedSince`), on any instance, without the answer.
 */
export function listEtag(tenantId: string, env: Environment, revision: number, until: number): string {
  const whose = createHash('sha256').update(`${tenantId}:${env}`).digest('base64url').slice(0, 16);
  return `W/"${whose}.${revision}.${Number.isFinite(until) ? until : 'x'}"`;
}

/** Whether an If-None-Match names the answer the caller would get now (revision read with the session). */
export function unchangedSince(
  ifNoneMatch: string | undefined,
  tenantId: string,
  env: Environment,
  revision: number | null,
  now: Date,
): string | null {
  if (!ifNoneMatch || revision === null) return null;
  for (const tag of ifNoneMatch.split(',').map((t) => t.trim())) {
    const m = /^(?:W\/)?"([A-Za-z0-9_-]{16})\.(\d{1,18})\.(\d{1,16}|x)"$/.exec(tag);
    if (!m || Number(m[2]) !== revision) continue;
    const until = m[3] === 'x' ? Number.POSITIVE_INFINITY : Number(m[3]);
    if (now.getTime() > until) continue;
    const etag = listEtag(tenantId, env, revision, until);
    if (etag === tag || etag === `W/${tag}`) return etag;
  }
  return null;
}

export class ListCache {
  private readonly entries = new Map<string, Entry>();
  /** The build, re-derivation or update in flight per key, and the revision it gives at least. */
  private readonly flights = new Map<string, { revision: number; promise: Promise<Entry | null> }>();
  private bytes = 0;
  /**
   * Answers built from the database, re-derived at a later clock, sent as kept, updated by a write
   * of this instance, caught up with writes of others, shared in flight.
   */
  readonly counts = { built: 0, rederived: 0, served: 0, updated: 0, caughtUp: 0, shared: 0 };

  /** `maxBytes`: the kept answers' total size (JSON bytes); 0 keeps nothing. */
  constructor(
    private readonly maxBytes = 64 * 1024 * 1024,
    private readonly workers = new ListWorkers(),
  ) {}

  /**
   * `knownRevision`: the workspace's revision already read in this request (with the session,
   * auth.ts); a write committed after it is one this request started before, as if it had been
   * answered a moment earlier. Absent: read here.
   */
  async answer(db: Queryable, c: Caller, env: Environment, now: Date, knownRevision?: number | null): Promise<ListAnswer> {
    const key = `${c.tenantId}:${env}`;
    const revision = knownRevision === undefined ? await listRevision(db, c, env) : knownRevision;
    // No workspace row yet: nothing to key a revision on, and nothing worth keeping.
    if (revision === null) return this.build(db, c, env, now);
    const usable = (e: Entry | null | undefined): boolean => !!e && e.revision >= revision && now.getTime() <= e.until;
    // A few rounds at most: a shared flight may end before this request's clock or revision.
    for (let round = 0; round < 3; round++) {
      const entry = this.entries.get(key);
      if (entry && usable(entry)) {
        this.counts.served++;
        this.keep(key, entry); // most recently used
        return entry;
      }
      const flight = this.flights.get(key);
      if (flight && flight.revision >= revision) {
        this.counts.shared++;
        const shared = await flight.promise.catch(() => null);
        if (shared && usable(shared)) return shared;
        continue;
      }
      const own =
        entry && entry.revision >= revision
          ? this.fly(key, entry.revision, async () => {
              this.counts.rederived++;
              return this.entryOf(c, env, entry.revision, await this.workers.rederive(entry.body, now));
            })
          : this.fly(key, revision, () =>
              entry && now.getTime() <= entry.until ? this.catchUp(db, c, env, entry, now) : this.build(db, c, env, now),
            );
      const built = await own;
      if (built && usable(built)) return built;
    }
    return this.build(db, c, env, now);
  }

  /**
   * A write committed on this instance: `previous` is the revision the workspace had before it,
   * `revision` the write's. The kept answer of `previous` becomes the answer of `revision` by the
   * changed rows alone; any other kept answer (another instance wrote in between) is left to be
   * found stale by the next request. Queued behind any flight of the same key, so updates apply in
   * commit order.
   */
  written(c: Pick<Caller, 'tenantId'>, env: Environment, previous: number, revision: number, change: ListChange, now: Date): Promise<void> {
    const key = `${c.tenantId}:${env}`;
    const before = this.flights.get(key)?.promise.catch(() => null) ?? Promise.resolve(null);
    const promise = this.fly(key, revision, async () => {
      await before;
      const entry = this.entries.get(key);
      if (!entry || entry.revision !== previous || now.getTime() > entry.until) return null;
      if (!change.replaced?.length && !change.removed?.length && !change.appended?.length) {
        this.counts.updated++;
        return this.entryOf(c, env, revision, entry);
      }
      // The changed rows' facts go as JSON, as a catch-up's come from the database.
      const appended = change.appended ?? [];
      const patched = await this.workers.patch(
        {
          kept: packed(entry),
          changed: JSON.stringify([...(change.replaced ?? []), ...appended]),
          appended: appended.map((row) => row.id),
          removed: change.removed ?? [],
        },
        now,
      );
      this.counts.updated++;
      return this.entryOf(c, env, revision, patched);
    });
    return promise.then(
      () => undefined,
      () => undefined, // a failed update leaves the old revision kept: the next request rebuilds
    );
  }

  /** Runs `make` as the key's flight; what it gives is kept if it is newer than what is kept. */
  private fly(key: string, revision: number, make: () => Promise<Entry | null>): Promise<Entry | null> {
    const promise = make().then((entry) => {
      if (entry && entry.revision >= (this.entries.get(key)?.revision ?? -1)) this.keep(key, entry);
      return entry;
    });
    const flight = { revision, promise };
    this.flights.set(key, flight);
    const done = () => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    };
    promise.then(done, done);
    return promise;
  }

  /**
   * The kept answer at its revision R, brought to the workspace's revision now by what changed after
   * R, whichever instance wrote it: the rows changed and the certificates removed since (read by
   * revision, tenant-reads.ts listChangesText), applied in a list worker. Built afresh instead when
   * that cannot give the same answer: removals made after R were pruned (`removalsFrom`), new rows
   * are not the list's tail, or the rows do not match. Nothing changed in the rows (catalogue
   * writes): the kept answer is the new revision's as it is.
   */
  private async catchUp(db: Queryable, c: Caller, env: Environment, entry: Entry, now: Date): Promise<Entry> {
    const changes = await listChangesText(db, c, env, entry.revision);
    if (changes.revision === null || changes.revision < entry.revision || changes.removalsFrom > entry.revision)
      return this.build(db, c, env, now);
    const plan = catchUpPlan(idsOf(entry.ids), changes.ids, changes.next, changes.removed);
    if (!plan) return this.build(db, c, env, now);
    if (!changes.ids.length && !plan.removed.length) {
      this.counts.caughtUp++;
      return this.entryOf(c, env, changes.revision, entry);
    }
    const patched = await this.workers
      .patch({ kept: packed(entry), changed: changes.changed, appended: plan.appended, removed: plan.removed }, now)
      .catch(() => null);
    if (!patched) return this.build(db, c, env, now);
    this.counts.caughtUp++;
    return this.entryOf(c, env, changes.revision, patched);
  }

  private async build(db: Queryable, c: Caller, env: Environment, now: Date): Promise<Entry> {
    const { revision, sources } = await listSourcesText(db, c, env);
    this.counts.built++;
    const built = await this.workers.build(sources, now);
    return this.entryOf(c, env, revision ?? 0, built, revision === null);
  }

  private entryOf(
    c: Pick<Caller, 'tenantId'>,
    env: Environment,
    revision: number,
    parts: Omit<Entry, 'revision' | 'etag'>,
    untagged = false,
  ): Entry {
    return { ...parts, revision, etag: untagged ? null : listEtag(c.tenantId, env, revision, parts.until) };
  }

  private keep(key: string, entry: Entry): Entry {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.body.length;
    }
    if (entry.body.length > this.maxBytes || entry.etag === null) return entry;
    this.entries.set(key, entry);
    this.bytes += entry.body.length;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.body.length;
    }
    return entry;
  }

  /** Ends the list workers (service close). */
  close(): Promise<void> {
    return this.workers.close();
  }
}
