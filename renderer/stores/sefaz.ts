import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { SefazCertificateCheck, SefazCheckSummary } from '@certdesk/shared/sefaz-checks';
import { api } from '../api';
import { latest, storeError, type StoreError } from './latest';
import { useSettingsStore } from './settings';

/** Certificates checked at once in a whole-environment check (each makes its own calls, a few at a time, in the core). */
const CONCURRENCY = 2;

export interface EnvironmentRun {
  done: number;
  total: number;
  ok: number;
  problems: number;
  /** Certificates whose password is not in the keychain: checked one by one, from their details. */
  needPassword: string[];
  /** Certificates that could not be checked at all, with why. */
  failed: { id: string; error: StoreError }[];
  finished: boolean;
}

/**
 * SEFAZ checks of the current environment: the last check of each certificate (what the list's icon
 * shows), one certificate checked on demand, and a whole environment checked certificate by
 * certificate with its progress — the way the bulk inspector reports long work.
 */
export const useSefazStore = defineStore('sefaz', () => {
  const settings = useSettingsStore();
  // Replaced whole on each change: a list of 10,000 rows reads it without deep proxies.
  const summaries = shallowRef<Map<string, SefazCheckSummary>>(new Map());
  const loaded = ref(false);
  const error = ref<StoreError | null>(null);
  const checking = shallowRef<ReadonlySet<string>>(new Set());
  const run = ref<EnvironmentRun | null>(null);
  const answers = latest();
  /** Which whole-environment run is the current one (an environment switch forgets it). */
  let runs = 0;

  function remember(summary: SefazCheckSummary): void {
    summaries.value = new Map(summaries.value).set(summary.certificateId, summary);
  }

  async function load(): Promise<void> {
    const environment = settings.environment;
    const current = answers.begin();
    try {
      const { items } = await api.sefazSummaries({ environment });
      if (!current()) return;
      summaries.value = new Map(items.map((s) => [s.certificateId, s]));
      error.value = null;
      loaded.value = true;
    } catch (caught) {
      if (current()) error.value = storeError(caught);
    }
  }

  /** Check one certificate; failures (PASSWORD_REQUIRED, WRONG_PASSWORD…) go to the caller, who can ask and try again. */
  async function check(certificateId: string, password?: string): Promise<SefazCertificateCheck> {
    const environment = settings.environment;
    checking.value = new Set(checking.value).add(certificateId);
    try {
      const result = await api.sefazCheck({ environment, certificateId, ...(password !== undefined ? { password } : {}) });
      if (environment === settings.environment) remember(result.summary);
      return result;
    } finally {
      const next = new Set(checking.value);
      next.delete(certificateId);
      checking.value = next;
    }
  }

  const lastCheck = (certificateId: string) => api.sefazLastCheck({ environment: settings.environment, certificateId });

  /** Check every certificate in `ids`, a couple at a time, counting as they finish. */
  async function checkAll(ids: string[]): Promise<void> {
    if (run.value && !run.value.finished) return;
    const environment = settings.environment;
    const state: EnvironmentRun = { done: 0, total: ids.length, ok: 0, problems: 0, needPassword: [], failed: [], finished: false };
    const mine = ++runs;
    const show = () => {
      if (mine === runs) run.value = { ...state, needPassword: [...state.needPassword], failed: [...state.failed] };
    };
    show();
    const queue = [...ids];
    const worker = async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        if (environment !== settings.environment) return; // switched away: the rest is the other environment's business
        try {
          const result = await check(id);
          if (result.summary.state === 'problem') state.problems++;
          else if (result.summary.state !== 'none') state.ok++;
        } catch (caught) {
          const failure = storeError(caught);
          if (failure.code === 'PASSWORD_REQUIRED') state.needPassword.push(id);
          else state.failed.push({ id, error: failure });
        }
        state.done++;
        show();
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, worker));
    state.finished = true;
    show();
  }

  const running = computed(() => !!run.value && !run.value.finished);

  watch(
    () => settings.environment,
    () => {
      answers.invalidate();
      runs++;
      summaries.value = new Map();
      loaded.value = false;
      error.value = null;
      run.value = null;
      if (settings.loaded) void load();
    },
  );

  return { summaries, loaded, error, checking, run, running, load, check, lastCheck, checkAll };
});
