/**
 * Chain and revocation in the embedded workspace: the check at install (revocation-check.ts), its
 * answer kept beside the record (trust-document.ts), and the background recheck the desktop runs
 * while open — due checks only (the engine's isRecheckDue), kept CRLs older than a day asked again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PfxInspection } from '@certdesk/shared/contract';
import type { TrustReport } from '@certdesk/shared/trust';
import { installedStatus } from '@certdesk/shared/workspace';
import { logAndContinue } from '../errors';
import { nextRecheckDelay } from '../trust/revocation';
import {
  certificatesToKeep,
  checkAtInstall,
  INSTALL_CHECK_WAIT_MS,
  isDue,
  recheckOptions,
  refuseRevokedInstall,
  type InstallCheck,
  type TrustEvaluator,
} from './revocation-check';
import { TrustDocument, type TrustEntry } from './trust-document';
import type { WorkspaceStore } from './workspace-store';

export interface WorkspaceTrustOptions {
  /** Opens a PFX and answers its certificates too (the worker pool's inspectWithCertificates). */
  open: (path: string, password: string | null) => Promise<{ inspection: PfxInspection; certificates: Buffer[] }>;
  evaluator: TrustEvaluator;
  /** How long an install waits for the network (default INSTALL_CHECK_WAIT_MS). */
  installWaitMs?: number;
}

export interface RecheckOutcome {
  checked: number;
  /** Certificates the recheck found revoked that were not before. */
  newlyRevoked: number;
  /** Milliseconds until the next kept answer is due (null: nothing to check again). */
  nextDelay: number | null;
}

const entryOf = (certificates: Buffer[], report: TrustReport | null): TrustEntry => ({
  certificates: certificatesToKeep(certificates).map((der) => der.toString('base64')),
  report,
});

export class WorkspaceTrust {
  private readonly documents = new Map<WorkspaceStore, Promise<TrustDocument>>();

  constructor(
    private readonly options: WorkspaceTrustOptions,
    private readonly now: () => Date,
  ) {}

  open(path: string, password: string | null) {
    return this.options.open(path, password);
  }

  /** The store's kept checks; opened (and pruned) in its queue — so never call this from inside the queue. */
  document(store: WorkspaceStore): Promise<TrustDocument> {
    let document = this.documents.get(store);
    if (!document) {
      document = store.queue.run(() =>
        TrustDocument.open(
          store.dir,
          store.certificates.data.certificates.map((c) => c.id),
        ),
      );
      document.catch(() => this.documents.delete(store));
      this.documents.set(store, document);
    }
    return document;
  }

  /** The check at install, before the store's queue; refuses a revoked certificate. */
  async atInstall(certificates: Buffer[]): Promise<InstallCheck> {
    const check = await checkAtInstall(this.options.evaluator, certificates, this.options.installWaitMs ?? INSTALL_CHECK_WAIT_MS);
    refuseRevokedInstall(check.report);
    return check;
  }

  /** Inside the install's queue job, before its commit point: the entry for the new certificate. */
  keep(document: TrustDocument, id: string, certificates: Buffer[], report: TrustReport | null): Promise<void> {
    return document.change((entries) => {
      entries[id] = entryOf(certificates, report);
    });
  }

  /** The network's answer that came after the install: kept if the certificate is still there. */
  keepLater(store: WorkspaceStore, document: TrustDocument, id: string, later: Promise<TrustReport | null>): void {
    void later
      .then((report) => {
        if (!report) return;
        return store.queue.run(async () => {
          const entry = document.get(id);
          if (entry && store.certificates.data.certificates.some((c) => c.id === id))
            await document.change((entries) => void (entries[id] = { ...entry, report }));
        });
      })
      .catch(logAndContinue('keeping a late revocation answer', undefined));
  }

  /**
   * Check again what is due in the store's environment (not expired, with certificates kept).
   * Evaluated outside the queue (network), kept inside it in one write.
   */
  async recheck(store: WorkspaceStore): Promise<RecheckOutcome> {
    const document = await this.document(store);
    const now = this.now();
    const due = this.live(store, document, now).filter(([, entry]) => entry.certificates.length > 0 && isDue(entry.report, now));
    const options = recheckOptions(now);
    const answers = await Promise.all(
      due.map(async ([id, entry]) => {
        const [leaf, ...others] = entry.certificates.map((b64) => Buffer.from(b64, 'base64'));
        // Only a kept certificate that no longer parses throws: it cannot be checked again.
        const report = await this.options.evaluator.evaluate(leaf!, others, options).catch(() => undefined);
        return { id, report };
      }),
    );
    let newlyRevoked = 0;
    if (answers.length) {
      await store.queue.run(() =>
        document.change((entries) => {
          for (const { id, report } of answers) {
            const entry = entries[id];
            if (!entry) continue; // deleted meanwhile
            if (report === undefined) entries[id] = { ...entry, certificates: [] };
            else {
              if (report.revocation.status === 'revoked' && entry.report?.revocation.status !== 'revoked') newlyRevoked++;
              entries[id] = { ...entry, report };
            }
          }
        }),
      );
    }
    return { checked: answers.length, newlyRevoked, nextDelay: this.nextDelay(store, document) };
  }

  /** Milliseconds until the first kept answer of the store is due again. */
  nextDelay(store: WorkspaceStore, document: TrustDocument): number | null {
    const now = this.now();
    const live = this.live(store, document, now).filter(([, entry]) => entry.certificates.length > 0);
    // Never checked (nothing answered at install): due now.
    if (live.some(([, entry]) => !entry.report)) return 0;
    return nextRecheckDelay(
      live.map(([, entry]) => entry.report!.revocation),
      now,
    );
  }

  /** Entries of certificates still installed and not expired (an expired one is only deleted). */
  private live(store: WorkspaceStore, document: TrustDocument, now: Date): [string, TrustEntry][] {
    const records = new Map(store.certificates.data.certificates.map((c) => [c.id, c]));
    return document.entries().filter(([id]) => {
      const record = records.get(id);
      return record !== undefined && installedStatus(record, now).status !== 'expired';
    });
  }

  /** Whether this environment ever kept a check (else the recheck need not open its workspace). */
  static anyKept(dataDir: string, environment: string): boolean {
    return existsSync(join(dataDir, 'workspaces', environment, 'trust.json'));
  }
}
