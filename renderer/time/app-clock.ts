/**
 * The renderer's "now" and time zone. The zone is the browser's (the OS's in Electron; Playwright's
 * `timezoneId` in the tests). The clock is the core's: the renderer derives days and statuses in its
 * own zone from the instants the core sends, at the instant the core considers "now" (app:info's
 * `now`, kept as an offset from the page's clock). On one computer the offset is about zero; it is
 * what lets a test's moved core clock and the screens agree.
 */
import { systemTimeZone } from '@certdesk/shared/local-time';

let offsetMs = 0;

/** Align with the core's clock, read at `receivedAt` (the page's clock when the answer arrived). */
export function syncWithCore(coreNow: string, receivedAt = Date.now()): void {
  const parsed = Date.parse(coreNow);
  if (Number.isFinite(parsed)) offsetMs = parsed - receivedAt;
}

export function appNow(): Date {
  return new Date(Date.now() + offsetMs);
}

/** Read at every use: a test may change the page's zone between loads, the OS at any time. */
export function userTimeZone(): string {
  return systemTimeZone();
}
