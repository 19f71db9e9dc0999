/**
 * The warning pipeline, whatever keeps it (the embedded workspace's folder, CertDesk Cloud's
 * database): a due warning is claimed under its unique key together with one queued delivery per
 * recipient — claimed before anything is sent, so a second run, a restart or another instance finds
 * it taken — then queued deliveries are sent, each attempt logged, failures retried on the schedule
 * of retry-schedule.ts.
 */
import { composeWarning, type DueWarning, type WarningEvent, type WarningMessage } from '@certdesk/shared/warning-events';
import type { DeliveryChannel, DeliveryLogEntry, SmtpSettings, WarningSettings } from '@certdesk/shared/warning-settings';
import type { Environment } from '@certdesk/shared/environment';
import { nextAttemptAt } from './retry-schedule';
import { postWebhook, sendEmail, type SendOutcome } from './warning-senders';

export interface WarningTarget {
  channel: DeliveryChannel;
  /** E-mail address, or the webhook's URL (as shown in the log). */
  target: string;
  webhookId: string | null;
}

export interface QueuedDelivery {
  id: string;
  environment: Environment;
  event: WarningEvent;
  channel: DeliveryChannel;
  target: string;
  webhookId: string | null;
  /** Attempts made so far. */
  attempts: number;
  message: WarningMessage;
}

export interface WarningStore {
  /** Claims `due` (its unique key) and queues a delivery per target, atomically; false when it was claimed before. */
  claim(due: DueWarning, message: WarningMessage, targets: WarningTarget[], now: Date): Promise<boolean>;
  /** Deliveries whose next attempt is due, taken so no other run sends them at the same time. */
  takeDue(now: Date, limit: number): Promise<QueuedDelivery[]>;
  /** Records an attempt: sent, to retry at `nextAttemptAt`, or given up; and logs it. */
  settle(delivery: QueuedDelivery, entry: DeliveryLogEntry): Promise<void>;
}

/** What sending needs besides the settings: the secrets, read only when a delivery needs them. */
export interface WarningSecrets {
  smtpPassword(): Promise<string | null>;
  webhookSecret(id: string): Promise<string | null>;
}

/** How many deliveries one run sends at most (the rest wait for the next run). */
export const DELIVERIES_PER_RUN = 50;

export function targetsOf(settings: WarningSettings): WarningTarget[] {
  return [
    ...(settings.smtp ? settings.recipients.map((to) => ({ channel: 'email' as const, target: to, webhookId: null })) : []),
    ...settings.webhooks.map((w) => ({ channel: 'webhook' as const, target: w.url, webhookId: w.id })),
  ];
}

/**
 * Claims every due warning that has somewhere to go. Nothing is claimed while nobody would receive
 * it: recipients configured later still get what is due then.
 */
export async function claimWarnings(
  store: Pick<WarningStore, 'claim'>,
  due: DueWarning[],
  settings: WarningSettings,
  now: Date,
  timeZone?: string,
): Promise<DueWarning[]> {
  const targets = targetsOf(settings);
  if (!targets.length) return [];
  const claimed: DueWarning[] = [];
  for (const warning of due) {
    if (await store.claim(warning, composeWarning(warning, now, timeZone), targets, now)) claimed.push(warning);
  }
  return claimed;
}

/** One attempt at one delivery with the settings and secrets of whoever it belongs to. */
export async function attemptDelivery(delivery: QueuedDelivery, settings: WarningSettings, secrets: WarningSecrets): Promise<SendOutcome> {
  if (delivery.channel === 'email') {
    const smtp: SmtpSettings | null = settings.smtp;
    if (!smtp) return { ok: false, detail: 'SMTP não configurado' };
    return sendEmail(smtp, smtp.user ? await secrets.smtpPassword() : null, delivery.target, delivery.message);
  }
  const endpoint = settings.webhooks.find((w) => w.id === delivery.webhookId);
  if (!endpoint) return { ok: false, detail: 'webhook removido' };
  const secret = await secrets.webhookSecret(endpoint.id);
  if (!secret) return { ok: false, detail: 'segredo do webhook ausente' };
  return postWebhook(endpoint.url, secret, delivery.id, delivery.message);
}

/** The log line of an attempt: sent, to retry (when), or given up after the last attempt. */
export function attemptEntry(delivery: QueuedDelivery, outcome: SendOutcome, now: Date): DeliveryLogEntry {
  const number = delivery.attempts + 1;
  const retryAt = outcome.ok ? null : nextAttemptAt(number, now);
  return {
    at: now.toISOString(),
    environment: delivery.environment,
    event: delivery.event,
    subject: delivery.message.subject,
    channel: delivery.channel,
    target: delivery.target,
    attempt: number,
    outcome: outcome.ok ? 'sent' : retryAt ? 'retry' : 'failed',
    nextAttemptAt: retryAt?.toISOString() ?? null,
    detail: outcome.ok ? null : outcome.detail,
  };
}

/** Sends the deliveries due at `now` (at most DELIVERIES_PER_RUN), one attempt each; answers the log lines. */
export async function sendDue(
  store: WarningStore,
  settings: WarningSettings,
  secrets: WarningSecrets,
  now: Date,
): Promise<DeliveryLogEntry[]> {
  const entries: DeliveryLogEntry[] = [];
  for (const delivery of await store.takeDue(now, DELIVERIES_PER_RUN)) {
    const entry = attemptEntry(delivery, await attemptDelivery(delivery, settings, secrets), now);
    await store.settle(delivery, entry);
    entries.push(entry);
  }
  return entries;
}
