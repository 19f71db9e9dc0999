/**
 * The worker threads behind PfxWorkerPool (worker-pool.ts) and the jobs on them: where a job runs
 * (an idle worker, a new one, or a path job sharing a worker), its time limit, and what happens when
 * a worker times out or dies. What a job asks and answers is the pool's business; the order jobs
 * wait in, one queue per owner served in turn, is owner-queues.ts's.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CertdeskError } from '../errors';
import { ANONYMOUS, OwnerQueues, type OwnerStats } from './owner-queues';
import type { WorkerRequest, WorkerResponse, WorkerSuccess } from './worker-protocol';

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

export class PfxWorkerThreads {
  private readonly slots: Slot[] = [];
  private readonly queues: OwnerQueues<Pending>;
  /** Workers told to stop (timed out, closing): close() waits until they have. */
  private readonly ending = new Set<Promise<number>>();
  private closed = false;
  private timedOut = 0;

  constructor(
    private readonly size: number,
    maxPerOwner?: number,
  ) {
    this.queues = new OwnerQueues(maxPerOwner);
  }

  /**
   * Each path job in a worker holds an open file, so a worker takes at most two at a time (one
   * read while the other is decrypted): handing a worker a whole folder at once failed most of it
   * with EMFILE under `ulimit -n 1024`, and was no faster. A bytes job has nothing to read and
   * runs alone in its worker (its buffer went with it, so it could not be handed to another).
   */
  static readonly PER_WORKER = 2;

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

  submit(request: WorkerRequest, owner = ANONYMOUS, transfer: ArrayBuffer[], timeoutMs: number): Promise<WorkerSuccess> {
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
    const shared = this.slots.filter((slot) => slot.jobs.size < PfxWorkerThreads.PER_WORKER && ![...slot.jobs.values()].some(isBytes));
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
