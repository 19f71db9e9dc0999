/**
 * The rules of a warnings settings document, decided before anything is stored or sent: how many
 * recipients and endpoints, what an e-mail address and a webhook URL may be, which SMTP servers may
 * be reached and how. Plain http and unencrypted SMTP only for a server on this computer; CertDesk
 * Cloud (many tenants, one network) also refuses private addresses unless told otherwise, so a
 * tenant cannot make the service knock on its own neighbours.
 */
import { isIP } from 'node:net';
import {
  SMTP_SECURITY,
  WARNING_LIMITS,
  type SmtpSettings,
  type WarningSettings,
  type WarningSettingsUpdate,
} from '@certdesk/shared/warning-settings';
import { CertdeskError } from '../errors';

export interface TargetPolicy {
  /** CertDesk Cloud: refuse loopback and private addresses (the desktop may reach its own LAN). */
  refusePrivate: boolean;
}

const EMAIL = /^[^\s@<>(),;:"]{1,64}@[^\s@<>(),;:"]{1,255}\.[^\s@<>(),;:"]{2,63}$/;

const invalid = (message: string) => new CertdeskError('INVALID_DATA', message);

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

/** Literal private, link-local and loopback addresses (names are not resolved here: see DECISIONS.md). */
export function isPrivateHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopbackHost(h) || h === '0.0.0.0' || h.endsWith('.localhost') || h.endsWith('.local')) return true;
  if (isIP(h) === 4) {
    const [a, b] = h.split('.').map(Number) as [number, number];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || a === 0;
  }
  if (isIP(h) === 6) return /^(fc|fd|fe8|fe9|fea|feb)/.test(h) || h === '::';
  return false;
}

export function checkEmail(address: string): string {
  const trimmed = address.trim();
  if (!EMAIL.test(trimmed)) throw invalid(`Endereço de e-mail inválido: ${trimmed.slice(0, 80)}.`);
  return trimmed.toLowerCase();
}

/** A webhook address: https (http only on this computer); in the cloud, never a private address. */
export function checkWebhookUrl(url: string, policy: TargetPolicy): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw invalid('Endereço de webhook inválido.');
  }
  if (parsed.username || parsed.password)
    throw invalid('O endereço do webhook não pode levar usuário e senha: use o segredo de assinatura.');
  const loopback = isLoopbackHost(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback))
    throw invalid('Use um endereço https:// para o webhook (http só é aceito para um servidor neste computador).');
  if (policy.refusePrivate && isPrivateHost(parsed.hostname))
    throw invalid('O serviço na nuvem não envia webhooks para endereços internos ou deste servidor.');
  if (parsed.toString().length > 500) throw invalid('Endereço de webhook longo demais (máximo 500 caracteres).');
  return parsed.toString();
}

export function checkSmtp(smtp: SmtpSettings, policy: TargetPolicy): SmtpSettings {
  const host = smtp.host.trim();
  if (!host || host.length > 253 || /[\s/]/.test(host)) throw invalid('Servidor SMTP inválido.');
  if (!Number.isInteger(smtp.port) || smtp.port < 1 || smtp.port > 65_535) throw invalid('Porta SMTP inválida (1 a 65535).');
  if (!SMTP_SECURITY.includes(smtp.security)) throw invalid('Segurança SMTP inválida: tls, starttls ou none.');
  if (smtp.security === 'none' && !isLoopbackHost(host))
    throw invalid('SMTP sem criptografia só é aceito para um servidor neste computador: use TLS ou STARTTLS.');
  if (policy.refusePrivate && isPrivateHost(host))
    throw invalid('O serviço na nuvem não envia e-mail por servidores internos ou deste servidor.');
  const from = smtp.from.trim();
  const address = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from;
  checkEmail(address);
  if (from.length > 200 || /[\r\n]/.test(from)) throw invalid('Remetente inválido.');
  const user = smtp.user?.trim() || null;
  if (user && (user.length > 200 || /[\r\n]/.test(user))) throw invalid('Usuário SMTP inválido.');
  return { host, port: smtp.port, security: smtp.security, user, from };
}

export function checkSecret(secret: string): string {
  if (secret.length < WARNING_LIMITS.secretMin || secret.length > WARNING_LIMITS.secretMax)
    throw invalid(`O segredo do webhook precisa de ${WARNING_LIMITS.secretMin} a ${WARNING_LIMITS.secretMax} caracteres.`);
  return secret;
}

/**
 * The settings an update asks for, checked and normalised; new webhooks get an id. Secrets are
 * returned apart (`secrets`: webhook id → new secret) so the caller stores them where secrets go.
 */
export function checkWarningSettings(
  update: WarningSettingsUpdate,
  current: WarningSettings,
  policy: TargetPolicy,
  newId: () => string,
): { settings: WarningSettings; secrets: Map<string, string> } {
  if (update.recipients.length > WARNING_LIMITS.recipients)
    throw invalid(`São ${update.recipients.length} destinatários; o máximo é ${WARNING_LIMITS.recipients}.`);
  if (update.webhooks.length > WARNING_LIMITS.webhooks)
    throw invalid(`São ${update.webhooks.length} webhooks; o máximo é ${WARNING_LIMITS.webhooks}.`);
  const recipients = [...new Set(update.recipients.map(checkEmail))];
  const smtp = update.smtp ? checkSmtp(update.smtp, policy) : null;
  if (recipients.length && !smtp) throw invalid('Informe o servidor SMTP que envia os e-mails de aviso.');
  const secrets = new Map<string, string>();
  const webhooks = update.webhooks.map((w) => {
    const url = checkWebhookUrl(w.url, policy);
    if (w.id && !current.webhooks.some((c) => c.id === w.id)) throw invalid('Webhook desconhecido: recarregue a tela.');
    const id = w.id ?? newId();
    if (w.secret !== undefined) secrets.set(id, checkSecret(w.secret));
    else if (!w.id) throw invalid('Informe o segredo de assinatura do novo webhook.');
    return { id, url };
  });
  return { settings: { recipients, smtp, webhooks }, secrets };
}
