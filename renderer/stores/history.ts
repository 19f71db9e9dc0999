import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { HistoryAction, HistoryEntry } from '#shared/workspace';
import { api, errorText } from '../api';
import { useSettingsStore } from './settings';

const PAGE = 100;

/** The history timeline of the current environment, newest first, with filters and paging. */
export const useHistoryStore = defineStore('history', () => {
  const settings = useSettingsStore();
  const entries = ref<HistoryEntry[]>([]);
  const more = ref(false);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const certificateId = ref<string | null>(null);
  const branch = ref<string | null>(null);
  const action = ref<HistoryAction | null>(null);

  async function load(append = false): Promise<void> {
    loading.value = true;
    try {
      const page = await api.historyList({
        environment: settings.environment,
        limit: PAGE,
        ...(certificateId.value ? { certificateId: certificateId.value } : {}),
        ...(branch.value ? { branch: branch.value } : {}),
        ...(action.value ? { action: action.value } : {}),
        ...(append && entries.value.length ? { after: entries.value[entries.value.length - 1]!.id } : {}),
      });
      entries.value = append ? [...entries.value, ...page.entries] : page.entries;
      more.value = page.more;
      error.value = null;
    } catch (caught) {
      error.value = errorText(caught);
    } finally {
      loading.value = false;
    }
  }

  watch([certificateId, branch, action], () => void load());
  watch(
    () => settings.environment,
    () => {
      certificateId.value = null;
      branch.value = null;
      entries.value = [];
      if (settings.loaded) void load();
    },
  );

  return { entries, more, loading, error, certificateId, branch, action, load, loadMore: () => load(true) };
});
