/** Choosing the backend per environment, signing in (token in the real keychain) and the offline list. */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendRouter } from '#desktop/backend-router';
import type { CloudService } from '../../cloud-service/service';
import { START_TIMEOUT, startDemoCloud } from './helpers/cloud-service';
import { OsKeychain } from '#desktop/keychain';
import { inspectFile } from '@certdesk/core/pfx/inspect';
import { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import { PASSWORD, pfx } from '../fixtures';

let dir: string;
let server: CloudService;
let router: BackendRouter;
let embedded: WorkspaceService;
const keychain = new OsKeychain(`CertDesk-test-${randomUUID()}`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-router-'));
  server = await startDemoCloud({ dataDir: join(dir, 'server'), now: () => new Date('2026-06-01T12:00:00Z') });
  embedded = new WorkspaceService({ dataDir: join(dir, 'app'), keychain, inspect: (p, pw) => inspectFile(p, { password: pw }) });
  router = await BackendRouter.open(join(dir, 'app'), embedded, keychain);
}, START_TIMEOUT);
afterAll(async () => {
  await server.close().catch(() => undefined);
  await keychain.delete('cloud:homologacao:token');
  await rm(dir, { recursive: true, force: true });
});

describe('backend per environment', () => {
  it('starts embedded; a cloud environment needs an https URL (http only on loopback)', async () => {
    expect(router.info('producao')).toEqual({ environment: 'producao', kind: 'embedded', url: null, session: null });
    await expect(router.choose('homologacao', 'cloud', 'http://nuvem.exemplo.com.br/api/v1')).rejects.toMatchObject({
      code: 'INVALID_DATA',
    });
    expect(await router.choose('homologacao', 'cloud', server.url)).toMatchObject({ kind: 'cloud', url: server.url, session: null });
    expect(router.info('producao').kind).toBe('embedded');
  });

  it('signs in with the token in the keychain only, serves the cloud list, and keeps it for offline', async () => {
    await expect(router.list('homologacao')).rejects.toMatchObject({ code: 'CLOUD_UNAUTHENTICATED' });
    const info = await router.signIn('homologacao', { method: 'cloud', login: 'EXEMPLO.admin', password: 'Admin#2026' });
    expect(info.session).toMatchObject({ user: 'Administrador', role: 'administrator' });
    const token = await keychain.get('cloud:homologacao:token');
    expect(token).toBeTruthy();
    expect(await readFile(join(dir, 'app', 'backends.json'), 'utf8')).not.toContain(token!);

    const cloud = router.backend('homologacao');
    await cloud.setup('homologacao', { kind: 'example' });
    await cloud.install('homologacao', { path: pfx('v01_default.pfx'), password: PASSWORD, selection: [] });
    const online = await router.list('homologacao');
    expect(online).toMatchObject({ staleSince: null, items: [{ certificate: { holderName: 'EMPRESA EXEMPLO LTDA' } }] });
    // Contract 1.6: the list kept is offered by its tag; unchanged, the cloud answers 304 (its cache
    // is not even read) and the kept rows are served.
    const kept = JSON.parse(await readFile(join(dir, 'app', 'backends.json'), 'utf8')) as { homologacao: { cache: { etag: string } } };
    expect(kept.homologacao.cache.etag).toMatch(/^W\/"/);
    const counts = { ...server.workspace.listCache.counts };
    expect(await router.list('homologacao')).toEqual(online);
    expect(server.workspace.listCache.counts, 'answered 304').toEqual(counts);
    // Contract 1.2: the cloud answers rows; the full certificate comes with `get`, as on the embedded side.
    expect(Object.keys(online.items[0]!).sort()).toEqual(['certificate', 'daysRemaining', 'fileName', 'id', 'links', 'origin', 'status']);
    expect(Object.keys(online.items[0]!.certificate).sort()).toEqual([
      'cnpj',
      'cpf',
      'fingerprints',
      'holderName',
      'notAfter',
      'notBefore',
      'type',
    ]);
    const full = await cloud.get('homologacao', online.items[0]!.id);
    expect(full).toMatchObject({ id: online.items[0]!.id, inspection: { privateKey: { present: true } }, lastResults: [] });
    // The workspace status read online is kept beside the list (branches and module names offline).
    const status = await router.status('homologacao');
    expect(status.staleSince).toBeUndefined();
    expect(status.modules.length).toBeGreaterThan(0);
    expect((await router.status('producao')).staleSince).toBeUndefined(); // embedded: never stale

    await server.close();
    const offlineStatus = await router.status('homologacao');
    expect(offlineStatus).toMatchObject({ modules: status.modules, branches: status.branches });
    expect(Date.parse(offlineStatus.staleSince!)).toBeLessThanOrEqual(Date.now());
    const offline = await router.list('homologacao');
    expect(offline.items).toHaveLength(1);
    expect(Date.parse(offline.staleSince!)).toBeLessThanOrEqual(Date.now());
    // The kept list's validity is worked out when it is shown, never frozen: in 2046 v01 has expired.
    const later = await BackendRouter.open(join(dir, 'app'), embedded, keychain, () => new Date('2046-01-02T00:00:00Z'));
    const aged = await later.list('homologacao');
    expect(aged.items[0]).toMatchObject({ status: 'expired' });
    expect(aged.items[0]!.daysRemaining).toBeLessThan(0);
  }, 30_000);

  it('going back to the embedded workspace forgets the session and its token', async () => {
    expect(await router.choose('homologacao', 'embedded')).toMatchObject({ kind: 'embedded', session: null });
    expect(await keychain.get('cloud:homologacao:token')).toBeNull();
    expect((await router.list('homologacao')).items).toEqual([]);
    // Nothing of the cloud's is kept once the environment is embedded again.
    expect(await readFile(join(dir, 'app', 'backends.json'), 'utf8')).not.toContain('EMPRESA EXEMPLO LTDA');
    expect((await router.status('homologacao')).staleSince).toBeUndefined();
  });
});
