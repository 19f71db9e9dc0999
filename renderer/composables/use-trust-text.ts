/**
 * How the screens word a chain and revocation verdict (packages/shared/trust.ts): by code, in the UI
 * language, with the ISO times formatted in the user's time zone — never the core's Portuguese
 * sentence, whose dates are the main process's.
 */
import { useI18n } from 'vue-i18n';
import type { ChainVerdict, RevocationVerdict } from '@certdesk/shared/trust';

export function useTrustText() {
  const { t, te, locale } = useI18n();

  const format = (iso: string, withTime: boolean) =>
    new Intl.DateTimeFormat(locale.value, {
      year: 'numeric',
      month: locale.value === 'en' ? 'short' : '2-digit',
      day: '2-digit',
      ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
    }).format(new Date(iso));
  /** A day in the user's calendar (a revocation's date). */
  const date = (iso: string) => format(iso, false);
  /** A moment in the user's time zone (a CRL's issue, a check). */
  const dateTime = (iso: string) => format(iso, true);

  function reason(r: Pick<RevocationVerdict, 'reason' | 'reasonCode'>): string {
    if (r.reason && te(`trust.reasons.${r.reason}`)) return t(`trust.reasons.${r.reason}`);
    return r.reasonCode === null ? t('trust.reasons.none') : (r.reason ?? String(r.reasonCode));
  }

  /** Which answer decided it, and of when: "LCR de 05/12/2026 10:00", "Resposta OCSP de …", "Última LCR conhecida: de …". */
  function sourceText(r: RevocationVerdict): string {
    if (r.source === 'ocsp' && r.ocsp) return t('trust.ocspOf', { date: dateTime(r.ocsp.producedAt) });
    if (r.crl)
      return r.status === 'unknown'
        ? t('trust.lastCrl', { date: dateTime(r.crl.thisUpdate) })
        : t('trust.crlOf', { date: dateTime(r.crl.thisUpdate) });
    return r.status === 'unknown' && r.code === 'UNCHECKED_OFFLINE' ? t('trust.noCrlKept') : '';
  }

  /** The address of the answer that decided it (or of the last CRL known). */
  const sourceUrl = (r: RevocationVerdict) => (r.source === 'ocsp' ? r.ocsp?.url : r.crl?.url) ?? null;

  /** "Não revogado (LCR de 05/12/2026 10:00)", "Revogado em 01/12/2026 (comprometimento da chave)", "Não verificado — …". */
  function headline(r: RevocationVerdict): string {
    if (r.code === 'REVOKED' && r.revokedAt) return `${t('trust.codes.REVOKED', { date: date(r.revokedAt) })} (${reason(r)})`;
    const text = t(`trust.codes.${r.code}`);
    return r.code === 'NOT_REVOKED' && sourceText(r) ? `${text} (${sourceText(r)})` : text;
  }

  const chainText = (c: ChainVerdict) => t(`trust.chain.${c.status}`, { root: c.root ?? '', issuer: c.missing?.issuer ?? '' });

  return { date, dateTime, reason, sourceText, sourceUrl, headline, chainText };
}
