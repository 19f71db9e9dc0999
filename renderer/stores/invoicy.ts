import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { ApiErrorPayload, InvoicyResult, InvoicySettingsView } from '#shared/contract';
import { api, errorPayload } from '../api';
import { useSettingsStore } from './settings';

export type InvoicyAction = 'requestPassword' | 'download' | 'check';

/** The InvoiCy screen: connection settings (no secrets come back) and the last answer. */
export const useInvoicyStore = defineStore('invoicy', () => {
  const settings = useSettingsStore();
  const connection = ref<InvoicySettingsView | null>(null);
  const result = ref<InvoicyResult | null>(null);
  const error = ref<ApiErrorPayload | null>(null);
  const busy = ref(false);

  async function load(): Promise<void> {
    connection.value = await api.invoicyGetSettings({ environment: settings.environment });
  }

  async function save(patch: { url?: string; empPK?: string; ck?: string }): Promise<void> {
    connection.value = await api.invoicySaveSettings({ environment: settings.environment, ...patch });
  }

  async function run(action: InvoicyAction, document: string, password?: string): Promise<void> {
    busy.value = true;
    error.value = null;
    result.value = null;
    const environment = settings.environment;
    try {
      result.value =
        action === 'requestPassword'
          ? await api.invoicyRequestPassword({ environment, document, password: password ?? '' })
          : action === 'download'
            ? await api.invoicyDownload({ environment, document })
            : await api.invoicyCheck({ environment, document });
    } catch (caught) {
      error.value = errorPayload(caught);
    } finally {
      busy.value = false;
    }
  }

  watch(
    () => settings.environment,
    () => {
      result.value = null;
      error.value = null;
      if (settings.loaded) void load();
    },
  );

  return { connection, result, error, busy, load, save, run };
});
