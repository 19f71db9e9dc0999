/**
 * The contract's warnings operations (packages/core/cloud-api/openapi.json, 1.7.0): a tenant's
 * recipients, SMTP server and webhooks (secrets only ever sent in, never answered), a test message,
 * and the delivery log. Reading is for every user of the tenant; changing and testing for administrators.
 */
import type { Environment } from '@certdesk/shared/environment';
import type { WarningSettingsUpdate } from '@certdesk/shared/warning-settings';
import type { TenantWarningSettings } from '../warnings/tenant-warning-settings';
import type { WarningJob } from '../warnings/warning-job';
import { deliveryLog } from '../warnings/tenant-warning-store';
import type { OperationTable } from './operations';

export function warningOperations(warnings: { settings: TenantWarningSettings; job: WarningJob }): OperationTable {
  return {
    getWarningSettings: { admin: false, run: async (r) => [200, await warnings.settings.view(r.caller.tenantId)] },
    saveWarningSettings: {
      admin: true,
      run: async (r) => [200, await warnings.settings.save(r.caller.tenantId, r.body as WarningSettingsUpdate)],
    },
    testWarnings: {
      admin: true,
      run: async (r) => [200, { deliveries: await warnings.job.test(r.caller.tenantId, r.params['environment'] as Environment) }],
    },
    listWarningDeliveries: {
      admin: false,
      run: async (r) => [200, await deliveryLog(warningsDb(warnings), r.caller.tenantId, Number(r.query['limit'] ?? 100))],
    },
  };
}

const warningsDb = (warnings: { settings: TenantWarningSettings }) => warnings.settings.database;
