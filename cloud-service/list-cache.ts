/**
 * The certificate list, served from an answer already serialised (contract 1.2.0: rows only).
 * An entry is used only while two things hold:
 * - the workspace's revision in the database is still the one it was built at. Every write
 *   transaction sets a fresh revision under the workspace's row lock (migration 002), so one
 *   primary-key read per request tells any instance whether another one wrote since;
 * - the clock has not passed the first instant at which a row's derived fields (validity status,
 *   days left) would read differently. After that the same facts are derived again at the new
 *   "now" — no database read — so status and days left are always those of the request's moment.
 * The cache is per instance and bounded by the size of the kept answers (least recently used out).
 */
import { gzipSync } from 'node:zlib';
import type { Environment } from '@certdesk/shared/contract';
import { rowAt, type RowSource } from '@certdesk/shared/certificate-row';
import { nextLocalDayStart, systemTimeZone } from '@certdesk/shared/local-time';
import type { Caller } from './auth';
import type { Queryable } from './db/database';
import { listRevision, listSources } from './tenant-reads';

/** A list answer: the JSON text, and the same gzip-compressed (sent to clients that accept it). */
export interface ListAnswer {
  text: string;
  gzip: Buffer;
}

interface Entry extends ListAnswer {
  revision: number;
  sources: readonly RowSource[];
  /** Last instant (ms) at which `text` is what the rows derive to; after it, derive again. */
  until: number;
}

/**
 * The last instant at which every row still derives to what it derives to at `now`. A row's derived
 * fields are installedStatus's (packages/shared/workspace.ts, over validityOf in packages/shared/status.ts):
 * days left are calendar days in the server's time zone, so they all change when that zone's next day
 * starts, and "expired" starts just after notAfter. notBefore shows nowhere in a row (a certificate
 * not yet valid is listed as configured or available, as in the embedded list), so it ends nothing.
 * The test checks both ways: same at this instant, one row different 1 ms later.
 */
export function derivedStableUntil(sources: readonly RowSource[], now: Date, timeZone = systemTimeZone()): number {
  if (sources.length === 0) return Number.POSITIVE_INFINITY;
  const t = now.getTime();
  let until = nextLocalDayStart(t, timeZone) - 1;
  for (const { certificate } of sources) {
    const notAfter = Date.parse(certificate.notAfter);
    if (notAfter >= t) until = Math.min(until, notAfter);
  }
  return until;
}

export class ListCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  /** Answers built from the database, and re-derived at a later clock (tests and the bench read them). */
  readonly counts = { built: 0, rederived: 0, served: 0 };

  /** `maxBytes`: the kept answers' total size (characters); 0 keeps nothing. */
  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  /**
   * `knownRevision`: the workspace's revision already read in this request (with the session,
   * auth.ts); a write committed after it is one this request started before, as if it had been
   * answered a moment earlier. Absent: read here.
   */
  async answer(db: Queryable, c: Caller, env: Environment, now: Date, knownRevision?: number | null): Promise<ListAnswer> {
    const key = `${c.tenantId}:${env}`;
    const entry = this.entries.get(key);
    if (entry) {
      const revision = knownRevision === undefined ? await listRevision(db, c, env) : knownRevision;
      if (revision === entry.revision) {
        if (now.getTime() <= entry.until) {
          this.counts.served++;
          this.keep(key, entry); // most recently used
          return entry;
        }
        this.counts.rederived++;
        return this.keep(key, build(entry.revision, entry.sources, now));
      }
    }
    const { revision, sources } = await listSources(db, c, env);
    this.counts.built++;
    const fresh = build(revision ?? 0, sources, now);
    // No workspace row yet: nothing to key a revision on, and nothing worth keeping.
    return revision === null ? fresh : this.keep(key, fresh);
  }

  private keep(key: string, entry: Entry): Entry {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.text.length;
    }
    if (entry.text.length > this.maxBytes) return entry;
    this.entries.set(key, entry);
    this.bytes += entry.text.length;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.text.length;
    }
    return entry;
  }
}

function build(revision: number, sources: readonly RowSource[], now: Date): Entry {
  const rows = sources.map((s) => rowAt(s, now));
  const text = JSON.stringify(rows);
  // Compressed once here rather than per answer: 1,000 rows are ~450 KB of text and ~6× less gzipped.
  const gzip = gzipSync(text, { level: 6 });
  // The rows are what is kept to derive again later: only the row's facts, not the whole records.
  return { revision, sources: rows, text, gzip, until: derivedStableUntil(rows, now) };
}
