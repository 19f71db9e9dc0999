/**
 * Jobs waiting for a worker, one queue per owner (a tenant of the cloud; the desktop and the CLI
 * have one anonymous owner), served in turn. A named owner may have at most `maxPerOwner` jobs
 * running; the rest of its jobs wait in its own queue while other owners' jobs go ahead, so one
 * tenant uploading a folder of heavy files never occupies every worker.
 */

/** The owner of jobs submitted without one: never capped. */
export const ANONYMOUS = '';

export interface OwnerStats {
  running: number;
  queued: number;
}

export class OwnerQueues<T> {
  /** Map order is turn order: an owner served goes to the back. */
  private readonly queues = new Map<string, T[]>();
  private readonly running = new Map<string, number>();

  constructor(private readonly maxPerOwner = Infinity) {}

  push(owner: string, job: T, first = false): void {
    const queue = this.queues.get(owner);
    if (!queue) this.queues.set(owner, [job]);
    else if (first) queue.unshift(job);
    else queue.push(job);
  }

  /**
   * The next job that may start: the head of the first owner's queue, in turn, whose owner is
   * under the cap and for which `fits` finds room. Taking it counts it as running.
   */
  next(fits: (job: T) => boolean): T | undefined {
    for (const [owner, queue] of this.queues) {
      if (!this.mayRun(owner) || !fits(queue[0]!)) continue;
      const job = queue.shift()!;
      this.queues.delete(owner);
      if (queue.length > 0) this.queues.set(owner, queue); // back of the line
      this.running.set(owner, (this.running.get(owner) ?? 0) + 1);
      return job;
    }
    return undefined;
  }

  /** A job that was running ended (answered, failed, timed out). */
  finished(owner: string): void {
    const left = (this.running.get(owner) ?? 1) - 1;
    if (left > 0) this.running.set(owner, left);
    else this.running.delete(owner);
  }

  /** Every job still waiting, removed (the pool is closing). */
  drain(): T[] {
    const all = [...this.queues.values()].flat();
    this.queues.clear();
    return all;
  }

  stats(): Record<string, OwnerStats> {
    const out: Record<string, OwnerStats> = {};
    for (const owner of new Set([...this.queues.keys(), ...this.running.keys()])) {
      out[owner] = { running: this.running.get(owner) ?? 0, queued: this.queues.get(owner)?.length ?? 0 };
    }
    return out;
  }

  private mayRun(owner: string): boolean {
    return owner === ANONYMOUS || (this.running.get(owner) ?? 0) < this.maxPerOwner;
  }
}
