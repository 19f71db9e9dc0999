import { describe, expect, it } from 'vitest';
import { validityOf } from '@certdesk/shared/status';

const from = new Date('2025-01-01T00:00:00Z');
const to = new Date('2026-01-01T00:00:00Z');

describe('validity status with an injected clock', () => {
  it('is valid with more than 30 days left', () => {
    expect(validityOf(from, to, new Date('2025-06-01T00:00:00Z'), 30, 'UTC')).toEqual({ daysRemaining: 214, status: 'valid' });
  });
  it('is expiring at 30 days and below', () => {
    expect(validityOf(from, to, new Date('2025-12-02T00:00:00Z'), 30, 'UTC')).toEqual({ daysRemaining: 30, status: 'expiring' });
    expect(validityOf(from, to, new Date('2025-12-01T00:00:00Z'), 30, 'UTC').status).toBe('valid');
    // Calendar days: it ends at 00:00 on 01/01, which is "tomorrow" an hour before, and "today" from midnight.
    expect(validityOf(from, to, new Date('2025-12-31T23:00:00Z'), 30, 'UTC')).toEqual({ daysRemaining: 1, status: 'expiring' });
    expect(validityOf(from, to, new Date('2026-01-01T00:00:00Z'), 30, 'UTC')).toEqual({ daysRemaining: 0, status: 'expiring' });
  });
  it('is expired after notAfter and not yet valid before notBefore', () => {
    expect(validityOf(from, to, new Date('2026-01-02T00:00:00Z'), 30, 'UTC')).toEqual({ daysRemaining: -1, status: 'expired' });
    expect(validityOf(from, to, new Date('2024-12-31T00:00:00Z')).status).toBe('not-yet-valid');
  });
});
