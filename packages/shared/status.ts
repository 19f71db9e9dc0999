import type { ValidityStatus } from './pfx';
import { calendarDaysBetween, systemTimeZone } from './local-time';

/** Days before expiry from which a certificate is shown as expiring. */
export const EXPIRING_DAYS = 30;
/** Days left from which an expiring certificate is urgent (red rather than amber, everywhere). */
export const URGENT_DAYS = 7;

/**
 * Days left until `notAfter` and the validity status, for a clock the caller injects so tests and the
 * UI agree on "now". Days are calendar days in `timeZone` (the runtime's by default): 0 on the last
 * day ("vence hoje"), 1 the day before, −1 the day after it ended — what a person at the desk counts,
 * not whole periods of 24 hours (docs/PRODUCT.md §1, "Validity status").
 */
export function validityOf(
  notBefore: Date,
  notAfter: Date,
  now: Date,
  expiringDays = EXPIRING_DAYS,
  timeZone = systemTimeZone(),
): { daysRemaining: number; status: ValidityStatus } {
  const daysRemaining = calendarDaysBetween(now, notAfter, timeZone);
  let status: ValidityStatus = 'valid';
  if (now.getTime() < notBefore.getTime()) status = 'not-yet-valid';
  else if (now.getTime() > notAfter.getTime()) status = 'expired';
  else if (daysRemaining <= expiringDays) status = 'expiring';
  return { daysRemaining, status };
}

/** How urgent an end date is, the one colour rule of the list, Vencimentos and the details. */
export type Urgency = 'ok' | 'warn' | 'bad';
export function urgencyOf(status: ValidityStatus | 'expired' | string, daysRemaining: number): Urgency {
  if (status === 'expired' || daysRemaining <= URGENT_DAYS) return 'bad';
  return daysRemaining <= EXPIRING_DAYS ? 'warn' : 'ok';
}
