import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { HistoryAction, HistoryEntry } from '@certdesk/shared/workspace';
import { api } from '../api';
import { latest, storeError, type StoreError } from './latest';
import { useSettingsStore } from './settings';

const PAGE = 100;

/** The history timeline of the current environment, newest first, with filters and paging. */
export const useHistoryStore = defineStore('history', () => {
  const settings = useSettingsStore();
  const entries = ref<HistoryEntry[]>([]);
  const more = ref(false);
  const loading = ref(false);
  const error = ref<StoreError | null>(null);
  const certificateId = ref<string | null>(null);
  const branch = ref<string | null>(null);
  const action = ref<HistoryAction | null>(null);
  // Filters change faster than pages arrive: only the page asked for last is shown.
  const answers = latest();

  async function load(append = false): Promise<void> {
    const current = answers.begin();
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
      if (!current()) return;
      entries.value = append ? [...entries.value, ...page.entries] : page.entries;
      more.value = page.more;
      error.value = null;
    } catch (caught) {
      if (current()) error.value = storeError(caught);
    } finally {
      if (current()) loading.value = false;
    }
  }

  watch([certificateId, branch, action], () => void load());
  watch(
    () => settings.environment,
    () => {
      answers.invalidate();
      certificateId.value = null;
      branch.value = null;
      entries.value = [];
      error.value = null;
      loading.value = false;
      if (settings.loaded) void load();
    },
  );

  return { entries, more, loading, error, certificateId, branch, action, load, loadMore: () => load(true) };
});
