/**
 * Append-only history in lowdb documents of at most 1,000 entries each (`history/000001.json`, …):
 * an append rewrites only the newest, small document, so it stays fast at 50,000 entries, and older
 * documents are read only when a listing reaches them. A document written by an earlier version
 * (actions as Portuguese labels) is migrated when it is read, and written back durably.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { HistoryEntry } from '@certdesk/shared/workspace';
import { logAndContinue } from '../errors';
import { DurableJsonFile } from './durable-file';
import { actionCode, migrateHistoryEntries } from './migration';

export const CHUNK_SIZE = 1000;

/**
 * The size a history page may reach before the rest is left for the next page (`more`), whatever
 * `limit` asks: an entry holds a whole selection's results, so 1,000 of them could be very large.
 */
export const HISTORY_PAGE_BYTES = 4 * 1024 * 1024;

export interface HistoryQuery {
  certificateId?: string;
  branch?: string;
  action?: HistoryEntry['action'];
  /** Page size (newest first). */
  limit?: number;
  /** Continue after this entry id (from the previous page). */
  after?: string;
}

const chunkName = (n: number) => `${String(n).padStart(6, '0')}.json`;

export class HistoryLog {
  private chunks = 0;
  private last: Low<HistoryEntry[]> | null = null;
  private readonly cache = new Map<number, HistoryEntry[]>();

  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<HistoryLog> {
    await mkdir(dir, { recursive: true });
    const log = new HistoryLog(dir);
    const names = (await readdir(dir)).filter((n) => /^\d{6}\.json$/.test(n)).sort();
    log.chunks = names.length ? Number(names[names.length - 1]!.slice(0, 6)) : 0;
    if (log.chunks > 0) log.last = await log.load(log.chunks);
    return log;
  }

  private async load(n: number): Promise<Low<HistoryEntry[]>> {
    const db = new Low<HistoryEntry[]>(new DurableJsonFile(join(this.dir, chunkName(n))), []);
    await db.read();
    if (!Array.isArray(db.data)) db.data = [];
    // Migrated in memory in any case (listings filter by code); the write is retried at the next
    // read if it fails, and an append to this document rewrites it whole anyway.
    else if (migrateHistoryEntries(db.data)) await db.write().catch(logAndContinue(`migrating ${chunkName(n)}`, undefined));
    return db;
  }

  private async entriesOf(n: number): Promise<HistoryEntry[]> {
    if (n === this.chunks && this.last) return this.last.data;
    const cached = this.cache.get(n);
    if (cached) return cached;
    const data = (await this.load(n)).data;
    if (this.cache.size >= 8) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(n, data);
    return data;
  }

  async append(entry: HistoryEntry): Promise<void> {
    if (!this.last || this.last.data.length >= CHUNK_SIZE) {
      this.chunks++;
      this.last = await this.load(this.chunks);
    }
    this.last.data.push(entry);
    try {
      await this.last.write();
    } catch (error) {
      this.last.data.pop(); // not written: not in memory either
      throw error;
    }
  }

  /** Whether the newest entries include this id (journal recovery only looks at the tail). */
  async hasRecent(id: string): Promise<boolean> {
    for (let n = this.chunks; n >= Math.max(1, this.chunks - 1); n--) {
      if ((await this.entriesOf(n)).some((e) => e.id === id)) return true;
    }
    return false;
  }

  /** A page newest first: at most `limit` entries and about HISTORY_PAGE_BYTES of them (then `more`). */
  async list(query: HistoryQuery = {}): Promise<{ entries: HistoryEntry[]; more: boolean }> {
    const limit = Math.min(Math.max(query.limit ?? 200, 1), 1000);
    // A caller of an earlier version may still filter by label: the same action either way.
    const action = query.action ? (actionCode(query.action) ?? query.action) : undefined;
    const matches = (e: HistoryEntry) =>
      (!query.certificateId || e.certificate.id === query.certificateId || e.swap?.to.id === query.certificateId) &&
      (!action || e.action === action) &&
      (!query.branch ||
        [...(e.results ?? []), ...(e.before ?? []), ...(e.after ?? []), ...(e.served ?? []), ...(e.swap?.results ?? [])].some(
          (l) => l.branch === query.branch,
        ));
    const entries: HistoryEntry[] = [];
    let bytes = 0;
    let skipping = !!query.after;
    for (let n = this.chunks; n >= 1; n--) {
      const chunk = await this.entriesOf(n);
      for (let i = chunk.length - 1; i >= 0; i--) {
        const entry = chunk[i]!;
        if (skipping) {
          if (entry.id === query.after) skipping = false;
          continue;
        }
        if (!matches(entry)) continue;
        if (entries.length === limit || (entries.length > 0 && bytes > HISTORY_PAGE_BYTES)) return { entries, more: true };
        bytes += JSON.stringify(entry).length;
        entries.push(entry);
      }
    }
    return { entries, more: false };
  }

  /** Entries in all documents (for the bench and tests). */
  async count(): Promise<number> {
    if (this.chunks === 0) return 0;
    return (this.chunks - 1) * CHUNK_SIZE + (await this.entriesOf(this.chunks)).length;
  }
}
