import { normalizeDocument } from './tax-ids';
import type { CertificateRow } from './certificate-row';
import type { InstalledStatus } from './workspace';

export type SortKey = 'expiry' | 'holder';

interface Entry {
  row: CertificateRow;
  /** Holder name and file name, lowercase, prepared once per list. */
  text: string;
  /** CNPJ or CPF, normalized as stored. */
  doc: string;
}

/** A list prepared for searching: each row's search text, and each sort order computed on first use. */
export interface SearchIndex {
  order(sort: SortKey): Entry[];
}

/** ISO dates sort as text; a plain comparison (not localeCompare) keeps 10,000 of them cheap. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const collator = new Intl.Collator('pt-BR');

/**
 * What a search keystroke needs, computed once per list rather than per keystroke: filtering an
 * already sorted list keeps its order, so a keystroke is one pass of `includes` and no sort. The
 * name order (a collator over 10,000 names) is only built when asked for.
 */
export function indexRows(rows: CertificateRow[], branchName: (code: string) => string | undefined = () => undefined): SearchIndex {
  // The branches a certificate serves are searched too ("Matriz", "0002"): an administrator looks a
  // certificate up by the branch that uses it as often as by its holder.
  const branchText = (row: CertificateRow) =>
    [...new Set(row.links.map((l) => l.branch))].map((code) => `${code} ${branchName(code) ?? ''}`).join('\n');
  const entries = rows.map((row) => ({
    row,
    text: `${row.certificate.holderName}\n${row.fileName}\n${branchText(row)}`.toLowerCase(),
    doc: row.certificate.cnpj ?? row.certificate.cpf ?? '',
  }));
  const orders: Partial<Record<SortKey, Entry[]>> = {};
  const sorters: Record<SortKey, (a: Entry, b: Entry) => number> = {
    expiry: (a, b) => compareText(a.row.certificate.notAfter, b.row.certificate.notAfter),
    holder: (a, b) => collator.compare(a.row.certificate.holderName, b.row.certificate.holderName),
  };
  return { order: (sort) => (orders[sort] ??= [...entries].sort(sorters[sort])) };
}

export interface ListQuery {
  search: string;
  status: InstalledStatus | null;
  branch: string | null;
  sort: SortKey;
  /** Only the certificates a revocation check found revoked. */
  revoked?: boolean;
}

/** The rows matching the search (name, file name or CNPJ/CPF digits), status and branch, in order. */
export function filterRows(index: SearchIndex, query: ListQuery): CertificateRow[] {
  const text = query.search.trim().toLowerCase();
  const digits = normalizeDocument(query.search);
  const rows: CertificateRow[] = [];
  for (const { row, text: haystack, doc } of index.order(query.sort)) {
    if (query.status && row.status !== query.status) continue;
    if (query.branch && !row.links.some((l) => l.branch === query.branch)) continue;
    if (query.revoked && !row.revoked) continue;
    if (text && !haystack.includes(text) && !(digits.length > 0 && doc.includes(digits))) continue;
    rows.push(row);
  }
  return rows;
}
