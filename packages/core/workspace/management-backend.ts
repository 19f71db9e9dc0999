/**
 * What a backend of certificate management offers (docs/PRODUCT.md §2–3), declared once: the
 * embedded workspace (WorkspaceService, this package) and the cloud client (desktop/cloud-client.ts)
 * both implement it, so the desktop routes every management call to either without a cast.
 */
import type { Environment, SecretNotice } from '@certdesk/shared/contract';
import type {
  Branch,
  CertificateView,
  HistoryEntry,
  Link,
  LinkResult,
  ModuleDef,
  SelectionItem,
  WorkspaceStatus,
} from '@certdesk/shared/workspace';
import type { CertificateSwap } from '@certdesk/shared/certificate-swap';
import type { HistoryQuery } from './history-log';

export type SetupRequest = { kind: 'example' } | { kind: 'guided'; branches: Branch[]; modules: ModuleDef[] };

export interface InstallRequest {
  /** The PFX file on this computer. */
  path: string;
  password: string | null;
  selection: SelectionItem[];
  /** "Registrar instalação manual": the certificate was installed on the server by hand. */
  manual?: boolean;
}

export interface InstallResult {
  certificate: CertificateView;
  results: LinkResult[];
  /** Said when the secret could not be kept (embedded, without a keychain). */
  secretNotice?: SecretNotice;
}

export interface EditResult {
  certificate: CertificateView;
  before: Link[];
  after: Link[];
  results: LinkResult[];
}

/** "Substituir / Renovar": the new PFX (on this computer), its password, and when (absent or null: now). */
export interface SwapRequest {
  path: string;
  password: string | null;
  scheduledFor?: string | null;
}

export interface SwapResult {
  swap: CertificateSwap;
  /** The new certificate as it is after the request (serving the links now, or waiting for the swap). */
  certificate: CertificateView;
  secretNotice?: SecretNotice;
}

export interface ManagementBackend {
  status(environment: Environment): Promise<WorkspaceStatus>;
  setup(environment: Environment, request: SetupRequest): Promise<WorkspaceStatus>;
  /** Add or change a branch; `previousCode` renames it (its certificates' links follow). */
  saveBranch(environment: Environment, branch: Branch, previousCode?: string): Promise<WorkspaceStatus>;
  deleteBranch(environment: Environment, code: string): Promise<WorkspaceStatus>;
  saveModules(environment: Environment, modules: ModuleDef[]): Promise<WorkspaceStatus>;
  get(environment: Environment, id: string): Promise<CertificateView>;
  install(environment: Environment, request: InstallRequest): Promise<InstallResult>;
  edit(environment: Environment, id: string, selection: SelectionItem[]): Promise<EditResult>;
  remove(environment: Environment, id: string): Promise<{ served: Link[] }>;
  history(environment: Environment, query: HistoryQuery): Promise<{ entries: HistoryEntry[]; more: boolean }>;
  /** The new certificate takes over every link of `id`, in one step, now or at `scheduledFor`. */
  swap(environment: Environment, id: string, request: SwapRequest): Promise<SwapResult>;
  /** Pending swaps (soonest first), then recent ended ones. */
  swaps(environment: Environment): Promise<CertificateSwap[]>;
  cancelSwap(environment: Environment, swapId: string): Promise<CertificateSwap>;
  /** Undo a swap that ran, while the old certificate is still valid. */
  undoSwap(environment: Environment, swapId: string): Promise<CertificateSwap>;
}
