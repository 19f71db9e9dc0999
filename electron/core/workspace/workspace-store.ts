/**
 * One environment's embedded workspace on disk:
 *   workspace.json     branches, licensed module catalogue, how it was set up
 *   certificates.json  installed certificates (the commit point of every operation)
 *   journal.json       the operation in flight, so a crash between documents is finished or undone
 *   history/           append-only history (history-log.ts)
 *   vault/<sha256>.pfx installed PFX files exactly as received (already password-encrypted)
 * Every operation runs through one queue: two windows never interleave their writes.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { Environment } from '#shared/contract';
import type { Branch, HistoryEntry, InstalledCertificate, ModuleDef } from '#shared/workspace';
import type { SecretStore } from '../keychain/keychain';
import { DurableJsonFile } from './durable-file';
import { SerialQueue } from './serial-queue';
import { HistoryLog } from './history-log';

export interface WorkspaceDoc {
  version: 1;
  setup: 'guided' | 'example' | null;
  branches: Branch[];
  modules: ModuleDef[];
}

export interface CertificatesDoc {
  version: 1;
  /** Id of the last operation whose certificate change is on disk (journal recovery). */
  lastOperation: string | null;
  certificates: InstalledCertificate[];
}

interface Journal {
  id: string;
  entry: HistoryEntry;
  /** Vault files (sha256) to remove once the operation is committed. */
  remove: string[];
}

export const vaultAccount = (environment: Environment, sha256: string) => `vault:${environment}:${sha256}`;

export class WorkspaceStore {
  readonly queue = new SerialQueue();

  private constructor(
    readonly environment: Environment,
    readonly dir: string,
    private readonly keychain: SecretStore,
    readonly workspace: Low<WorkspaceDoc>,
    readonly certificates: Low<CertificatesDoc>,
    private readonly journal: Low<{ pending: Journal | null }>,
    readonly history: HistoryLog,
  ) {}

  static async open(dataDir: string, environment: Environment, keychain: SecretStore): Promise<WorkspaceStore> {
    const dir = join(dataDir, 'workspaces', environment);
    await mkdir(join(dir, 'vault'), { recursive: true });
    const workspace = new Low<WorkspaceDoc>(new DurableJsonFile(join(dir, 'workspace.json')), { version: 1, setup: null, branches: [], modules: [] });
    const certificates = new Low<CertificatesDoc>(new DurableJsonFile(join(dir, 'certificates.json')), { version: 1, lastOperation: null, certificates: [] });
    // Wrapped in an object: lowdb skips writing a null document, which would leave a stale journal.
    const journal = new Low<{ pending: Journal | null }>(new DurableJsonFile(join(dir, 'journal.json')), { pending: null });
    await workspace.read();
    await certificates.read();
    await journal.read();
    const store = new WorkspaceStore(environment, dir, keychain, workspace, certificates, journal, await HistoryLog.open(join(dir, 'history')));
    await store.recover();
    return store;
  }

  vaultPath(sha256: string): string {
    return join(this.dir, 'vault', `${sha256}.pfx`);
  }

  /**
   * Make an operation durable: journal → certificates (commit point) → history → cleanup → clear
   * the journal. A crash before the certificates write leaves the old state (the operation was
   * never confirmed); after it, recovery finishes the history and cleanup.
   */
  async commit(entry: HistoryEntry, certificates: InstalledCertificate[], remove: string[] = []): Promise<void> {
    this.journal.data = { pending: { id: entry.id, entry, remove } };
    await this.journal.write();
    const previous = this.certificates.data;
    this.certificates.data = { version: 1, lastOperation: entry.id, certificates };
    try {
      await this.certificates.write();
    } catch (error) {
      this.certificates.data = previous;
      throw error;
    }
    await this.finish();
  }

  private async finish(): Promise<void> {
    const journal = this.journal.data.pending;
    if (!journal) return;
    if (!(await this.history.hasRecent(journal.id))) await this.history.append(journal.entry);
    for (const sha256 of journal.remove) await this.removeFromVault(sha256);
    this.journal.data = { pending: null };
    await this.journal.write();
  }

  private async recover(): Promise<void> {
    if (!this.journal.data || typeof this.journal.data !== 'object') this.journal.data = { pending: null };
    const journal = this.journal.data.pending;
    if (journal && this.certificates.data.lastOperation === journal.id) await this.finish();
    else if (journal) {
      this.journal.data = { pending: null }; // never reached the commit point: the operation did not happen
      await this.journal.write();
    }
    // Vault files no certificate refers to come from operations that never committed.
    const referenced = new Set(this.certificates.data.certificates.map((c) => c.certificate.fingerprints.sha256));
    for (const name of await readdir(join(this.dir, 'vault'))) {
      const sha256 = name.replace(/\.pfx$/, '');
      if (name.endsWith('.pfx') && !referenced.has(sha256)) await this.removeFromVault(sha256);
      else if (name.endsWith('.tmp')) await rm(join(this.dir, 'vault', name), { force: true });
    }
  }

  async removeFromVault(sha256: string): Promise<void> {
    await rm(this.vaultPath(sha256), { force: true });
    await this.keychain.delete(vaultAccount(this.environment, sha256)).catch(() => false);
  }

  async saveWorkspace(doc: WorkspaceDoc): Promise<void> {
    const previous = this.workspace.data;
    this.workspace.data = doc;
    try {
      await this.workspace.write();
    } catch (error) {
      this.workspace.data = previous;
      throw error;
    }
  }
}
