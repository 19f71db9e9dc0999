/**
 * The desktop's background revocation recheck, while the app is open: at start, then whenever the
 * first kept answer is due (the engine's nextRecheckDelay: the CRL's nextUpdate, at most a day; an
 * hour when nothing answered). The wait is capped so that a machine that slept, or a clock that
 * moved, is noticed within the hour. Cloud environments are checked by the cloud's own job.
 * Nothing waits on it: a check that fails is logged and tried again at the next turn.
 */
import { ENVIRONMENTS, type Environment } from '@certdesk/shared/contract';
import { logAndContinue } from '@certdesk/core/errors';
import type { RecheckOutcome } from '@certdesk/core/workspace/workspace-trust';

const MINUTE = 60_000;
/** Longest sleep between turns (a suspended laptop, a moved clock). */
export const MAX_WAIT_MS = 60 * MINUTE;
/** Shortest: answers due at once (a failed check) are not retried in a loop. */
export const MIN_WAIT_MS = MINUTE;

export interface RevocationSchedulerOptions {
  /** The environments the embedded workspace serves now (the others are the cloud's). */
  embedded: () => Environment[];
  recheck: (environment: Environment) => Promise<RecheckOutcome>;
  /** Called when a turn found certificates newly revoked (the desktop re-runs its notices). */
  onRevoked?: () => void;
}

export class RevocationScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: RevocationSchedulerOptions) {}

  /** The first turn now, then on its own. */
  start(): void {
    void this.turn();
  }

  /**
   * A turn now (or the one under way), then the next on its own. What the timer does; the test
   * suite's entry calls it after moving the clock, instead of waiting for the timer.
   */
  turn(): Promise<void> {
    this.running ??= this.runTurn().finally(() => (this.running = null));
    return this.running;
  }

  private async runTurn(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let wait: number | null = null;
    let revoked = 0;
    for (const environment of ENVIRONMENTS) {
      if (this.stopped) return;
      if (!this.options.embedded().includes(environment)) continue;
      const outcome = await this.options.recheck(environment).catch(logAndContinue(`revocation recheck (${environment})`, null));
      if (!outcome) continue;
      revoked += outcome.newlyRevoked;
      if (outcome.nextDelay !== null) wait = Math.min(wait ?? Infinity, outcome.nextDelay);
    }
    if (revoked > 0) this.options.onRevoked?.();
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.turn(), Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, wait ?? MAX_WAIT_MS)));
    this.timer.unref(); // the recheck never keeps the process alive
  }

  /**
   * Stop scheduling. A turn under way is not waited for (it may be waiting on a slow address for
   * its whole budget, and quitting must not): it stops before its next environment, and what it
   * writes is written whole (the workspace's durable documents).
   */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
