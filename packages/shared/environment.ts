/** The two SEFAZ environments every workspace, backend and check is kept apart by. */
export const ENVIRONMENTS = ['producao', 'homologacao'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
