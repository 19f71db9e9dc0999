/**
 * Warnings that reach people, embedded workspace: the SMTP stand-in and the webhook receiver get
 * the right messages, once per (certificate, event) across runs and restarts; failures are retried
 * on schedule and logged; the settings refuse what must not be stored.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WarnableCertificate } from '@certdesk/shared/warning-events';
import { EmbeddedWarnings } from '@certdesk/core/warnings/embedded-warnings';
import { MemoryKeychain } from '../../stand-ins/memory-keychain';
import { startSmtpStandIn, type SmtpStandIn } from '../../stand-ins/smtp-stand-in';
import { startWebhookReceiver, type WebhookReceiver } from '../../stand-ins/webhook-receiver';

const SECRET = 'segredo-do-webhook-de-teste';
let dir: string;
let clock: Date;
let keychain: MemoryKeychain;
let smtp: SmtpStandIn;
let hooks: WebhookReceiver;
const open = () => new EmbeddedWarnings(dir, keychain, () => clock);

const certificate = (notAfter: string, extra: Partial<WarnableCertificate> = {}): WarnableCertificate => ({
  certificate: {
    id: '6f1c1b2a-0000-4000-8000-000000000001',
    holderName: 'EMPRESA EXEMPLO LTDA',
    cnpj: '11222333000181',
    cpf: null,
    sha256: 'ab'.repeat(32),
    notBefore: '2025-01-01T00:00:00.000Z',
    notAfter,
  },
  links: [
    { branch: '0001', branchName: 'Matriz São Paulo', module: 'faturamento', moduleName: 'Faturamento' },
    { branch: '0003', branchName: 'Filial Curitiba', module: 'recebimento-nf-e', moduleName: 'Recebimento NF-e' },
  ],
  replaced: false,
  ...extra,
});

async function configure(warnings: EmbeddedWarnings) {
  return warnings.save('producao', {
    recipients: ['TI@Empresa.com.br', 'fiscal@empresa.com.br'],
    smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', user: null, from: 'CertDesk <certdesk@empresa.com.br>' },
    webhooks: [{ url: hooks.url, secret: SECRET }],
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-warnings-'));
  clock = new Date('2044-12-22T12:00:00Z'); // notAfter 2045-01-01: 9 days left
  keychain = new MemoryKeychain();
  smtp = await startSmtpStandIn();
  hooks = await startWebhookReceiver({ secret: SECRET });
});
afterEach(async () => {
  await smtp.close();
  await hooks.close();
  await rm(dir, { recursive: true, force: true });
});

describe('embedded warnings', () => {
  it('sends each due warning once, by e-mail and signed webhook, in Portuguese, naming what the certificate serves', async () => {
    const warnings = open();
    const view = await configure(warnings);
    expect(view.recipients).toEqual(['ti@empresa.com.br', 'fiscal@empresa.com.br']);
    expect(view.webhooks[0]).toMatchObject({ url: hooks.url, secretSet: true });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    const cert = certificate('2045-01-01T00:00:00.000Z');

    const first = await warnings.run('producao', [cert]);
    expect(first.claimed.map((c) => c.event)).toEqual(['expiry-15']);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['fiscal@empresa.com.br', 'ti@empresa.com.br']);
    const mail = smtp.received[0]!;
    expect(mail.subject).toBe('[CertDesk] Certificado vence em 9 dias: EMPRESA EXEMPLO LTDA (Produção)');
    expect(mail.text).toContain('Certificado: EMPRESA EXEMPLO LTDA (CNPJ 11.222.333/0001-81)');
    expect(mail.text).toContain('Válido até: 31/12/2044 (vence em 9 dias)'); // 2045-01-01T00:00Z in São Paulo
    expect(mail.text).toContain('- 0001 Matriz São Paulo — Faturamento');
    expect(mail.text).toContain('- 0003 Filial Curitiba — Recebimento NF-e');
    expect(mail.text).toContain('O que fazer: Obtenha o certificado renovado e use "Substituir / Renovar"');
    expect(hooks.received).toHaveLength(1);
    expect(hooks.received[0]).toMatchObject({ verdict: 'ok', event: 'expiry-15', status: 204 });
    expect(hooks.received[0]!.body).toMatchObject({ event: 'expiry-15', environment: 'producao', certificate: { daysRemaining: 9 } });

    // Again, and after a restart (a new service on the same folder): nothing more.
    await warnings.run('producao', [cert]);
    await open().run('producao', [cert]);
    expect(smtp.received).toHaveLength(2);
    expect(hooks.received).toHaveLength(1);

    // The next threshold, later: one more of each; crossing 7 and 1 while closed sends only the tightest.
    clock = new Date('2044-12-31T12:00:00Z');
    await open().run('producao', [cert]);
    expect(smtp.received.slice(2).map((m) => m.subject)).toEqual([
      '[CertDesk] Certificado vence hoje: EMPRESA EXEMPLO LTDA (Produção)',
      '[CertDesk] Certificado vence hoje: EMPRESA EXEMPLO LTDA (Produção)',
    ]);
    expect(hooks.received.map((h) => h.event)).toEqual(['expiry-15', 'expiry-1']);
    const log = await open().deliveries('producao');
    expect(log.filter((e) => e.outcome === 'sent')).toHaveLength(6);
    expect(log[0]).toMatchObject({ environment: 'producao', outcome: 'sent', attempt: 1 });
    const info = await stat(join(dir, 'warnings', 'producao.json'));
    expect(info.mode & 0o777).toBe(0o600);
  });

  it('retries a failed webhook on schedule and logs every attempt; an e-mail refused with 451 too', async () => {
    const warnings = open();
    await configure(warnings);
    hooks.failNext(2, 503);
    smtp.rejectNext(1);
    await warnings.run('producao', [certificate('2045-01-01T00:00:00.000Z')]);
    expect(hooks.received.map((h) => h.status)).toEqual([503]);
    expect(smtp.received).toHaveLength(1);
    let log = await warnings.deliveries('producao');
    expect(
      log
        .filter((e) => e.outcome === 'retry')
        .map((e) => e.detail)
        .sort(),
    ).toEqual(['HTTP 503', 'SMTP 451']);
    // Not due yet: nothing is sent.
    await warnings.run('producao', []);
    expect(hooks.received).toHaveLength(1);
    clock = new Date(clock.getTime() + 60_000);
    await warnings.run('producao', []);
    expect(hooks.received.map((h) => h.status)).toEqual([503, 503]);
    expect(smtp.received).toHaveLength(2);
    clock = new Date(clock.getTime() + 5 * 60_000);
    await warnings.run('producao', []);
    expect(hooks.received.map((h) => h.status)).toEqual([503, 503, 204]);
    log = await warnings.deliveries('producao');
    expect(log.filter((e) => e.channel === 'webhook').map((e) => `${e.attempt}:${e.outcome}`)).toEqual(['3:sent', '2:retry', '1:retry']);
  });

  it('warns of a revocation once, of nothing for a replaced certificate, and of nothing without recipients', async () => {
    const warnings = open();
    expect((await warnings.run('producao', [certificate('2045-01-01T00:00:00.000Z')])).claimed).toEqual([]);
    await configure(warnings);
    const replaced = certificate('2045-01-01T00:00:00.000Z', { replaced: true });
    expect((await warnings.run('producao', [replaced])).claimed).toEqual([]);
    const cert = certificate('2046-06-01T00:00:00.000Z');
    expect(await warnings.revoked('producao', cert, { revokedAt: '2044-12-20T10:00:00.000Z', reason: 'comprometimento da chave' })).toBe(
      true,
    );
    expect(await warnings.revoked('producao', cert, { revokedAt: '2044-12-20T10:00:00.000Z', reason: 'comprometimento da chave' })).toBe(
      false,
    );
    expect(smtp.received.map((m) => m.subject)).toEqual([
      '[CertDesk] Certificado revogado: EMPRESA EXEMPLO LTDA (Produção)',
      '[CertDesk] Certificado revogado: EMPRESA EXEMPLO LTDA (Produção)',
    ]);
    expect(smtp.received[0]!.text).toContain('foi revogado em 20/12/2044 (comprometimento da chave)');
    expect(hooks.received.map((h) => h.event)).toEqual(['revoked']);
  });

  it('refuses settings that must not be stored, and keeps secrets only in the keychain', async () => {
    const warnings = open();
    const base = { recipients: [], smtp: null, webhooks: [] };
    await expect(warnings.save('producao', { ...base, webhooks: [{ url: 'http://exemplo.com.br/x', secret: SECRET }] })).rejects.toThrow(
      /https:\/\//,
    );
    await expect(warnings.save('producao', { ...base, webhooks: [{ url: hooks.url, secret: 'curto' }] })).rejects.toThrow(/16 a 200/);
    await expect(
      warnings.save('producao', {
        ...base,
        recipients: ['a@b.com.br'],
        smtp: { host: 'smtp.empresa.com.br', port: 25, security: 'none', user: null, from: 'x@empresa.com.br' },
      }),
    ).rejects.toThrow(/sem criptografia/);
    await expect(warnings.save('producao', { ...base, recipients: ['não é e-mail'] })).rejects.toThrow(/e-mail inválido/);
    await warnings.save('producao', {
      ...base,
      recipients: ['a@empresa.com.br'],
      smtp: { host: 'smtp.empresa.com.br', port: 587, security: 'starttls', user: 'certdesk', from: 'certdesk@empresa.com.br' },
      smtpPassword: 'SenhaDoSmtp#2026',
    });
    expect([...keychain.entries.values()]).toContain('SenhaDoSmtp#2026');
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(join(dir, 'warnings', 'producao.json'), 'utf8')).not.toContain('SenhaDoSmtp#2026');
    expect((await warnings.view('producao')).smtpPasswordSet).toBe(true);
  });
});
