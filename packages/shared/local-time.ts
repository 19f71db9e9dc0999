/**
 * Dates and times as the person at the desk reads them (docs/PRODUCT.md §7, "Dates and days"): every
 * date and hour in the user's time zone, days counted in that zone's calendar. Instants stay ISO UTC
 * in storage, JSON and the contracts; only what is shown is local. Pure: `Intl` with an explicit
 * zone, no Node, no DOM — the renderer passes the browser's zone, the CLI and the notifier the
 * process's (TZ), and a test passes whichever zone it checks.
 */

/**
 * The zone of the runtime: the OS's in Electron and the browser, `TZ` (or the OS's) in Node.
 * Asking Intl costs ~0.1 ms (a formatter is built each time) and a list derives a date per row — a
 * 1,000-row list spent 80–140 ms on this alone — so the answer is kept: read again as soon as `TZ`
 * changes (Node applies an assignment at once) and at least once a second (the OS's zone can change
 * while the app runs).
 */
let zoneKept: { tz: string | undefined; at: number; zone: string } | undefined;
export function systemTimeZone(): string {
  const tz = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['TZ'];
  const at = Date.now();
  if (zoneKept && zoneKept.tz === tz && at >= zoneKept.at && at - zoneKept.at < 1000) return zoneKept.zone;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  zoneKept = { tz, at, zone };
  return zone;
}

const DAY_MS = 86_400_000;

// Formatters are costly to build and the list formats thousands of dates: one per (kind, locale, zone).
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: string, locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${kind}\u0000${locale}\u0000${timeZone}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, found);
  }
  return found;
}

const instantOf = (value: Date | string | number): number =>
  typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();

/** The calendar date (and wall-clock time) of an instant in a zone. */
function wallClock(instant: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  const parts = formatter('parts', 'en-US', timeZone, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute') };
}

/** The calendar day of an instant in a zone, as a day number (days since 1970-01-01 of that date). */
export function localDay(instant: Date | string | number, timeZone: string): number {
  const { year, month, day } = wallClock(instantOf(instant), timeZone);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** Calendar days from `from` to `to` in the zone: 0 on the same date, 1 for "tomorrow", −1 for "yesterday". */
export function calendarDaysBetween(from: Date | string | number, to: Date | string | number, timeZone: string): number {
  return localDay(to, timeZone) - localDay(from, timeZone);
}

/**
 * The first instant (ms) after `instant` that falls on a later calendar day in the zone — the next
 * local midnight, or whatever hour a daylight-saving change makes the day start at. Found by
 * bisection over at most 27 hours, so it is exact to the millisecond in every zone.
 */
export function nextLocalDayStart(instant: Date | string | number, timeZone: string): number {
  const t = instantOf(instant);
  const today = localDay(t, timeZone);
  let low = t; // on `today`
  let high = t + 27 * 3_600_000; // past the end of any day
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (localDay(mid, timeZone) > today) high = mid;
    else low = mid;
  }
  return high;
}

/** `26/12/2026` (pt-BR) / `Dec 26, 2026` (en): the calendar date of an instant in the zone. */
export function formatLocalDate(instant: Date | string | number, locale: string, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = locale.startsWith('pt')
    ? { year: 'numeric', month: '2-digit', day: '2-digit' }
    : { year: 'numeric', month: 'short', day: 'numeric' };
  return formatter('date', locale, timeZone, options).format(instantOf(instant));
}

/** `21:41` (pt-BR) / `9:41 PM` (en). */
export function formatLocalTime(instant: Date | string | number, locale: string, timeZone: string): string {
  return formatter('time', locale, timeZone, { hour: '2-digit', minute: '2-digit' }).format(instantOf(instant));
}

/** `26/12/2026 21:41` / `Dec 26, 2026 9:41 PM`: date and hour of the same zone, never mixed. */
export function formatLocalDateTime(instant: Date | string | number, locale: string, timeZone: string): string {
  return `${formatLocalDate(instant, locale, timeZone)} ${formatLocalTime(instant, locale, timeZone)}`;
}

/** A whole number as the language groups it: `6.599` (pt-BR), `6,599` (en). */
export function formatCount(value: number, locale: string): string {
  return numberFormat(locale).format(value);
}
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string): Intl.NumberFormat {
  let found = numberFormats.get(locale);
  if (!found) {
    found = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    numberFormats.set(locale, found);
  }
  return found;
}

/**
 * When a validity ends, as a person says it: `today`, `tomorrow` or `in` N days ahead; `endedToday`,
 * `yesterday` or `ago` N days once it has ended. The hour matters only on the last two days of
 * either side, so `showTime` says when to add it.
 */
export type ExpiryWhen = 'today' | 'tomorrow' | 'in' | 'endedToday' | 'yesterday' | 'ago';
export interface ExpiryMoment {
  when: ExpiryWhen;
  /** Calendar days between today and the end date, never negative. */
  days: number;
  showTime: boolean;
}

export function expiryMoment(notAfter: Date | string | number, now: Date | string | number, timeZone: string): ExpiryMoment {
  return momentOfDays(calendarDaysBetween(now, notAfter, timeZone), instantOf(now) > instantOf(notAfter));
}

/** The same from days already counted (a list row's `daysRemaining`) and whether the end has passed. */
export function momentOfDays(daysRemaining: number, ended: boolean): ExpiryMoment {
  if (!ended) {
    if (daysRemaining <= 0) return { when: 'today', days: 0, showTime: true };
    if (daysRemaining === 1) return { when: 'tomorrow', days: 1, showTime: true };
    return { when: 'in', days: daysRemaining, showTime: false };
  }
  if (daysRemaining >= 0) return { when: 'endedToday', days: 0, showTime: true };
  if (daysRemaining === -1) return { when: 'yesterday', days: 1, showTime: true };
  return { when: 'ago', days: -daysRemaining, showTime: false };
}

/**
 * The moment in Portuguese, for the places that speak only Portuguese (the CLI's text, the desktop
 * notifications): `Vence hoje às 21:41`, `Vence amanhã às 21:41`, `Vence em 20 dias`,
 * `Venceu hoje às 21:41`, `Venceu ontem às 21:41`, `Venceu há 3 dias`. The hour is `notAfter`'s in the zone.
 */
export function expiryTextPt(moment: ExpiryMoment, notAfter: Date | string | number, timeZone: string): string {
  const time = formatLocalTime(notAfter, 'pt-BR', timeZone);
  const days = `${formatCount(moment.days, 'pt-BR')} ${moment.days === 1 ? 'dia' : 'dias'}`;
  switch (moment.when) {
    case 'today':
      return `Vence hoje às ${time}`;
    case 'tomorrow':
      return `Vence amanhã às ${time}`;
    case 'in':
      return `Vence em ${days}`;
    case 'endedToday':
      return `Venceu hoje às ${time}`;
    case 'yesterday':
      return `Venceu ontem às ${time}`;
    case 'ago':
      return `Venceu há ${days}`;
  }
}
