/**
 * Desktop notifications for certificates expiring in 30, 15, 7 and 1 days, once per threshold
 * (docs/PRODUCT.md §6), and for a certificate found revoked — worse than expiring: said once, and
 * no expiry notice follows it. The logic and its memory live here; the Electron shell only shows the text.
 */
import { join } from 'node:path';
import { Low } from 'lowdb';
import { ENVIRONMENTS, type Environment, type HandlerTable } from '@certdesk/shared/contract';
import { formatCnpj } from '@certdesk/shared/tax-ids';
import { expiryTextPt, formatLocalDate, momentOfDays, systemTimeZone } from '@certdesk/shared/local-time';
import type { CertificateRow } from '@certdesk/shared/certificate-row';
import { WARNING_THRESHOLDS } from '@certdesk/shared/warning-events';
import { environmentName } from '@certdesk/core/environment-name';
import { isRecord, openPreferences } from '../preferences';

/** The same thresholds as the e-mail and webhook warnings (@certdesk/shared/warning-events). */
export const THRESHOLDS = WARNING_THRESHOLDS;
/** Kept in SentThresholds for a revocation notice: tighter than any day count, so no expiry notice follows. */
export const REVOKED_NOTICE = -1;

export interface ExpiryNotice {
  key: string;
  threshold: number;
  title: string;
  body: string;
}

/** environment:sha256 → the tightest threshold already notified. */
export type SentThresholds = Record<string, number>;

/**
 * Notices due now. A certificate that crossed several thresholds since the last check (the app was
 * closed for a while) gets one notice, for the tightest; a threshold is never notified twice.
 * Days are the rows' calendar days (derived by the core in this process's zone); the title says the
 * hour on the last two days, in the same zone (`Certificado vence amanhã às 21:41`).
 */
export function dueNotices(
  environment: Environment,
  certificates: CertificateRow[],
  sent: SentThresholds,
  timeZone = systemTimeZone(),
): ExpiryNotice[] {
  const notices: ExpiryNotice[] = [];
  for (const cert of certificates) {
    // A replaced certificate serves nothing (revoked or not): its successor is the one to watch.
    if (cert.status === 'expired' || cert.status === 'replaced' || cert.daysRemaining < 0) continue;
    const key = `${environment}:${cert.certificate.fingerprints.sha256}`;
    const who = cert.certificate.cnpj
      ? `${cert.certificate.holderName} (CNPJ ${formatCnpj(cert.certificate.cnpj)})`
      : cert.certificate.holderName;
    if (cert.revoked) {
      if (sent[key] !== REVOKED_NOTICE) notices.push(revokedNotice(key, who, environment, cert.revoked.revokedAt, timeZone));
      continue; // revoked is worse than expiring: no expiry notice for it
    }
    const threshold = [...THRESHOLDS].reverse().find((t) => cert.daysRemaining <= t);
    if (threshold === undefined) continue;
    if (sent[key] !== undefined && sent[key]! <= threshold) continue;
    const when = expiryTextPt(momentOfDays(cert.daysRemaining, false), cert.certificate.notAfter, timeZone);
    notices.push({
      key,
      threshold,
      title: `Certificado ${when.charAt(0).toLowerCase()}${when.slice(1)}`,
      body: `${who} — ${environmentName(environment)}. Renove e instale o novo certificado no CertDesk.`,
    });
  }
  return notices;
}

function revokedNotice(key: string, who: string, environment: Environment, revokedAt: string, timeZone: string): ExpiryNotice {
  const day = formatLocalDate(revokedAt, 'pt-BR', timeZone);
  return {
    key,
    threshold: REVOKED_NOTICE,
    title: 'Certificado revogado',
    body: `${who} — ${environmentName(environment)}. Revogado em ${day}: a SEFAZ recusa documentos assinados com ele (rejeição 284). Instale um novo certificado no CertDesk.`,
  };
}

/**
 * An environment's certificates as its own backend lists them — the embedded workspace or the cloud,
 * through the same `certificates:list` handler the screens use (a cloud offline gives its last list,
 * re-derived now; signed out, it throws and check() treats it as nothing to say).
 */
export function listThroughBackends(
  handlers: Pick<HandlerTable, 'certificates:list'>,
): (environment: Environment) => Promise<CertificateRow[]> {
  return async (environment) => (await handlers['certificates:list']({ environment })).items;
}

export class ExpiryNotifier {
  private constructor(
    private readonly db: Low<{ sent: SentThresholds }>,
    private readonly list: (environment: Environment) => Promise<CertificateRow[]>,
    private readonly show: (notice: ExpiryNotice) => void,
  ) {}

  static async open(
    dataDir: string,
    list: (environment: Environment) => Promise<CertificateRow[]>,
    show: (notice: ExpiryNotice) => void,
  ): Promise<ExpiryNotifier> {
    // A lost memory only means a repeated notice.
    const db = await openPreferences<{ sent: SentThresholds }>(
      join(dataDir, 'notifications.json'),
      { sent: {} },
      (v) => isRecord(v) && isRecord(v['sent']),
    );
    return new ExpiryNotifier(db, list, show);
  }

  /** Show what is due in both environments and remember it; returns what was shown. */
  async check(): Promise<ExpiryNotice[]> {
    const shown: ExpiryNotice[] = [];
    for (const environment of ENVIRONMENTS) {
      const certificates = await this.list(environment).catch(() => []); // an unset or damaged workspace has nothing to say
      for (const notice of dueNotices(environment, certificates, this.db.data.sent)) {
        this.show(notice);
        this.db.data.sent[notice.key] = notice.threshold;
        shown.push(notice);
      }
    }
    if (shown.length) await this.db.write();
    return shown;
  }
}
