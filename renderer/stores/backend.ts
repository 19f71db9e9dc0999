import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { BackendInfo } from '@certdesk/shared/contract';
import { api } from '../api';
import { latest, storeError, type StoreError } from './latest';
import { useSettingsStore } from './settings';

export type Credentials = { method: 'sso'; email: string; password: string } | { method: 'cloud'; login: string; password: string };

/** Which backend serves the current environment and who is signed in (never the token). */
export const useBackendStore = defineStore('backend', () => {
  const settings = useSettingsStore();
  const info = ref<BackendInfo | null>(null);
  const error = ref<StoreError | null>(null);

  const cloud = computed(() => info.value?.kind === 'cloud');
  const signedOut = computed(() => cloud.value && !info.value?.session);
  /** Only administrators manage; others see everything read-only (docs/PRODUCT.md §2, Access). */
  const readOnly = computed(() => cloud.value && info.value?.session?.role === 'read-only');
  /**
   * A session this screen knew ended (the cloud answered 401 to a signed-in user): "your session
   * ended". Before any sign-in there is nothing that ended — the screen only asks to sign in.
   */
  const sessionEnded = ref(false);
  const noteSessionEnded = () => {
    if (info.value?.session) sessionEnded.value = true;
  };

  // Loads, choices and sign-ins all land in `info`: only the latest one's answer is applied (a
  // load started on opening Configurações must not undo a sign-in that answered first), and an
  // answer for the other environment never shows here.
  const answers = latest();
  /**
   * The user's own actions (choose, sign in, sign out) still waiting for their answer, by environment.
   * A background read started meanwhile — the lists' 401 right after "Aplicar" asks for one — would
   * supersede the action and show the state from before it: a sign-in answered after that read left
   * the form on screen, its password cleared, with no error. The action's answer is the newer state.
   */
  const actionsInFlight = new Map<string, number>();

  /** Apply the answer if it is still the latest; a failure is thrown to the caller (its form says it). */
  async function settle(call: () => Promise<BackendInfo>): Promise<void> {
    const environment = settings.environment;
    const current = answers.begin();
    actionsInFlight.set(environment, (actionsInFlight.get(environment) ?? 0) + 1);
    try {
      const next = await call();
      if (current()) {
        info.value = next;
        error.value = null;
        if (next.session) sessionEnded.value = false;
      }
    } finally {
      const left = (actionsInFlight.get(environment) ?? 1) - 1;
      if (left > 0) actionsInFlight.set(environment, left);
      else actionsInFlight.delete(environment);
    }
  }

  /**
   * Read the environment's backend; a failure stays in `error` (by code) rather than being thrown.
   * Not while one of the user's actions is waiting in this environment (its answer brings the state);
   * `always` for a change of environment, which drops what was waiting.
   */
  async function load(options: { always?: boolean } = {}): Promise<void> {
    const environment = settings.environment;
    if (!options.always && actionsInFlight.has(environment)) return;
    const current = answers.begin();
    try {
      const next = await api.backendGet({ environment });
      if (current()) {
        info.value = next;
        error.value = null;
      }
    } catch (caught) {
      if (current()) error.value = storeError(caught);
    }
  }

  const choose = (kind: 'embedded' | 'cloud', url?: string) => {
    const environment = settings.environment;
    return settle(() => api.backendSet({ environment, kind, ...(url ? { url } : {}) }));
  };
  const signIn = (credentials: Credentials) => {
    const environment = settings.environment;
    return settle(() => api.cloudSignIn({ environment, ...credentials }));
  };
  const signOut = () => {
    const environment = settings.environment;
    return settle(() => api.cloudSignOut({ environment }));
  };

  watch(
    () => [settings.environment, settings.loaded] as const,
    ([, loaded]) => {
      answers.invalidate();
      info.value = null;
      sessionEnded.value = false;
      if (loaded) void load({ always: true });
    },
    { immediate: true },
  );

  return { info, error, cloud, signedOut, readOnly, sessionEnded, noteSessionEnded, load, choose, signIn, signOut };
});
