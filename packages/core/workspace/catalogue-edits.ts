/**
 * The embedded workspace's catalogue edits (docs/PRODUCT.md §2): setup, a branch saved, renamed or
 * deleted, the modules saved. Each runs inside its store's queue (WorkspaceService holds the queue)
 * and commits by itself; a branch renamed carries its certificates' links along in the same commit.
 */
import type { Branch, HistoryEntry, InstalledCertificate, ModuleDef } from '@certdesk/shared/workspace';
import { CertdeskError } from '../errors';
import { servesBranch, withBranchRenamed } from './certificate-records';
import { EXAMPLE_BRANCHES, EXAMPLE_MODULES } from './example-workspace';
import type { SetupRequest } from './management-backend';
import { normalizeBranch, requireStates, validateCatalogue } from './workspace-rules';
import type { WorkspaceStore } from './workspace-store';

/** A history entry by this workspace's user, now (WorkspaceService `entry`). */
type EntryFor = (action: HistoryEntry['action'], cert: InstalledCertificate, extra: Partial<HistoryEntry>) => HistoryEntry;

export async function setUpCatalogue(store: WorkspaceStore, request: SetupRequest): Promise<void> {
  const branches = request.kind === 'example' ? EXAMPLE_BRANCHES : request.branches;
  const modules = request.kind === 'example' ? EXAMPLE_MODULES : request.modules;
  requireStates(branches);
  validateCatalogue(branches, modules);
  await store.saveWorkspace({ version: 1, setup: request.kind, branches: branches.map(normalizeBranch), modules });
}

/**
 * Add or change a branch. Renaming its code (`previousCode`) carries the links of every
 * certificate that served it over to the new code in the same atomic operation, with a history
 * entry per certificate moved: a certificate never serves a code that no longer exists.
 */
export async function saveCatalogueBranch(
  store: WorkspaceStore,
  branch: Branch,
  previousCode: string | undefined,
  now: () => Date,
  entry: EntryFor,
): Promise<void> {
  const doc = store.workspace.data;
  requireStates([branch]);
  const saved = normalizeBranch(branch);
  const others = doc.branches.filter((b) => b.code !== (previousCode ?? branch.code));
  const branches = [...others, saved].sort((a, b) => a.code.localeCompare(b.code));
  validateCatalogue(branches, doc.modules);
  const next = { ...doc, branches };
  const from = previousCode ?? saved.code;
  const renamed = from !== saved.code && doc.branches.some((b) => b.code === from);
  const moved = renamed ? store.certificates.data.certificates.filter((c) => servesBranch(c, from)) : [];
  if (!moved.length) return store.saveWorkspace(next);
  const at = now();
  const updated = new Map<string, InstalledCertificate>();
  const entries = moved.map((c) => {
    const after = withBranchRenamed(c, from, saved.code, at);
    updated.set(c.id, after);
    return entry('edit', c, { before: c.links, after: after.links, renamedBranch: { from, to: saved.code } });
  });
  await store.commit(
    entries[0]!,
    store.certificates.data.certificates.map((c) => updated.get(c.id) ?? c),
    [],
    undefined,
    { entries: entries.slice(1), workspace: next },
  );
}

/** A branch still served by a certificate is refused: its certificates are edited first. */
export async function deleteCatalogueBranch(store: WorkspaceStore, code: string): Promise<void> {
  const serving = store.certificates.data.certificates.filter((c) => c.links.some((l) => l.branch === code));
  if (serving.length) {
    throw new CertdeskError(
      'INVALID_DATA',
      `A filial ${code} ainda é atendida por ${serving.length} certificado(s): edite-os antes de excluí-la.`,
    );
  }
  const doc = store.workspace.data;
  await store.saveWorkspace({ ...doc, branches: doc.branches.filter((b) => b.code !== code) });
}

export async function saveCatalogueModules(store: WorkspaceStore, modules: ModuleDef[]): Promise<void> {
  const doc = store.workspace.data;
  validateCatalogue(doc.branches, modules);
  await store.saveWorkspace({ ...doc, modules });
}
