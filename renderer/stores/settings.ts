import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AppInfo, Environment, Locale, Settings, ThemePreference } from '@certdesk/shared/contract';
import { api } from '../api';
import { i18n } from '../i18n/index';
import { latest } from './latest';
import { syncWithCore } from '../time/app-clock';

/** Preferences and app facts; the main process persists them, this store mirrors them. */
export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings>({ locale: 'pt-BR', theme: 'system', environment: 'producao' });
  const info = ref<AppInfo | null>(null);
  const loaded = ref(false);

  const environment = computed(() => settings.value.environment);
  const isHomologacao = computed(() => settings.value.environment === 'homologacao');

  function apply(next: Settings): void {
    settings.value = next;
    i18n.global.locale.value = next.locale;
    document.documentElement.lang = next.locale;
  }

  // Only the answer to the latest change is applied; a load does not override a change the user
  // made while it was on its way (a click during start-up).
  const changes = latest();

  async function load(): Promise<void> {
    const current = changes.since();
    const [stored, appInfo] = await Promise.all([api.settingsGet(), api.appInfo()]);
    info.value = appInfo;
    syncWithCore(appInfo.now);
    if (current()) apply(stored);
    loaded.value = true;
  }

  async function update(patch: Partial<Settings>): Promise<void> {
    const current = changes.begin();
    const before = settings.value;
    apply({ ...settings.value, ...patch }); // optimistic: the switch answers at once
    try {
      const saved = await api.settingsUpdate(patch);
      if (current()) apply(saved);
    } catch (caught) {
      if (current()) apply(before); // not saved: the switch goes back to what is stored
      throw caught; // the app's error sink says so
    }
  }

  return {
    settings,
    info,
    loaded,
    environment,
    isHomologacao,
    load,
    setLocale: (locale: Locale) => update({ locale }),
    setTheme: (theme: ThemePreference) => update({ theme }),
    setEnvironment: (environment: Environment) => update({ environment }),
  };
});
