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
}
