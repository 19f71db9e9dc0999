import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { CertificateSwap, SwapComparison } from '@certdesk/shared/certificate-swap';
import type { ResponseOf } from '@certdesk/shared/contract';
import { api } from '../api';
import { useCertificatesStore } from './certificates';
import { useHistoryStore } from './history';
import { latest, storeError, type StoreError } from './latest';
import { useSettingsStore } from './settings';
import { useWorkspaceStore } from './workspace';

/** What the swap dialog sends: the new file and its password, now (`scheduledFor` null) or at a moment (ISO UTC). */
export interface SwapInput {
  id: string;
  path: string;
  password: string | null;
  scheduledFor: string | null;
}

/**
 * "Substituir / Renovar" of the current environment: the review and the swap itself (one dialog at a
 * time), and the swaps kept — scheduled ones (cancel) and those that ran (undo).
 */
export const useSwapsStore = defineStore('swaps', () => {
  const settings = useSettingsStore();
  const certificates = useCertificatesStore();
  const history = useHistoryStore();
  const workspace = useWorkspaceStore();

  const items = shallowRef<CertificateSwap[]>([]);
  const error = ref<StoreError | null>(null);
  const answers = latest();

  /** The side-by-side review of the dialog's file; null until asked for, or after any input changed. */
  const comparison = ref<SwapComparison | null>(null);
  /** The review or the swap is on its way. */
  const busy = ref(false);
  /** Why the last review or swap failed (by code; worded on screen). */
  const failure = ref<StoreError | null>(null);
  const reviews = latest();

  /** Scheduled swaps, and those that ran while the old certificate is still valid (undo is possible only then). */
  const undoable = computed(() =>
    items.value.filter((s) => s.state === 'pending' || (s.state === 'done' && Date.parse(s.from.notAfter) > Date.now())),
  );
  /** Certificates with a scheduled swap (from id → when), for the coverage grid. */
  const pendingFrom = computed(
    () => new Map(items.value.filter((s) => s.state === 'pending').map((s) => [s.from.id, s.scheduledFor] as const)),
  );

  async function load(): Promise<void> {
    const current = answers.begin();
    try {
      const list = await api.swapsList({ environment: settings.environment });
      if (!current()) return;
      items.value = list;
      error.value = null;
    } catch (caught) {
      if (!current()) return;
      // A list that could not be read is not shown as if it were current (nor its pending swaps counted).
      items.value = [];
      error.value = storeError(caught);
    }
  }

  const request = (input: SwapInput) => ({ environment: settings.environment, ...input });

  /** Forget the review (another certificate, or the file, password or moment changed). */
  function resetReview(): void {
    reviews.invalidate();
    comparison.value = null;
    failure.value = null;
    busy.value = false;
  }

  /** Changing an input makes the review on screen stale, but keeps a failure said about it. */
  function clearComparison(): void {
    comparison.value = null;
  }

  async function preview(input: SwapInput): Promise<void> {
    const current = reviews.begin();
    busy.value = true;
    failure.value = null;
    try {
      const answer = await api.certificatesPreviewSwap(request(input));
      if (current()) comparison.value = answer;
    } catch (caught) {
      if (current()) failure.value = storeError(caught);
    } finally {
      if (current()) busy.value = false;
    }
  }

  /** Swap now or schedule it; the certificate list and the swaps kept are read again. Null when it failed (see `failure`). */
  async function swap(input: SwapInput): Promise<ResponseOf<'certificates:swap'> | null> {
    const current = reviews.begin();
    busy.value = true;
    failure.value = null;
    try {
      const result = await api.certificatesSwap(request(input));
      void certificates.load();
      void load();
      return result;
    } catch (caught) {
      if (current()) failure.value = storeError(caught);
      return null;
    } finally {
      if (current()) busy.value = false;
    }
  }

  /**
   * Cancel a scheduled swap or undo one that ran. On success the history, the workspace and the
   * certificate list are read again along with the swaps; the failure is returned for a toast.
   */
  async function end(id: string, action: 'cancel' | 'undo'): Promise<StoreError | null> {
    try {
      const target = { environment: settings.environment, id };
      await (action === 'cancel' ? api.swapsCancel(target) : api.swapsUndo(target));
    } catch (caught) {
      return storeError(caught);
    }
    void history.load();
    void workspace.load();
    void certificates.load();
    await load();
    return null;
  }

  watch(
    () => settings.environment,
    () => {
      answers.invalidate();
      items.value = [];
      error.value = null;
      resetReview();
      if (settings.loaded) void load();
    },
  );

  return { items, error, undoable, pendingFrom, comparison, busy, failure, load, resetReview, clearComparison, preview, swap, end };
});
