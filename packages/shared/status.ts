import type { ValidityStatus } from './pfx';

/** Days before expiry from which a certificate is shown as expiring. */
export const EXPIRING_DAYS = 30;

const DAY_MS = 86_400_000;

/**
 * Whole days left until `notAfter` (negative once expired) and the validity status, for a clock
 * the caller injects so tests and the UI agree on "now".
 */
export function validityOf(
  notBefore: Date,
  notAfter: Date,
  now: Date,
  expiringDays = EXPIRING_DAYS,
): { daysRemaining: number; status: ValidityStatus } {
  const daysRemaining = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
  let status: ValidityStatus = 'valid';
  if (now.getTime() < notBefore.getTime()) status = 'not-yet-valid';
  else if (now.getTime() > notAfter.getTime()) status = 'expired';
  else if (daysRemaining <= expiringDays) status = 'expiring';
  return { daysRemaining, status };
}
