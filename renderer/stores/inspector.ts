import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ApiErrorPayload, PfxInspection } from '../../shared/contract';
import { api, ApiError, pathForFile } from '../api';

type Phase = 'idle' | 'reading' | 'password' | 'done' | 'error';

/**
 * One file in the inspector. The password is passed straight to the main process and never kept
 * here: the renderer holds no secrets.
 */
export const useInspectorStore = defineStore('inspector', () => {
  const phase = ref<Phase>('idle');
  const fileName = ref('');
  const result = ref<PfxInspection | null>(null);
  const error = ref<ApiErrorPayload | null>(null);
  const passwordError = ref(false);
  const busy = ref(false);
  let path = '';

  function asPayload(caught: unknown): ApiErrorPayload {
    if (caught instanceof ApiError && caught.code !== 'NETWORK') return { code: caught.code, message: caught.message };
    return { code: 'INTERNAL', message: caught instanceof Error ? caught.message : String(caught) };
  }

  async function inspect(password: string | null): Promise<void> {
    try {
      result.value = await api.pfxInspect({ path, password });
      error.value = null;
      passwordError.value = false;
      phase.value = 'done';
    } catch (caught) {
      const payload = asPayload(caught);
      if (payload.code === 'PASSWORD_REQUIRED') {
        phase.value = 'password';
      } else if (payload.code === 'WRONG_PASSWORD' && password) {
        passwordError.value = true;
        phase.value = 'password';
      } else {
        error.value = payload;
        phase.value = 'error';
      }
    }
  }

  async function open(file: File): Promise<void> {
    fileName.value = file.name;
    result.value = null;
    error.value = null;
    passwordError.value = false;
    phase.value = 'reading';
    try {
      path = await pathForFile(file);
    } catch (caught) {
      error.value = { code: 'UNREADABLE', message: asPayload(caught).message };
      phase.value = 'error';
      return;
    }
    await inspect(null);
  }

  async function submitPassword(password: string): Promise<void> {
    busy.value = true; // the dialog stays open with a spinner until the main process answers
    try {
      await inspect(password);
    } finally {
      busy.value = false;
    }
  }

  function reset(): void {
    phase.value = 'idle';
    result.value = null;
    error.value = null;
    passwordError.value = false;
    path = '';
  }

  return { phase, fileName, result, error, passwordError, busy, open, submitPassword, cancelPassword: reset, reset };
});
