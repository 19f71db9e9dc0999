/**
 * Workspaces for the SEFAZ check tests (unit and end-to-end): branches whose CNPJ root is a SEFAZ
 * stand-in client certificate's (tests/fixtures/sefaz/clientes.json), so the certificate can serve
 * them, in states served by different authorizers — SP (its own), RS (its own for NF-e, SVRS for
 * CT-e) and MA (SVAN for NF-e, SVRS for CT-e).
 */
import { isValidCnpj } from '../packages/shared/tax-ids';
import type { BranchWithState, ModuleDef } from '../packages/shared/workspace';

export const SEFAZ_PASSWORD = 'SenhaTeste123';

/** A valid CNPJ of `root` (8 characters) and branch `order`: the check digits found by trying the hundred there are. */
export function branchCnpj(root: string, order: number): string {
  const body = `${root}${String(order).padStart(4, '0')}`;
  const digits = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0')).find((d) => isValidCnpj(body + d));
  return body + digits!;
}

export const SEFAZ_MODULES: ModuleDef[] = [
  { id: 'faturamento', name: 'Faturamento', licensed: true },
  { id: 'recebimento-cte', name: 'Recebimento CT-e', licensed: true },
  { id: 'recebimento-nfe', name: 'Recebimento NF-e', licensed: true },
];

/** Three branches of the company whose root is `root`: São Paulo, Porto Alegre (RS) and São Luís (MA). */
export function threeStates(root: string, prefix = ''): BranchWithState[] {
  return [
    { code: `${prefix}SP`, name: 'Matriz São Paulo', cnpj: branchCnpj(root, 1), modules: ['faturamento', 'recebimento-cte'], uf: 'SP' },
    { code: `${prefix}RS`, name: 'Filial Porto Alegre', cnpj: branchCnpj(root, 2), modules: ['faturamento', 'recebimento-cte'], uf: 'RS' },
    { code: `${prefix}MA`, name: 'Filial São Luís', cnpj: branchCnpj(root, 3), modules: ['faturamento', 'recebimento-nfe'], uf: 'MA' },
  ];
}

/**
 * Where each of those is asked in homologação, written out from the service table
 * (packages/core/sefaz/sefaz-services.json, read from sped-nfe and sped-cte) so a test notices a
 * check that goes anywhere else: authorizer, status-service address, the state's cUF.
 */
export const EXPECTED_CALLS = {
  'SP nfe': { authorizer: 'SP', url: 'https://homologacao.nfe.fazenda.sp.gov.br/ws/nfestatusservico4.asmx', cUF: 35 },
  'SP cte': { authorizer: 'SP', url: 'https://homologacao.nfe.fazenda.sp.gov.br/CTeWS/WS/CTeStatusServicoV4.asmx', cUF: 35 },
  'RS nfe': { authorizer: 'RS', url: 'https://nfe-homologacao.sefazrs.rs.gov.br/ws/NfeStatusServico/NfeStatusServico4.asmx', cUF: 43 },
  'RS cte': { authorizer: 'RS', url: 'https://cte-homologacao.svrs.rs.gov.br/ws/CTeStatusServicoV4/CTeStatusServicoV4.asmx', cUF: 43 },
  'MA nfe': { authorizer: 'SVAN', url: 'https://hom.sefazvirtual.fazenda.gov.br/NFeStatusServico4/NFeStatusServico4.asmx', cUF: 21 },
} as const;

/** The host and path of an address, as the stand-in records a call. */
export const hostAndPath = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.hostname}${parsed.pathname}`;
};
