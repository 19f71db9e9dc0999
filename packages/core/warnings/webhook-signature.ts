/**
 * How a webhook proves it came from CertDesk (documented for receivers in docs/ARCHITECTURE.md,
 * "Warnings that reach people"): HMAC-SHA256 with the endpoint's secret over `<timestamp>.<body>`,
 * where the timestamp is the Unix time in seconds sent in `X-CertDesk-Timestamp`, and the signature
 * is sent as `X-CertDesk-Signature: v1=<hex>`. A receiver recomputes it over the raw body, compares in
 * constant time and refuses timestamps more than five minutes away (replays).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-certdesk-signature';
export const TIMESTAMP_HEADER = 'x-certdesk-timestamp';
export const EVENT_HEADER = 'x-certdesk-event';
export const DELIVERY_HEADER = 'x-certdesk-delivery';
/** How far a receiver accepts the timestamp from its own clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** A receiver's check: the signature matches and the timestamp is recent. */
export function verifyWebhook(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): 'ok' | 'missing' | 'stale' | 'bad-signature' {
  if (!headers.signature || !headers.timestamp || !/^\d{1,12}$/.test(headers.timestamp)) return 'missing';
  const timestamp = Number(headers.timestamp);
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return 'stale';
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'ok' : 'bad-signature';
}
