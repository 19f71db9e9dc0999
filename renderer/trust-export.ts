/**
 * The bulk inspector's CSV columns for chain and revocation (beside inspection-export.ts's): codes
 * and ISO UTC times, as the JSON export and `certdesk inspect --json` give them, so a spreadsheet
 * sorts and filters them; the path and the reason are the words a reader needs.
 */
import type { TrustReport } from '@certdesk/shared/trust';

export const TRUST_CSV_COLUMNS = [
  'cadeia',
  'cadeia_situacao',
  'revogacao',
  'revogacao_codigo',
  'revogado_em',
  'revogacao_motivo',
  'revogacao_fonte',
  'revogacao_fonte_endereco',
  'revogacao_fonte_data',
  'revogacao_verificada_em',
  'revogacao_consultou_rede',
] as const;

const REVOCATION_WORDS = { good: 'não revogado', revoked: 'revogado', unknown: 'não verificado' } as const;

/** One row's values, in TRUST_CSV_COLUMNS' order (all empty for a file without a verdict). */
export function trustCsvValues(trust: TrustReport | null | undefined): (string | null)[] {
  if (!trust) return TRUST_CSV_COLUMNS.map(() => null);
  const { chain, revocation: r } = trust;
  const answer = r.source === 'ocsp' ? r.ocsp : r.crl;
  return [
    chain.path,
    chain.status,
    REVOCATION_WORDS[r.status],
    r.code,
    r.revokedAt,
    r.reason,
    r.source === 'ocsp' ? 'OCSP' : r.crl ? 'LCR' : null,
    answer?.url ?? null,
    r.ocsp && r.source === 'ocsp' ? r.ocsp.producedAt : (r.crl?.thisUpdate ?? null),
    r.checkedAt,
    trust.online ? 'sim' : 'não',
  ];
}
