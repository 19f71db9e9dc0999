import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { normalizeDocument } from '#shared/tax-ids';
import type { CertificateView, InstalledStatus } from '#shared/workspace';
import { api, errorText } from '../api';
import { useSettingsStore } from './settings';

export type SortKey = 'expiry' | 'holder';

/** Installed certificates of the current environment, with search, filters and sort. */
export const useCertificatesStore = defineStore('certificates', () => {
  const settings = useSettingsStore();
  const items = ref<CertificateView[]>([]);
  const loading = ref(false);
  const loaded = ref(false);
  const error = ref<string | null>(null);
  const search = ref('');
  const status = ref<InstalledStatus | null>(null);
  const branch = ref<string | null>(null);
  const sort = ref<SortKey>('expiry');
  /** Set when the cloud did not answer and the list shown is the last one kept. */
  const staleSince = ref<string | null>(null);

  async function load(): Promise<void> {
    const environment = settings.environment;
    loading.value = true;
    try {
      const list = await api.certificatesList({ environment });
      if (environment !== settings.environment) return;
      items.value = list.items;
      staleSince.value = list.staleSince;
      error.value = null;
      loaded.value = true;
    } catch (caught) {
      error.value = errorText(caught);
    } finally {
      loading.value = false;
    }
  }

  const filtered = computed(() => {
    const text = search.value.trim().toLowerCase();
    const digits = normalizeDocument(search.value);
    const rows = items.value.filter((c) => {
      if (status.value && c.status !== status.value) return false;
      if (branch.value && !c.links.some((l) => l.branch === branch.value)) return false;
      if (!text) return true;
      const doc = c.certificate.cnpj ?? c.certificate.cpf ?? '';
      return (
        c.certificate.holderName.toLowerCase().includes(text) ||
        (digits.length > 0 && doc.includes(digits)) ||
        c.fileName.toLowerCase().includes(text)
      );
    });
    return rows.sort((a, b) =>
      sort.value === 'expiry'
        ? a.certificate.notAfter.localeCompare(b.certificate.notAfter)
        : a.certificate.holderName.localeCompare(b.certificate.holderName),
    );
  });

  async function remove(id: string) {
    const result = await api.certificatesDelete({ environment: settings.environment, id });
    await load();
    return result;
  }

  watch(
    () => settings.environment,
    () => {
      items.value = [];
      loaded.value = false;
      branch.value = null;
      if (settings.loaded) void load();
    },
  );

  return { items, staleSince, loading, loaded, error, search, status, branch, sort, filtered, load, remove };
});
