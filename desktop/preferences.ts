/**
 * One policy for the side documents that only hold preferences (settings, InvoiCy addresses, the
 * cloud choice, remembered-password index, notification memory, window state): a damaged one is
 * copied aside once, the app goes on with defaults, and the user is told at start. The workspace
 * itself is never treated this way — it refuses with WORKSPACE_CORRUPT (workspace-store.ts).
 */
import { basename, dirname } from 'node:path';
import { Low } from 'lowdb';
import { CertdeskError, errorKind } from '@certdesk/core/errors';
import { logLine } from '@certdesk/core/log';
import { DurableJsonFile } from '@certdesk/core/workspace/durable-file';

export { isRecord } from '@certdesk/core/workspace/durable-file';

export interface PreferenceReset {
  /** The document's file name, e.g. `invoicy.json`. */
  document: string;
  /** Where the damaged copy was kept, when it could be copied. */
  backup: string | null;
}

const resets = new Map<string, PreferenceReset[]>();

/** The documents of `dataDir` that were reset to defaults since this process started. */
export function preferenceResets(dataDir: string): PreferenceReset[] {
  return [...(resets.get(dataDir) ?? [])];
}

export async function openPreferences<T extends object>(path: string, defaults: T, valid: (value: unknown) => boolean): Promise<Low<T>> {
  const db = new Low<T>(new DurableJsonFile<T>(path, valid), structuredClone(defaults));
  try {
    await db.read();
  } catch (error) {
    // Damaged (or unreadable): preferences only, so defaults — but said, and logged by kind.
    db.data = structuredClone(defaults);
    const backup = error instanceof CertdeskError ? (error.details?.['backup'] ?? null) : null;
    const list = resets.get(dirname(path)) ?? [];
    if (!list.some((r) => r.document === basename(path))) list.push({ document: basename(path), backup });
    resets.set(dirname(path), list);
    logLine(`[certdesk] ${basename(path)} could not be read (${errorKind(error)}): using defaults`);
  }
  return db;
}
