import { describe, expect, it } from 'vitest';
import { cnpjRoot, formatCnpj, formatCpf, isValidCnpj, isValidCpf, normalizeDocument } from '@certdesk/shared/tax-ids';

describe('CNPJ', () => {
  it('validates numeric CNPJs by their check digits', () => {
    expect(isValidCnpj('11222333000181')).toBe(true);
    expect(isValidCnpj('11.222.333/0001-81')).toBe(true);
    expect(isValidCnpj('11222333000182')).toBe(false);
    expect(isValidCnpj('00000000000000')).toBe(false);
    expect(isValidCnpj('1122233300018')).toBe(false);
  });

  it('validates alphanumeric CNPJs (ASCII − 48, weights 2..9 from the right)', () => {
    expect(isValidCnpj('12ABC34501DE35')).toBe(true);
    expect(isValidCnpj('12.abc.345/01de-35')).toBe(true);
    expect(isValidCnpj('12ABC34501DE36')).toBe(false);
    expect(isValidCnpj('12ABC34501DEX5')).toBe(false); // check digits are always numeric
  });

  it('formats both kinds', () => {
    expect(formatCnpj('11222333000181')).toBe('11.222.333/0001-81');
    expect(formatCnpj('12ABC34501DE35')).toBe('12.ABC.345/01DE-35');
    expect(cnpjRoot('12.ABC.345/01DE-35')).toBe('12ABC345');
  });
});

describe('CPF', () => {
  it('validates and formats', () => {
    expect(isValidCpf('11144477735')).toBe(true);
    expect(isValidCpf('111.444.777-35')).toBe(true);
    expect(isValidCpf('11144477736')).toBe(false);
    expect(isValidCpf('11111111111')).toBe(false);
    expect(formatCpf('11144477735')).toBe('111.444.777-35');
    expect(normalizeDocument(' 111.444.777-35 ')).toBe('11144477735');
  });
});
