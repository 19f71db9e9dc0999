import type { Environment } from '@certdesk/shared/contract';

/** An environment as the core's Portuguese messages name it (the renderer has its own, translated). */
export const environmentName = (e: Environment): string => (e === 'producao' ? 'Produção' : 'Homologação');
