/**
 * "Substituir / Renovar" in the embedded workspace: each swap — now, scheduled, run when due,
 * cancelled or undone — is one journaled commit of certificates.json (the certificates it changes,
 * the swap's state, the vault copy of a new file) plus its "Substituição" history entry, through the
 * environment's queue. A due swap runs once: its state is committed with the links it moves, so a
 * restart finds it done (or, if the commit never happened, runs it then).
 */
import { basename } from 'node:path';
import type { Environment, PfxInspection, SecretNotice } from '@certdesk/shared/contract';
import type { CertificateSwap } from '@certdesk/shared/certificate-swap';
import { certificateView } from '@certdesk/shared/workspace';
import { CertdeskError } from '../errors';
import { readPfxFile } from '../pfx/read-pfx-file';
import { newCertificate } from './certificate-records';
import type { SwapRequest, SwapResult } from './management-backend';
import {
  applySwap,
  checkSwappable,
  detachedFrom,
  newSwap,
  pruneSwaps,
  refuseSwap,
  swapBlocker,
  swapEntry,
  swapMoment,
  undoSwap,
} from './swap-records';
import type { WorkspaceStore } from './workspace-store';
import type { WorkspaceTrust } from './workspace-trust';

export interface WorkspaceSwapsOptions {
  store(environment: Environment): Promise<WorkspaceStore>;
  /** The store of a set-up environment (else SETUP_REQUIRED). */
  ready(environment: Environment): Promise<WorkspaceStore>;
  inspect(path: string, password: string | null): Promise<PfxInspection>;
  /** Chain and revocation, as at install (workspace-trust.ts): a revoked certificate takes no links; null: not checked. */
  trust: WorkspaceTrust | null;
  now(): Date;
  user(): string;
}

const swapsOf = (store: WorkspaceStore) => store.certificates.data.swaps ?? [];
const byId = (store: WorkspaceStore, id: string) => store.certificates.data.certificates.find((c) => c.id === id);

export class WorkspaceSwaps {
  constructor(private readonly o: WorkspaceSwapsOptions) {}

  async swap(environment: Environment, id: string, request: SwapRequest): Promise<SwapResult> {
    const store = await this.o.ready(environment);
    const scheduled = swapMoment(request.scheduledFor, this.o.now());
    // Opened and checked before the queue (a slow file or network holds up nobody), judged at the moment the swap runs.
    const trust = this.o.trust;
    const opened = trust
      ? await trust.open(request.path, request.password)
      : { inspection: await this.o.inspect(request.path, request.password), certificates: [] };
    const inspection = opened.inspection;
    checkSwappable(inspection, scheduled ?? this.o.now());
    const check = trust ? await trust.atInstall(opened.certificates) : null; // refuses a revoked one
    const document = trust ? await trust.document(store) : null;
    return store.queue.run(async () => {
      const now = this.o.now();
      const from = byId(store, id);
      if (!from) throw new CertdeskError('NOT_FOUND', 'Certificado não encontrado neste ambiente (pode ter sido excluído).');
      const sha256 = inspection.certificate.fingerprints.sha256;
      const pending = swapsOf(store).some((s) => s.state === 'pending' && s.from.id === id);
      const existing = store.certificates.data.certificates.find((c) => c.certificate.fingerprints.sha256 === sha256);
      // A file already installed here (serving nothing, say) takes over as it is: no second copy.
      const to =
        existing ??
        newCertificate({
          environment,
          inspection,
          fileName: basename(request.path),
          selection: [],
          catalogue: store.workspace.data,
          user: this.o.user(),
          at: now,
        }).cert;
      refuseSwap(from, to, pending);
      if (to.replacedBy)
        throw new CertdeskError('SWAP_REFUSED', 'O novo certificado já foi substituído por outro neste ambiente.', {
          reason: 'ALREADY_REPLACED',
        });
      let swap = newSwap({ environment, from, to, scheduledFor: scheduled, user: this.o.user(), at: now });
      let records = existing ? store.certificates.data.certificates : [...store.certificates.data.certificates, to];
      let stage: 'done' | 'scheduled' = 'scheduled';
      if (!scheduled) {
        const applied = applySwap(swap, from, to, store.workspace.data, now);
        swap = applied.swap;
        records = records.map((c) => (c.id === from.id ? applied.from : c.id === to.id ? applied.to : c));
        stage = 'done';
      }
      const entry = swapEntry(this.o.user(), now, swap, from, stage);
      const add = existing ? undefined : { sha256, password: request.password, pfx: await readPfxFile(request.path) };
      // A new certificate's check, before the commit point like an install's (an orphan is dropped at next open).
      if (!existing && document && check) await trust!.keep(document, to.id, opened.certificates, check.report);
      const kept = await store.commit(entry, records, [], add, { swaps: pruneSwaps([...swapsOf(store), swap]) });
      if (!existing && document && check?.later) trust!.keepLater(store, document, to.id, check.later);
      const secretNotice: SecretNotice | undefined =
        kept === 'password' ? 'password-not-kept' : kept === 'none' ? 'copy-not-kept' : undefined;
      const view = certificateView(
        records.find((c) => c.id === to.id)!,
        now,
      );
      return { swap, certificate: check ? { ...view, trust: check.report } : view, ...(secretNotice ? { secretNotice } : {}) };
    });
  }

  /** Pending swaps first (soonest first), then the ended ones, newest first. */
  async list(environment: Environment): Promise<CertificateSwap[]> {
    const swaps = swapsOf(await this.o.store(environment));
    const pending = swaps.filter((s) => s.state === 'pending').sort((a, b) => (a.scheduledFor ?? '').localeCompare(b.scheduledFor ?? ''));
    const ended = swaps.filter((s) => s.state !== 'pending').reverse();
    return [...pending, ...ended];
  }

  async cancel(environment: Environment, swapId: string): Promise<CertificateSwap> {
    const store = await this.o.ready(environment);
    return store.queue.run(async () => {
      const swap = this.find(store, swapId);
      if (swap.state !== 'pending')
        throw new CertdeskError('SWAP_REFUSED', 'Esta substituição já foi feita ou encerrada: não há o que cancelar.', {
          reason: 'NOT_PENDING',
        });
      const now = this.o.now();
      const ended: CertificateSwap = { ...swap, state: 'cancelled', endedBy: this.o.user(), endedAt: now.toISOString() };
      const from = byId(store, swap.from.id) ?? detachedFrom(swap);
      await store.commit(swapEntry(this.o.user(), now, ended, from, 'cancelled'), store.certificates.data.certificates, [], undefined, {
        swaps: swapsOf(store).map((s) => (s.id === swapId ? ended : s)),
      });
      return ended;
    });
  }

  async undo(environment: Environment, swapId: string): Promise<CertificateSwap> {
    const store = await this.o.ready(environment);
    return store.queue.run(async () => {
      const swap = this.find(store, swapId);
      const now = this.o.now();
      const undone = undoSwap(swap, byId(store, swap.from.id), byId(store, swap.to.id), this.o.user(), now);
      const records = store.certificates.data.certificates.map((c) =>
        c.id === undone.from.id ? undone.from : c.id === undone.to?.id ? undone.to : c,
      );
      await store.commit(swapEntry(this.o.user(), now, undone.swap, undone.from, 'undone'), records, [], undefined, {
        swaps: swapsOf(store).map((s) => (s.id === swapId ? undone.swap : s)),
      });
      return undone.swap;
    });
  }

  /**
   * Runs the swaps due at now (the desktop calls it on a timer and when its clock moves); each is
   * its own commit. A swap that cannot run any more (its certificates gone or not valid) ends as
   * failed, saying why. Answers the swaps that ended now.
   */
  async runDue(environment: Environment): Promise<CertificateSwap[]> {
    const store = await this.o.store(environment);
    if (!store.workspace.data.setup) return [];
    const document = this.o.trust ? await this.o.trust.document(store) : null;
    const ended: CertificateSwap[] = [];
    for (;;) {
      const done = await store.queue.run(async () => {
        const now = this.o.now();
        const swap = swapsOf(store).find((s) => s.state === 'pending' && s.scheduledFor && Date.parse(s.scheduledFor) <= now.getTime());
        if (!swap) return null;
        const from = byId(store, swap.from.id);
        const to = byId(store, swap.to.id);
        const revoked = !!to && document?.report(to.id)?.revocation.status === 'revoked';
        const blocker = swapBlocker(from, to, now) ?? (revoked ? 'o novo certificado foi revogado.' : null);
        const user = swap.createdBy;
        if (blocker) {
          const failed: CertificateSwap = {
            ...swap,
            state: 'failed',
            ranAt: now.toISOString(),
            failure: { code: 'SWAP_BLOCKED', message: `Não foi possível substituir: ${blocker}` },
          };
          await store.commit(
            swapEntry(user, now, failed, from ?? detachedFrom(swap), 'failed', failed.failure!.message),
            store.certificates.data.certificates,
            [],
            undefined,
            {
              swaps: swapsOf(store).map((s) => (s.id === swap.id ? failed : s)),
            },
          );
          return failed;
        }
        const applied = applySwap(swap, from!, to!, store.workspace.data, now);
        const records = store.certificates.data.certificates.map((c) =>
          c.id === from!.id ? applied.from : c.id === to!.id ? applied.to : c,
        );
        await store.commit(swapEntry(user, now, applied.swap, from!, 'done'), records, [], undefined, {
          swaps: swapsOf(store).map((s) => (s.id === swap.id ? applied.swap : s)),
        });
        return applied.swap;
      });
      if (!done) return ended;
      ended.push(done);
    }
  }

  /** Swaps that can no longer run once `id` is deleted: cancelled in the same commit as the deletion. */
  cancelledBy(store: WorkspaceStore, id: string): CertificateSwap[] | undefined {
    const swaps = swapsOf(store);
    if (!swaps.some((s) => s.state === 'pending' && (s.from.id === id || s.to.id === id))) return undefined;
    const at = this.o.now().toISOString();
    return swaps.map((s) =>
      s.state === 'pending' && (s.from.id === id || s.to.id === id)
        ? { ...s, state: 'cancelled' as const, endedBy: this.o.user(), endedAt: at }
        : s,
    );
  }

  private find(store: WorkspaceStore, swapId: string): CertificateSwap {
    const swap = swapsOf(store).find((s) => s.id === swapId);
    if (!swap) throw new CertdeskError('NOT_FOUND', 'Substituição não encontrada neste ambiente.');
    return swap;
  }
}
