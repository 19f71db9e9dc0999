/**
 * The certificate list's grid at 10,000 rows: only the rows in view are in
 * the DOM, scrolling brings others, the keyboard moves between rows and opens one, and the grid
 * tells assistive technology how many rows there are. The search rule it is fed by is checked on
 * the same 10,000 rows.
 */
import { mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { afterEach, describe, expect, it } from 'vitest';
import type { CertificateRow } from '@certdesk/shared/certificate-row';
import { filterRows, indexRows } from '@certdesk/shared/certificate-search';
import CertificateTable from '../../renderer/components/manage/CertificateTable.vue';
import { i18n } from '../../renderer/i18n/index';

const COUNT = 10_000;

function rows(count: number): CertificateRow[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    origin: 'certdesk',
    fileName: `empresa-${i}.pfx`,
    certificate: {
      holderName: `EMPRESA ${i} LTDA`,
      type: 'e-CNPJ',
      cnpj: '11222333000181',
      cpf: null,
      notBefore: '2025-01-01T00:00:00.000Z',
      // Descending expiry, so the expiry order is the reverse of the names' numbers.
      notAfter: new Date(Date.UTC(2030, 0, 1) - i * 60_000).toISOString(),
      fingerprints: { sha256: i.toString(16).padStart(64, '0') },
    },
    links: [{ branch: i % 2 ? '0002' : '0001', module: 'faturamento' }],
    status: 'configured',
    daysRemaining: 1000,
  }));
}

let wrapper: ReturnType<typeof mount> | null = null;
afterEach(() => wrapper?.unmount());

function render(list: CertificateRow[]) {
  i18n.global.locale.value = 'pt-BR';
  wrapper = mount(CertificateTable, {
    props: { rows: list, readOnly: false },
    global: { plugins: [i18n, createPinia()] },
    attachTo: document.body,
  });
  return wrapper;
}

const shownIndexes = (w: ReturnType<typeof mount>) =>
  w.findAll('[data-testid="certificate-row"]').map((row) => Number(row.attributes('aria-rowindex')) - 2);

describe('CertificateTable at 10,000 rows', () => {
  it('puts only the rows in view (and a few around them) in the DOM, and says how many there are', () => {
    const list = rows(COUNT);
    const w = render(list);
    const grid = w.get('[role="grid"]');
    expect(grid.attributes('aria-rowcount')).toBe(String(COUNT + 1));
    expect(grid.attributes('aria-label')).toBe('Certificados');
    const shown = shownIndexes(w);
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(40);
    expect(shown[0]).toBe(0);
    expect(w.get('[data-testid="certificate-row"]').attributes('data-holder')).toBe('EMPRESA 0 LTDA');
    // The spacer keeps the scrollbar honest: the full height of 10,000 rows.
    expect(w.get('.spacer').attributes('style')).toContain(`height: ${COUNT * 52}px`);
  });

  it('scrolling far down shows those rows and drops the first ones', async () => {
    const w = render(rows(COUNT));
    const body = w.get('.body');
    (body.element as HTMLElement).scrollTop = 7_000 * 52;
    await body.trigger('scroll');
    const shown = shownIndexes(w);
    expect(shown).toContain(7_000);
    expect(shown).not.toContain(0);
    expect(w.find('[data-testid="certificate-row"][data-holder="EMPRESA 7000 LTDA"]').exists()).toBe(true);
  });

  it('one tab stop; End, arrows and Enter work from the keyboard', async () => {
    const list = rows(COUNT);
    const w = render(list);
    const tabStops = () => w.findAll('[data-testid="certificate-row"][tabindex="0"]');
    expect(tabStops()).toHaveLength(1);
    await tabStops()[0]!.trigger('keydown', { key: 'End' });
    await new Promise((r) => setTimeout(r));
    expect(tabStops()).toHaveLength(1);
    expect(tabStops()[0]!.attributes('aria-rowindex')).toBe(String(COUNT + 1));
    expect(document.activeElement?.getAttribute('data-holder')).toBe(`EMPRESA ${COUNT - 1} LTDA`);
    await tabStops()[0]!.trigger('keydown', { key: 'ArrowUp' });
    await new Promise((r) => setTimeout(r));
    expect(tabStops()[0]!.attributes('data-holder')).toBe(`EMPRESA ${COUNT - 2} LTDA`);
    await tabStops()[0]!.trigger('keydown', { key: 'Enter' });
    expect(w.emitted('open')).toEqual([[list[COUNT - 2]!.id]]);
  });

  it('a new (filtered) list starts at the top', async () => {
    const list = rows(COUNT);
    const w = render(list);
    const body = w.get('.body');
    (body.element as HTMLElement).scrollTop = 5_000 * 52;
    await body.trigger('scroll');
    await w.setProps({ rows: list.slice(100) });
    expect(shownIndexes(w)[0]).toBe(0);
    expect(w.get('[data-testid="certificate-row"]').attributes('data-holder')).toBe('EMPRESA 100 LTDA');
  });

  it('an empty result says so instead of an empty grid', () => {
    const w = render([]);
    expect(w.get('[data-testid="no-match"]').text()).toBe('Nenhum certificado corresponde aos filtros.');
  });
});

describe('the search rule over the same 10,000 rows', () => {
  const list = rows(COUNT);
  const index = indexRows(list);
  const query = (search: string, extra: Partial<Parameters<typeof filterRows>[1]> = {}) =>
    filterRows(index, { search, status: null, branch: null, sort: 'expiry', ...extra });

  it('matches the holder or the file name, any case, and keeps the chosen order', () => {
    const found = query('empresa 999');
    // EMPRESA 999 LTDA and EMPRESA 9990…9999 LTDA; the file names add nothing new.
    expect(found.map((r) => r.certificate.holderName).sort()).toEqual(
      ['EMPRESA 999 LTDA', ...Array.from({ length: 10 }, (_, i) => `EMPRESA 999${i} LTDA`)].sort(),
    );
    // Expiry order: the latest-numbered row expires first.
    expect(found[0]!.certificate.holderName).toBe('EMPRESA 9999 LTDA');
    expect(query('EMPRESA-42.PFX').map((r) => r.fileName)).toEqual(['empresa-42.pfx']);
  });

  it('matches CNPJ digits typed with or without punctuation, and filters by branch', () => {
    expect(query('11.222.333/0001-81')).toHaveLength(COUNT);
    expect(query('99.999')).toHaveLength(0);
    expect(query('', { branch: '0002' })).toHaveLength(COUNT / 2);
  });

  it('sorts by name with the Portuguese collation when asked', () => {
    const byName = query('', { sort: 'holder' })
      .slice(0, 3)
      .map((r) => r.certificate.holderName);
    expect(byName).toEqual(['EMPRESA 0 LTDA', 'EMPRESA 1 LTDA', 'EMPRESA 10 LTDA']);
  });
});
