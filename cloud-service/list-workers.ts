/**
 * The list workers: a few threads that do the heavy part of list answers (list-worker.ts), so the
 * event loop only moves messages. Each job goes to the worker with the fewest; a worker that dies
 * fails its jobs (the request answers 500 and the next one builds again) and is replaced.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AssembledAnswer, PackedRows } from './list-answer';

type ListWork =
  | { kind: 'build'; sources: string; now: number }
  | { kind: 'rederive'; sources: Uint8Array; now: number }
  | ({ kind: 'patch' } & PatchWork);
/** Kept rows (packed), the changed rows' facts (JSON text, in list order), which of them are new, the removals. */
export interface PatchWork {
  kept: PackedRows;
  changed: string;
  appended: string[];
  removed: string[];
  now: number;
}
export type ListJob = { id: number } & ListWork;
/**
 * What a job gives the cache: the answer, and its rows as the next update sends them back (where each
 * piece ends in the answer's text, the ids one per line, until when they hold).
 */
export type ListRows = AssembledAnswer & Pick<PackedRows, 'ends' | 'ids' | 'until'>;
export type ListJobAnswer = { id: number } & (({ ok: true } & ListRows) | { ok: false; message: string });

type Pending = { resolve: (a: ListRows) => void; reject: (e: Error) => void };
interface Slot {
  worker: Worker;
  jobs: Map<number, Pending>;
}

/** The built worker beside the bundle, or from sources (tests, tsx) through tsx's loader. */
function spawnWorker(): Worker {
  const built = new URL('./list-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return new Worker(built);
  const source = new URL('./list-worker.ts', import.meta.url).href;
  const api = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const bootstrap = `import(${JSON.stringify(pathToFileURL(api).href)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { eval: true });
}

export class ListWorkers {
  private readonly slots: Slot[] = [];
  private next = 1;

  /** One thread fewer than the machine's cores (the event loop keeps one), at least one, at most `max`. */
  constructor(private readonly size = Math.max(1, Math.min(2, availableParallelism() - 1))) {}

  build(sources: string, now: Date): Promise<ListRows> {
    return this.run({ kind: 'build', sources, now: now.getTime() });
  }

  /** The rows of a kept answer (its JSON bytes) derived again at `now`. */
  rederive(body: Buffer, now: Date): Promise<ListRows> {
    return this.run({ kind: 'rederive', sources: body, now: now.getTime() });
  }

  /**
   * Kept rows updated by rows changed — a write of this instance, or changes made elsewhere caught up
   * with (list-answer.ts catchUpPlan, applyChange): only the changed rows are parsed and derived,
   * only the blocks they touch compressed again.
   */
  patch(work: Omit<PatchWork, 'now'>, now: Date): Promise<ListRows> {
    return this.run({ kind: 'patch', ...work, now: now.getTime() });
  }

  private run(job: ListWork): Promise<ListRows> {
    const slot = this.slots.length < this.size ? this.spawn() : this.slots.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      slot.jobs.set(id, { resolve, reject });
      slot.worker.ref(); // a job in flight keeps the process alive; an idle pool does not
      slot.worker.postMessage({ ...job, id });
    });
  }

  private spawn(): Slot {
    const slot: Slot = { worker: spawnWorker(), jobs: new Map() };
    slot.worker.on('message', (answer: ListJobAnswer) => {
      const job = slot.jobs.get(answer.id);
      slot.jobs.delete(answer.id);
      if (!slot.jobs.size) slot.worker.unref();
      if (!job) return;
      const buffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
      if (answer.ok) job.resolve({ ...answer, body: buffer(answer.body), gzip: buffer(answer.gzip), blocks: answer.blocks.map(buffer) });
      else job.reject(new Error(`lista: ${answer.message}`));
    });
    const fail = (error: unknown) => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      for (const job of slot.jobs.values()) job.reject(new Error(`lista: o processo auxiliar parou (${String(error)})`));
      slot.jobs.clear();
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', fail);
    slot.worker.unref();
    this.slots.push(slot);
    return slot;
  }

  /** Ends the threads (service close; tests). */
  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
