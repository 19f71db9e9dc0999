import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryKeychain } from '../../stand-ins/memory-keychain';
import { createCore } from '#desktop/composition-root';
import { dueNotices, ExpiryNotifier, listThroughBackends, type ExpiryNotice } from '#desktop/notifications/expiry-notifier';
import { startDemoCloud } from './helpers/cloud-service';
import { inspectFile } from '@certdesk/core/pfx/inspect';
import { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import { PASSWORD, pfx } from '../fixtures';

let dir: string;
let clock: Date;
let workspace: WorkspaceService;
const shown: ExpiryNotice[] = [];
const notifier = () =>
  ExpiryNotifier.open(
    dir,
    (env) => workspace.list(env),
    (n) => shown.push(n),
  );

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-notify-'));
  shown.length = 0;
  clock = new Date('2044-11-01T12:00:00Z'); // v01 expires 2045-01-01: 61 days left
  workspace = new WorkspaceService({
    dataDir: dir,
    keychain: new MemoryKeychain(),
    inspect: (p, pw) => inspectFile(p, { password: pw, now: clock }),
    now: () => clock,
  });
  await workspace.setup('producao', { kind: 'example' });
  await workspace.install('producao', { path: pfx('v01_default.pfx'), password: PASSWORD, selection: [] });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const at = (iso: string) => (clock = new Date(iso));

describe('expiry notifications (30, 15, 7, 1 days, once each)', () => {
  it('notifies once per threshold as the date approaches, and remembers across restarts', async () => {
    let n = await notifier();
    expect(await n.check()).toEqual([]); // 61 days: nothing yet
    at('2044-12-02T12:00:00Z'); // 30 calendar days to 01/01
    expect((await n.check()).map((x) => x.threshold)).toEqual([30]);
    expect(shown[0]).toMatchObject({
      title: 'Certificado vence em 30 dias',
      body: expect.stringContaining('EMPRESA EXEMPLO LTDA (CNPJ 11.222.333/0001-81) — Produção'),
    });
    expect(await n.check()).toEqual([]); // same threshold: not again
    n = await notifier(); // a restart remembers
    expect(await n.check()).toEqual([]);
    at('2044-12-18T12:00:00Z'); // 14 days
    expect((await n.check()).map((x) => x.threshold)).toEqual([15]);
    at('2044-12-31T00:00:00Z'); // 1 day
    expect((await n.check()).map((x) => x.threshold)).toEqual([1]); // 7 was skipped: only the tightest
    expect(shown.map((x) => x.threshold)).toEqual([30, 15, 1]);
    at('2045-02-01T00:00:00Z'); // expired: nothing more
    expect(await n.check()).toEqual([]);
  });

  it('says "amanhã" with the hour the day before, and covers Homologação too', async () => {
    await workspace.setup('homologacao', { kind: 'example' });
    await workspace.install('homologacao', { path: pfx('v42_other_company.pfx'), password: PASSWORD, selection: [] });
    at('2044-12-30T13:00:00Z');
    expect((await (await notifier()).check()).map((x) => x.title)).toEqual(['Certificado vence em 2 dias', 'Certificado vence em 2 dias']);
    at('2044-12-31T13:00:00Z'); // the fixtures end at 00:00 UTC on 01/01
    const notices = await (await notifier()).check();
    expect(notices.map((x) => x.title)).toEqual(['Certificado vence amanhã às 00:00', 'Certificado vence amanhã às 00:00']);
    expect(notices[1]!.body).toContain('Homologação');
  });

  for (const [zone, title] of [
    ['America/Sao_Paulo', 'Certificado vence hoje às 21:00'],
    ['America/Manaus', 'Certificado vence hoje às 20:00'],
  ] as const) {
    it(`counts the days and says the hour in the process's zone (TZ=${zone})`, async () => {
      const previous = process.env['TZ'];
      process.env['TZ'] = zone; // the desktop's main process runs in the user's zone
      try {
        // 31/12 at 10:00 in Brasília: the fixture ends at 00:00 UTC on 01/01, that is 31/12 in the evening there.
        at('2044-12-31T13:00:00Z');
        const notices = await (await notifier()).check();
        expect(notices.map((x) => [x.threshold, x.title])).toEqual([[1, title]]);
      } finally {
        process.env['TZ'] = previous;
      }
    });
  }
});

describe('each environment is read from its own backend', () => {
  it('a cloud-backed Homologação is notified from the cloud list, not the embedded workspace', async () => {
    // A session long enough for the clock to move a month on.
    const server = await startDemoCloud({ dataDir: join(dir, 'server'), now: () => clock, sessionHours: 24 * 90 });
    const core = await createCore({
      dataDir: join(dir, 'app'),
      shell: 'browser',
      version: '0.0.0',
      keychain: new MemoryKeychain(),
      now: () => clock,
    });
    try {
      const h = core.handlers;
      const environment = 'homologacao';
      await h['backend:set']({ environment, kind: 'cloud', url: server.url });
      await h['cloud:signIn']({ environment, method: 'cloud', login: 'EXEMPLO.admin', password: 'Admin#2026' });
      await h['workspace:setup']({ environment, kind: 'example' });
      const { certificate } = await h['certificates:install']({
        environment,
        path: pfx('v42_other_company.pfx'),
        password: PASSWORD,
        selection: [],
      });
      // The cloud keeps the inspector's facts too, and they pass the contract.
      expect((await h['certificates:get']({ environment, id: certificate.id })).inspection).toMatchObject({
        privateKey: { present: true, matchesCertificate: true },
        protection: { mac: expect.any(String) },
      });
      expect(await core.workspace.list(environment)).toEqual([]); // the embedded workspace knows nothing of it

      at('2044-12-02T12:00:00Z'); // 29 days
      const notices = await (await ExpiryNotifier.open(join(dir, 'app'), listThroughBackends(h), (n) => shown.push(n))).check();
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({
        key: expect.stringMatching(/^homologacao:/),
        threshold: 30,
        body: expect.stringContaining('Homologação'),
      });

      // Signed out, the cloud has nothing to say (no notice, no failure) and Produção still works.
      await h['cloud:signOut']({ environment });
      at('2044-12-18T12:00:00Z');
      expect(await (await ExpiryNotifier.open(join(dir, 'app'), listThroughBackends(h), (n) => shown.push(n))).check()).toEqual([]);
    } finally {
      await core.close();
      await server.close();
    }
  }, 180_000); // PGlite creates its cluster first
});

describe('a revoked certificate (worse than expiring)', () => {
  it('is notified once as revoked, and no expiry notice follows it; an expired one is not', () => {
    const row = (sha: string, days: number, revoked?: { revokedAt: string; reasonCode: number | null }) => ({
      id: sha,
      origin: 'certdesk' as const,
      fileName: `${sha}.pfx`,
      certificate: {
        holderName: 'EMPRESA REVOGADA LTDA',
        type: 'e-CNPJ' as const,
        cnpj: '11222333000181',
        cpf: null,
        notBefore: '2026-01-01T00:00:00.000Z',
        notAfter: '2027-01-01T00:00:00.000Z',
        fingerprints: { sha256: sha.repeat(64).slice(0, 64) },
      },
      links: [],
      status: days < 0 ? ('expired' as const) : ('configured' as const),
      daysRemaining: days,
      ...(revoked ? { revoked } : {}),
    });
    const revoked = { revokedAt: '2026-12-01T15:00:00.000Z', reasonCode: 1 };
    const sent: Record<string, number> = {};
    const first = dueNotices('producao', [row('a', 20, revoked), row('b', 20), row('c', -3, revoked)], sent);
    expect(first.map((n) => [n.key.slice(-1), n.title])).toEqual([
      ['a', 'Certificado revogado'],
      ['b', 'Certificado vence em 20 dias'],
    ]);
    const day = new Intl.DateTimeFormat('pt-BR', { day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date(revoked.revokedAt));
    expect(first[0]!.body).toBe(
      `EMPRESA REVOGADA LTDA (CNPJ 11.222.333/0001-81) — Produção. Revogado em ${day}: a SEFAZ recusa documentos assinados com ele (rejeição 284). Instale um novo certificado no CertDesk.`,
    );
    for (const notice of first) sent[notice.key] = notice.threshold;
    // Days later: no second revocation notice, and the revoked one gets no expiry notice either.
    expect(dueNotices('producao', [row('a', 6, revoked), row('b', 6)], sent).map((n) => [n.key.slice(-1), n.threshold])).toEqual([
      ['b', 7],
    ]);
    // Revoked after an expiry notice was given: the revocation is still said.
    expect(dueNotices('producao', [row('b', 6, revoked)], { ...sent, [first[1]!.key]: 7 }).map((n) => n.title)).toEqual([
      'Certificado revogado',
    ]);
  });
});
