/**
 * A small pool of worker threads for PFX inspection, used by the app (IPC handlers), the CLI's
 * `scan` and `inspect`, and — for uploads, and for the CRLs it verifies (readCrl) — CertDesk Cloud.
 * The API the cloud needs:
 *
 *   const pool = new PfxWorkerPool(PfxWorkerPool.sizeFor(), 10_000, { maxPerOwner: 1 });
 *   await pool.inspectBytes(upload, 'empresa.pfx', password, new Date(), { owner: tenantId });
 *   pool.stats();      // workers, queued jobs and each owner's running / queued jobs
 *   await pool.close();
 *
 * - Bytes are handed to the worker in an ArrayBuffer by transfer (a copy of just those bytes,
 *   or, with `transfer: true`, the caller's own buffer when it spans it whole): nothing is
 *   parsed on the caller's thread, nothing is written to disk.
 * - Every job has a time limit (counted from the moment a worker has it): past it the job answers
 *   TIMEOUT and its worker is terminated. That really ends the work: the engine's budget keeps
 *   every native call short (budget.ts), so termination lands within about half a second.
 * - With `maxPerOwner`, one owner's jobs never hold more than that many workers; its other jobs
 *   wait in its own queue and owners are served in turn (owner-queues.ts).
 * Each file goes to an idle worker first; a worker that dies is replaced and its jobs fail with
 * INTERNAL instead of hanging (worker-threads.ts). This module says what each kind of job sends
 * and what it answers.
 */
import { availableParallelism } from 'node:os';
import type { PfxInspection } from '@certdesk/shared/contract';
import { CertdeskError } from '../errors';
import type { Password } from './kdf';
import { MAX_PFX_BYTES } from './read-pfx-file';
import type { UploadBody, UploadOperation } from '../cloud-api/upload-body';
import type { TlsCredentials } from './tls-credentials';
import type { CrlJob, CrlJobAnswer } from '../trust/crl-worker-job';
import type { WorkerRequest, WorkerSuccess } from './worker-protocol';
import { PfxWorkerThreads, type PoolStats } from './worker-threads';
import { transferableBytes } from '../transferable-bytes';

export type { PoolStats };

/** An inspection with the file's certificates (DER, leaf first), for a trust check after. */
export interface InspectionWithCertificates {
  inspection: PfxInspection;
  certificates: Buffer[];
}

/** What a job answers: the inspection, and what its kind adds. */
type Answer = InspectionWithCertificates & { upload?: UploadBody; tls?: TlsCredentials };

/** A cloud upload's body as the worker read it: the request's fields, the PFX, and its inspection. */
export interface OpenedUploadBody extends InspectionWithCertificates {
  upload: UploadBody;
}

export interface PoolOptions {
  /** Jobs one owner may have running at once (jobs without an owner are never capped). */
  maxPerOwner?: number;
}

export interface JobOptions {
  /** Whose job this is (e.g. the tenant's id), for `maxPerOwner`. */
  owner?: string;
}

/** What an inspection job answered, as the callers take it. */
function answerOf(message: WorkerSuccess): Answer {
  if (!('result' in message)) throw new CertdeskError('INTERNAL', 'O leitor de certificados devolveu outra resposta.');
  return {
    inspection: message.result,
    certificates: (message.certificates ?? []).map((b64) => Buffer.from(b64, 'base64')),
    ...(message.upload ? { upload: { ...message.upload, pfx: Buffer.from(message.upload.pfx) } } : {}),
    ...(message.tls ? { tls: message.tls } : {}),
  };
}

export class PfxWorkerPool {
  /** The workers and the jobs waiting for them (worker-threads.ts). */
  private readonly threads: PfxWorkerThreads;
  private nextId = 1;

  /**
   * One worker per core the machine offers, up to `max`: opening files is pure CPU, and the thread
   * that owns the pool only passes messages. The app keeps the default cap of 4 (each worker holds
   * its own engine in memory); `certdesk scan`, which lives for one folder, may use more.
   */
  static sizeFor(max = 4): number {
    return Math.max(1, Math.min(max, availableParallelism()));
  }

  constructor(
    readonly size = PfxWorkerPool.sizeFor(),
    /** A file that takes longer is abandoned and its worker ended (a stuck read, a slow machine). */
    public jobTimeoutMs = 60_000,
    options: PoolOptions = {},
  ) {
    this.threads = new PfxWorkerThreads(size, options.maxPerOwner);
  }

  inspect(path: string, password: Password, now: Date, options: JobOptions = {}): Promise<PfxInspection> {
    return this.submit({ id: this.nextId++, path, password, now: now.getTime() }, options.owner, [])
      .then(answerOf)
      .then((answer) => answer.inspection);
  }

  /** The inspection and the file's certificates (leaf first; none for a key-only file). */
  inspectWithCertificates(path: string, password: Password, now: Date, options: JobOptions = {}): Promise<InspectionWithCertificates> {
    const request: WorkerRequest = { id: this.nextId++, path, password, now: now.getTime(), withCertificates: true };
    return this.submit(request, options.owner, []).then(answerOf);
  }

  /** Inspect bytes already in memory (an upload): `name` is the file name the report shows. */
  inspectBytes(
    bytes: Uint8Array,
    name: string,
    password: Password,
    now: Date,
    options: JobOptions & { transfer?: boolean } = {},
  ): Promise<PfxInspection> {
    return this.inspectBytesWithCertificates(bytes, name, password, now, { ...options, withCertificates: false }).then(
      (answer) => answer.inspection,
    );
  }

  /** As inspectBytes, with the file's certificates (leaf first) when `withCertificates` (default true). */
  inspectBytesWithCertificates(
    bytes: Uint8Array,
    name: string,
    password: Password,
    now: Date,
    options: JobOptions & { transfer?: boolean; withCertificates?: boolean } = {},
  ): Promise<InspectionWithCertificates> {
    options = { withCertificates: true, ...options };
    if (bytes.byteLength > MAX_PFX_BYTES) {
      return Promise.reject(new CertdeskError('TOO_LARGE', 'Arquivo grande demais para ser um certificado (limite 10 MB).'));
    }
    // A Buffer is often a view into a shared pool: without `transfer` (or not spanning its buffer) only its bytes are copied.
    const buffer = transferableBytes(bytes, options.transfer ?? false);
    const request: WorkerRequest = { id: this.nextId++, bytes: buffer, name, password, now: now.getTime() };
    if (options.withCertificates) request.withCertificates = true;
    return this.submit(request, options.owner, [buffer]).then(answerOf);
  }

  /**
   * A CertDesk Cloud upload's raw request body (an install's or a swap's JSON with the PFX in base64,
   * not parsed here): the worker reads it against the contract (cloud-api/upload-body.ts) and opens
   * the PFX it carries, so neither the body nor the file costs the caller's event loop anything but
   * passing bytes. Refused bodies reject with INVALID_REQUEST, unreadable files as inspectBytes does.
   */
  openUploadBody(
    operationId: UploadOperation,
    body: Uint8Array,
    now: Date,
    options: JobOptions & { transfer?: boolean } = {},
  ): Promise<OpenedUploadBody> {
    const buffer = transferableBytes(body, options.transfer ?? false);
    const request: WorkerRequest = {
      id: this.nextId++,
      uploadBody: buffer,
      operationId,
      password: null,
      now: now.getTime(),
      withCertificates: true,
    };
    return this.submit(request, options.owner, [buffer]).then((message) => {
      const answer = answerOf(message);
      if (!answer.upload) throw new CertdeskError('INTERNAL', 'O leitor de certificados não devolveu o arquivo enviado.');
      return answer as OpenedUploadBody;
    });
  }

  /**
   * The key (PKCS#8 PEM) and chain of a stored PFX for a mutual-TLS connection (a SEFAZ check),
   * opened in a worker: the same engine and refusals as tlsCredentialsFromPfx on the caller's thread.
   */
  tlsCredentials(bytes: Uint8Array, password: Password, now: Date, options: JobOptions = {}): Promise<TlsCredentials> {
    const buffer = transferableBytes(bytes, false);
    const request: WorkerRequest = { id: this.nextId++, tlsCredentials: buffer, password, now: now.getTime() };
    return this.submit(request, options.owner, [buffer]).then((message) => {
      const answer = answerOf(message);
      if (!answer.tls) throw new CertdeskError('INTERNAL', 'O leitor de certificados não devolveu a chave para a conexão.');
      return answer.tls;
    });
  }

  /**
   * A CRL read and verified against its issuer in a worker (trust/crl-worker-job.ts), its buffers
   * handed over; `timeoutMs` replaces the pool's time limit for this job. A refused CRL is an answer.
   */
  readCrl(job: CrlJob, transfer: ArrayBuffer[], options: JobOptions & { timeoutMs?: number } = {}): Promise<CrlJobAnswer> {
    const request: WorkerRequest = { id: this.nextId++, ...job, password: null, now: Date.now() };
    return this.submit(request, options.owner, transfer, options.timeoutMs).then((message) => {
      if (!('crl' in message)) throw new CertdeskError('INTERNAL', 'O leitor de certificados não devolveu a LCR lida.');
      return message.crl;
    });
  }

  /** What the pool holds now: for a server's metrics and for tests. */
  stats(): PoolStats {
    return this.threads.stats();
  }

  /**
   * Start workers before there is work for them (up to `count`, never past the pool's size): a
   * worker takes ~0.1-0.2 s to load the engine, which `certdesk scan` overlaps with walking the folder.
   */
  warm(count = this.size): void {
    this.threads.warm(count);
  }

  close(): Promise<void> {
    return this.threads.close();
  }

  /** A job's time limit is the pool's as it is when the job is submitted, unless the job asked for its own. */
  private submit(request: WorkerRequest, owner: string | undefined, transfer: ArrayBuffer[], timeoutMs = this.jobTimeoutMs) {
    return this.threads.submit(request, owner, transfer, timeoutMs);
  }
}
