import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { WorkspaceStatus } from '@certdesk/shared/workspace';
import type { BranchWithState, ModuleDef } from '@certdesk/shared/workspace';
import { api } from '../api';
import { isOffline, latest, storeError, type StoreError } from './latest';
import { useSettingsStore } from './settings';

/** Branches and the licensed module catalogue of the current environment. */
export const useWorkspaceStore = defineStore('workspace', () => {
  const settings = useSettingsStore();
  const status = ref<WorkspaceStatus | null>(null);
  const loading = ref(false);
  /** The last load failed (by code; translated on screen). Offline with a status kept, see `offline`. */
  const error = ref<StoreError | null>(null);
  /** The cloud did not answer on the last load; the status shown is the one read before. */
  const offline = ref<StoreError | null>(null);
  // Loads and changes all land in `status`: only the latest answer is applied.
  const answers = latest();

  async function load(): Promise<void> {
    const environment = settings.environment;
    const current = answers.begin();
    loading.value = true;
    try {
      const { staleSince, ...next } = await api.workspaceStatus({ environment });
      if (!current()) return;
      status.value = next;
      error.value = null;
      // The core answered with the status kept from the cloud's last answer: offline, names still known.
      offline.value = staleSince ? { code: 'CLOUD_OFFLINE', message: '' } : null;
    } catch (caught) {
      if (!current()) return;
      const failure = storeError(caught);
      if (isOffline(failure)) offline.value = failure;
      // What was read before stays on screen when the cloud merely did not answer.
      if (!isOffline(failure) || !status.value) error.value = failure;
    } finally {
      if (current()) loading.value = false;
    }
  }

  /** A change: its answer is the new status unless something newer started meanwhile. Failures go to the caller. */
  async function change(call: () => Promise<WorkspaceStatus>): Promise<void> {
    const current = answers.begin();
    const next = await call();
    if (current()) {
      status.value = next;
      error.value = null;
      offline.value = null;
      loading.value = false; // a load this change overtook will not say it finished
    }
  }

  const env = () => settings.environment;
  const setupExample = () => change(() => api.workspaceSetup({ environment: env(), kind: 'example' }));
  const setupGuided = (branches: BranchWithState[], modules: ModuleDef[]) =>
    change(() => api.workspaceSetup({ environment: env(), kind: 'guided', branches, modules }));
  const saveBranch = (branch: BranchWithState, previousCode?: string) =>
    change(() => api.workspaceSaveBranch({ environment: env(), branch, previousCode }));
  const deleteBranch = (code: string) => change(() => api.workspaceDeleteBranch({ environment: env(), code }));
  const saveModules = (modules: ModuleDef[]) => change(() => api.workspaceSaveModules({ environment: env(), modules }));

  // Each environment is its own workspace: switching reloads.
  watch(
    () => settings.environment,
    () => {
      answers.invalidate();
      status.value = null;
      error.value = null;
      offline.value = null;
      loading.value = false;
      if (settings.loaded) void load();
    },
  );

  const branch = (code: string) => status.value?.branches.find((b) => b.code === code);
  const moduleName = (id: string) => status.value?.modules.find((m) => m.id === id)?.name ?? id;

  return { status, loading, error, offline, load, setupExample, setupGuided, saveBranch, deleteBranch, saveModules, branch, moduleName };
});
