/**
 * CertDesk Cloud's scheduled job on one real PostgreSQL shared by two instances: each warning is
 * sent exactly once however the instances' runs overlap (unique claims, deliveries taken with skip
 * locked), a scheduled swap runs once and its warning goes out once; secrets stay sealed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudService } from '../../cloud-service/service';
import { startSmtpStandIn, type SmtpStandIn } from '../../stand-ins/smtp-stand-in';
import { startWebhookReceiver, type WebhookReceiver } from '../../stand-ins/webhook-receiver';
import {
  addTenant,
  ADMIN_PASSWORD,
  call,
  installBody,
  signIn,
  START_TIMEOUT,
  startTestService,
  testDatabase,
  type TestDatabase,
} from './helpers/cloud-service';

const SECRET = 'segredo-do-webhook-na-nuvem';
let db: TestDatabase;
let a: CloudService;
let b: CloudService;
let smtp: SmtpStandIn;
let hooks: WebhookReceiver;
let clock = new Date('2044-12-22T12:00:00Z'); // v01 ends 2045-01-01: 9 days left
let token: string;
let certificateId: string;

beforeAll(async () => {
  db = await testDatabase('postgres');
  const options = { now: () => clock, allowPrivateWarningTargets: true };
  a = await startTestService(db, options);
  b = await startTestService(db, options);
  smtp = await startSmtpStandIn();
  hooks = await startWebhookReceiver({ secret: SECRET });
  await addTenant(a, 'ALFA');
  token = await signIn(a.url, 'ALFA.admin', ADMIN_PASSWORD);
  await call(a.url, 'POST', '/environments/producao/workspace/setup', { token, body: { kind: 'example' } });
  const installed = await call(b.url, 'POST', '/environments/producao/certificates', {
    token,
    body: await installBody('v01_default.pfx', [{ branch: '0001', modules: ['faturamento'] }]),
    operationId: 'installCertificate',
  });
  certificateId = installed.data.certificate.id;
}, START_TIMEOUT);
afterAll(async () => {
  await a?.close();
  await b?.close();
  await smtp?.close();
  await hooks?.close();
  await db?.stop();
});

/** Both instances' jobs, several times, all at once. */
const raceJobs = () => Promise.all([a, b, a, b, a, b].map((s) => s.warnings.job.runOnce()));

describe('warnings in CertDesk Cloud, two instances on one PostgreSQL', () => {
  it('stores the tenant settings with sealed secrets and answers only whether they are set', async () => {
    const saved = await call(b.url, 'PUT', '/warnings/settings', {
      token,
      operationId: 'saveWarningSettings',
      body: {
        recipients: ['ti@alfa.com.br', 'fiscal@alfa.com.br'],
        smtp: { host: '127.0.0.1', port: smtp.port, security: 'none', user: null, from: 'CertDesk <certdesk@alfa.com.br>' },
        smtpPassword: null,
        webhooks: [{ url: hooks.url, secret: SECRET }],
      },
    });
    expect(saved.status).toBe(200);
    expect(saved.data).toMatchObject({ scope: 'tenant', webhooks: [{ url: hooks.url, secretSet: true }] });
    const read = await call(a.url, 'GET', '/warnings/settings', { token, operationId: 'getWarningSettings' });
    expect(JSON.stringify(read.data)).not.toContain(SECRET);
    const [row] = await a.db.query<{ webhook_secrets: Record<string, string> }>('select webhook_secrets from warning_settings');
    expect(JSON.stringify(row)).not.toContain(SECRET);
    const refused = await call(a.url, 'PUT', '/warnings/settings', {
      token,
      operationId: 'saveWarningSettings',
      body: { recipients: [], smtp: null, webhooks: [{ url: 'http://example.com/x', secret: SECRET }] },
    });
    expect(refused.status).toBe(400);
  });

  it('sends each warning exactly once however the instances race', async () => {
    await raceJobs();
    await raceJobs();
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(['fiscal@alfa.com.br', 'ti@alfa.com.br']);
    expect(smtp.received[0]!.subject).toBe('[CertDesk] Certificado vence em 9 dias: EMPRESA EXEMPLO LTDA (Produção)');
    expect(smtp.received[0]!.text).toContain('- 0001 Matriz São Paulo — Faturamento');
    expect(hooks.received.map((h) => [h.event, h.verdict])).toEqual([['expiry-15', 'ok']]);
    const [{ count }] = (await a.db.query<{ count: number }>(
      "select count(*)::int as count from warning_log where entry->>'outcome' = 'sent'",
    )) as [{ count: number }];
    expect(count).toBe(3);
    const log = await call(a.url, 'GET', '/warnings/deliveries', { token, operationId: 'listWarningDeliveries' });
    expect(log.data).toHaveLength(3);
  });

  it('runs a scheduled swap once on whichever instance, and warns of it once', async () => {
    const at = new Date(clock.getTime() + 60 * 60_000).toISOString();
    const scheduled = await call(a.url, 'POST', `/environments/producao/certificates/${certificateId}/swap`, {
      token,
      operationId: 'swapCertificate',
      body: { ...(await installBody('v25_rsa4096.pfx')), selection: undefined, scheduledFor: at },
    });
    expect(scheduled.status).toBe(201);
    expect(scheduled.data.swap).toMatchObject({ state: 'pending', scheduledFor: at });
    await raceJobs(); // not due yet
    expect((await call(b.url, 'GET', '/environments/producao/swaps', { token, operationId: 'listSwaps' })).data[0].state).toBe('pending');
    clock = new Date(clock.getTime() + 2 * 60 * 60_000);
    await raceJobs();
    await raceJobs();
    const swaps = await call(b.url, 'GET', '/environments/producao/swaps', { token, operationId: 'listSwaps' });
    expect(swaps.data[0]).toMatchObject({ state: 'done', results: [{ branch: '0001', module: 'faturamento', installed: true }] });
    const history = await call(a.url, 'GET', '/environments/producao/history?action=swap', { token, operationId: 'listHistory' });
    expect(history.data.entries.map((e: { swap: { stage: string } }) => e.swap.stage)).toEqual(['done', 'scheduled']);
    const done = smtp.received.filter((m) => m.subject.startsWith('[CertDesk] Substituição concluída'));
    expect(done.map((m) => m.to[0]).sort()).toEqual(['fiscal@alfa.com.br', 'ti@alfa.com.br']);
    expect(done[0]!.text).toContain('- 0001 Matriz São Paulo — Faturamento');
    expect(hooks.received.filter((h) => h.event === 'swap-done')).toHaveLength(1);
    const old = await call(a.url, 'GET', `/environments/producao/certificates/${certificateId}`, { token, operationId: 'getCertificate' });
    expect(old.data).toMatchObject({ status: 'replaced', links: [] });
  });
});
