/**
 * The date rules every screen, the CLI and the notifications share (packages/shared/local-time.ts),
 * at fixed instants around midnight in the zones Brazilian administrators live in.
 */
import { describe, expect, it } from 'vitest';
import {
  calendarDaysBetween,
  expiryMoment,
  expiryTextPt,
  formatCount,
  formatLocalDate,
  formatLocalDateTime,
  formatLocalTime,
  localDay,
  nextLocalDayStart,
  systemTimeZone,
} from '@certdesk/shared/local-time';
import { urgencyOf, validityOf } from '@certdesk/shared/status';
import { installedStatus } from '@certdesk/shared/workspace';

const SP = 'America/Sao_Paulo'; // UTC−3
const MANAUS = 'America/Manaus'; // UTC−4
const ACRE = 'America/Rio_Branco'; // UTC−5
const at = (iso: string) => new Date(iso);

describe('dates in the user zone', () => {
  // A certificate ending at 00:41 UTC on 27/12 ends on 26/12 at 21:41 in Brasília (what Windows shows).
  const notAfter = '2026-12-27T00:41:00Z';

  it('shows the date and the hour of the same zone, never a UTC date beside a local hour', () => {
    expect(formatLocalDate(notAfter, 'pt-BR', SP)).toBe('26/12/2026');
    expect(formatLocalTime(notAfter, 'pt-BR', SP)).toBe('21:41');
    expect(formatLocalDateTime(notAfter, 'pt-BR', SP)).toBe('26/12/2026 21:41');
    expect(formatLocalDateTime(notAfter, 'pt-BR', MANAUS)).toBe('26/12/2026 20:41');
    expect(formatLocalDateTime(notAfter, 'pt-BR', 'UTC')).toBe('27/12/2026 00:41');
    expect(formatLocalDate(notAfter, 'en', SP)).toBe('Dec 26, 2026');
    // An action at 21:46 on 06/12 in Brasília is dated 06/12, not 07/12.
    expect(formatLocalDateTime('2026-12-07T00:46:00Z', 'pt-BR', SP)).toBe('06/12/2026 21:46');
  });

  it('counts calendar days of the zone, not periods of 24 hours', () => {
    // On 07/12 at 10:00 in Brasília, a certificate ending 26/12 21:41 has 19 days: a person counts 19 dates ahead.
    expect(calendarDaysBetween(at('2026-12-07T13:00:00Z'), notAfter, SP)).toBe(19);
    // After 21:00 in Brasília the UTC date is already the next one: only the user's zone gives the right count.
    expect(calendarDaysBetween(at('2026-12-08T01:30:00Z'), notAfter, SP)).toBe(19); // 07/12 22:30 local
    expect(calendarDaysBetween(at('2026-12-08T01:30:00Z'), notAfter, 'UTC')).toBe(19);
    expect(calendarDaysBetween(at('2026-12-07T01:30:00Z'), notAfter, SP)).toBe(20); // 06/12 22:30 local
    expect(calendarDaysBetween(at('2026-12-07T01:30:00Z'), notAfter, 'UTC')).toBe(20);
    expect(calendarDaysBetween(at('2026-12-08T03:30:00Z'), notAfter, SP)).toBe(18); // 08/12 00:30 local
    expect(localDay('2026-12-08T02:59:59.999Z', SP)).toBe(localDay('2026-12-07T03:00:00Z', SP));
    expect(localDay('2026-12-08T03:00:00Z', SP)).toBe(localDay('2026-12-07T03:00:00Z', SP) + 1);
    expect(localDay('2026-12-08T03:59:59.999Z', MANAUS)).toBe(localDay('2026-12-07T04:00:00Z', MANAUS));
    expect(localDay('2026-12-08T04:00:00Z', MANAUS)).toBe(localDay('2026-12-07T04:00:00Z', MANAUS) + 1);
  });

  it('says today, tomorrow, in N days, ended today, yesterday, N days ago — with the hour on the last two days', () => {
    const text = (now: string, zone: string) => expiryTextPt(expiryMoment(notAfter, now, zone), notAfter, zone);
    expect(text('2026-12-26T22:41:00Z', SP)).toBe('Vence hoje às 21:41'); // two hours before, same date
    expect(text('2026-12-26T02:59:00Z', SP)).toBe('Vence amanhã às 21:41'); // 25/12 23:59 local
    expect(text('2026-12-26T03:00:00Z', SP)).toBe('Vence hoje às 21:41'); // 26/12 00:00 local
    expect(text('2026-12-06T13:00:00Z', SP)).toBe('Vence em 20 dias');
    expect(text('2026-12-27T00:50:00Z', SP)).toBe('Venceu hoje às 21:41');
    expect(text('2026-12-27T03:00:00Z', SP)).toBe('Venceu ontem às 21:41'); // 27/12 00:00 local
    expect(text('2026-12-29T12:00:00Z', SP)).toBe('Venceu há 3 dias');
    // The same instants in Manaus: one hour earlier there, so 23:30 UTC−4 is still the 26th.
    expect(text('2026-12-27T03:30:00Z', MANAUS)).toBe('Venceu hoje às 20:41');
    expect(text('2026-12-27T04:00:00Z', MANAUS)).toBe('Venceu ontem às 20:41');
    expect(text('2026-12-26T04:30:00Z', ACRE)).toBe('Vence amanhã às 19:41'); // 25/12 23:30 in Rio Branco
    expect(expiryMoment(notAfter, '2026-12-06T13:00:00Z', SP)).toEqual({ when: 'in', days: 20, showTime: false });
  });

  it('groups thousands as the language does', () => {
    expect(formatCount(6599, 'pt-BR')).toBe('6.599');
    expect(formatCount(6599, 'en')).toBe('6,599');
  });

  it('finds the start of the next local day to the millisecond, daylight-saving changes included', () => {
    expect(new Date(nextLocalDayStart('2026-12-07T13:00:00Z', SP)).toISOString()).toBe('2026-12-08T03:00:00.000Z');
    expect(new Date(nextLocalDayStart('2026-12-07T13:00:00Z', MANAUS)).toISOString()).toBe('2026-12-08T04:00:00.000Z');
    // New York's 2026-03-08 has 23 hours; the next day still starts at local midnight (04:00 UTC).
    expect(new Date(nextLocalDayStart('2026-03-08T12:00:00Z', 'America/New_York')).toISOString()).toBe('2026-03-09T04:00:00.000Z');
    // Brasília's old summer time began at 00:00 (2018-11-04): that day started at 01:00 local = 03:00 UTC.
    expect(new Date(nextLocalDayStart('2018-11-03T12:00:00Z', SP)).toISOString()).toBe('2018-11-04T03:00:00.000Z');
  });
});

describe('the runtime zone', () => {
  it('is kept between calls and follows TZ at once when it changes', () => {
    const previous = process.env['TZ'];
    try {
      process.env['TZ'] = 'America/Manaus';
      expect(systemTimeZone()).toBe('America/Manaus');
      // 30/11 23:00 in Manaus, ending 01/12 00:30 there: one day left there, none in UTC (both 01/12).
      const lastHour = new Date('2026-12-01T03:00:00Z');
      expect(validityOf(new Date('2020-01-01T00:00:00Z'), new Date('2026-12-01T04:30:00Z'), lastHour).daysRemaining).toBe(1);
      process.env['TZ'] = 'America/Sao_Paulo';
      expect(systemTimeZone()).toBe('America/Sao_Paulo');
      process.env['TZ'] = 'UTC';
      expect(systemTimeZone()).toBe('UTC');
    } finally {
      process.env['TZ'] = previous;
    }
  });
});

describe('validity in calendar days of the zone', () => {
  const from = at('2026-01-01T00:00:00Z');
  const notAfter = at('2026-12-27T00:41:00Z');

  it('gives 0 on the last day and −1 the day after, counted in the zone', () => {
    expect(validityOf(from, notAfter, at('2026-12-26T22:41:00Z'), 30, SP)).toEqual({ daysRemaining: 0, status: 'expiring' });
    // Midnight in Brasília is 03:00 UTC: from then on it ended "yesterday" there, while UTC still says today.
    expect(validityOf(from, notAfter, at('2026-12-27T03:00:00Z'), 30, SP)).toEqual({ daysRemaining: -1, status: 'expired' });
    expect(validityOf(from, notAfter, at('2026-12-27T03:00:00Z'), 30, 'UTC')).toEqual({ daysRemaining: 0, status: 'expired' });
    expect(validityOf(from, notAfter, at('2026-12-07T13:00:00Z'), 30, SP).daysRemaining).toBe(19);
    expect(validityOf(from, notAfter, at('2026-11-26T13:00:00Z'), 30, SP)).toEqual({ daysRemaining: 30, status: 'expiring' });
    expect(validityOf(from, notAfter, at('2026-11-25T13:00:00Z'), 30, SP)).toEqual({ daysRemaining: 31, status: 'valid' });
  });

  it('an installed certificate is "manual" only when it serves something', () => {
    const cert = { certificate: { notBefore: from.toISOString(), notAfter: notAfter.toISOString() } };
    const now = at('2026-06-01T12:00:00Z');
    expect(installedStatus({ ...cert, origin: 'manual', links: [{ branch: '0001', module: 'faturamento' }] }, now, SP).status).toBe(
      'manual',
    );
    expect(installedStatus({ ...cert, origin: 'manual', links: [] }, now, SP).status).toBe('available');
    expect(installedStatus({ ...cert, origin: 'certdesk', links: [] }, now, SP).status).toBe('available');
  });

  it('one colour rule: red at 7 days or fewer, amber to 30, expired red', () => {
    expect(urgencyOf('expiring', 3)).toBe('bad');
    expect(urgencyOf('expiring', 7)).toBe('bad');
    expect(urgencyOf('expiring', 8)).toBe('warn');
    expect(urgencyOf('expiring', 19)).toBe('warn');
    expect(urgencyOf('valid', 31)).toBe('ok');
    expect(urgencyOf('expired', -2)).toBe('bad');
  });
});
