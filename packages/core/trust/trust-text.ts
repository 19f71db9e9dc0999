/**
 * The core's Portuguese sentences for chain and revocation verdicts (CLI, logs). Dates in them are
 * in the time zone given (the process's own by default, i.e. the user's on their machine); the
 * screens do not use these sentences — they translate by code and format the ISO times themselves.
 */

/** RFC 5280 CRLReason: code → [name, Portuguese]. */
const REASONS: Record<number, [string, string]> = {
  0: ['unspecified', 'motivo não especificado'],
  1: ['keyCompromise', 'comprometimento da chave'],
  2: ['cACompromise', 'comprometimento da AC'],
  3: ['affiliationChanged', 'mudança de vínculo'],
  4: ['superseded', 'substituído'],
  5: ['cessationOfOperation', 'cessação de atividade'],
  6: ['certificateHold', 'suspenso'],
  8: ['removeFromCRL', 'retirado da LCR'],
  9: ['privilegeWithdrawn', 'privilégio retirado'],
  10: ['aACompromise', 'comprometimento da AA'],
};

export const reasonName = (code: number | null): string | null => (code === null ? null : (REASONS[code]?.[0] ?? `reason${code}`));
export const reasonText = (code: number | null): string | null => (code === null ? null : (REASONS[code]?.[1] ?? `motivo ${code}`));

function parts(date: Date, timeZone: string | undefined): Record<string, string> {
  const formatter = new Intl.DateTimeFormat('pt-BR', {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return Object.fromEntries(formatter.formatToParts(date).map((p) => [p.type, p.value]));
}

/** 05/12/2026 10:00 */
export function dateTimeText(date: Date, timeZone?: string): string {
  const p = parts(date, timeZone);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** 01/12/2026 */
export function dateText(date: Date, timeZone?: string): string {
  const p = parts(date, timeZone);
  return `${p.day}/${p.month}/${p.year}`;
}
