/**
 * A small pool of worker threads for PFX inspection, used by the app (IPC handlers) and the CLI's
 * `scan`. Each file goes to the least busy worker; a worker that dies is replaced and its jobs fail
 * with INTERNAL instead of hanging.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PfxInspection } from '@certdesk/shared/contract';
import { CertdeskError } from '../errors';
import type { Password } from './kdf';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

/** An inspection with the file's certificates (DER, leaf first), for a trust check after. */
export interface InspectionWithCertificates {
  inspection: PfxInspection;
  certificates: Buffer[];
}

interface Job {
  request: WorkerRequest;
  resolve: (result: InspectionWithCertificates) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
}

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
  /** Jobs no worker has room for yet (see PER_WORKER). */
  private readonly waiting: Omit<Job, 'timer'>[] = [];
  private nextId = 1;
  private closed = false;

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
    /** A file that takes longer is abandoned (hostile iteration counts, a stuck read). */
    public jobTimeoutMs = 60_000,
  ) {}

  /**
   * Each job in a worker holds an open file, so a worker takes at most two at a time (one read
   * while the other is decrypted) and the rest wait here: handing a worker a whole folder at once
   * failed most of it with EMFILE under `ulimit -n 1024`, and was no faster.
   */
  static readonly PER_WORKER = 2;

  /**
   * A worker with room for one more job, or none: an idle worker first (already loaded, so the job
   * starts now), then a new one while the pool is below its size, then the least busy with room.
   */
  private slot(): Slot | null {
    const idle = this.slots.find((slot) => slot.jobs.size === 0);
    if (idle) return idle;
    if (this.slots.length < this.size) return this.start();
    if (this.slots.length === 0) return null;
    const best = this.slots.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
    return best.jobs.size < PfxWorkerPool.PER_WORKER ? best : null;
  }

  private start(): Slot {
    const slot: Slot = { worker: spawnWorker(), jobs: new Map() };
    slot.worker.on('message', (message: WorkerResponse) => {
      const job = this.take(slot, message.id);
      if (!job) return;
      if (message.ok)
        job.resolve({ inspection: message.result, certificates: (message.certificates ?? []).map((b64) => Buffer.from(b64, 'base64')) });
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

  private remove(slot: Slot): boolean {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    return index >= 0;
  }

  /** Hand a job to the least busy worker, with its time limit; the worker keeps the process alive meanwhile. */
  private dispatch(job: Omit<Job, 'timer'>): void {
    const slot = this.slot();
    if (!slot) return void this.waiting.push(job);
    // The time limit counts from the moment a worker has the job, not while it waits.
    const timer = setTimeout(() => this.timeout(slot, job.request.id), this.jobTimeoutMs);
    slot.jobs.set(job.request.id, { ...job, timer });
    slot.worker.ref();
    slot.worker.postMessage(job.request);
  }

  /** Take a job off its worker (answered, failed or timed out); an idle worker no longer holds the process. */
  private take(slot: Slot, id: number): Job | undefined {
    const job = slot.jobs.get(id);
    if (!job) return undefined;
    slot.jobs.delete(id);
    clearTimeout(job.timer);
    if (slot.jobs.size === 0) slot.worker.unref();
    // Room was made: the next waiting job goes now (to this worker or another with room).
    const next = this.closed ? undefined : this.waiting.shift();
    if (next) this.dispatch(next);
    return job;
  }

  /**
   * Start workers before there is work for them (up to `count`, never past the pool's size): a
   * worker takes ~0.1-0.2 s to load the engine, which `certdesk scan` overlaps with walking the folder.
   */
  warm(count = this.size): void {
    while (!this.closed && this.slots.length < Math.min(count, this.size)) this.start();
  }

  inspect(path: string, password: Password, now: Date): Promise<PfxInspection> {
    return this.run(path, password, now, false).then((answer) => answer.inspection);
  }

  /** The inspection and the file's certificates (leaf first; none for a key-only file). */
  inspectWithCertificates(path: string, password: Password, now: Date): Promise<InspectionWithCertificates> {
    return this.run(path, password, now, true);
  }

  private run(path: string, password: Password, now: Date, withCertificates: boolean): Promise<InspectionWithCertificates> {
    if (this.closed) return Promise.reject(new CertdeskError('INTERNAL', 'Leitor de certificados encerrado.'));
    const request: WorkerRequest = {
      id: this.nextId++,
      path,
      password,
      now: now.getTime(),
      ...(withCertificates ? { withCertificates } : {}),
    };
    return new Promise((resolve, reject) => this.dispatch({ request, resolve, reject }));
  }

  /**
   * A job ran out of time: answer TIMEOUT, stop its worker (a thread cannot be interrupted
   * otherwise) and give the worker's other jobs, which did nothing wrong, to the rest of the pool.
   */
  private timeout(slot: Slot, id: number): void {
    const job = this.take(slot, id);
    if (!job) return;
    job.reject(
      new CertdeskError('TIMEOUT', `A leitura do arquivo passou de ${Math.round(this.jobTimeoutMs / 1000)} s e foi interrompida.`),
    );
    this.remove(slot);
    const innocent = [...slot.jobs.keys()].map((other) => this.take(slot, other)!);
    void slot.worker.terminate();
    for (const other of innocent) {
      if (this.closed) other.reject(new CertdeskError('INTERNAL', 'Leitor de certificados encerrado.'));
      else this.dispatch(other);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new CertdeskError('INTERNAL', 'Leitor de certificados encerrado.'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
    this.slots.length = 0;
  }
}
