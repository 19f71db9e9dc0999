/**
 * Chain and revocation in the desktop's core (the handler table the app and the browser mode serve),
 * against the CA stand-in on 127.0.0.1: the inspector's answer from what is at hand, `trust:check`
 * going to the network, and the background recheck of the embedded environments.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '@certdesk/shared/contract';
import { createCore, type Core } from '#desktop/composition-root';
import { dispatch } from '#desktop/dispatch';
import { RevocationScheduler } from '#desktop/trust/revocation-scheduler';
import { ExpiryNotifier, listThroughBackends } from '#desktop/notifications/expiry-notifier';
import { MemoryKeychain } from '../../stand-ins/memory-keychain';
import { startCaServer, type CaServer } from '../../stand-ins/ca-server';
import { CA_PFX_PASSWORD, caPfx, type CaCase } from '../../scripts/fixtures/ca-pki';

let ca: CaServer;
let dir: string;

beforeAll(async () => {
  ca = await startCaServer();
  dir = await mkdtemp(join(tmpdir(), 'certdesk-trust-core-'));
}, 120_000);
afterAll(async () => {
  await ca.close();
  await rm(dir, { recursive: true, force: true });
});

async function pfxFile(name: CaCase, withChain = false): Promise<string> {
  const path = join(dir, `${name}${withChain ? '-cadeia' : ''}.pfx`);
  await writeFile(path, caPfx(ca.pki, name, withChain));
  return path;
}

async function withCore(name: string, work: (core: Core, clock: { now: Date }, revoked: { count: number }) => Promise<void>) {
  const clock = { now: new Date() };
  const revoked = { count: 0 };
  const core = await createCore({
    dataDir: join(dir, name),
    shell: 'browser',
    version: 't',
    keychain: new MemoryKeychain(),
    now: () => clock.now,
    onRevoked: () => revoked.count++,
  });
  try {
    await work(core, clock, revoked);
  } finally {
    await core.close();
  }
}

describe('the inspector', () => {
  it('answers at once from what is at hand, then trust:check asks the network; what it kept answers the next opening', () =>
    withCore('inspector', async (core) => {
      const path = await pfxFile('revogado');
      const opened = await core.handlers['pfx:inspect']({ path, password: CA_PFX_PASSWORD });
      // Nothing kept yet and no network at opening: the AC is named with where to get it.
      expect(opened.trust).toMatchObject({
        online: false,
        chain: { status: 'incomplete', missing: { issuer: 'AC Teste CertDesk', urls: [`${ca.url}/aia/ac-teste.p7b`] } },
        revocation: { status: 'unknown', code: 'UNCHECKED_NO_ISSUER' },
      });
      const hitsBefore = ca.hits.get('/lcr/ac-teste.crl') ?? 0;
      const sha256 = opened.certificate!.fingerprints.sha256;
      const checked = await dispatch(core.handlers, 'trust:check', { sha256 });
      expect(checked).toMatchObject({
        ok: true,
        data: {
          online: true,
          chain: { path: 'AC Teste CertDesk → Raiz de Teste CertDesk' },
          revocation: { status: 'revoked', code: 'REVOKED', source: 'crl', revokedAt: ca.revokedAt.toISOString(), reasonCode: 1 },
        },
      });
      expect(ca.hits.get('/lcr/ac-teste.crl')).toBe(hitsBefore + 1);

      const again = await core.handlers['pfx:inspect']({ path, password: CA_PFX_PASSWORD });
      expect(again.trust).toMatchObject({ online: false, revocation: { status: 'revoked', crl: { fromCache: true } } });
      expect(ca.hits.get('/lcr/ac-teste.crl')).toBe(hitsBefore + 1);
      // The cache lives in the data folder.
      expect((await readdir(join(dir, 'inspector', 'trust-cache'))).sort()).toEqual(['aia', 'crl']);
    }));

  it('trust:check of a certificate not opened in this session is NOT_FOUND; a malformed hash is refused', () =>
    withCore('unknown', async (core) => {
      expect(await dispatch(core.handlers, 'trust:check', { sha256: 'a'.repeat(64) })).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND', message: 'Este certificado não foi aberto nesta sessão: abra o arquivo de novo.' },
      });
      expect(await dispatch(core.handlers, 'trust:check', { sha256: '../../etc/passwd' })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_REQUEST' },
      });
    }));
});

describe('the background recheck', () => {
  it('finds a certificate revoked after install once its check is due, marks the row and says so', () =>
    withCore('recheck', async (core, clock, revoked) => {
      const own = await startCaServer();
      const path = join(dir, 'recheck-valido.pfx');
      await writeFile(path, caPfx(own.pki, 'valido', true));
      await core.handlers['workspace:setup']({ environment: 'producao', kind: 'example' });
      const installed = await core.handlers['certificates:install']({
        environment: 'producao',
        path,
        password: CA_PFX_PASSWORD,
        selection: [{ branch: '0001', modules: ['faturamento'] }],
      });
      expect(installed.certificate.trust!.revocation.code).toBe('NOT_REVOKED');
      own.revoke('valido');
      await core.revocation.turn(); // not due yet
      expect((await core.handlers['certificates:list']({ environment: 'producao' })).items[0]).not.toHaveProperty('revoked');

      clock.now = new Date(clock.now.getTime() + 25 * 3_600_000);
      await core.revocation.turn();
      await own.close();
      const [row] = (await core.handlers['certificates:list']({ environment: 'producao' })).items;
      expect(row).toMatchObject({ status: 'configured', revoked: { reasonCode: 1 } });
      expect(revoked.count).toBe(1);
      // What the desktop then shows: "revogado", from the list every screen reads.
      const shown: string[] = [];
      const notifier = await ExpiryNotifier.open(join(dir, 'recheck'), listThroughBackends(core.handlers), (n) => shown.push(n.title));
      await notifier.check();
      expect(shown).toEqual(['Certificado revogado']);
    }));
});

describe('RevocationScheduler', () => {
  it('checks only the embedded environments, says when something was newly revoked, and stops', async () => {
    const asked: Environment[] = [];
    let told = 0;
    const scheduler = new RevocationScheduler({
      embedded: () => ['homologacao'],
      recheck: async (environment) => {
        asked.push(environment);
        return { checked: 2, newlyRevoked: 1, nextDelay: 5_000 };
      },
      onRevoked: () => told++,
    });
    await scheduler.turn();
    expect(asked).toEqual(['homologacao']);
    expect(told).toBe(1);
    // A turn asked while one runs is that turn, not a second one.
    await Promise.all([scheduler.turn(), scheduler.turn()]);
    expect(asked).toEqual(['homologacao', 'homologacao']);
    scheduler.stop();
    await scheduler.turn();
    expect(asked).toHaveLength(2);
  });

  it('a recheck that fails is logged and the turn goes on to the other environment', async () => {
    const asked: Environment[] = [];
    const scheduler = new RevocationScheduler({
      embedded: () => ['producao', 'homologacao'],
      recheck: async (environment) => {
        asked.push(environment);
        if (environment === 'producao') throw new Error('disco');
        return { checked: 0, newlyRevoked: 0, nextDelay: null };
      },
    });
    await scheduler.turn();
    scheduler.stop();
    expect(asked).toEqual(['producao', 'homologacao']);
  });
});
