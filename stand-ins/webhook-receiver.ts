/**
 * A stand-in webhook receiver for tests and demos (`npm run webhook:server`): HTTP on 127.0.0.1 that
 * checks each call's signature the way docs/ARCHITECTURE.md tells receivers to (HMAC-SHA256 over
 * `<timestamp>.<raw body>`, five minutes of tolerance), keeps what it received with the verdict, and
 * fails on demand (`failNext(n, status)`) to exercise the retries.
 */
import { createServer } from 'node:http';
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhook,
} from '@certdesk/core/warnings/webhook-signature';

export interface ReceivedWebhook {
  path: string;
  event: string | undefined;
  delivery: string | undefined;
  verdict: ReturnType<typeof verifyWebhook>;
  body: unknown;
  /** What the receiver answered. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

const MAX_BODY = 256 * 1024;

export async function startWebhookReceiver(options: { secret: string; port?: number }): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let failing = 0;
  let failStatus = 500;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => {
        const value = req.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const verdict =
        size > MAX_BODY
          ? 'bad-signature'
          : verifyWebhook(options.secret, { signature: header(SIGNATURE_HEADER), timestamp: header(TIMESTAMP_HEADER) }, raw);
      let status = verdict === 'ok' ? 204 : 401;
      if (verdict === 'ok' && failing > 0) {
        failing--;
        status = failStatus;
      }
      let body: unknown = null;
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
      received.push({ path: req.url ?? '/', event: header(EVENT_HEADER), delivery: header(DELIVERY_HEADER), verdict, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/certdesk`,
    received,
    failNext: (n, status = 500) => {
      failing = n;
      failStatus = status;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
