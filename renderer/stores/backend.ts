import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { BackendInfo } from '#shared/contract';
import { api } from '../api';
import { useSettingsStore } from './settings';

export type Credentials = { method: 'sso'; email: string; password: string } | { method: 'cloud'; login: string; password: string };

/** Which backend serves the current environment and who is signed in (never the token). */
export const useBackendStore = defineStore('backend', () => {
  const settings = useSettingsStore();
  const info = ref<BackendInfo | null>(null);

  const cloud = computed(() => info.value?.kind === 'cloud');
  const signedOut = computed(() => cloud.value && !info.value?.session);
  /** Only administrators manage; others see everything read-only (docs/PRODUCT.md §2, Access). */
  const readOnly = computed(() => cloud.value && info.value?.session?.role === 'read-only');

  async function load(): Promise<void> {
    info.value = await api.backendGet({ environment: settings.environment });
  }

  async function choose(kind: 'embedded' | 'cloud', url?: string): Promise<void> {
    info.value = await api.backendSet({ environment: settings.environment, kind, ...(url ? { url } : {}) });
  }

  async function signIn(credentials: Credentials): Promise<void> {
    info.value = await api.cloudSignIn({ environment: settings.environment, ...credentials });
  }

  async function signOut(): Promise<void> {
    info.value = await api.cloudSignOut({ environment: settings.environment });
  }

  watch(
    () => [settings.environment, settings.loaded] as const,
    ([, loaded]) => loaded && void load(),
    { immediate: true },
  );

  return { info, cloud, signedOut, readOnly, load, choose, signIn, signOut };
});
