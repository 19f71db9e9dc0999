/**
 * The two ways a warning leaves: e-mail through an SMTP server (nodemailer) and a signed webhook
 * (fetch). Each has its budget fixed before it starts — connection, greeting and socket timeouts for
 * SMTP, 10 s and no redirect for a webhook — and ends in an outcome, never an exception. What a
 * failure says is a code or an HTTP status, never the server's text (it may echo credentials).
 */
import nodemailer from 'nodemailer';
import type { SmtpSettings } from '@certdesk/shared/warning-settings';
import type { WarningMessage } from '@certdesk/shared/warning-events';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature';

export type SendOutcome = { ok: true } | { ok: false; detail: string };

export const SMTP_BUDGET = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 20_000 } as const;
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** One e-mail through the configured server; the transport is closed afterwards. */
export async function sendEmail(smtp: SmtpSettings, password: string | null, to: string, message: WarningMessage): Promise<SendOutcome> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    ...(smtp.user ? { auth: { user: smtp.user, pass: password ?? '' } } : {}),
    connectionTimeout: SMTP_BUDGET.connectionMs,
    greetingTimeout: SMTP_BUDGET.greetingMs,
    socketTimeout: SMTP_BUDGET.socketMs,
    // Certificate verification stays on: a warning is not worth sending a password to anyone.
    tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    await transport.sendMail({ from: smtp.from, to, subject: message.subject, text: message.text });
    return { ok: true };
  } catch (error) {
    const e = error as { code?: string; responseCode?: number };
    // The server's reply code when it answered one; else how the connection failed (ECONNREFUSED, ETIMEDOUT…).
    return { ok: false, detail: e.responseCode ? `SMTP ${e.responseCode}` : (e.code ?? 'SMTP') };
  } finally {
    transport.close();
  }
}

/**
 * One webhook call: the message's JSON body, signed (webhook-signature.ts). 2xx is delivered;
 * anything else, a redirect (not followed: the endpoint is what was configured), a timeout or a
 * network failure is a failed attempt. The answer's body is never read.
 */
export async function postWebhook(url: string, secret: string, deliveryId: string, message: WarningMessage): Promise<SendOutcome> {
  const body = JSON.stringify(message.payload);
  // The real clock, not the app's: the receiver compares it with its own to refuse replays.
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'User-Agent': 'CertDesk-Avisos/1',
        [EVENT_HEADER]: message.event,
        [DELIVERY_HEADER]: deliveryId,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await response.body?.cancel().catch(() => undefined);
    return response.status >= 200 && response.status < 300 ? { ok: true } : { ok: false, detail: `HTTP ${response.status}` };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    return { ok: false, detail: e.name === 'TimeoutError' ? 'TIMEOUT' : (e.cause?.code ?? 'NETWORK') };
  }
}
