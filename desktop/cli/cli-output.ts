/**
 * What `certdesk` prints: the JSON shape of docs/PRODUCT.md §5 and a human layout in Portuguese.
 */
import type { ApiErrorPayload, CertificateSummary, PfxInspection, ProtectionWarningCode, ValidityStatus } from '@certdesk/shared/contract';
import { documentLabel, formatCpf } from '@certdesk/shared/tax-ids';
import { validityOf } from '@certdesk/shared/status';
import { expiryTextPt, formatCount, formatLocalDate, momentOfDays, systemTimeZone } from '@certdesk/shared/local-time';
import { displayText } from '@certdesk/shared/display-text';
import { keyText, problemsOf, type PrivateKeySummary } from '@certdesk/shared/pfx';
import type { TrustReport } from '@certdesk/shared/trust';
import { PROBLEM_NAMES_PT } from '@certdesk/shared/problem-names';

export interface FileReport {
  file: string;
  /** Present (true) only on an entry for a sub-folder `scan` could not list; `error` says why. */
  folder?: true;
  ok: boolean;
  error: ApiErrorPayload | null;
  certificate: CertificateSummary | null;
  otherCertificates: CertificateSummary[];
  /** CA and extra certificates of the file (every certificate is reported). */
  extraCertificates: CertificateSummary[];
  privateKey: PfxInspection['privateKey'] | null;
  key: PrivateKeySummary | null;
  chain: PfxInspection['chain'];
  icpBrasilRoot: string | null;
  protection: PfxInspection['protection'] | null;
  /**
   * The chain as completed (file, shipped ICP-Brasil set, AIA) and the revocation of the certificate
   * (docs/PRODUCT.md §5); null for a file that could not be read or that holds no certificate.
   */
  trust: TrustReport | null;
}

/** Re-judge "expiring" with the threshold the user asked for (`--expiring-days N`). */
function withThreshold(cert: CertificateSummary, now: Date, expiringDays: number): CertificateSummary {
  return { ...cert, ...validityOf(new Date(cert.notBefore), new Date(cert.notAfter), now, expiringDays) };
}

export function reportOf(
  file: string,
  outcome: PfxInspection | ApiErrorPayload,
  now: Date,
  expiringDays: number,
  trust: TrustReport | null = null,
): FileReport {
  if ('code' in outcome) return failedReport(file, outcome);
  return {
    file,
    ok: true,
    error: null,
    certificate: outcome.certificate && withThreshold(outcome.certificate, now, expiringDays),
    otherCertificates: outcome.otherCertificates.map((c) => withThreshold(c, now, expiringDays)),
    extraCertificates: (outcome.extraCertificates ?? []).map((c) => withThreshold(c, now, expiringDays)),
    privateKey: outcome.privateKey,
    key: outcome.key ?? null,
    chain: outcome.chain,
    icpBrasilRoot: outcome.icpBrasilRoot,
    protection: outcome.protection,
    trust,
  };
}

/** A sub-folder `scan` could not list, as one more failed entry of the JSON array (after the files). */
export function folderReport(folder: string, code: string): FileReport {
  return {
    ...failedReport(folder, { code: 'UNREADABLE', message: `Pasta não lida (${code}): os arquivos dentro dela não foram verificados.` }),
    folder: true,
  };
}

/** A file (or folder) that could not be read: the error, and nothing read from it. */
function failedReport(file: string, error: ApiErrorPayload): FileReport {
  return {
    file,
    ok: false,
    error,
    certificate: null,
    otherCertificates: [],
    extraCertificates: [],
    privateKey: null,
    key: null,
    chain: [],
    icpBrasilRoot: null,
    protection: null,
    trust: null,
  };
}

/** The summary's line for that sub-folder. */
export function formatUnreadableFolder(folder: string, code: string): string {
  return `Pasta não lida: ${displayText(folder)} (${code})`;
}

const STATUS: Record<ValidityStatus, string> = {
  valid: 'Válido',
  expiring: 'Vence em breve',
  expired: 'Expirado',
  'not-yet-valid': 'Ainda não válido',
};

/** Dates in the terminal's zone (TZ, else the system's); JSON keeps the ISO UTC instants. */
const date = (iso: string) => formatLocalDate(iso, 'pt-BR', systemTimeZone());

/** The days are calendar days in the same zone (validityOf); the hour shows on the last two days. */
function statusText(cert: CertificateSummary): string {
  const moment = momentOfDays(cert.daysRemaining, cert.status === 'expired');
  if (cert.status === 'expiring' || cert.status === 'expired') {
    const text = expiryTextPt(moment, cert.notAfter, systemTimeZone());
    return cert.status === 'expired' ? `${STATUS.expired} (${text.charAt(0).toLowerCase()}${text.slice(1)})` : text;
  }
  if (cert.status === 'valid') return `${STATUS.valid} (${formatCount(cert.daysRemaining, 'pt-BR')} dias restantes)`;
  return STATUS[cert.status];
}

const documentOf = (cert: CertificateSummary): string => documentLabel(cert, true) ?? '—';

/** A report's problems: the shared list (packages/shared/pfx.ts), for a file that opened. */
const problemsOfReport = (report: FileReport): ProtectionWarningCode[] =>
  report.ok && report.privateKey && report.protection ? problemsOf({ privateKey: report.privateKey, protection: report.protection }) : [];

/** ✔ only for a certificate that is valid today, not known revoked and without problems; ! for anything to look at. */
const mark = (report: FileReport): string =>
  report.certificate?.status === 'valid' && problemsOfReport(report).length === 0 && report.trust?.revocation.status !== 'revoked'
    ? '✔'
    : '!';

function protectionText(protection: FileReport['protection']): string {
  const parts = (protection?.encryption ?? []).map(
    (e) => `${e.target === 'privateKey' ? 'chave' : 'certificados'} ${e.algorithm}${e.iterations ? ` ×${e.iterations}` : ''}`,
  );
  return [`MAC ${protection?.mac ?? 'ausente'}`, ...(parts.length ? parts : ['sem cifragem'])].join('; ');
}

const keyLine = (key: PrivateKeySummary | null): string =>
  key ? `${keyText(key.algorithm, key.size)}${key.curve ? ` (${key.curve})` : ''}` : '?';

const table = (rows: [string, string][]): string => {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
};

export function formatDetails(report: FileReport): string {
  const file = displayText(report.file);
  if (!report.ok) return `✖ ${file}\n  [${report.error?.code}] ${report.error?.message}\n`;
  const problems = problemsOfReport(report);
  const rows: [string, string][] = [];
  if (problems.length) rows.push(['Problemas', problems.map((p) => PROBLEM_NAMES_PT[p]).join('; ')]);
  const c = report.certificate;
  if (!c) {
    // A key-only file: read, nothing to say about a certificate; the key and the protection.
    rows.push(['Certificado', 'nenhum'], ['Chave privada', keyLine(report.key)], ['Proteção', protectionText(report.protection)]);
    for (const warning of report.protection?.warnings ?? []) rows.push(['Aviso', warning.message]);
    return `! ${file}\n${table(rows)}\n`;
  }
  rows.push(['Titular', `${displayText(c.holderName)} (${c.type === 'other' ? 'outro' : c.type})`], ['Documento', documentOf(c)]);
  if (c.responsible)
    rows.push([
      'Responsável',
      [displayText(c.responsible.name), c.responsible.cpf && `CPF ${formatCpf(c.responsible.cpf)}`].filter(Boolean).join(' · '),
    ]);
  rows.push(
    ['Validade', `${date(c.notBefore)} a ${date(c.notAfter)} — ${statusText(c)}`],
    ['Emissor', displayText(c.issuerCommonName)],
    ['Política', c.policy ?? '—'],
    ['Chave', keyText(c.keyAlgorithm, c.keySize)],
    [
      'Chave privada',
      !report.privateKey?.present
        ? 'ausente'
        : report.privateKey.matchesCertificate
          ? 'presente e corresponde'
          : report.privateKey.matchesCertificate === null
            ? `presente, não conferida (${report.key?.algorithm ?? '?'})`
            : 'NÃO corresponde ao certificado',
    ],
    ['Cadeia', report.chain.map((l) => displayText(l.commonName)).join(' → ') + (report.icpBrasilRoot ? ' (ICP-Brasil)' : '')],
    ...(report.trust
      ? ([
          ['Confiança', displayText(report.trust.chain.message)],
          ['Revogação', displayText(report.trust.revocation.message)],
        ] as [string, string][])
      : []),
    ['Proteção', protectionText(report.protection)],
    ['SHA-256', c.fingerprints.sha256],
  );
  for (const other of report.otherCertificates) rows.push(['Outra chave', `${displayText(other.holderName)} (${documentOf(other)})`]);
  for (const extra of report.extraCertificates)
    rows.push(['Outro certificado', `${displayText(extra.commonName)} (até ${date(extra.notAfter)})`]);
  for (const warning of report.protection?.warnings ?? []) rows.push(['Aviso', warning.message]);
  return `${mark(report)} ${file}\n${table(rows)}\n`;
}

export function formatScanLine(report: FileReport): string {
  const file = displayText(report.file);
  if (!report.ok) return `✖ ${report.error?.code.padEnd(21)} ${file}`;
  const c = report.certificate;
  if (!c) return `! ${'sem certificado'.padEnd(21)} ${file} — só a chave privada (${keyLine(report.key)})`;
  const days =
    c.status === 'expired'
      ? 'expirado'
      : c.status === 'not-yet-valid'
        ? `válido a partir de ${date(c.notBefore)}`
        : c.daysRemaining <= 1
          ? expiryTextPt(momentOfDays(c.daysRemaining, false), c.notAfter, systemTimeZone()).replace(/^Vence /, 'vence ')
          : `${formatCount(c.daysRemaining, 'pt-BR')} d`;
  const problems = problemsOfReport(report);
  const revoked = report.trust?.revocation.status === 'revoked' ? [report.trust.revocation.message.replace(/^Revogado/, 'REVOGADO')] : [];
  const warnings = [...revoked, ...problems.map((p) => PROBLEM_NAMES_PT[p])];
  const tail = warnings.length ? ` — ATENÇÃO: ${warnings.join('; ')}` : '';
  return `${mark(report)} ${days.padEnd(21)} ${file} — ${displayText(c.holderName)}, ${documentOf(c)}${tail}`;
}
