/**
 * One environment's embedded workspace on disk:
 *   workspace.json     branches, licensed module catalogue, how it was set up
 *   certificates.json  installed certificates (the commit point of every operation)
 *   journal.json       the operation in flight, so a crash between documents is finished or undone
 *   history/           append-only history (history-log.ts)
 * Documents written by earlier versions are brought to today's shape when opened (migration.ts).
 *   vault/<sha256>.cdv installed PFX files, encrypted (vault.ts)
 * Every operation runs through one queue: two windows never interleave their writes.
 * Folders are 0700 and files 0600: on a shared machine other users see nothing of it.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { Environment } from '@certdesk/shared/contract';
import type { Branch, HistoryEntry, InstalledCertificate, ModuleDef } from '@certdesk/shared/workspace';
import type { CertificateSwap } from '@certdesk/shared/certificate-swap';
import type { SecretStore } from '../secret-store';
import { ensureOwnDir, ensureOwnDirs, readOwnFile } from '../no-follow';
import { ensurePrivateDir } from '../private-dir';
import { environmentName } from '../environment-name';
import { CertdeskError, logAndContinue } from '../errors';
import { DurableJsonFile, isRecord, removeStaleTemps } from './durable-file';
import { decodeSecret, encodeSecret, writeVaultFile, type VaultMode } from './vault';
import { SerialQueue } from './serial-queue';
import { HistoryLog } from './history-log';
import { migrateBranches, migrateCertificates, migrateHistoryEntries } from './migration';

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
  /** Swaps ("Substituir / Renovar"): pending ones and the recent others, committed with the certificates they move. */
  swaps?: CertificateSwap[];
}

interface Journal {
  id: string;
  entry: HistoryEntry;
  /** Further history entries of the same operation (a branch renamed moves several certificates). */
  entries?: HistoryEntry[];
  /** The workspace document this operation writes after its commit point (a branch renamed). */
  workspace?: WorkspaceDoc;
  /** Vault files (sha256) to remove once the operation is committed. */
  remove: string[];
  /** The vault file this operation writes: proven an orphan if the operation never committed. */
  add?: string;
}

const validWorkspace = (v: unknown) => isRecord(v) && Array.isArray(v['branches']) && Array.isArray(v['modules']);
const validCertificates = (v: unknown) => isRecord(v) && Array.isArray(v['certificates']);
const validJournal = (v: unknown) => isRecord(v) && 'pending' in v;

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
    await ensurePrivateDir(dataDir);
    // Below the data folder nothing is reached through a link (no-follow.ts): a link planted at
    // `vault` would otherwise receive the vault.
    const dir = await ensureOwnDirs(dataDir, 'workspaces', environment);
    await ensureOwnDir(join(dir, 'vault'));
    await ensureOwnDir(join(dir, 'history'));
    // Only temporary files, before anything is written: they never hold confirmed data.
    await removeStaleTemps(dir);
    await removeStaleTemps(join(dir, 'vault'));
    const workspace = new Low<WorkspaceDoc>(new DurableJsonFile(join(dir, 'workspace.json'), validWorkspace), {
      version: 1,
      setup: null,
      branches: [],
      modules: [],
    });
    const certificates = new Low<CertificatesDoc>(new DurableJsonFile(join(dir, 'certificates.json'), validCertificates), {
      version: 1,
      lastOperation: null,
      certificates: [],
    });
    // Wrapped in an object: lowdb skips writing a null document, which would leave a stale journal.
    const journal = new Low<{ pending: Journal | null }>(new DurableJsonFile(join(dir, 'journal.json'), validJournal), { pending: null });
    await workspace.read();
    await certificates.read();
    await journal.read();
    // A missing certificates document beside installed files is damage, not an empty workspace:
    // opening it must never conclude that every vault file is an orphan.
    const vaulted = (await readdir(join(dir, 'vault'))).filter((name) => /\.(cdv|pfx)$/.test(name));
    if (vaulted.length && !(await exists(join(dir, 'certificates.json')))) {
      throw new CertdeskError(
        'WORKSPACE_CORRUPT',
        `O documento certificates.json de ${environmentName(environment)} está ausente, mas há ${vaulted.length} certificado(s) guardado(s): nada foi alterado.`,
      );
    }
    // Earlier versions froze the validity at installation and kept labels as data: facts and codes
    // only from now on, written back at once (durably, like any other change of the document).
    if (migrateCertificates(certificates.data.certificates)) await certificates.write();
    if (migrateBranches(workspace.data.branches)) await workspace.write();
    const pending = journal.data.pending;
    if (pending) migrateHistoryEntries([pending.entry, ...(pending.entries ?? [])]); // appended by recovery
    if (pending?.workspace) migrateBranches(pending.workspace.branches); // written by recovery
    const store = new WorkspaceStore(
      environment,
      dir,
      keychain,
      workspace,
      certificates,
      journal,
      await HistoryLog.open(join(dir, 'history')),
    );
    await store.recover();
    return store;
  }

  vaultPath(sha256: string): string {
    return join(this.dir, 'vault', `${sha256}.cdv`);
  }

  /** Where versions before the encrypted vault kept the file as received. */
  legacyVaultPath(sha256: string): string {
    return join(this.dir, 'vault', `${sha256}.pfx`);
  }

  /**
   * Make an operation durable: journal → certificates (commit point) → history → cleanup → clear
   * the journal. A crash before the certificates write leaves the old state (the operation was
   * never confirmed); after it, recovery finishes the history and cleanup.
   */
  async commit(
    entry: HistoryEntry,
    certificates: InstalledCertificate[],
    remove: string[] = [],
    add?: { sha256: string; password: string | null; pfx: Buffer },
    also: { entries?: HistoryEntry[]; workspace?: WorkspaceDoc; swaps?: CertificateSwap[] } = {},
  ): Promise<VaultMode | 'none' | null> {
    this.journal.data = {
      pending: {
        id: entry.id,
        entry,
        remove,
        ...(add ? { add: add.sha256 } : {}),
        ...(also.entries?.length ? { entries: also.entries } : {}),
        ...(also.workspace ? { workspace: also.workspace } : {}),
      },
    };
    await this.journal.write();
    let kept: VaultMode | 'none' | null = null;
    if (add) {
      try {
        kept = await this.keep(add.sha256, add.password, add.pfx); // durable (fsynced) before the commit point
      } catch (error) {
        await this.abandon();
        throw error;
      }
    }
    const previous = this.certificates.data;
    // Swaps live in the same document: a swap's state changes with the links it moves, at one commit point.
    const swaps = also.swaps ?? previous.swaps;
    this.certificates.data = { version: 1, lastOperation: entry.id, certificates, ...(swaps ? { swaps } : {}) };
    try {
      await this.certificates.write();
    } catch (error) {
      this.certificates.data = previous;
      await this.abandon();
      throw error;
    }
    await this.finish();
    return kept;
  }

  /**
   * Keep a PFX in the vault (vault.ts): under a random key kept with its password in the keychain;
   * without a keychain, under a key derived from the password, which is then asked again when
   * needed; with neither a keychain nor a password, not at all (nothing could protect it).
   */
  private async keep(sha256: string, password: string | null, pfx: Buffer): Promise<VaultMode | 'none'> {
    const key = randomBytes(32);
    try {
      await this.keychain.set(vaultAccount(this.environment, sha256), encodeSecret({ password, key: key.toString('base64') }));
    } catch (error) {
      if (!(error instanceof CertdeskError && error.code === 'KEYCHAIN_UNAVAILABLE')) throw error;
      if (!password) return 'none';
      await writeVaultFile(this.vaultPath(sha256), pfx, 'password', { password });
      return 'password';
    }
    await writeVaultFile(this.vaultPath(sha256), pfx, 'keychain', { key });
    return 'keychain';
  }

  /** The operation failed before its commit point: remove what it wrote and forget it. */
  private async abandon(): Promise<void> {
    const journal = this.journal.data.pending;
    if (journal?.add) await this.removeFromVault(journal.add);
    this.journal.data = { pending: null };
    await this.journal.write().catch(() => undefined); // recovery at next open does the same
  }

  private async finish(): Promise<void> {
    const journal = this.journal.data.pending;
    if (!journal) return;
    if (journal.workspace) await this.saveWorkspace(journal.workspace);
    for (const entry of [journal.entry, ...(journal.entries ?? [])]) {
      if (!(await this.history.hasRecent(entry.id))) await this.history.append(entry);
    }
    for (const sha256 of journal.remove) await this.removeFromVault(sha256);
    this.journal.data = { pending: null };
    await this.journal.write();
  }

  /**
   * Finish or undo the operation in flight. A vault file is removed only when the journal proves
   * it an orphan (its operation never reached the commit point); a file no document mentions is
   * otherwise left alone — deleting on a guess is how a damaged document would cost every key.
   */
  private async recover(): Promise<void> {
    const journal = this.journal.data.pending;
    if (journal && this.certificates.data.lastOperation === journal.id) await this.finish();
    else if (journal) await this.abandon();
    await this.encryptLegacyCopies();
  }

  /**
   * Versions before the encrypted vault kept each file as received (a PFX with an unencrypted key
   * bag put the key on disk). Re-encrypt them now; without a keychain they wait for one, since
   * their password is only there.
   */
  private async encryptLegacyCopies(): Promise<void> {
    for (const name of await readdir(join(this.dir, 'vault'))) {
      if (!name.endsWith('.pfx')) continue;
      const sha256 = name.slice(0, -4);
      try {
        const stored = await this.keychain.get(vaultAccount(this.environment, sha256));
        const password = stored === null ? null : decodeSecret(stored).password;
        if ((await this.keep(sha256, password, await readOwnFile(this.legacyVaultPath(sha256)))) === 'none') return;
        await rm(this.legacyVaultPath(sha256), { force: true });
      } catch (error) {
        await rm(this.vaultPath(sha256), { force: true });
        if (!(error instanceof CertdeskError && error.code === 'KEYCHAIN_UNAVAILABLE')) throw error;
        return; // no keychain now: try again at the next open
      }
    }
  }

  async removeFromVault(sha256: string): Promise<void> {
    await rm(this.vaultPath(sha256), { force: true });
    await rm(this.legacyVaultPath(sha256), { force: true });
    await this.keychain.delete(vaultAccount(this.environment, sha256)).catch(logAndContinue('deleting the vault secret', false));
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

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
