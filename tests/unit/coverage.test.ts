/** Coverage at a glance: the pure rules over the example workspace's branches and modules. */
import { describe, expect, it } from 'vitest';
import { coverageOf } from '@certdesk/shared/coverage';
import type { CertificateRow } from '@certdesk/shared/certificate-row';
import { EXAMPLE_BRANCHES, EXAMPLE_MODULES } from '@certdesk/core/workspace/example-workspace';

const row = (
  id: string,
  cnpj: string,
  notAfter: string,
  daysRemaining: number,
  links: [string, string][],
  extra: Partial<CertificateRow> = {},
): CertificateRow => ({
  id,
  origin: 'certdesk',
  fileName: `${id}.pfx`,
  certificate: {
    holderName: `Titular ${id}`,
    type: 'e-CNPJ',
    cnpj,
    cpf: null,
    notBefore: '2025-01-01T00:00:00Z',
    notAfter,
    fingerprints: { sha256: id.padEnd(64, '0') },
  },
  links: links.map(([branch, module]) => ({ branch, module })),
  status: daysRemaining < 0 ? 'expired' : 'configured',
  daysRemaining,
  ...extra,
});

const input = (rows: CertificateRow[], extra = {}) => ({
  environment: 'producao' as const,
  branches: EXAMPLE_BRANCHES,
  modules: EXAMPLE_MODULES,
  rows,
  ...extra,
});
const cell = (c: ReturnType<typeof coverageOf>, branch: string, module: string) =>
  c.cells.find((x) => x.branch === branch && x.module === module)!;

describe('coverage at a glance', () => {
  it('judges every licensed, parametrized link: covered, lapsing, expired, another root, gap — with the fixing action', () => {
    const coverage = coverageOf(
      input([
        row('a', '11222333000181', '2045-01-01T00:00:00Z', 400, [
          ['0001', 'faturamento'],
          ['0003', 'faturamento'],
        ]),
        row('b', '11222333000181', '2044-12-20T00:00:00Z', 10, [
          ['0001', 'recebimento-nfe'],
          ['0001', 'faturamento'],
        ]),
        row('c', '11222333000181', '2044-01-01T00:00:00Z', -5, [['0002', 'recebimento-cte']]),
        row('d', '11222333000181', '2046-01-01T00:00:00Z', 700, [['0101', 'faturamento']]), // branch 0101 is 44.555.666
        row('old', '11222333000181', '2045-06-01T00:00:00Z', 500, [], { status: 'replaced' }),
      ]),
    );
    expect(cell(coverage, '0001', 'faturamento')).toMatchObject({ state: 'covered', certificate: { id: 'a' }, others: 1, action: 'none' });
    expect(cell(coverage, '0001', 'recebimento-nfe')).toMatchObject({
      state: 'lapsing',
      certificate: { id: 'b', daysRemaining: 10 },
      action: 'renew',
    });
    expect(cell(coverage, '0002', 'recebimento-cte')).toMatchObject({ state: 'expired', action: 'renew' });
    expect(cell(coverage, '0101', 'faturamento')).toMatchObject({ state: 'otherRoot', action: 'replace', certificate: { id: 'd' } });
    expect(cell(coverage, '0001', 'recebimento-cte')).toMatchObject({ state: 'gap', certificate: null, action: 'install' });
    expect(cell(coverage, '0003', 'recebimento-nfe')).toMatchObject({ state: 'gap' });
    // Unlicensed modules are nobody's gap; the counts add up.
    expect(coverage.cells.some((c) => c.module === 'nfse' || c.module === 'manifestacao')).toBe(false);
    expect(coverage.counts).toEqual({ gap: 2, expired: 1, otherRoot: 1, lapsing: 1, covered: 2 });
  });

  it('moves the lapse horizon, says when a swap is already scheduled, and shows links nobody expects', () => {
    const rows = [
      row('b', '11222333000181', '2045-02-20T00:00:00Z', 60, [
        ['0001', 'faturamento'],
        ['0002', 'faturamento'],
      ]),
    ];
    expect(cell(coverageOf(input(rows)), '0001', 'faturamento').state).toBe('covered');
    const wide = coverageOf(input(rows, { lapseDays: 90, pendingSwaps: new Map([['b', '2045-02-01T09:00:00.000Z']]) }));
    expect(cell(wide, '0001', 'faturamento')).toMatchObject({
      state: 'lapsing',
      action: 'scheduled',
      scheduledFor: '2045-02-01T09:00:00.000Z',
    });
    expect(cell(wide, '0002', 'faturamento')).toMatchObject({ unexpected: true, state: 'lapsing' });
  });
});
