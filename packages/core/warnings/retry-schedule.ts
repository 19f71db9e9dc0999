/**
 * When a failed delivery is tried again: 1, 5, 30 minutes, 2 and 12 hours after each failure, then
 * it is given up (six attempts over about 15 hours). A receiver that is down for a maintenance
 * window still gets the warning; one that is gone does not keep the job busy forever.
 */
const DELAYS_MINUTES = [1, 5, 30, 120, 720] as const;
export const MAX_ATTEMPTS = DELAYS_MINUTES.length + 1;

/** After failed attempt number `attempt` (1-based): when to try again, or null to give up. */
export function nextAttemptAt(attempt: number, now: Date): Date | null {
  const minutes = DELAYS_MINUTES[attempt - 1];
  return minutes === undefined ? null : new Date(now.getTime() + minutes * 60_000);
}
