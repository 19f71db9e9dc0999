/**
 * `npm run warnings:stand-ins`: the SMTP stand-in (127.0.0.1:2525, plain, no AUTH) and the webhook
 * receiver (http://127.0.0.1:5599/certdesk, secret `segredo-de-demonstracao-2026`) for demos: point
 * the warnings settings at them and each message received is printed. Options: --smtp-port N,
 * --webhook-port N, --secret S.
 */
import { parseArgs } from 'node:util';
import { startSmtpStandIn } from '../stand-ins/smtp-stand-in';
import { startWebhookReceiver } from '../stand-ins/webhook-receiver';

const { values } = parseArgs({
  options: { 'smtp-port': { type: 'string' }, 'webhook-port': { type: 'string' }, secret: { type: 'string' } },
});
const secret = values.secret ?? 'segredo-de-demonstracao-2026';
const smtp = await startSmtpStandIn({ port: Number(values['smtp-port'] ?? 2525) });
const webhooks = await startWebhookReceiver({ secret, port: Number(values['webhook-port'] ?? 5599) });
console.log(`SMTP (stand-in) em 127.0.0.1:${smtp.port} (sem criptografia, sem autenticação)`);
console.log(`Webhook (stand-in) em ${webhooks.url} · segredo: ${secret}`);
let mails = 0;
let calls = 0;
setInterval(() => {
  for (; mails < smtp.received.length; mails++)
    console.log(`e-mail para ${smtp.received[mails]!.to.join(', ')}: ${smtp.received[mails]!.subject}`);
  for (; calls < webhooks.received.length; calls++)
    console.log(`webhook ${webhooks.received[calls]!.event} · assinatura: ${webhooks.received[calls]!.verdict}`);
}, 500).unref();
const stop = () => void Promise.all([smtp.close(), webhooks.close()]).then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => undefined, 1 << 30);
