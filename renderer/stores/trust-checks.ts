/**
 * The inspector's network checks of chain and revocation (`trust:check`), after each file opens
 * with the answer at hand: a few at a time, in the order the files opened. The answer replaces
 * the one at hand; a check that fails (the main process no longer has the file, say) leaves the
 * answer at hand on screen, which is honest about what it knew.
 */
import { api } from '../api';
import type { InspectItem } from './inspect-item';

/** Checks at once: the main process limits its own, these are network waits that overlap. */
const CONCURRENCY = 4;

export function trustChecks() {
  const queue: { target: InspectItem; current: () => boolean }[] = [];
  let running = 0;

  function pump(): void {
    while (running < CONCURRENCY && queue.length) {
      const { target, current } = queue.shift()!;
      const sha256 = target.result?.certificate?.fingerprints.sha256;
      if (!current() || !sha256) {
        target.trustChecking = false;
        continue;
      }
      running++;
      void api
        .trustCheck({ sha256 })
        .then((trust) => {
          if (current() && target.result?.certificate?.fingerprints.sha256 === sha256) target.result = { ...target.result, trust };
        })
        .catch(() => undefined) // deliberately quiet: the answer at hand stays, and says what it knew
        .finally(() => {
          target.trustChecking = false;
          running--;
          pump();
        });
    }
  }

  return {
    /** Ask the network for `target` (a file that opened with a certificate) while `current()` holds. */
    add(target: InspectItem, current: () => boolean): void {
      target.trustChecking = true;
      queue.push({ target, current });
      pump();
    },
  };
}
