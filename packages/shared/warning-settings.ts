/**
 * Who receives the warnings and how: e-mail recipients with the SMTP server that sends them, and
 * webhook endpoints. Per environment on this computer (embedded workspace), per tenant in CertDesk
 * Cloud. Secrets (the SMTP password, each webhook's signing secret) are never part of what the
 * screens see: only whether each is set.
 */
import type { Environment } from './environment';
import type { WarningEvent } from './warning-events';

export const SMTP_SECURITY = ['tls', 'starttls', 'none'] as const;
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

export interface SmtpSettings {
  host: string;
  port: number;
  /** `tls` (implicit, 465), `starttls` (required), `none` (only a server on this computer). */
  security: SmtpSecurity;
  user: string | null;
  /** The sender address, e.g. `CertDesk <certdesk@empresa.com.br>`. */
  from: string;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
}

/** The limits of a settings document, decided before anything is stored or sent. */
export const WARNING_LIMITS = { recipients: 20, webhooks: 5, secretMin: 16, secretMax: 200 } as const;

export interface WarningSettings {
  recipients: string[];
  smtp: SmtpSettings | null;
  webhooks: WebhookEndpoint[];
}

export interface WarningSettingsView {
  recipients: string[];
  smtp: SmtpSettings | null;
  smtpPasswordSet: boolean;
  webhooks: (WebhookEndpoint & { secretSet: boolean })[];
  /** `environment`: this computer's workspace; `tenant`: the cloud client's, for both environments. */
  scope: 'environment' | 'tenant';
}

/**
 * A change of the settings. `smtpPassword`: a new password, null to forget it, absent to keep it.
 * A webhook without `id` is new; its `secret` is required then, optional (kept) for an existing one.
 */
export interface WarningSettingsUpdate {
  recipients: string[];
  smtp: SmtpSettings | null;
  smtpPassword?: string | null;
  webhooks: { id?: string; url: string; secret?: string }[];
}

export type DeliveryChannel = 'email' | 'webhook';

/** One attempt to deliver a warning: who, what, when, and how it went. */
export interface DeliveryLogEntry {
  at: string;
  environment: Environment;
  event: WarningEvent;
  subject: string;
  channel: DeliveryChannel;
  /** The e-mail address or the webhook's URL. */
  target: string;
  attempt: number;
  /** `sent`; `retry` (will try again at `nextAttemptAt`); `failed` (gave up). */
  outcome: 'sent' | 'retry' | 'failed';
  nextAttemptAt: string | null;
  /** What failed, as a code or an HTTP status: never a secret. */
  detail: string | null;
}

/** The result of "Enviar teste": one line per recipient. */
export interface WarningTestResult {
  deliveries: DeliveryLogEntry[];
}
