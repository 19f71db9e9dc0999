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

  // Answers may come back out of order (the screen's first load still on its way when the
  // environment is switched, a load racing a save): only the answer to the latest request is
  // applied, so the screen never shows an older connection or another environment's.
  let revision = 0;
  let runRevision = 0;

  async function load(): Promise<void> {
    const mine = ++revision;
    const loaded = await api.invoicyGetSettings({ environment: settings.environment });
    if (mine === revision) connection.value = loaded;
  }

  async function save(patch: { url?: string; empPK?: string; ck?: string }): Promise<void> {
    const mine = ++revision;
    const saved = await api.invoicySaveSettings({ environment: settings.environment, ...patch });
    if (mine === revision) connection.value = saved;
  }

  async function run(action: InvoicyAction, document: string, password?: string): Promise<void> {
    const mine = ++runRevision;
    busy.value = true;
    error.value = null;
    result.value = null;
    const environment = settings.environment;
    try {
      const answer =
        action === 'requestPassword'
          ? await api.invoicyRequestPassword({ environment, document, password: password ?? '' })
          : action === 'download'
            ? await api.invoicyDownload({ environment, document })
            : await api.invoicyCheck({ environment, document });
      if (mine === runRevision) result.value = answer;
    } catch (caught) {
      if (mine === runRevision) error.value = errorPayload(caught);
    } finally {
      if (mine === runRevision) busy.value = false;
    }
  }

  watch(
    () => settings.environment,
    () => {
      runRevision++; // an answer for the other environment is not shown here
      busy.value = false;
      result.value = null;
      error.value = null;
      if (settings.loaded) void load();
    },
  );

  return { connection, result, error, busy, load, save, run };
});
