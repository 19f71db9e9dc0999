/**
 * SEFAZ answers in the UI's language, from the engine's outcome code and the facts the result
 * carries (cStat, SEFAZ's own xMotivo, latency, host, proxy, HTTP status): one line saying what
 * happened and one saying what to do. Times in the user's time zone.
 */
import { useI18n } from 'vue-i18n';
import { localDay } from '@certdesk/shared/local-time';
import type { SefazStatusResult } from '@certdesk/shared/sefaz';
import type { SefazCheckSummary } from '@certdesk/shared/sefaz-checks';
import { appNow, userTimeZone } from '../time/app-clock';
import { useLocalTime } from '../time/use-local-time';

/** SEFAZ blocks repeated checking: an answer is kept and reused for this long (the planner's THREE_MINUTES). */
const KEEP_MS = 3 * 60 * 1000;

export function useSefazText() {
  const { t, locale } = useI18n();
  const clock = useLocalTime();

  const when = (iso: string) => clock.dateTime(iso);
  /** Today (in the user's calendar, at the app's clock): the time alone; another day: the date. */
  const shortWhen = (iso: string) =>
    localDay(iso, userTimeZone()) === localDay(appNow(), userTimeZone()) ? clock.time(iso) : clock.date(iso);
  const seconds = (ms: number) =>
    ms < 50
      ? t('sefaz.underTenth')
      : t('sefaz.secondsValue', {
          n: new Intl.NumberFormat(locale.value, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(ms / 1000),
        });

  /** What happened and what to do. `notAfter`: the certificate's, so a 403 can say it had expired. */
  function outcome(result: SefazStatusResult, notAfter?: string): { text: string; action: string | null } {
    const expired = result.code === 'HTTP_FORBIDDEN' && !!notAfter && Date.parse(notAfter) < Date.parse(result.checkedAt);
    const key = expired ? 'HTTP_FORBIDDEN_EXPIRED' : result.code;
    const params = {
      cStat: result.cStat ?? '',
      motivo: result.answer?.xMotivo ?? '',
      status: result.httpStatus ?? '?',
      host: new URL(result.url).hostname,
      proxy: result.proxy ?? '',
      // The expiry day as every validity date of the app is written (the user's zone).
      date: expired ? clock.date(notAfter!) : '',
    };
    let text = t(`sefaz.outcomes.${key}`, params);
    if (result.cStat !== null && result.latencyMs !== null) text += t('sefaz.answeredIn', { seconds: seconds(result.latencyMs) });
    if (result.proxy && !result.code.startsWith('PROXY_')) text += ` (${t('sefaz.viaProxy', { proxy: result.proxy })})`;
    const action = t(`sefaz.actions.${key}`);
    return { text, action: action || null };
  }

  /** "resposta guardada de 10:02 …, nova consulta a partir de 10:05", for a reused answer. */
  function reused(result: SefazStatusResult): string | null {
    if (!result.reused) return null;
    const next = new Date(Date.parse(result.checkedAt) + KEEP_MS).toISOString();
    return t('sefaz.reused', { when: when(result.checkedAt), next: when(next) });
  }

  /** The list icon's accessible name: the state, the outcome when there is a problem, and when. */
  function summaryLabel(summary: SefazCheckSummary | undefined): string {
    if (!summary) return t('sefaz.never');
    // Only the code and cStat are in a summary: the facts it lacks (host, proxy…) are left out of the words.
    const blank = { cStat: summary.cStat ?? '', motivo: '', status: '', host: '', proxy: '', date: '' };
    const outcomeText = summary.code ? t(`sefaz.outcomes.${summary.code}`, blank).replace(/\s*\(\)|[\s:]+$/g, '') : '';
    return t(`sefaz.iconLabel.${summary.state}`, { when: when(summary.checkedAt), outcome: outcomeText });
  }

  return { when, shortWhen, outcome, reused, summaryLabel };
}
