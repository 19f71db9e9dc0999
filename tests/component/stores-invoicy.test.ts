import { beforeEach, describe, expect, it } from 'vitest';
import { useInvoicyStore } from '../../renderer/stores/invoicy';
import { useSettingsStore } from '../../renderer/stores/settings';
import { closedPortUrl, settle, startHarness, type Harness } from './stores-harness';

let h: Harness;
beforeEach(async () => (h = await startHarness()));

const KEYS = { empPK: 'CERTDESK-DEMO-PK', ck: 'demo-ck-9099628c' };

async function ready() {
  const settings = useSettingsStore();
  const invoicy = useInvoicyStore();
  await settings.load();
  await settle();
  return { settings, invoicy };
}

describe('invoicy store', () => {
  it('reads and saves the connection (no secret comes back)', async () => {
    const { invoicy } = await ready();
    await invoicy.load();
    expect(invoicy.connection).toMatchObject({ hasEmpPK: false, hasCk: false });
    const url = (await closedPortUrl()).replace('/api/v1', '/aextensaocertificadosoap.aspx');
    await invoicy.save({ url, ...KEYS });
    expect(invoicy.connection).toEqual({ url, defaultUrl: expect.stringContaining('https://'), hasEmpPK: true, hasCk: true });
  });

  it("a connection answered for the environment left behind is not shown as the new one's", async () => {
    const url = (await closedPortUrl()).replace('/api/v1', '/aextensaocertificadosoap.aspx');
    await h.call('invoicy:saveSettings', { environment: 'producao', url });
    const { settings, invoicy } = await ready();
    const late = h.hold('invoicy:getSettings', (r) => r['environment'] === 'producao');
    const loading = invoicy.load();
    await late.reached;
    await settings.setEnvironment('homologacao');
    await settle();
    await late.release();
    await loading;
    expect(invoicy.connection?.url).toBe('https://homolog.invoicy.com.br/aextensaocertificadosoap.aspx');
  });

  it('a refused address is thrown with its code and the stored one stays', async () => {
    const { invoicy } = await ready();
    await invoicy.load();
    const before = invoicy.connection?.url;
    await expect(invoicy.save({ url: 'http://invoicy.exemplo.com.br/x.aspx' })).rejects.toMatchObject({ code: 'INVALID_DATA' });
    expect(invoicy.connection?.url).toBe(before);
  });

  it('a failed call is kept by code and says it did not succeed; an answer for the other environment is dropped', async () => {
    const { settings, invoicy } = await ready();
    expect(await invoicy.run('check', '529.982.247-25')).toBe(false);
    expect(invoicy.error?.code).toBe('INVOICY_NOT_CONFIGURED');

    const url = (await closedPortUrl()).replace('/api/v1', '/aextensaocertificadosoap.aspx');
    await invoicy.save({ url, ...KEYS });
    expect(await invoicy.run('check', '529.982.247-25')).toBe(false);
    expect(invoicy.error?.code).toBe('INVOICY_OFFLINE');

    const late = h.hold('invoicy:check');
    const running = invoicy.run('check', '529.982.247-25');
    await late.reached;
    await settings.setEnvironment('homologacao');
    await settle();
    await late.release();
    await running;
    expect(invoicy.error).toBeNull();
    expect(invoicy.busy).toBe(false);
  });
});
