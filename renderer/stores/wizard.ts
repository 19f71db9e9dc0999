import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { PfxOpenResult, SecretNotice } from '@certdesk/shared/contract';
import { cnpjRoot } from '@certdesk/shared/tax-ids';
import { installStop, type InstallStop } from '@certdesk/shared/install-rules';
import { evaluateSelection, type CertificateView, type Link, type LinkResult, type SelectionItem } from '@certdesk/shared/workspace';
import { api } from '../api';
import { useCertificatesStore } from './certificates';
import { latest, storeError, type StoreError } from './latest';
import { useSettingsStore } from './settings';
import { useWorkspaceStore } from './workspace';

/** Steps of docs/PRODUCT.md §2: file, password, branches, modules, review, result. Edit starts at 2. */
export type Step = 0 | 1 | 2 | 3 | 4 | 5;

/** How a branch's CNPJ relates to the certificate's. */
export type BranchMatch = 'sameRoot' | 'otherRoot' | 'noCnpj';

export type LocalStop = InstallStop | 'duplicate';

/** The add / edit wizard. */
export const useWizardStore = defineStore('wizard', () => {
  const settings = useSettingsStore();
  const workspace = useWorkspaceStore();
  const certificates = useCertificatesStore();

  const open = ref(false);
  const mode = ref<'add' | 'edit'>('add');
  const step = ref<Step>(0);
  const file = ref<{ name: string; path: string } | null>(null);
  const inspection = ref<PfxOpenResult | null>(null);
  const editing = ref<CertificateView | null>(null);
  const selection = ref<SelectionItem[]>([]);
  const results = ref<LinkResult[] | null>(null);
  /** The keychain could not keep the password (or the copy): the result says so and what follows. */
  const secretNotice = ref<SecretNotice | null>(null);
  const before = ref<Link[]>([]);
  const error = ref<StoreError | null>(null);
  const stop = ref<LocalStop | null>(null);
  const busy = ref(false);
  /** "Registrar instalação manual": the certificate was installed on the server by hand. */
  const manual = ref(false);
  const wrongPassword = ref(false);
  // The typed password, kept only until the install call and never in reactive state (devtools).
  let password: string | null = null;
  // A wizard closed or restarted while a call was on its way must not receive its answer.
  const answers = latest();

  const summary = computed(() => inspection.value?.certificate ?? editing.value?.certificate ?? null);
  const duplicateOf = computed(
    () => certificates.items.find((c) => c.certificate.fingerprints.sha256 === summary.value?.fingerprints.sha256) ?? null,
  );

  /** What the backend will answer, computed locally so the review can show it before installing. */
  const preview = computed(() =>
    summary.value && workspace.status
      ? evaluateSelection(selection.value, summary.value, workspace.status.branches, workspace.status.modules)
      : [],
  );

  /**
   * Branches whose CNPJ root is the certificate's first, as the product asks. `match` says how the
   * branch relates to the certificate: same root, a different root (SEFAZ rejection 213), or no
   * CNPJ at all (an e-CPF cannot issue for any branch: no root to compare).
   */
  const branchOptions = computed(() => {
    const root = summary.value?.cnpj ? cnpjRoot(summary.value.cnpj) : null;
    const branches = [...(workspace.status?.branches ?? [])];
    return branches
      .map((b) => {
        const match: BranchMatch = root === null ? 'noCnpj' : cnpjRoot(b.cnpj) === root ? 'sameRoot' : 'otherRoot';
        return { branch: b, match, sameRoot: match === 'sameRoot' };
      })
      .sort((a, b) => Number(b.sameRoot) - Number(a.sameRoot) || a.branch.code.localeCompare(b.branch.code));
  });

  /** Branches still to offer in the picker: the ones already in the list are not. */
  const availableBranches = computed(() => branchOptions.value.filter((o) => !selection.value.some((s) => s.branch === o.branch.code)));

  const initialSelection = ref('[]');
  /** Something the user chose would be lost by closing now (file, password, branches or modules). */
  const started = computed(
    () =>
      open.value &&
      step.value < 5 &&
      (file.value !== null || inspection.value !== null || JSON.stringify(selection.value) !== initialSelection.value),
  );

  function reset(): void {
    answers.invalidate();
    busy.value = false;
    step.value = 0;
    file.value = null;
    inspection.value = null;
    editing.value = null;
    selection.value = [];
    results.value = null;
    secretNotice.value = null;
    before.value = [];
    error.value = null;
    stop.value = null;
    wrongPassword.value = false;
    manual.value = false;
    password = null;
    initialSelection.value = '[]';
  }

  function startAdd(): void {
    reset();
    mode.value = 'add';
    open.value = true;
  }

  function startEdit(cert: CertificateView): void {
    reset();
    mode.value = 'edit';
    editing.value = cert;
    before.value = cert.links;
    const grouped = new Map<string, string[]>();
    for (const link of cert.links) grouped.set(link.branch, [...(grouped.get(link.branch) ?? []), link.module]);
    selection.value = [...grouped].map(([branch, modules]) => ({ branch, modules }));
    initialSelection.value = JSON.stringify(selection.value);
    step.value = 2;
    open.value = true;
  }

  /** Close; the password goes now, the rest with the next start (reset). */
  function close(): void {
    open.value = false;
    password = null;
    answers.invalidate();
    busy.value = false;
  }

  function chooseFile(chosen: { name: string; path: string }): void {
    file.value = chosen;
    error.value = null;
    stop.value = null;
    step.value = 1;
  }

  /** Step 2: open the file locally before anything is sent; stop on anything that cannot be installed. */
  async function checkPassword(typed: string, remember: boolean): Promise<void> {
    if (!file.value) return;
    const current = answers.begin();
    busy.value = true;
    error.value = null;
    wrongPassword.value = false;
    try {
      const result = await api.pfxInspect({ path: file.value.path, password: typed || null, remember });
      if (!current()) return;
      inspection.value = result;
      password = typed || null;
      // The backends' own rules, in their order (installStop), so the wizard stops where install would.
      const refused = installStop(result) ?? (duplicateOf.value ? 'duplicate' : null);
      if (refused) stop.value = refused;
      else {
        stop.value = null;
        step.value = 2;
      }
    } catch (caught) {
      if (!current()) return;
      const payload = storeError(caught);
      if (payload.code === 'WRONG_PASSWORD' || payload.code === 'PASSWORD_REQUIRED')
        wrongPassword.value = payload.code === 'WRONG_PASSWORD';
      else error.value = payload;
    } finally {
      if (current()) busy.value = false;
    }
  }

  function addBranch(code: string): void {
    if (!selection.value.some((s) => s.branch === code)) {
      const parametrized = workspace.branch(code)?.modules ?? [];
      const licensed = new Set(workspace.status?.modules.filter((m) => m.licensed).map((m) => m.id));
      selection.value = [...selection.value, { branch: code, modules: parametrized.filter((m) => licensed.has(m)) }];
    }
  }

  function removeBranch(code: string): void {
    selection.value = selection.value.filter((s) => s.branch !== code);
  }

  function setModules(code: string, modules: string[]): void {
    selection.value = selection.value.map((s) => (s.branch === code ? { ...s, modules } : s));
  }

  /** Step 6: install or apply the edit, then show the result per branch and module. */
  async function submit(): Promise<void> {
    const current = answers.begin();
    busy.value = true;
    error.value = null;
    const environment = settings.environment;
    try {
      if (mode.value === 'add' && file.value) {
        const done = await api.certificatesInstall({
          environment,
          path: file.value.path,
          password,
          selection: selection.value,
          ...(manual.value ? { manual: true } : {}),
        });
        password = null;
        // Installed either way: the list learns it even if the wizard was closed meanwhile.
        await certificates.load();
        if (!current()) return;
        results.value = done.results;
        secretNotice.value = done.secretNotice ?? null;
      } else if (editing.value) {
        const done = await api.certificatesEdit({ environment, id: editing.value.id, selection: selection.value });
        await certificates.load();
        if (!current()) return;
        results.value = done.results;
        before.value = done.before;
      }
      step.value = 5;
    } catch (caught) {
      if (current()) error.value = storeError(caught);
    } finally {
      if (current()) busy.value = false;
    }
  }

  return {
    open,
    mode,
    step,
    file,
    inspection,
    editing,
    selection,
    results,
    secretNotice,
    before,
    error,
    stop,
    busy,
    wrongPassword,
    manual,
    summary,
    duplicateOf,
    preview,
    branchOptions,
    availableBranches,
    started,
    startAdd,
    startEdit,
    close,
    chooseFile,
    checkPassword,
    addBranch,
    removeBranch,
    setModules,
    submit,
    go: (to: Step) => (step.value = to),
  };
});
