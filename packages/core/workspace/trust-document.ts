/**
 * One environment's kept chain and revocation checks, beside its certificates:
 *   workspaces/<env>/trust.json   { version: 1, entries: { <certificate id>: { certificates, report } } }
 * `certificates` are the DER certificates the check needs again (the leaf first, then the file's
 * others; public data, never a key), so the background recheck never opens the vault; `report` is
 * the last TrustReport. Not the commit point: certificates.json is. An entry whose certificate is
 * gone is dropped when the document is opened; a damaged document is copied aside and started
 * again empty — losing it costs the checks of installed certificates, never the workspace.
 */
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { TrustReport } from '@certdesk/shared/trust';
import { logAndContinue } from '../errors';
import { DurableJsonFile, isRecord } from './durable-file';

export interface TrustEntry {
  /** DER, base64: the certificate checked first, then the other certificates its file held. */
  certificates: string[];
  /** null: not checked yet (nothing answered in time at install, or the check failed). */
  report: TrustReport | null;
}

interface TrustDoc {
  version: 1;
  entries: Record<string, TrustEntry>;
}

const validTrust = (v: unknown) => isRecord(v) && isRecord(v['entries']);

export class TrustDocument {
  private constructor(private readonly db: Low<TrustDoc>) {}

  /** Opens `<dir>/trust.json`, keeping only the entries of `ids` (the certificates the workspace holds). */
  static async open(dir: string, ids: Iterable<string>): Promise<TrustDocument> {
    const db = new Low<TrustDoc>(new DurableJsonFile(join(dir, 'trust.json'), validTrust), { version: 1, entries: {} });
    const readable = await db.read().then(() => true, logAndContinue('reading trust.json (started again empty)', false));
    if (!readable) db.data = { version: 1, entries: {} };
    const document = new TrustDocument(db);
    // An install that failed after keeping its entry, or a delete that stopped before removing it.
    const keep = new Set(ids);
    const orphans = Object.keys(db.data.entries).filter((id) => !keep.has(id));
    if (orphans.length) await document.change((entries) => orphans.forEach((id) => delete entries[id]));
    return document;
  }

  get(id: string): TrustEntry | undefined {
    return this.db.data.entries[id];
  }

  report(id: string): TrustReport | null {
    return this.db.data.entries[id]?.report ?? null;
  }

  entries(): [string, TrustEntry][] {
    return Object.entries(this.db.data.entries);
  }

  /** Apply `edit` to the entries and write them durably (callers hold the workspace's queue). */
  async change(edit: (entries: Record<string, TrustEntry>) => void): Promise<void> {
    const previous = this.db.data;
    const entries = { ...previous.entries };
    edit(entries);
    this.db.data = { version: 1, entries };
    try {
      await this.db.write();
    } catch (error) {
      this.db.data = previous;
      throw error;
    }
  }
}
