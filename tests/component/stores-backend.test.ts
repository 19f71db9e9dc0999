import { beforeEach, describe, expect, it } from 'vitest';
import { useBackendStore } from '../../renderer/stores/backend';
import { useSettingsStore } from '../../renderer/stores/settings';
import { closedPortUrl, settle, startHarness, type Harness } from './stores-harness';

let h: Harness;
beforeEach(async () => (h = await startHarness()));

async function ready() {
  const settings = useSettingsStore();
  const backend = useBackendStore();
  await settings.load();
  await settle();
  return { settings, backend };
}

describe('backend store', () => {
  it('reads the environment backend and a choice lands in it', async () => {
    const { backend } = await ready();
    expect(backend.info).toMatchObject({ environment: 'producao', kind: 'embedded' });
    const url = await closedPortUrl();
    await backend.choose('cloud', url);
    expect(backend.info).toMatchObject({ kind: 'cloud', url, session: null });
    expect(backend.cloud).toBe(true);
    expect(backend.signedOut).toBe(true);
    expect(backend.readOnly).toBe(false);
  });

  it("a late answer for the environment left behind never shows as the current one's", async () => {
    const url = await closedPortUrl();
    await h.call('backend:set', { environment: 'producao', kind: 'cloud', url });
    const settings = useSettingsStore();
    const late = h.hold('backend:get', (r) => r['environment'] === 'producao');
    const backend = useBackendStore();
    await settings.load(); // loads Produção's backend, held
    await late.reached;
    await settings.setEnvironment('homologacao');
    await settle();
    expect(backend.info).toMatchObject({ environment: 'homologacao', kind: 'embedded' });
    await late.release();
    expect(backend.info).toMatchObject({ environment: 'homologacao', kind: 'embedded' });
  });

  it('a load racing a choice: the choice, made last, wins', async () => {
    const { backend } = await ready();
    const late = h.hold('backend:get');
    const loading = backend.load();
    await late.reached;
    const url = await closedPortUrl();
    await backend.choose('cloud', url);
    await late.release();
    await loading;
    expect(backend.info?.kind).toBe('cloud');
  });

  it("a background read while the user's choice waits does not undo it (the lists' 401 asks for one)", async () => {
    const { backend } = await ready();
    const url = await closedPortUrl();
    const choice = h.hold('backend:set');
    const choosing = backend.choose('cloud', url);
    await choice.reached;
    const read = h.hold('backend:get');
    const reading = backend.load(); // what the certificates store does on a 401 while the choice is in flight
    await choice.release();
    await choosing;
    // Before, the read superseded the choice: its answer was dropped and the screen kept the old backend.
    expect(backend.info).toMatchObject({ kind: 'cloud', url });
    await reading;
    // With nothing waiting, a read goes out and applies as before.
    const again = backend.load();
    await read.reached;
    await read.release();
    await again;
    expect(backend.info).toMatchObject({ kind: 'cloud', url });
  });

  it('a refused address is thrown with its code and changes nothing', async () => {
    const { backend } = await ready();
    await expect(backend.choose('cloud', 'http://nuvem.exemplo.com.br/api/v1')).rejects.toMatchObject({ code: 'INVALID_DATA' });
    expect(backend.info?.kind).toBe('embedded');
  });

  it('a sign-in the cloud does not answer says offline (by code), and nobody is signed in', async () => {
    const { backend } = await ready();
    await backend.choose('cloud', await closedPortUrl());
    await expect(backend.signIn({ method: 'cloud', login: 'EXEMPLO.admin', password: 'x' })).rejects.toMatchObject({
      code: 'CLOUD_OFFLINE',
    });
    expect(backend.info?.session).toBeNull();
  });
});
