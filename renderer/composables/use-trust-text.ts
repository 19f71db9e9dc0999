/**
 * How the screens word a chain and revocation verdict (packages/shared/trust.ts): by code, in the UI
 * language, with the ISO times formatted in the user's time zone — never the core's Portuguese
 * sentence, whose dates are the main process's.
 */
import { useI18n } from 'vue-i18n';
import type { ChainVerdict, RevocationVerdict } from '@certdesk/shared/trust';
import { useLocalTime } from '../time/use-local-time';

export function useTrustText() {
  const { t, te } = useI18n();
  // A day (a revocation's date) and a moment (a CRL's issue, a check) in the user's zone and language.
  const { date, dateTime } = useLocalTime();

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
