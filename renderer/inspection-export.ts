/**
 * CSV and JSON exports of the bulk inspector. CSV uses ';' and a UTF-8 BOM, which is what Excel in
 * Brazilian Portuguese expects (',' is the decimal separator there). No secrets are in the rows.
 */
import { stringify } from 'csv-stringify/browser/esm/sync';
import type { ProtectionWarningCode } from '@certdesk/shared/contract';
import { keyText, problemsOf } from '@certdesk/shared/pfx';
import { showBidi } from '@certdesk/shared/display-text';
import { formatLocalDate, systemTimeZone } from '@certdesk/shared/local-time';
import { PROBLEM_NAMES_PT, VALIDITY_NAMES_PT } from '@certdesk/shared/problem-names';
import { validityOf } from '@certdesk/shared/status';
import type { InspectItem } from './stores/inspector';
import { TRUST_CSV_COLUMNS, trustCsvValues } from './trust-export';

const CSV_COLUMNS = [
  'arquivo',
  'situacao',
  'titular',
  'tipo',
  'cnpj',
  'cpf',
  'emissor',
  'valido_de',
  'valido_ate',
  'dias_restantes',
  'status',
  'politica',
  'cadeia_icp_brasil',
  'sha256',
  'erro',
  'chave_privada',
  'avisos',
  ...TRUST_CSV_COLUMNS,
] as const;

/** The problems of a row that opened (packages/shared/pfx.ts: the same list the CLI prints). */
export const problemsOfItem = (item: InspectItem): ProtectionWarningCode[] => problemsOf(item.result);

function privateKeyText(item: InspectItem): string {
  const key = item.result?.privateKey;
  if (!key) return '';
  if (!key.present) return 'ausente';
  // A key-only file: nothing to compare the key with, so the key itself is described.
  const info = item.result?.key;
  if (!item.result?.certificate)
    return `presente, sem certificado${info ? ` (${keyText(info.algorithm, info.size)}${info.curve ? ` ${info.curve}` : ''})` : ''}`;
  if (key.matchesCertificate === null) return 'não conferida (algoritmo sem suporte)';
  return key.matchesCertificate === false ? 'NÃO corresponde ao certificado' : 'corresponde';
}

const SITUATION: Record<InspectItem['status'], string> = {
  queued: 'na fila',
  reading: 'lendo',
  locked: 'senha necessária',
  done: 'lido',
  error: 'erro',
};
const TYPE = { 'e-CNPJ': 'e-CNPJ', 'e-CPF': 'e-CPF', other: 'outro' } as const;

/**
 * The bulk table as a pt-BR spreadsheet: rows in the order given (the screen's), Portuguese words
 * in every cell (no English code beside Portuguese columns), dates of the user's calendar and days
 * counted in it — the rule of every screen — and no day count before a certificate starts (the
 * screen shows "—" there too). The JSON export keeps codes and ISO UTC instants.
 */
export function toCsv(items: InspectItem[], clock: { now?: Date; timeZone?: string } = {}): string {
  const now = clock.now ?? new Date();
  const zone = clock.timeZone ?? systemTimeZone();
  const date = (iso: string | undefined) => (iso ? formatLocalDate(iso, 'pt-BR', zone) : '');
  const rows = items.map((item) => {
    const c = item.result?.certificate;
    const validity = c ? validityOf(new Date(c.notBefore), new Date(c.notAfter), now, undefined, zone) : null;
    return [
      item.name,
      SITUATION[item.status] ?? item.status,
      c?.holderName,
      c ? TYPE[c.type] : '',
      c?.cnpj,
      c?.cpf,
      c?.issuerCommonName,
      date(c?.notBefore),
      date(c?.notAfter),
      validity && validity.status !== 'not-yet-valid' ? validity.daysRemaining : '',
      validity ? VALIDITY_NAMES_PT[validity.status] : '',
      c?.policy,
      item.result ? (item.result.icpBrasilRoot ?? 'não') : '',
      c?.fingerprints.sha256,
      item.error ? item.error.message : '',
      privateKeyText(item),
      problemsOfItem(item)
        .map((code) => PROBLEM_NAMES_PT[code])
        .join('; '),
      ...trustCsvValues(item.result?.certificate ? item.result.trust : null),
    ].map((value) => (typeof value === 'string' ? showBidi(value) : value));
  });
  // csv-stringify quotes what needs quoting and, with escape_formulas, puts a ' before a text cell
  // that starts with = + - @ TAB or CR, so a hostile name cannot become a spreadsheet formula
  // (numbers such as -3 days stay numbers). Bidi overrides are made visible, as everywhere.
  return stringify([[...CSV_COLUMNS], ...rows], {
    delimiter: ';',
    record_delimiter: '\r\n',
    quoted_match: /[\r\n]/, // a lone CR or LF inside a name must not end the row either
    escape_formulas: true,
    bom: true,
  });
}

/** The same shape as `certdesk inspect --json`, one object per file. */
export function toJson(items: InspectItem[]): string {
  return JSON.stringify(
    items.map((item) => {
      const {
        passwordSource: _source,
        passwordRemembered: _remembered,
        rememberError: _error,
        ...inspection
      } = item.result ?? ({} as never);
      return item.result
        ? { ...inspection, file: item.name, ok: true, error: null }
        : {
            file: item.name,
            ok: false,
            error: item.error ?? { code: 'PASSWORD_REQUIRED', message: 'Este arquivo é protegido por senha.' },
            certificate: null,
            privateKey: null,
            chain: [],
            protection: null,
          };
    }),
    null,
    2,
  );
}

/** Save through the browser's download path (Electron shows its save dialog for it). */
export function download(name: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
