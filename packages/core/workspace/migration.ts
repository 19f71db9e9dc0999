/**
 * Bring documents written by earlier versions to today's shape when a data folder is opened:
 * certificates keep facts only (the validity `status`/`daysRemaining` of the summary
 * were frozen at installation), and installed statuses and history actions are stable codes, not
 * the Portuguese labels older versions stored; branches say their state (UF), null where earlier
 * versions did not ask it (the app then asks the user: a state is never guessed). Every function is
 * pure and idempotent: it returns whether anything changed, and the caller writes the document back durably.
 */
import { isUf } from '@certdesk/shared/sefaz';
import {
  HISTORY_ACTIONS,
  LEGACY_HISTORY_ACTION_LABELS,
  storedSummary,
  type Branch,
  type HistoryAction,
  type HistoryEntry,
  type InstalledCertificate,
} from '@certdesk/shared/workspace';
import { isRecord } from './durable-file';

/** Today's action code for an action as stored (a code, or an older version's label). */
export function actionCode(action: unknown): HistoryAction | null {
  if (typeof action !== 'string') return null;
  if ((HISTORY_ACTIONS as readonly string[]).includes(action)) return action as HistoryAction;
  return LEGACY_HISTORY_ACTION_LABELS[action] ?? null;
}

/** One history entry: its action as a code. An action nobody knows is left as found. */
export function migrateHistoryEntry(entry: HistoryEntry): boolean {
  const code = actionCode(entry.action);
  if (!code || code === entry.action) return false;
  entry.action = code;
  return true;
}

export function migrateHistoryEntries(entries: HistoryEntry[]): boolean {
  let changed = false;
  for (const entry of entries) if (isRecord(entry) && migrateHistoryEntry(entry)) changed = true;
  return changed;
}

/**
 * One stored certificate: drop what depends on the clock — the summary's validity and any derived
 * installed status (a label or a code) that an earlier version kept beside the facts.
 */
export function migrateCertificate(cert: InstalledCertificate): boolean {
  let changed = false;
  const record = cert as unknown as Record<string, unknown>;
  for (const derived of ['status', 'daysRemaining']) {
    if (derived in record) {
      delete record[derived];
      changed = true;
    }
  }
  if (isRecord(cert.certificate) && ('status' in cert.certificate || 'daysRemaining' in cert.certificate)) {
    cert.certificate = storedSummary(cert.certificate);
    changed = true;
  }
  return changed;
}

export function migrateCertificates(certificates: InstalledCertificate[]): boolean {
  let changed = false;
  for (const cert of certificates) if (isRecord(cert) && migrateCertificate(cert)) changed = true;
  return changed;
}

/**
 * Branches written before states were kept: `uf: null` ("not known yet"), which the screens ask the
 * user to fill. A value that is not a state (an edited file) is dropped to null the same way.
 */
export function migrateBranches(branches: Branch[]): boolean {
  let changed = false;
  for (const branch of branches) {
    if (!isRecord(branch)) continue;
    const uf = (branch as { uf?: unknown }).uf;
    if (uf === null || (typeof uf === 'string' && isUf(uf))) continue;
    branch.uf = null;
    changed = true;
  }
  return changed;
}
