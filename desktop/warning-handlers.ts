/**
 * The warnings channels: an embedded environment's settings and log live on this computer
 * (packages/core/warnings/embedded-warnings.ts); a cloud environment's are its tenant's, in CertDesk Cloud.
 */
import type { HandlerTable } from '@certdesk/shared/contract';
import type { EmbeddedWarnings } from '@certdesk/core/warnings/embedded-warnings';
import type { BackendRouter } from './backend-router';

type WarningChannels = 'warnings:getSettings' | 'warnings:saveSettings' | 'warnings:test' | 'warnings:deliveries';

export function warningHandlers(warnings: EmbeddedWarnings, backends: BackendRouter): Pick<HandlerTable, WarningChannels> {
  return {
    'warnings:getSettings': ({ environment }) => backends.cloud(environment)?.warningSettings() ?? warnings.view(environment),
    'warnings:saveSettings': ({ environment, ...update }) =>
      backends.cloud(environment)?.saveWarningSettings(update) ?? warnings.save(environment, update),
    'warnings:test': async ({ environment }) => ({
      deliveries: (await backends.cloud(environment)?.testWarnings(environment)) ?? (await warnings.test(environment)),
    }),
    'warnings:deliveries': ({ environment, limit }) =>
      backends.cloud(environment)?.warningDeliveries(limit) ?? warnings.deliveries(environment, limit),
  };
}
