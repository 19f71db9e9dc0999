/**
 * Warnings that reach people (e-mail and webhooks): which events are due for a certificate, the one
 * key each is claimed under (so it is sent once, across restarts and instances), and the message in
 * Portuguese that names the certificate, what it serves and what to do. Pure: the embedded workspace
 * (packages/core/warnings) and CertDesk Cloud (cloud-service/warnings) store and send; this decides.
 */
import type { Environment } from './environment';
import { formatCnpj, formatCpf } from './tax-ids';
import { validityOf } from './status';

/** Days before expiry at which a warning goes out (the desktop notifications use the same). */
export const WARNING_THRESHOLDS = [30, 15, 7, 1] as const;

export const WARNING_EVENTS = [
  'expiry-30',
  'expiry-15',
  'expiry-7',
  'expiry-1',
  'expired',
  'revoked',
  'swap-done',
  'swap-failed',
  'test',
] as const;
export type WarningEvent = (typeof WARNING_EVENTS)[number];

/** What a warning says about a certificate: facts only, no secret. */
export interface WarningCertificate {
  id: string;
  holderName: string;
  cnpj: string | null;
  cpf: string | null;
  sha256: string;
  notBefore: string;
  notAfter: string;
}

/** A branch · module the certificate serves, named as the administrator knows them. */
export interface WarningLink {
  branch: string;
  branchName: string;
  module: string;
  moduleName: string;
}

/** The certificate as the warning rules read it (an installed record with its catalogue names). */
export interface WarnableCertificate {
  certificate: WarningCertificate;
  links: WarningLink[];
  /** Replaced by another certificate (kept until removed): it serves nothing, nobody must act. */
  replaced: boolean;
  /** A swap to another certificate waits: the message says when (ISO), so nobody renews twice. */
  pendingSwapAt?: string | null;
}

export interface SwapWarningFacts {
  swapId: string;
  from: WarningCertificate;
  to: WarningCertificate;
  /** Links that moved (done) or would have moved (failed). */
  links: WarningLink[];
  /** Links the new certificate could not serve, with the reason in Portuguese. */
  left: (WarningLink & { reason: string })[];
  scheduledFor: string | null;
  failure: string | null;
}

export interface RevocationFacts {
  revokedAt: string | null;
  reason: string | null;
}

/** A warning due now: claimed under `key` before anything is sent. */
export interface DueWarning {
  key: string;
  event: WarningEvent;
  environment: Environment;
  certificate: WarningCertificate;
  links: WarningLink[];
  swap?: SwapWarningFacts;
  revocation?: RevocationFacts;
  pendingSwapAt?: string | null;
}

/** What is sent: the e-mail's subject and text, and the webhook's JSON body. */
export interface WarningMessage {
  event: WarningEvent;
  subject: string;
  text: string;
  payload: WarningPayload;
}

export interface WarningPayload {
  event: WarningEvent;
  environment: Environment;
  occurredAt: string;
  certificate: WarningCertificate & { daysRemaining: number };
  serves: WarningLink[];
  swap: SwapWarningFacts | null;
  revocation: RevocationFacts | null;
  subject: string;
  text: string;
}

/** One key per (certificate or swap, event): the unique claim in storage. */
export const warningKey = (subjectId: string, event: WarningEvent): string => `${subjectId}:${event}`;

/**
 * Expiry warnings due at `now`. A certificate that crossed several thresholds since the last run
 * (nobody ran the job for a while) gets one, for the tightest; replaced certificates get none.
 * Expired certificates get one "venceu" warning.
 */
export function dueExpiryWarnings(environment: Environment, certificates: WarnableCertificate[], now: Date): DueWarning[] {
  const due: DueWarning[] = [];
  for (const c of certificates) {
    if (c.replaced) continue;
    const { daysRemaining, status } = validityOf(
      new Date(c.certificate.notBefore),
      new Date(c.certificate.notAfter),
      now,
      undefined,
      DEFAULT_WARNING_TIME_ZONE,
    );
    let event: WarningEvent | null = null;
    if (status === 'expired') event = 'expired';
    else {
      const threshold = [...WARNING_THRESHOLDS].reverse().find((t) => daysRemaining <= t);
      if (threshold !== undefined) event = `expiry-${threshold}`;
    }
    if (!event) continue;
    due.push({
      key: warningKey(c.certificate.id, event),
      event,
      environment,
      certificate: c.certificate,
      links: c.links,
      pendingSwapAt: c.pendingSwapAt ?? null,
    });
  }
  return due;
}

/** The warning for a certificate now known to be revoked (the trigger the revocation check calls). */
export function revokedWarning(environment: Environment, certificate: WarnableCertificate, revocation: RevocationFacts): DueWarning | null {
  if (certificate.replaced) return null;
  return {
    key: warningKey(certificate.certificate.id, 'revoked'),
    event: 'revoked',
    environment,
    certificate: certificate.certificate,
    links: certificate.links,
    revocation,
  };
}

/** The warning for a scheduled swap that ran (`done`) or could not (`failed`). */
export function swapWarning(environment: Environment, swap: SwapWarningFacts, outcome: 'done' | 'failed'): DueWarning {
  const event: WarningEvent = outcome === 'done' ? 'swap-done' : 'swap-failed';
  return {
    key: warningKey(swap.swapId, event),
    event,
    environment,
    certificate: outcome === 'done' ? swap.to : swap.from,
    links: swap.links,
    swap,
  };
}

/** "Enviar teste": a warning of its own (`id` makes each test a new claim). */
export function testWarning(environment: Environment, now: Date, id: string): DueWarning {
  const at = now.toISOString();
  return {
    key: warningKey(`teste-${id}`, 'test'),
    event: 'test',
    environment,
    certificate: { id: `teste-${id}`, holderName: 'Teste', cnpj: null, cpf: null, sha256: '', notBefore: at, notAfter: at },
    links: [],
  };
}

const ENVIRONMENT_NAMES: Record<Environment, string> = { producao: 'Produção', homologacao: 'Homologação' };

/** Where the messages' dates are read: the administrators CertDesk serves are in Brazil. */
export const DEFAULT_WARNING_TIME_ZONE = 'America/Sao_Paulo';

function day(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('pt-BR', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(iso));
}

function dateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('pt-BR', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
}

const holderOf = (c: WarningCertificate) =>
  c.cnpj ? `${c.holderName} (CNPJ ${formatCnpj(c.cnpj)})` : c.cpf ? `${c.holderName} (CPF ${formatCpf(c.cpf)})` : c.holderName;

const linkLine = (l: WarningLink) => `- ${l.branch} ${l.branchName} — ${l.moduleName}`;

function servesLines(links: WarningLink[]): string[] {
  return links.length ? ['Atende:', ...links.map(linkLine)] : ['Não atende nenhuma filial ou módulo.'];
}

function daysText(days: number): string {
  if (days < 0) return days === -1 ? 'venceu há 1 dia' : `venceu há ${-days} dias`;
  if (days === 0) return 'vence hoje';
  return days === 1 ? 'vence em 1 dia' : `vence em ${days} dias`;
}

/**
 * The message of a due warning at `now`: subject and text in Portuguese (the certificate, the
 * environment, the branches and modules it serves, what to do) and the webhook's JSON body.
 */
export function composeWarning(due: DueWarning, now: Date, timeZone = DEFAULT_WARNING_TIME_ZONE): WarningMessage {
  const c = due.certificate;
  const env = ENVIRONMENT_NAMES[due.environment];
  // Days in the same zone as the dates the message prints (calendar days, as every screen counts them).
  const { daysRemaining } = validityOf(new Date(c.notBefore), new Date(c.notAfter), now, undefined, timeZone);
  const facts = [
    `Certificado: ${holderOf(c)}`,
    `Válido até: ${day(c.notAfter, timeZone)} (${daysText(daysRemaining)})`,
    `Ambiente: ${env}`,
    `SHA-256: ${c.sha256}`,
  ];
  let subject: string;
  let lead: string;
  let body: string[];
  let action: string;
  const pending = due.pendingSwapAt ? ` Há uma substituição agendada para ${dateTime(due.pendingSwapAt, timeZone)}.` : '';
  switch (due.event) {
    case 'expired':
      subject = `[CertDesk] Certificado vencido: ${c.holderName} (${env})`;
      lead = `O certificado de ${c.holderName} venceu em ${day(c.notAfter, timeZone)}: a SEFAZ recusa o que for assinado com ele.`;
      body = servesLines(due.links);
      action = 'Instale o certificado renovado com "Substituir / Renovar" no CertDesk: todos os vínculos passam para ele em um passo.';
      break;
    case 'revoked':
      subject = `[CertDesk] Certificado revogado: ${c.holderName} (${env})`;
      lead = `O certificado de ${c.holderName} foi revogado${due.revocation?.revokedAt ? ` em ${day(due.revocation.revokedAt, timeZone)}` : ''}${
        due.revocation?.reason ? ` (${due.revocation.reason})` : ''
      }: a SEFAZ recusa o que for assinado com ele.`;
      body = servesLines(due.links);
      action = 'Peça um novo certificado à Autoridade Certificadora e use "Substituir / Renovar" no CertDesk assim que o tiver.';
      break;
    case 'swap-done': {
      const s = due.swap!;
      subject = `[CertDesk] Substituição concluída: ${s.from.holderName} (${env})`;
      lead = `O certificado válido até ${day(s.from.notAfter, timeZone)} foi substituído pelo válido até ${day(s.to.notAfter, timeZone)}${
        s.scheduledFor ? `, como agendado para ${dateTime(s.scheduledFor, timeZone)}` : ''
      }.`;
      body = [
        s.links.length ? 'Passaram para o novo certificado:' : 'Nenhum vínculo passou para o novo certificado.',
        ...s.links.map(linkLine),
        ...(s.left.length ? ['O novo certificado não pôde atender:', ...s.left.map((l) => `${linkLine(l)}: ${l.reason}`)] : []),
      ];
      action =
        'Nada a fazer se a emissão seguir normal. O certificado anterior ficou como substituído: dá para desfazer enquanto ele for válido; exclua-o quando não precisar mais.';
      break;
    }
    case 'swap-failed': {
      const s = due.swap!;
      subject = `[CertDesk] Substituição agendada não foi feita: ${s.from.holderName} (${env})`;
      lead = `A substituição agendada${s.scheduledFor ? ` para ${dateTime(s.scheduledFor, timeZone)}` : ''} não foi feita: ${s.failure ?? 'motivo desconhecido'}`;
      body = ['O certificado anterior continua atendendo:', ...s.links.map(linkLine)];
      action = 'Abra o CertDesk, confira o motivo e substitua de novo com "Substituir / Renovar".';
      break;
    }
    case 'test':
      subject = `[CertDesk] Teste de aviso (${env})`;
      lead = 'Este é um aviso de teste: os avisos de vencimento deste ambiente chegarão por este canal.';
      body = [];
      action = 'Nada a fazer.';
      break;
    default: {
      subject = `[CertDesk] Certificado ${daysText(daysRemaining)}: ${c.holderName} (${env})`;
      lead = `O certificado de ${c.holderName} ${daysText(daysRemaining)} (${day(c.notAfter, timeZone)}).${pending}`;
      body = servesLines(due.links);
      action = pending
        ? 'Confira a substituição agendada em "Substituições pendentes" no CertDesk.'
        : 'Obtenha o certificado renovado e use "Substituir / Renovar" no CertDesk: todos os vínculos passam para ele em um passo, sem intervalo descoberto.';
    }
  }
  const text = [lead, '', ...facts, '', ...body, ...(body.length ? [''] : []), `O que fazer: ${action}`, '', '— CertDesk'].join('\n');
  return {
    event: due.event,
    subject,
    text,
    payload: {
      event: due.event,
      environment: due.environment,
      occurredAt: now.toISOString(),
      certificate: { ...c, daysRemaining },
      serves: due.links,
      swap: due.swap ?? null,
      revocation: due.revocation ?? null,
      subject,
      text,
    },
  };
}
