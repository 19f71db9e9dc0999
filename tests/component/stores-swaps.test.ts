import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import SwapReview from '../../renderer/components/manage/SwapReview.vue';
import { i18n } from '../../renderer/i18n/index';
import { useCertificatesStore } from '../../renderer/stores/certificates';
import { useHistoryStore } from '../../renderer/stores/history';
import { useSettingsStore } from '../../renderer/stores/settings';
import { useSwapsStore, type SwapInput } from '../../renderer/stores/swaps';
import { closedPortUrl, settle, startHarness, type Harness, pfx, PASSWORD } from './stores-harness';

let h: Harness;
beforeEach(async () => (h = await startHarness()));
afterEach(() => void (i18n.global.locale.value = 'pt-BR'));

/** Produção with v01 serving faturamento on the first example branch; its id. */
async function seed(): Promise<string> {
  const status = await h.call<{ branches: { code: string }[] }>('workspace:setup', { environment: 'producao', kind: 'example' });
  const installed = await h.call<{ certificate: { id: string } }>('certificates:install', {
    environment: 'producao',
    path: pfx('v01_default.pfx'),
    password: PASSWORD,
    selection: [{ branch: status.branches[0]!.code, modules: ['faturamento'] }],
  });
  return installed.certificate.id;
}

async function ready() {
  const settings = useSettingsStore();
  await settings.load();
  await settle();
  return { settings, swaps: useSwapsStore(), certificates: useCertificatesStore(), history: useHistoryStore() };
}

const to = (id: string, file: string, scheduledFor: string | null = null): SwapInput => ({
  id,
  path: pfx(file),
  password: PASSWORD,
  scheduledFor,
});

describe('swaps store', () => {
  it('reviews, swaps now, and the certificate list and the swaps kept are read again', async () => {
    const oldId = await seed();
    const { swaps, certificates } = await ready();
    await certificates.load();
    await swaps.preview(to(oldId, 'v25_rsa4096.pfx'));
    expect(swaps.comparison?.refusal).toBeNull();
    expect(swaps.comparison?.links.length).toBe(1);
    expect(swaps.busy).toBe(false);

    const result = await swaps.swap(to(oldId, 'v25_rsa4096.pfx'));
    expect(result?.swap.state).toBe('done');
    await settle();
    expect(certificates.items.map((c) => c.id).sort()).toEqual([oldId, result!.certificate.id].sort());
    expect(certificates.items.find((c) => c.id === oldId)?.replacedBy?.swapId).toBe(result!.swap.id);
    expect(swaps.undoable.map((s) => s.id)).toEqual([result!.swap.id]);
    expect(swaps.failure).toBeNull();
  });

  it('a certificate of another CNPJ root is refused in the review, saying why', async () => {
    const oldId = await seed();
    const { swaps } = await ready();
    await swaps.preview(to(oldId, 'v42_other_company.pfx'));
    expect(swaps.comparison?.refusal?.code).toBe('CNPJ_ROOT_DIFFERS');
    expect(swaps.failure).toBeNull();
    // The review says it in the UI's language, from the code and both certificates' roots.
    const said = (locale: 'pt-BR' | 'en') => {
      i18n.global.locale.value = locale;
      const review = mount(SwapReview, { props: { comparison: swaps.comparison! }, global: { plugins: [i18n] } });
      const text = review.get('[data-testid="swap-refusal"]').text();
      review.unmount();
      return text;
    };
    expect(said('pt-BR')).toMatch(
      /O novo certificado é de outra raiz de CNPJ \(\d\d\.\d{3}\.\d{3}; o atual é \d\d\.\d{3}\.\d{3}\).*rejeição 213/,
    );
    expect(said('pt-BR')).toContain(swaps.comparison!.refusal!.message); // the core's sentence, word for word
    expect(said('en')).toMatch(/another CNPJ root \(\d\d\.\d{3}\.\d{3}; the current one is \d\d\.\d{3}\.\d{3}\).*rejection 213/);
    expect(said('en')).not.toMatch(/[ãéç]|raiz|recusada/);
  });

  it('a failed review is kept by code; changing an input forgets the review, another certificate the failure too', async () => {
    const oldId = await seed();
    const { swaps } = await ready();
    await swaps.preview({ ...to(oldId, 'v25_rsa4096.pfx'), password: 'senha-errada' });
    expect(swaps.failure?.code).toBe('WRONG_PASSWORD');
    expect(swaps.comparison).toBeNull();
    expect(swaps.busy).toBe(false);
    await swaps.preview(to(oldId, 'v25_rsa4096.pfx'));
    expect(swaps.failure).toBeNull();
    swaps.clearComparison();
    expect(swaps.comparison).toBeNull();
    await swaps.preview({ ...to(oldId, 'v25_rsa4096.pfx'), password: 'senha-errada' });
    swaps.resetReview();
    expect(swaps.failure).toBeNull();
  });

  it('a scheduled swap is pending (counted for the coverage grid) until it is cancelled', async () => {
    const oldId = await seed();
    const { swaps, history } = await ready();
    const at = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const result = await swaps.swap(to(oldId, 'v25_rsa4096.pfx', at));
    expect(result?.swap.state).toBe('pending');
    await settle();
    expect([...swaps.pendingFrom]).toEqual([[oldId, at]]);
    expect(swaps.undoable.map((s) => s.state)).toEqual(['pending']);

    expect(await swaps.end(result!.swap.id, 'cancel')).toBeNull();
    await settle();
    expect(swaps.pendingFrom.size).toBe(0);
    expect(swaps.undoable).toEqual([]);
    expect(swaps.items.map((s) => s.state)).toEqual(['cancelled']);
    // The history was read again with the swaps (the history screen shows what the cancel did).
    expect(history.entries.map((e) => e.action)).toContain('install');
  });

  it('undo puts the old certificate back and reads the history and the list again; a second undo fails by code', async () => {
    const oldId = await seed();
    const { swaps, certificates, history } = await ready();
    const result = await swaps.swap(to(oldId, 'v25_rsa4096.pfx'));
    await settle();
    await history.load();
    const before = history.entries.length;

    expect(await swaps.end(result!.swap.id, 'undo')).toBeNull();
    await settle();
    expect(swaps.items.map((s) => s.state)).toEqual(['undone']);
    expect(history.entries.length).toBe(before + 1);
    expect(history.entries[0]!.swap?.stage).toBe('undone');
    expect(certificates.items.find((c) => c.id === oldId)?.replacedBy).toBeUndefined();

    const again = await swaps.end(result!.swap.id, 'undo');
    expect(again?.code).toBe('SWAP_REFUSED');
  });

  it("a list answered after the environment changed is not shown as the new environment's", async () => {
    const oldId = await seed();
    const at = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await h.call('certificates:swap', { environment: 'producao', ...to(oldId, 'v25_rsa4096.pfx', at) });
    const { settings, swaps } = await ready();
    const late = h.hold('swaps:list', (r) => r['environment'] === 'producao');
    const loading = swaps.load();
    await late.reached;
    await settings.setEnvironment('homologacao');
    await settle();
    await late.release(); // Produção's list, with its pending swap, arrives last
    await loading;
    expect(settings.environment).toBe('homologacao');
    expect(swaps.items).toEqual([]);
    expect(swaps.pendingFrom.size).toBe(0);
  });

  it('a list that cannot be read is kept as an error by code, with nothing counted as pending', async () => {
    await h.call('backend:set', { environment: 'producao', kind: 'cloud', url: await closedPortUrl() });
    const { swaps } = await ready();
    await swaps.load();
    expect(swaps.error?.code).toBe('CLOUD_OFFLINE');
    expect(swaps.items).toEqual([]);
    expect(swaps.pendingFrom.size).toBe(0);
  });
});
