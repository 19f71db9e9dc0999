/**
 * Dates, hours, day counts and expiry phrases in the interface language and the user's zone — the one
 * way every screen shows them (list, details, Vencimentos, history, bulk table, wizard, settings).
 * The rules are packages/shared/local-time.ts; this only binds them to the locale and the app clock.
 */
import { useI18n } from 'vue-i18n';
import type { ValidityStatus } from '@certdesk/shared/contract';
import {
  expiryMoment,
  formatCount,
  formatLocalDate,
  formatLocalDateTime,
  formatLocalTime,
  type ExpiryMoment,
} from '@certdesk/shared/local-time';
import { validityOf } from '@certdesk/shared/status';
import { appNow, userTimeZone } from './app-clock';

type Instant = string | Date | number;

export function useLocalTime() {
  const { t, locale } = useI18n();
  const date = (at: Instant) => formatLocalDate(at, locale.value, userTimeZone());
  const time = (at: Instant) => formatLocalTime(at, locale.value, userTimeZone());
  const dateTime = (at: Instant) => formatLocalDateTime(at, locale.value, userTimeZone());
  const count = (n: number) => formatCount(n, locale.value);
  const days = (n: number) => t('certificate.days', { n: count(n) }, n);
  const moment = (notAfter: Instant): ExpiryMoment => expiryMoment(notAfter, appNow(), userTimeZone());

  /** `Vence hoje às 21:41`, `Vence em 20 dias`, `Venceu ontem às 21:41` … (`short`: `hoje, 21:41`, `20 dias`). */
  function expiry(notAfter: Instant, form: 'long' | 'short' = 'long'): string {
    const m = moment(notAfter);
    return t(`expiry.${form}.${m.when}`, { n: count(m.days), time: time(notAfter) }, m.days);
  }

  /** Validity derived here, in the user's calendar, at the app's clock (what the core sent is its own zone's). */
  const validity = (notBefore: Instant, notAfter: Instant): { status: ValidityStatus; daysRemaining: number } =>
    validityOf(new Date(notBefore), new Date(notAfter), appNow(), undefined, userTimeZone());

  return { date, time, dateTime, count, days, moment, expiry, validity };
}
