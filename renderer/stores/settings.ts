import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AppInfo, Environment, Locale, Settings, ThemePreference } from '#shared/contract';
import { api } from '../api';
import { i18n } from '../i18n/index';

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

  // Answers may come back out of order (a click during start-up, two quick clicks): only the
  // answer to the latest request is applied, so the screen never jumps back to an older state.
  let revision = 0;

  async function load(): Promise<void> {
    const mine = revision;
    const [current, appInfo] = await Promise.all([api.settingsGet(), api.appInfo()]);
    info.value = appInfo;
    if (mine === revision) apply(current);
    loaded.value = true;
  }

  async function update(patch: Partial<Settings>): Promise<void> {
    const mine = ++revision;
    apply({ ...settings.value, ...patch }); // optimistic: the switch answers at once
    const saved = await api.settingsUpdate(patch);
    if (mine === revision) apply(saved);
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
