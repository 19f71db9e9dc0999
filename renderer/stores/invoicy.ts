import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { InvoicyResult, InvoicySettingsView } from '@certdesk/shared/contract';
import { api } from '../api';
import { latest, storeError, type StoreError } from './latest';
import { useSettingsStore } from './settings';

export type InvoicyAction = 'requestPassword' | 'download' | 'check';

/** The InvoiCy screen: connection settings (no secrets come back) and the last answer. */
export const useInvoicyStore = defineStore('invoicy', () => {
  const settings = useSettingsStore();
  const connection = ref<InvoicySettingsView | null>(null);
  /** The connection could not be read (by code). */
  const connectionError = ref<StoreError | null>(null);
  const result = ref<InvoicyResult | null>(null);
  const error = ref<StoreError | null>(null);
  const busy = ref(false);

  // Answers may come back out of order (the screen's first load still on its way when the
  // environment is switched, a load racing a save): only the latest one is applied, so the screen
  // never shows an older connection or another environment's. Calls to the service have their own.
  const connectionAnswers = latest();
  const runAnswers = latest();

  async function load(): Promise<void> {
    const current = connectionAnswers.begin();
    try {
      const loaded = await api.invoicyGetSettings({ environment: settings.environment });
      if (current()) [connection.value, connectionError.value] = [loaded, null];
    } catch (caught) {
      if (current()) connectionError.value = storeError(caught);
    }
  }

  /** Save; a refusal (e.g. an http address) is thrown to the form, and what is stored stays in `connection`. */
  async function save(patch: { url?: string; empPK?: string; ck?: string }): Promise<void> {
    const current = connectionAnswers.begin();
    const saved = await api.invoicySaveSettings({ environment: settings.environment, ...patch });
    if (current()) [connection.value, connectionError.value] = [saved, null];
  }

  /**
   * Call the service. Answers true when the service accepted (a message with code 100), so the
   * screen clears what was typed only then: after a failure the user corrects and sends again.
   */
  async function run(action: InvoicyAction, document: string, password?: string): Promise<boolean> {
    const current = runAnswers.begin();
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
      if (!current()) return false;
      result.value = answer;
      return answer.messages.some((m) => m.codigo === 100);
    } catch (caught) {
      if (current()) error.value = storeError(caught);
      return false;
    } finally {
      if (current()) busy.value = false;
    }
  }

  /** Show the downloaded file in the system's file manager; false where there is none (browser mode). */
  async function openFolder(): Promise<boolean> {
    if (!result.value?.file) return false;
    return (await api.invoicyOpenFolder({ file: result.value.file })).opened;
  }

  watch(
    () => settings.environment,
    () => {
      runAnswers.invalidate(); // an answer for the other environment is not shown here
      connectionAnswers.invalidate();
      connection.value = null;
      connectionError.value = null;
      busy.value = false;
      result.value = null;
      error.value = null;
      if (settings.loaded) void load();
    },
  );

  return { connection, connectionError, result, error, busy, load, save, run, openFolder };
});
