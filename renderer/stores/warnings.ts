import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { RequestOf } from '@certdesk/shared/contract';
import type { DeliveryLogEntry, WarningSettingsView } from '@certdesk/shared/warning-settings';
import { api } from '../api';
import { useBackendStore } from './backend';
import { latest, storeError, type StoreError } from './latest';
import { useSettingsStore } from './settings';

/** The last deliveries shown under the settings. */
const LOG_LIMIT = 20;

/** What the settings screen saves: everything but the environment, which is the current one. */
export type WarningSettingsInput = Omit<RequestOf<'warnings:saveSettings'>, 'environment'>;

/**
 * Who is warned of expiries, revocations and scheduled swaps, and how (e-mail, webhooks), with the
 * last deliveries. Secrets are written, never read back: the view says only whether one is kept.
 */
export const useWarningsStore = defineStore('warnings', () => {
  const settings = useSettingsStore();
  const backend = useBackendStore();
  const view = shallowRef<WarningSettingsView | null>(null);
  const log = shallowRef<DeliveryLogEntry[]>([]);
  /** A save or a test delivery is on its way. */
  const busy = ref(false);
  /** The last failure (by code; worded on screen). */
  const error = ref<StoreError | null>(null);
  const answers = latest();

  async function load(): Promise<void> {
    const current = answers.begin();
    // A cloud environment nobody is signed in to has no settings to show (the screen asks to sign in).
    if (backend.signedOut) {
      view.value = null;
      error.value = null;
      return;
    }
    try {
      const environment = settings.environment;
      const [next, entries] = await Promise.all([
        api.warningsGetSettings({ environment }),
        api.warningsDeliveries({ environment, limit: LOG_LIMIT }),
      ]);
      if (!current()) return;
      view.value = next;
      log.value = entries;
      error.value = null;
    } catch (caught) {
      if (current()) error.value = storeError(caught);
    }
  }

  /** Save, then read the settings and the log again; false when it failed (see `error`). */
  async function save(input: WarningSettingsInput): Promise<boolean> {
    busy.value = true;
    try {
      await api.warningsSaveSettings({ environment: settings.environment, ...input });
      await load();
      return true;
    } catch (caught) {
      error.value = storeError(caught);
      return false;
    } finally {
      busy.value = false;
    }
  }

  /** Send a test warning to every target, then read the log again; null when it failed (see `error`). */
  async function test(): Promise<{ sent: number; total: number } | null> {
    busy.value = true;
    try {
      const { deliveries } = await api.warningsTest({ environment: settings.environment });
      await load();
      return { sent: deliveries.filter((e) => e.outcome === 'sent').length, total: deliveries.length };
    } catch (caught) {
      error.value = storeError(caught);
      return null;
    } finally {
      busy.value = false;
    }
  }

  return { view, log, busy, error, load, save, test };
});
