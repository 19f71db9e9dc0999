/**
 * The warnings of one environment of the embedded workspace, in one private document of the data
 * folder (`warnings/<environment>.json`, 0600, written durably): the settings (no secret), the keys
 * already claimed, the deliveries waiting for an attempt and the last attempts (the log). One
 * process owns a data folder (desktop/data-folder-lock.ts) and every change goes through one queue,
 * so a claim written here is the claim: a restart reads it back and never sends twice.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { Environment } from '@certdesk/shared/environment';
import type { DueWarning, WarningMessage } from '@certdesk/shared/warning-events';
import type { DeliveryLogEntry, WarningSettings } from '@certdesk/shared/warning-settings';
import { ensurePrivateDir } from '../private-dir';
import { DurableJsonFile, isRecord } from '../workspace/durable-file';
import { SerialQueue } from '../workspace/serial-queue';
import type { QueuedDelivery, WarningStore, WarningTarget } from './warning-dispatch';

/** Attempts kept for the screen; older ones are dropped (the claims stay). */
export const LOG_ENTRIES = 500;

interface StoredDelivery extends QueuedDelivery {
  nextAttemptAt: string;
}

export interface WarningsDoc {
  version: 1;
  settings: WarningSettings;
  /** Claimed key → when. */
  claimed: Record<string, string>;
  deliveries: StoredDelivery[];
  log: DeliveryLogEntry[];
}

export const EMPTY_SETTINGS: WarningSettings = { recipients: [], smtp: null, webhooks: [] };

const valid = (v: unknown) => isRecord(v) && isRecord(v['claimed']) && Array.isArray(v['deliveries']) && Array.isArray(v['log']);

export class EmbeddedWarningStore implements WarningStore {
  readonly queue = new SerialQueue();

  private constructor(
    readonly environment: Environment,
    private readonly db: Low<WarningsDoc>,
  ) {}

  static async open(dataDir: string, environment: Environment): Promise<EmbeddedWarningStore> {
    const dir = await ensurePrivateDir(join(dataDir, 'warnings'));
    const db = new Low<WarningsDoc>(new DurableJsonFile(join(dir, `${environment}.json`), valid), {
      version: 1,
      settings: EMPTY_SETTINGS,
      claimed: {},
      deliveries: [],
      log: [],
    });
    await db.read();
    return new EmbeddedWarningStore(environment, db);
  }

  get settings(): WarningSettings {
    return this.db.data.settings;
  }

  async saveSettings(settings: WarningSettings): Promise<void> {
    await this.change((doc) => ({ ...doc, settings }));
  }

  get log(): readonly DeliveryLogEntry[] {
    return this.db.data.log;
  }

  claimedAt(key: string): string | null {
    return this.db.data.claimed[key] ?? null;
  }

  /** A new document, written durably; memory follows only once it is on disk. */
  private async change(next: (doc: WarningsDoc) => WarningsDoc): Promise<void> {
    const previous = this.db.data;
    this.db.data = next(previous);
    try {
      await this.db.write();
    } catch (error) {
      this.db.data = previous;
      throw error;
    }
  }

  async claim(due: DueWarning, message: WarningMessage, targets: WarningTarget[], now: Date): Promise<boolean> {
    if (this.db.data.claimed[due.key]) return false;
    const deliveries = targets.map((t) => ({
      id: randomUUID(),
      environment: due.environment,
      event: due.event,
      channel: t.channel,
      target: t.target,
      webhookId: t.webhookId,
      attempts: 0,
      message,
      nextAttemptAt: now.toISOString(),
    }));
    await this.change((doc) => ({
      ...doc,
      claimed: { ...doc.claimed, [due.key]: now.toISOString() },
      deliveries: [...doc.deliveries, ...deliveries],
    }));
    return true;
  }

  async takeDue(now: Date, limit: number): Promise<QueuedDelivery[]> {
    return this.db.data.deliveries.filter((d) => Date.parse(d.nextAttemptAt) <= now.getTime()).slice(0, limit);
  }

  async settle(delivery: QueuedDelivery, entry: DeliveryLogEntry): Promise<void> {
    await this.change((doc) => ({
      ...doc,
      deliveries:
        entry.outcome === 'retry'
          ? doc.deliveries.map((d) => (d.id === delivery.id ? { ...d, attempts: entry.attempt, nextAttemptAt: entry.nextAttemptAt! } : d))
          : doc.deliveries.filter((d) => d.id !== delivery.id),
      log: [entry, ...doc.log].slice(0, LOG_ENTRIES),
    }));
  }
}
