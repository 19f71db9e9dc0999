import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import type { WorkspaceStatus } from '#shared/workspace';
import type { Branch, ModuleDef } from '#shared/workspace';
import { api, errorText } from '../api';
import { useSettingsStore } from './settings';

/** Branches and the licensed module catalogue of the current environment. */
export const useWorkspaceStore = defineStore('workspace', () => {
  const settings = useSettingsStore();
  const status = ref<WorkspaceStatus | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);

  async function load(): Promise<void> {
    const environment = settings.environment;
    loading.value = true;
    try {
      const next = await api.workspaceStatus({ environment });
      if (environment === settings.environment) status.value = next;
      error.value = null;
    } catch (caught) {
      error.value = errorText(caught);
    } finally {
      loading.value = false;
    }
  }

  async function setupExample(): Promise<void> {
    status.value = await api.workspaceSetup({ environment: settings.environment, kind: 'example' });
  }

  async function setupGuided(branches: Branch[], modules: ModuleDef[]): Promise<void> {
    status.value = await api.workspaceSetup({ environment: settings.environment, kind: 'guided', branches, modules });
  }

  async function saveBranch(branch: Branch, previousCode?: string): Promise<void> {
    status.value = await api.workspaceSaveBranch({ environment: settings.environment, branch, previousCode });
  }

  async function deleteBranch(code: string): Promise<void> {
    status.value = await api.workspaceDeleteBranch({ environment: settings.environment, code });
  }

  async function saveModules(modules: ModuleDef[]): Promise<void> {
    status.value = await api.workspaceSaveModules({ environment: settings.environment, modules });
  }

  // Each environment is its own workspace: switching reloads.
  watch(
    () => settings.environment,
    () => {
      status.value = null;
      if (settings.loaded) void load();
    },
  );

  const branch = (code: string) => status.value?.branches.find((b) => b.code === code);
  const moduleName = (id: string) => status.value?.modules.find((m) => m.id === id)?.name ?? id;

  return { status, loading, error, load, setupExample, setupGuided, saveBranch, deleteBranch, saveModules, branch, moduleName };
});
