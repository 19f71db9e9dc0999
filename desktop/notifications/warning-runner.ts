/**
 * What the desktop does on its own while it is open, for each environment the embedded workspace
 * serves (a cloud environment's are CertDesk Cloud's job): run the swaps that are due, then claim and
 * send the warnings due — expiries, and scheduled swaps that ran or failed — to the environment's
 * recipients (packages/core/warnings/embedded-warnings.ts). At start, every minute, and when the
 * suite's clock hook moves the clock. Runs never overlap.
 */
import { ENVIRONMENTS, type Environment } from '@certdesk/shared/contract';
import { swapWarning, type DueWarning } from '@certdesk/shared/warning-events';
import type { EmbeddedWarnings } from '@certdesk/core/warnings/embedded-warnings';
import { swapFacts, warnable } from '@certdesk/core/warnings/warnable';
import type { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import { logAndContinue } from '@certdesk/core/errors';

/** Swaps that ended at most this long ago still get their warning (a run missed while closed). */
const SWAP_WARNING_DAYS = 7;
export const RUN_EVERY_MS = 60_000;

export class WarningRunner {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly workspace: WorkspaceService,
    private readonly warnings: EmbeddedWarnings,
    private readonly embedded: (environment: Environment) => boolean,
    private readonly now: () => Date,
  ) {}

  start(intervalMs = RUN_EVERY_MS): void {
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One run over both environments (a second call while one runs waits for it, then runs). */
  async runOnce(): Promise<void> {
    while (this.running) await this.running;
    this.running = (async () => {
      for (const environment of ENVIRONMENTS) {
        if (!this.embedded(environment)) continue;
        await this.runEnvironment(environment).catch(logAndContinue(`the background run of ${environment}`, undefined));
      }
    })();
    try {
      await this.running;
    } finally {
      this.running = null;
    }
  }

  private async runEnvironment(environment: Environment): Promise<void> {
    await this.workspace.runDueSwaps(environment);
    const status = await this.workspace.status(environment);
    if (!status.ready) return;
    const certificates = await this.workspace.list(environment);
    const swaps = await this.workspace.swaps(environment);
    const pendingAt = new Map(swaps.filter((s) => s.state === 'pending').map((s) => [s.from.id, s.scheduledFor]));
    const since = this.now().getTime() - SWAP_WARNING_DAYS * 86_400_000;
    const ended: DueWarning[] = swaps
      .filter((s) => s.scheduledFor && (s.state === 'done' || s.state === 'failed') && s.ranAt && Date.parse(s.ranAt) >= since)
      .map((s) => {
        const from = certificates.find((c) => c.id === s.from.id);
        return swapWarning(environment, swapFacts(s, from?.links ?? [], status), s.state === 'done' ? 'done' : 'failed');
      });
    await this.warnings.run(
      environment,
      certificates.map((c) => warnable(c, status, pendingAt.get(c.id) ?? null)),
      ended,
    );
  }
}
