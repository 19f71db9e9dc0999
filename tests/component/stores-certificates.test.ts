import { beforeEach, describe, expect, it } from 'vitest';
import { useCertificatesStore } from '../../renderer/stores/certificates';
import { useSettingsStore } from '../../renderer/stores/settings';
import { closedPortUrl, settle, startHarness, type Harness, pfx, PASSWORD } from './stores-harness';

let h: Harness;
beforeEach(async () => (h = await startHarness()));

/** Produção set up with the example workspace and one certificate installed (v01, branch 0001). */
async function seedProducao(): Promise<void> {
  const status = await h.call<{ branches: { code: string }[] }>('workspace:setup', { environment: 'producao', kind: 'example' });
  const branch = status.branches[0]!.code;
  await h.call('certificates:install', {
    environment: 'producao',
    path: pfx('v01_default.pfx'),
    password: PASSWORD,
    selection: [{ branch, modules: [] }],
  });
}

async function ready() {
  const settings = useSettingsStore();
  const certificates = useCertificatesStore();
  await settings.load();
  await settle();
  return { settings, certificates };
}

describe('certificates store', () => {
  it('lists what the backend holds and filters it', async () => {
    await seedProducao();
    const { certificates } = await ready();
    await certificates.load();
    expect(certificates.loaded).toBe(true);
    expect(certificates.items).toHaveLength(1);
    certificates.search = 'nobody at all';
    expect(certificates.filtered).toHaveLength(0);
    certificates.search = certificates.items[0]!.certificate.holderName.slice(0, 5);
    expect(certificates.filtered).toHaveLength(1);
  });

  it("a list answered after the environment changed is not shown as the new environment's", async () => {
    await seedProducao();
    const { settings, certificates } = await ready();
    const late = h.hold('certificates:list', (r) => r['environment'] === 'producao');
    const loading = certificates.load();
    await late.reached;
    await settings.setEnvironment('homologacao');
    await settle();
    await late.release();
    await loading;
    expect(settings.environment).toBe('homologacao');
    expect(certificates.items).toHaveLength(0);
  });

  it('of two loads, the later one is applied even when the earlier answers last', async () => {
    await seedProducao();
    const { certificates } = await ready();
    const late = h.hold('certificates:list');
    const first = certificates.load();
    await late.reached;
    const removed =
      certificates.items[0]?.id ??
      (await h.call<{ items: { id: string }[] }>('certificates:list', { environment: 'producao' })).items[0]!.id;
    await h.call('certificates:delete', { environment: 'producao', id: removed });
    await certificates.load(); // the list after the delete: empty
    await late.release(); // the list from before the delete arrives last
    await first;
    expect(certificates.items).toHaveLength(0);
  });

  it('when the cloud stops answering, the list on screen stays, with its age, and the failure is kept by code', async () => {
    await seedProducao();
    const { certificates } = await ready();
    await certificates.load();
    expect(certificates.staleSince).toBeNull();
    await h.call('backend:set', { environment: 'producao', kind: 'cloud', url: await closedPortUrl() });
    await certificates.load();
    expect(certificates.items).toHaveLength(1);
    expect(certificates.offline?.code).toBe('CLOUD_OFFLINE');
    expect(certificates.staleSince).not.toBeNull();
    expect(certificates.error).toBeNull();
  });

  it('with nothing read before, an unanswered cloud is an error by code, not a string', async () => {
    await h.call('backend:set', { environment: 'producao', kind: 'cloud', url: await closedPortUrl() });
    const { certificates } = await ready();
    await certificates.load();
    expect(certificates.loaded).toBe(false);
    expect(certificates.error).toMatchObject({ code: 'CLOUD_OFFLINE' });
  });
});
