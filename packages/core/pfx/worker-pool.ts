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
 * INTERNAL instead of hanging.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PfxInspection } from '@certdesk/shared/contract';
import { CertdeskError } from '../errors';
import type { Password } from './kdf';
import { ANONYMOUS, OwnerQueues, type OwnerStats } from './owner-queues';
import { MAX_PFX_BYTES } from './read-pfx-file';
import type { UploadBody, UploadOperation } from '../cloud-api/upload-body';
import type { TlsCredentials } from './tls-credentials';
import type { CrlJob, CrlJobAnswer } from '../trust/crl-worker-job';
import type { WorkerRequest, WorkerResponse, WorkerSuccess } from './worker-protocol';

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

interface Pending {
  request: WorkerRequest;
  owner: string;
  /** Buffers handed over with the message (a bytes job's ArrayBuffer). */
  transfer: ArrayBuffer[];
  /** This job's time limit (the pool's, unless the job asked for its own). */
  timeoutMs: number;
  resolve: (message: WorkerSuccess) => void;
  reject: (error: Error) => void;
}

interface Job extends Pending {
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
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

export interface PoolStats {
  workers: number;
  busyWorkers: number;
  /** Jobs a worker has now. */
  running: number;
  queued: number;
  /** Jobs answered TIMEOUT since the pool started (each ended its worker). */
  timedOut: number;
  owners: Record<string, OwnerStats>;
}

const closed = () => new CertdeskError('INTERNAL', 'Leitor de certificados encerrado.');
/** A job that carries its bytes (an upload, an upload's body, a stored PFX): it runs alone in its worker. */
const isBytes = (job: Pending) => !('path' in job.request);

/**
 * The built worker (out/main/pfx-worker.js, next to the bundle that imports this module) or, when
 * running from sources (tests, tsx), the TypeScript entry loaded through tsx's loader.
 */
function spawnWorker(): Worker {
  const built = new URL('./pfx-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return new Worker(built);
  const source = new URL('./pfx-worker.ts', import.meta.url).href;
  // The ESM build of tsx's API (require.resolve finds the CommonJS one, which cannot register here).
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const tsx = pathToFileURL(api).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { eval: true });
}

export class PfxWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queues: OwnerQueues<Pending>;
  /** Workers told to stop (timed out, closing): close() waits until they have. */
  private readonly ending = new Set<Promise<number>>();
  private nextId = 1;
  private closed = false;
  private timedOut = 0;

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
    this.queues = new OwnerQueues(options.maxPerOwner);
  }

  /**
   * Each path job in a worker holds an open file, so a worker takes at most two at a time (one
   * read while the other is decrypted): handing a worker a whole folder at once failed most of it
   * with EMFILE under `ulimit -n 1024`, and was no faster. A bytes job has nothing to read and
   * runs alone in its worker (its buffer went with it, so it could not be handed to another).
   */
  static readonly PER_WORKER = 2;

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
    const buffer = this.handOver(bytes, options.transfer);
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
    const buffer = this.handOver(body, options.transfer);
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
    const buffer = this.handOver(bytes);
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

  /** The bytes as an ArrayBuffer to transfer: the caller's own when it may and it spans it whole, else a copy of just them. */
  private handOver(bytes: Uint8Array, transfer = false): ArrayBuffer {
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    return transfer && whole ? (bytes.buffer as ArrayBuffer) : new Uint8Array(bytes).buffer;
  }

  /** What the pool holds now: for a server's metrics and for tests. */
  stats(): PoolStats {
    const owners = this.queues.stats();
    return {
      workers: this.slots.length,
      busyWorkers: this.slots.filter((slot) => slot.jobs.size > 0).length,
      running: this.slots.reduce((sum, slot) => sum + slot.jobs.size, 0),
      timedOut: this.timedOut,
      queued: Object.values(owners).reduce((sum, o) => sum + o.queued, 0),
      owners,
    };
  }

  /**
   * Start workers before there is work for them (up to `count`, never past the pool's size): a
   * worker takes ~0.1-0.2 s to load the engine, which `certdesk scan` overlaps with walking the folder.
   */
  warm(count = this.size): void {
    while (!this.closed && this.slots.length < Math.min(count, this.size)) this.start();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queues.drain()) job.reject(closed());
    for (const slot of this.slots.splice(0)) {
      for (const job of slot.jobs.values()) {
        clearTimeout(job.timer);
        job.reject(closed());
      }
      slot.jobs.clear();
      this.end(slot);
    }
    await Promise.all([...this.ending]);
  }

  private submit(
    request: WorkerRequest,
    owner = ANONYMOUS,
    transfer: ArrayBuffer[],
    timeoutMs = this.jobTimeoutMs,
  ): Promise<WorkerSuccess> {
    if (this.closed) return Promise.reject(closed());
    return new Promise((resolve, reject) => {
      this.queues.push(owner, { request, owner, transfer, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  /** Start every waiting job that may start now (owners in turn, within their caps). */
  private pump(): void {
    for (let job; !this.closed && (job = this.queues.next((j) => this.room(j) !== null));) {
      const room = this.room(job)!;
      this.run(job, room === 'new' ? this.start() : room);
    }
  }

  /**
   * Where `job` may run now: an idle worker first (already loaded, so the job starts now), then a
   * new one while the pool is below its size, then — for a path job — the least busy worker that
   * holds only path jobs and fewer than PER_WORKER; null when none.
   */
  private room(job: Pending): Slot | 'new' | null {
    const idle = this.slots.find((slot) => slot.jobs.size === 0);
    if (idle) return idle;
    if (this.slots.length < this.size) return 'new';
    if (isBytes(job)) return null;
    const shared = this.slots.filter((slot) => slot.jobs.size < PfxWorkerPool.PER_WORKER && ![...slot.jobs.values()].some(isBytes));
    return shared.length ? shared.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a)) : null;
  }

  private start(): Slot {
    const slot: Slot = { worker: spawnWorker(), jobs: new Map() };
    slot.worker.on('message', (message: WorkerResponse) => {
      const job = this.take(slot, message.id);
      if (!job) return;
      if (message.ok) job.resolve(message);
      else job.reject(new CertdeskError(message.error.code, message.error.message, message.error.details)); // details name e.g. the key of a key-only file
    });
    // Called on 'error' and again on 'exit': only the first call may act, or the second would
    // remove an innocent, still-running worker (indexOf of a removed slot is -1).
    const fail = () => {
      if (!this.remove(slot)) return;
      for (const id of [...slot.jobs.keys()])
        this.take(slot, id)?.reject(new CertdeskError('INTERNAL', 'O leitor de certificados parou inesperadamente.'));
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', fail);
    slot.worker.unref(); // an idle pool never keeps the CLI alive
    this.slots.push(slot);
    return slot;
  }

  /** Hand a job to a worker, with its time limit; the worker keeps the process alive meanwhile. */
  private run(pending: Pending, slot: Slot): void {
    const timer = setTimeout(() => this.timeout(slot, pending.request.id), pending.timeoutMs);
    slot.jobs.set(pending.request.id, { ...pending, timer });
    slot.worker.ref();
    slot.worker.postMessage(pending.request, pending.transfer);
  }

  /** Take a job off its worker (answered, failed or timed out) and start what may start now. */
  private take(slot: Slot, id: number): Job | undefined {
    const job = slot.jobs.get(id);
    if (!job) return undefined;
    slot.jobs.delete(id);
    clearTimeout(job.timer);
    this.queues.finished(job.owner);
    if (slot.jobs.size === 0) slot.worker.unref();
    this.pump();
    return job;
  }

  private remove(slot: Slot): boolean {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    return index >= 0;
  }

  /** Terminate a worker; close() waits for it. */
  private end(slot: Slot): void {
    const ended = slot.worker.terminate();
    this.ending.add(ended);
    void ended.finally(() => this.ending.delete(ended));
  }

  /**
   * A job ran out of time: answer TIMEOUT and end its worker (a thread cannot be interrupted
   * otherwise). The worker's other jobs — path jobs, which did nothing wrong — go back to the
   * front of their owners' queues for the rest of the pool.
   */
  private timeout(slot: Slot, id: number): void {
    if (!slot.jobs.has(id)) return;
    this.timedOut++;
    this.remove(slot);
    this.end(slot);
    const jobs = [...slot.jobs.values()];
    slot.jobs.clear();
    for (const job of jobs) {
      clearTimeout(job.timer);
      this.queues.finished(job.owner);
    }
    for (const job of jobs) {
      if (job.request.id === id) {
        const seconds = (job.timeoutMs / 1000).toLocaleString('pt-BR');
        job.reject(new CertdeskError('TIMEOUT', `A leitura do arquivo passou de ${seconds} s e foi interrompida.`));
      } else if (this.closed) job.reject(closed());
      else this.queues.push(job.owner, job, true);
    }
    this.pump();
  }
}
