import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useBackendStore } from '../../renderer/stores/backend';
import { useSettingsStore } from '../../renderer/stores/settings';
import { useWarningsStore } from '../../renderer/stores/warnings';
import { startWebhookReceiver, type WebhookReceiver } from '../../stand-ins/webhook-receiver';
import { closedPortUrl, settle, startHarness, type Harness } from './stores-harness';

const SECRET = 'segredo-do-webhook-de-teste';
let h: Harness;
let hooks: WebhookReceiver;
beforeEach(async () => {
  h = await startHarness();
  hooks = await startWebhookReceiver({ secret: SECRET });
});
afterEach(() => hooks.close());

async function ready() {
  const settings = useSettingsStore();
  await settings.load();
  await settle();
  return { settings, warnings: useWarningsStore() };
}

const settingsWith = (webhooks: { url: string; secret?: string }[]) => ({
  recipients: [],
  smtp: null,
  webhooks,
});

describe('warnings store', () => {
  it('reads the settings and the log of the current environment', async () => {
    const { warnings } = await ready();
    await warnings.load();
    expect(warnings.view).toMatchObject({ scope: 'environment', recipients: [], smtp: null, webhooks: [] });
    expect(warnings.log).toEqual([]);
    expect(warnings.error).toBeNull();
  });

  it('saves and reads back; the webhook secret is written, never read back', async () => {
    const { warnings } = await ready();
    const saved = await warnings.save(settingsWith([{ url: hooks.url, secret: SECRET }]));
    expect(warnings.error).toBeNull();
    expect(saved).toBe(true);
    expect(warnings.busy).toBe(false);
    expect(warnings.view?.webhooks).toEqual([expect.objectContaining({ url: hooks.url, secretSet: true })]);
    expect(JSON.stringify(warnings.view)).not.toContain(SECRET);
  });

  it('a setting that must not be stored is refused by code, and what was kept stays on screen', async () => {
    const { warnings } = await ready();
    await warnings.save(settingsWith([{ url: hooks.url, secret: SECRET }]));
    expect(await warnings.save(settingsWith([{ url: 'http://exemplo.com.br/x', secret: SECRET }]))).toBe(false);
    expect(warnings.error?.code).toBe('INVALID_DATA');
    expect(warnings.error?.message).toMatch(/https:\/\//);
    expect(warnings.view?.webhooks.map((w) => w.url)).toEqual([hooks.url]);
    expect(warnings.busy).toBe(false);
  });

  it('a test warning reaches the webhook, is counted, and the log is read again', async () => {
    const { warnings } = await ready();
    await warnings.save(settingsWith([{ url: hooks.url, secret: SECRET }]));
    const result = await warnings.test();
    expect(result).toEqual({ sent: 1, total: 1 });
    expect(hooks.received).toHaveLength(1);
    expect(warnings.log.map((e) => `${e.channel}:${e.outcome}`)).toEqual(['webhook:sent']);
  });

  it('a cloud environment nobody is signed in to shows no settings and no error', async () => {
    await h.call('backend:set', { environment: 'producao', kind: 'cloud', url: await closedPortUrl() });
    const { warnings } = await ready();
    const backend = useBackendStore();
    await backend.load();
    await settle();
    expect(backend.signedOut).toBe(true);
    await warnings.load();
    expect(warnings.view).toBeNull();
    expect(warnings.error).toBeNull();
  });
});
