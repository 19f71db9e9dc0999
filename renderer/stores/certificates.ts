import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { CertificateRow } from '@certdesk/shared/certificate-row';
import type { InstalledStatus } from '@certdesk/shared/workspace';
import { api } from '../api';
import { useBackendStore } from './backend';
import { isOffline, latest, storeError, type StoreError } from './latest';
import { useSettingsStore } from './settings';
import { filterRows, indexRows, type SortKey } from '@certdesk/shared/certificate-search';
import { rowAt } from '@certdesk/shared/certificate-row';
import { appNow, userTimeZone } from '../time/app-clock';
import { useWorkspaceStore } from './workspace';

export type { SortKey };

/** Installed certificates of the current environment, with search, filters and sort. */
export const useCertificatesStore = defineStore('certificates', () => {
  const settings = useSettingsStore();
  const backend = useBackendStore();
  // shallowRef: lists are replaced whole, never edited in place; 10,000 rows need no deep proxies.
  const items = shallowRef<CertificateRow[]>([]);
  const loading = ref(false);
  const loaded = ref(false);
  /** A failure with nothing to show instead (by code; translated on screen). */
  const error = ref<StoreError | null>(null);
  /** The cloud did not answer on the last try: the list shown is the last one read (see staleSince). */
  const offline = ref<StoreError | null>(null);
  const search = ref('');
  const status = ref<InstalledStatus | null>(null);
  const branch = ref<string | null>(null);
  const sort = ref<SortKey>('expiry');
  /** The list's own filter: revoked certificates only (RevokedFilter). */
  const revokedOnly = ref(false);
  /** Set when the cloud did not answer and the list shown is the last one kept. */
  const staleSince = ref<string | null>(null);
  /** When the list on screen was read from its backend (the age said offline). */
  let readAt: string | null = null;
  const answers = latest();

  async function load(): Promise<void> {
    const environment = settings.environment;
    const current = answers.begin();
    loading.value = true;
    try {
      const list = await api.certificatesList({ environment });
      if (!current()) return;
      // Status and days in the user's calendar at the app's clock: the core derived them in its own zone.
      const now = appNow();
      const zone = userTimeZone();
      items.value = list.items.map((row) => rowAt(row, now, zone));
      staleSince.value = list.staleSince;
      // The core kept the list and said how old it is: that is the offline case too.
      offline.value = list.staleSince ? { code: 'CLOUD_OFFLINE', message: '' } : null;
      if (!list.staleSince) readAt = new Date().toISOString();
      error.value = null;
      loaded.value = true;
    } catch (caught) {
      if (!current()) return;
      const failure = storeError(caught);
      if (isOffline(failure) && loaded.value) {
        // Keep what is on screen, with its age, rather than hiding it behind the error.
        offline.value = failure;
        staleSince.value ??= readAt;
      } else {
        error.value = failure;
        // An expired session: the backend store learns the user is gone, and the screen offers to sign in.
        if (failure.code === 'CLOUD_UNAUTHENTICATED') {
          backend.noteSessionEnded();
          void backend.load();
        }
      }
    } finally {
      if (current()) loading.value = false;
    }
  }

  // Sorted and searchable once per list; a keystroke only filters (renderer/stores/certificate-search.ts).
  const workspace = useWorkspaceStore();
  const index = computed(() => indexRows(items.value, (code) => workspace.branch(code)?.name));
  const filtered = computed(() =>
    filterRows(index.value, {
      search: search.value,
      status: status.value,
      branch: branch.value,
      sort: sort.value,
      revoked: revokedOnly.value,
    }),
  );

  async function remove(id: string) {
    const result = await api.certificatesDelete({ environment: settings.environment, id });
    await load();
    return result;
  }

  // A new sign-in, another address or another backend: what was said offline (or signed out) is about
  // the old one — the list is read again, so the header's "sem conexão" ends with the first answer.
  watch(
    () => [backend.info?.kind, backend.info?.url, backend.info?.session?.expiresAt] as const,
    (next, before) => {
      if (!settings.loaded || !before || next.every((v, i) => v === before[i])) return;
      offline.value = null;
      staleSince.value = null;
      if (next[0] === 'cloud' && next[2]) void load();
    },
  );

  watch(
    () => settings.environment,
    () => {
      answers.invalidate(); // a list on its way belongs to the other environment
      items.value = [];
      loaded.value = false;
      loading.value = false;
      error.value = null;
      offline.value = null;
      staleSince.value = null;
      readAt = null;
      branch.value = null;
      if (settings.loaded) void load();
    },
  );

  return { items, staleSince, offline, loading, loaded, error, search, status, branch, sort, revokedOnly, filtered, load, remove };
});
