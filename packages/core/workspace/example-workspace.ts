import type { Branch, ModuleDef } from '@certdesk/shared/workspace';

/**
 * The example workspace offered on first run, to explore without typing anything. Its CNPJ roots
 * match the test certificates (11.222.333 and 44.555.666), so every observation can be seen.
 */
export const EXAMPLE_MODULES: ModuleDef[] = [
  { id: 'faturamento', name: 'Faturamento', licensed: true },
  { id: 'recebimento-cte', name: 'Recebimento CT-e', licensed: true },
  { id: 'recebimento-nfe', name: 'Recebimento NF-e', licensed: true },
  { id: 'manifestacao', name: 'Manifestação do Destinatário', licensed: false },
  { id: 'nfse', name: 'NFS-e', licensed: false },
];

export const EXAMPLE_BRANCHES: Branch[] = [
  {
    code: '0001',
    name: 'Matriz São Paulo',
    cnpj: '11222333000181',
    modules: ['faturamento', 'recebimento-cte', 'recebimento-nfe'],
    uf: 'SP',
  },
  { code: '0002', name: 'Filial Campinas', cnpj: '11222333000262', modules: ['recebimento-cte'], uf: 'SP' },
  { code: '0003', name: 'Filial Curitiba', cnpj: '11222333000343', modules: ['faturamento', 'recebimento-nfe'], uf: 'PR' },
  { code: '0101', name: 'Outra Empresa — Porto Alegre', cnpj: '44555666000181', modules: ['faturamento'], uf: 'RS' },
];
