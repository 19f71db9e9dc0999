/**
 * CNPJ (numeric and, since July 2026, alphanumeric) and CPF: validation and display formatting.
 * Pure functions shared by the core, the CLI and the renderer.
 */

const CNPJ_BODY = /^[0-9A-Z]{12}[0-9]{2}$/;

/** Strip the punctuation people type (`.`, `/`, `-`, spaces) and upper-case letters. */
export function normalizeDocument(value: string): string {
  return value.replace(/[.\-/\s]/g, '').toUpperCase();
}

function cnpjCheckDigit(chars: string): number {
  // A character's value is its ASCII code minus 48; weights 2..9 repeating from the right.
  let sum = 0;
  for (let i = chars.length - 1, weight = 2; i >= 0; i--, weight = weight === 9 ? 2 : weight + 1) {
    sum += (chars.charCodeAt(i) - 48) * weight;
  }
  const remainder = sum % 11;
  return remainder < 2 ? 0 : 11 - remainder;
}

export function isValidCnpj(value: string): boolean {
  const cnpj = normalizeDocument(value);
  if (!CNPJ_BODY.test(cnpj) || /^(\d)\1{13}$/.test(cnpj)) return false;
  const first = cnpjCheckDigit(cnpj.slice(0, 12));
  const second = cnpjCheckDigit(cnpj.slice(0, 12) + first);
  return cnpj.endsWith(`${first}${second}`);
}

export function isValidCpf(value: string): boolean {
  const cpf = normalizeDocument(value);
  if (!/^\d{11}$/.test(cpf) || /^(\d)\1{10}$/.test(cpf)) return false;
  const digit = (length: number): number => {
    let sum = 0;
    for (let i = 0; i < length; i++) sum += Number(cpf[i]) * (length + 1 - i);
    const remainder = (sum * 10) % 11;
    return remainder === 10 ? 0 : remainder;
  };
  return digit(9) === Number(cpf[9]) && digit(10) === Number(cpf[10]);
}

/** `11222333000181` → `11.222.333/0001-81`; `12ABC34501DE35` → `12.ABC.345/01DE-35`. */
export function formatCnpj(value: string): string {
  const c = normalizeDocument(value);
  if (c.length !== 14) return value;
  return `${c.slice(0, 2)}.${c.slice(2, 5)}.${c.slice(5, 8)}/${c.slice(8, 12)}-${c.slice(12)}`;
}

/** `11144477735` → `111.444.777-35`. */
export function formatCpf(value: string): string {
  const c = normalizeDocument(value);
  if (c.length !== 11) return value;
  return `${c.slice(0, 3)}.${c.slice(3, 6)}.${c.slice(6, 9)}-${c.slice(9)}`;
}

/** `CNPJ 11.222.333/0001-81`, `CPF 111.444.777-35` (or the bare number), or null when neither. */
export function documentLabel(holder: { cnpj: string | null; cpf: string | null } | null | undefined, withKind = false): string | null {
  if (holder?.cnpj) return `${withKind ? 'CNPJ ' : ''}${formatCnpj(holder.cnpj)}`;
  if (holder?.cpf) return `${withKind ? 'CPF ' : ''}${formatCpf(holder.cpf)}`;
  return null;
}

/** The CNPJ root (first 8 characters), which SEFAZ compares between emitter and certificate. */
export function cnpjRoot(value: string): string {
  return normalizeDocument(value).slice(0, 8);
}
