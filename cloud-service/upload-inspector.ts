/**
 * Every PFX the cloud opens (an install's upload) is read in a worker thread, never on the
 * server's event loop — and so is every CRL its revocation checks download or read from the cache
 * (readCrl: parse, signature, serial table; see CRL_READ_TIMEOUT_MS). One pool per process, sized
 * from the machine, with a time limit per file that ends the worker (the engine's budget keeps
 * every native call short, so the end is real) and at most one running file per tenant, so a
 * tenant's uploads queue behind each other and the other workers stay free for the other tenants.
 * The upload's bytes go to the worker by transfer.
 */
import { availableParallelism } from 'node:os';
import type { PfxInspection } from '@certdesk/shared/contract';
import { CertdeskError } from '@certdesk/core/errors';
import { PfxWorkerPool, type InspectionWithCertificates, type OpenedUploadBody } from '@certdesk/core/pfx/worker-pool';
import type { UploadOperation } from '@certdesk/core/cloud-api/upload-body';
import type { TlsCredentials } from '@certdesk/core/pfx/tls-credentials';
import { CrlError, type CrlIndex } from '@certdesk/core/trust/crl-index';
import { crlFromAnswer, crlJob } from '@certdesk/core/trust/crl-worker-job';
import type { PoolCertificate } from '@certdesk/core/trust/certificate-pool';
import type { InspectionLoad } from './http/metrics';

/** Long enough for the slowest file the budget lets through on a loaded machine (~1–3 s), short for a stuck one. */
export const DEFAULT_INSPECTION_TIMEOUT_MS = 10_000;

/**
 * One worker per core, at least 2 (with one file per tenant, a single worker would let one tenant
 * hold all of them) and at most 8 (each worker keeps its own engine in memory).
 */
export function inspectionWorkersFor(cores = availableParallelism()): number {
  return Math.max(2, Math.min(8, cores));
}

/**
 * A CRL's time limit in its worker, decided before it starts (its size is bounded before too: the
 * download's and the cache's 32 MB, crl-store.ts). A 32 MB CRL takes ~120 ms idle; 5 s leaves a
 * loaded machine its margin and ends a hostile file's work. Past it: "Não verificado", as a CRL
 * that cannot be read.
 */
export const CRL_READ_TIMEOUT_MS = 5_000;

/**
 * CRL jobs queue as one owner, so they hold at most one worker at a time (CRLs are shared by every
 * tenant; the other workers stay free for uploads). Tenant ids are UUIDs: no tenant is named this.
 */
const CRL_OWNER = 'lcr';

export interface UploadInspectorOptions {
  workers?: number;
  timeoutMs?: number;
  crlTimeoutMs?: number;
}

/**
 * CRLs the workers read since the start, by outcome: accepted; refused (unreadable, another AC's,
 * bad signature, not applicable); failed (past the time limit, or the worker lost).
 */
export interface CrlReads {
  accepted: number;
  refused: number;
  failed: number;
}

export class UploadInspector implements InspectionLoad {
  private readonly pool: PfxWorkerPool;
  private closing = false;
  private readonly crlTimeoutMs: number;
  readonly crlReads: CrlReads = { accepted: 0, refused: 0, failed: 0 };

  constructor(options: UploadInspectorOptions = {}) {
    this.crlTimeoutMs = options.crlTimeoutMs ?? CRL_READ_TIMEOUT_MS;
    this.pool = new PfxWorkerPool(options.workers ?? inspectionWorkersFor(), options.timeoutMs ?? DEFAULT_INSPECTION_TIMEOUT_MS, {
      maxPerOwner: 1,
    });
  }

  /**
   * The inspection of an upload, for `tenantId`. The bytes are copied once into the worker's
   * buffer: the caller keeps `pfx` (it is sealed and stored after a good inspection).
   */
  inspect(tenantId: string, pfx: Buffer, fileName: string, password: string | null, now: Date): Promise<PfxInspection> {
    return this.open(tenantId, pfx, fileName, password, now).then((opened) => opened.inspection);
  }

  /**
   * The inspection and the file's certificates (DER, leaf first; none for a key-only file): what an
   * install keeps for its revocation check, and what the revocation job reads from a PFX stored
   * before the checks existed. The only way the cloud opens a PFX.
   */
  open(tenantId: string, pfx: Buffer, fileName: string, password: string | null, now: Date): Promise<InspectionWithCertificates> {
    return this.pool.inspectBytesWithCertificates(pfx, fileName, password, now, { owner: tenantId }).catch(this.fileFault);
  }

  /**
   * An install's or a swap's raw request body, read and opened in a worker (the JSON, its check
   * against the contract, the base64 and the PFX): the event loop only passes the bytes, by
   * transfer — the request's buffer is not used again.
   */
  openUpload(tenantId: string, operationId: UploadOperation, body: Buffer, now: Date): Promise<OpenedUploadBody> {
    return this.pool.openUploadBody(operationId, body, now, { owner: tenantId, transfer: true }).catch(this.fileFault);
  }

  /** The key and chain of a stored PFX for a SEFAZ check's mutual TLS, opened in a worker like any upload. */
  tlsCredentials(tenantId: string, pfx: Buffer, password: string | null, now: Date): Promise<TlsCredentials> {
    return this.pool.tlsCredentials(pfx, password, now, { owner: tenantId }).catch(this.fileFault);
  }

  /**
   * A CRL's bytes read and verified against `issuer` in a worker (the TrustService's CrlReader); the
   * bytes go by transfer. Rejects with CrlError — refused, past its time limit, or its worker lost —
   * which the revocation check turns into "Não verificado", as for any unreadable CRL.
   */
  readCrl = async (bytes: Buffer, issuer: PoolCertificate): Promise<CrlIndex> => {
    const { job, transfer } = crlJob(bytes, issuer);
    let crl: CrlIndex;
    try {
      crl = crlFromAnswer(await this.pool.readCrl(job, transfer, { owner: CRL_OWNER, timeoutMs: this.crlTimeoutMs }));
    } catch (error) {
      if (error instanceof CrlError) {
        this.crlReads.refused++;
        throw error;
      }
      this.crlReads.failed++;
      const timedOut = error instanceof CertdeskError && error.code === 'TIMEOUT';
      const seconds = (this.crlTimeoutMs / 1000).toLocaleString('pt-BR');
      throw new CrlError(timedOut ? `a leitura da LCR passou de ${seconds} s e foi interrompida` : 'a LCR não pôde ser lida');
    }
    this.crlReads.accepted++;
    return crl;
  };

  /** A worker that died (out of memory, a crash in a native call) is the file's fault, not the server's. */
  private readonly fileFault = (error: unknown): never => {
    if (error instanceof CertdeskError && error.code === 'INTERNAL' && !this.closing)
      throw new CertdeskError('CORRUPT', 'O arquivo não pôde ser lido: o leitor de certificados parou ao abri-lo.');
    throw error;
  };

  queued(): number {
    return this.pool.stats().queued;
  }

  running(): number {
    return this.pool.stats().running;
  }

  timedOut(): number {
    return this.pool.stats().timedOut;
  }

  /** Ends every worker (after the HTTP server stopped taking requests). */
  close(): Promise<void> {
    this.closing = true;
    return this.pool.close();
  }
}
