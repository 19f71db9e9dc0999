/**
 * How many SEFAZ checks run at once: a few per tenant (the rest wait in the tenant's own short line,
 * and past it the tenant is told to try again), and a ceiling for the whole instance that every
 * tenant's running checks share in arrival order — so one tenant checking a thousand certificates
 * holds at most its own few places and never makes another tenant's check wait behind all of them.
 */
import { CertdeskError } from '@certdesk/core/errors';

export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    /** Callers allowed to wait; one more is refused (BUSY). Infinity: never refused. */
    private readonly maxWaiting = Infinity,
  ) {}

  get idle(): boolean {
    return this.running === 0 && this.waiting.length === 0;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting)
        throw new CertdeskError('BUSY', 'Há verificações demais em andamento para esta empresa: tente de novo em instantes.');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next)
        next(); // the place passes straight to the next caller
      else this.running--;
    }
  }
}
