import { beforeEach, describe, expect, it } from 'vitest';
import type { Locale } from '@certdesk/shared/contract';
import { useSettingsStore } from '../../renderer/stores/settings';
import { startHarness, type Harness } from './stores-harness';

let h: Harness;
beforeEach(async () => (h = await startHarness()));

describe('settings store', () => {
  it('loads what the core stores and saves a change', async () => {
    await h.call('settings:update', { theme: 'dark' });
    const store = useSettingsStore();
    await store.load();
    expect(store.loaded).toBe(true);
    expect(store.settings.theme).toBe('dark');
    expect(store.info?.shell).toBe('browser');
    await store.setEnvironment('homologacao');
    expect(await h.call('settings:get')).toMatchObject({ environment: 'homologacao' });
  });

  it('a load answered after the user changed something does not undo the change', async () => {
    const store = useSettingsStore();
    const late = h.hold('settings:get');
    const loading = store.load();
    await late.reached; // the core read "pt-BR" while…
    await store.setLocale('en'); // …the user switched to English
    await late.release();
    await loading;
    expect(store.settings.locale).toBe('en');
    expect(document.documentElement.lang).toBe('en');
  });

  it('a refused change goes back to what is stored and is thrown to the error sink', async () => {
    const store = useSettingsStore();
    await store.load();
    await expect(store.setLocale('xx' as Locale)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(store.settings.locale).toBe('pt-BR');
  });
});
