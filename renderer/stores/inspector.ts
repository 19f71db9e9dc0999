import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api } from '../api';
import type { Intake } from '../file-intake';
import type { InspectItem } from './inspect-item';
import { latest, storeError } from './latest';
import { trustChecks } from './trust-checks';

export type { InspectItem, ItemStatus } from './inspect-item';

/** Files read at once: the main process spreads them over its worker threads. */
const CONCURRENCY = 4;

/**
 * The files being inspected: one or many, filled in as they finish. Passwords pass straight to the
 * main process and are never kept here: the renderer holds no secrets.
 */
export const useInspectorStore = defineStore('inspector', () => {
  const items = ref<InspectItem[]>([]);
  const selectedId = ref<number | null>(null);
  /** The file the password dialog is asking for. */
  const passwordFor = ref<number | null>(null);
  const busy = ref(false);
  const truncated = ref(false);
  let nextId = 1;
  const batch = latest(); // a new batch makes answers for the old one irrelevant
  const checks = trustChecks();

  const total = computed(() => items.value.length);
  const finished = computed(() => items.value.filter((i) => i.status !== 'queued' && i.status !== 'reading').length);
  const locked = computed(() => items.value.filter((i) => i.status === 'locked'));
  const single = computed(() => (items.value.length === 1 ? items.value[0]! : null));
  const selected = computed(() => items.value.find((i) => i.id === selectedId.value) ?? null);
  const passwordItem = computed(() => items.value.find((i) => i.id === passwordFor.value) ?? null);

  function item(id: number): InspectItem | undefined {
    return items.value.find((i) => i.id === id);
  }

  async function read(id: number, password: string | null, remember = false): Promise<void> {
    const current = batch.since();
    const target = item(id);
    if (!target) return;
    target.status = 'reading';
    try {
      const result = await api.pfxInspect({ path: target.path, password, remember });
      if (!current()) return;
      Object.assign(target, { status: 'done', result, error: null, wrongPassword: false });
      if (result.certificate) checks.add(target, current);
    } catch (caught) {
      if (!current()) return;
      const error = storeError(caught);
      if (error.code === 'PASSWORD_REQUIRED' || (error.code === 'WRONG_PASSWORD' && password)) {
        Object.assign(target, { status: 'locked', error: null, wrongPassword: !!password });
      } else {
        Object.assign(target, { status: 'error', error, wrongPassword: false });
      }
    }
  }

  /** Read every queued file, a few at a time, so rows fill in as each one finishes. */
  async function drain(ids: number[], password: string | null = null): Promise<void> {
    const queue = [...ids];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) await read(id, password);
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  }

  /** Start a new batch from files already turned into paths the main process can read. */
  async function openPaths(
    files: { name: string; path: string }[],
    wasTruncated = false,
    unreadable: Intake['unreadable'] = [],
  ): Promise<void> {
    batch.invalidate();
    truncated.value = wasTruncated;
    items.value = files.map((f) => ({ ...f, id: nextId++, status: 'queued', result: null, error: null, wrongPassword: false }));
    // A folder that could not be listed is a row of its own, after the files: the user must see
    // that part of the tree was not looked at (as `certdesk scan` says it).
    for (const folder of unreadable)
      items.value.push({
        id: nextId++,
        name: `${folder.name}/`,
        path: '',
        status: 'error',
        result: null,
        error: { code: 'UNREADABLE_FOLDER', message: `Pasta não lida (${folder.code}): os arquivos dela não foram examinados.` },
        wrongPassword: false,
      });
    selectedId.value = null;
    passwordFor.value = null;
    await drain(items.value.filter((i) => i.status === 'queued').map((i) => i.id));
    // One file that needs a password: ask at once, as a desktop app does.
    if (single.value?.status === 'locked') passwordFor.value = single.value.id;
  }

  /**
   * Open what the user dropped or picked. Returns false when it held no PFX file at all; a failure
   * to reach the files (e.g. an unreadable folder) becomes an error row rather than nothing.
   */
  async function openIntake(source: () => Promise<Intake>): Promise<boolean> {
    let intake: Intake;
    try {
      intake = await source();
    } catch (caught) {
      batch.invalidate();
      const error = storeError(caught);
      items.value = [{ id: nextId++, name: '—', path: '', status: 'error', result: null, error, wrongPassword: false }];
      return true;
    }
    if (intake.files.length === 0 && intake.unreadable.length === 0) return false;
    await openPaths(intake.files, intake.truncated, intake.unreadable);
    return true;
  }

  async function submitPassword(password: string, remember: boolean): Promise<void> {
    const id = passwordFor.value;
    if (id === null) return;
    busy.value = true; // the dialog stays open with a spinner until the main process answers
    try {
      await read(id, password, remember);
      if (item(id)?.status !== 'locked') passwordFor.value = null;
    } finally {
      busy.value = false;
    }
  }

  async function unlockAll(password: string): Promise<void> {
    busy.value = true;
    try {
      await drain(
        locked.value.map((i) => i.id),
        password,
      );
    } finally {
      busy.value = false;
    }
  }

  async function forget(id: number): Promise<void> {
    const target = item(id);
    if (!target?.result?.certificate) return;
    await api.pfxForget({ sha256: target.result.certificate.fingerprints.sha256 });
    target.result = { ...target.result, passwordRemembered: false };
  }

  function reset(): void {
    batch.invalidate();
    items.value = [];
    selectedId.value = null;
    passwordFor.value = null;
    truncated.value = false;
  }

  return {
    items,
    selectedId,
    passwordFor,
    busy,
    truncated,
    total,
    finished,
    locked,
    single,
    selected,
    passwordItem,
    openPaths,
    openIntake,
    submitPassword,
    unlockAll,
    forget,
    reset,
    askPassword: (id: number) => (passwordFor.value = id),
    // Cancelling the only file goes back to the drop area; in a batch the row stays locked.
    cancelPassword: () => (single.value ? reset() : (passwordFor.value = null)),
    select: (id: number | null) => (selectedId.value = id),
  };
});
