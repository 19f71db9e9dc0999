/**
 * The SEFAZ and proxy channels of the handler table: a check goes to the environment's backend — this
 * computer for the embedded workspace (embedded-checks.ts), the service for a cloud environment,
 * which holds the file and its password and keeps the result per tenant.
 */
import { join } from 'node:path';
import type { HandlerTable } from '@certdesk/shared/contract';
import type { SecretStore } from '@certdesk/core/secret-store';
import { SefazCheckPlanner } from '@certdesk/core/sefaz/check-planner';
import type { ProxyOption } from '@certdesk/core/sefaz/proxy';
import { SefazStatusClient } from '@certdesk/core/sefaz/status-client';
import type { ConnectOverride } from '@certdesk/core/sefaz/transport';
import type { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import type { BackendRouter } from '../backend-router';
import { CheckResults } from './check-results';
import { EmbeddedSefazChecks } from './embedded-checks';
import { openCheckCredentials } from './open-credentials';
import { ProxySettings } from './proxy-settings';

/**
 * Where the checks connect, for tests and demos only (the suite's own browser-mode entry, pointing at
 * the SEFAZ stand-in): the product's entries never pass it, so a check always reaches the table's
 * real addresses and trusts only the shipped and system roots.
 */
export interface SefazTestTransport {
  connectOverride?: ConnectOverride;
  extraTrustAnchors?: readonly string[];
}

export interface SefazHandlersOptions {
  dataDir: string;
  keychain: SecretStore;
  workspace: WorkspaceService;
  backends: BackendRouter;
  now: () => Date;
  testTransport?: SefazTestTransport;
  /** Where `environment` proxies come from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

type SefazChannels = 'sefaz:check' | 'sefaz:lastCheck' | 'sefaz:summaries' | 'proxy:get' | 'proxy:save';

export async function sefazHandlers(options: SefazHandlersOptions): Promise<Pick<HandlerTable, SefazChannels>> {
  const proxy = await ProxySettings.open(options.dataDir, options.keychain, options.env);
  let route: ProxyOption = await proxy.option();
  const client = new SefazStatusClient({
    proxy: () => route,
    env: options.env,
    now: options.now,
    connectOverride: options.testTransport?.connectOverride,
    extraTrustAnchors: options.testTransport?.extraTrustAnchors,
  });
  // One planner for the app's life: calls under way are shared, answers kept (also read back from disk).
  const planner = new SefazCheckPlanner(client, { now: () => options.now().getTime() });
  const embedded = new EmbeddedSefazChecks({
    workspace: options.workspace,
    results: new CheckResults(join(options.dataDir, 'sefaz-checks')),
    planner,
    open: openCheckCredentials,
    now: options.now,
    beforeCheck: async () => {
      route = await proxy.option();
    },
  });
  const cloud = (environment: Parameters<BackendRouter['cloud']>[0]) => options.backends.cloud(environment);
  return {
    'sefaz:check': ({ environment, certificateId, password }) =>
      cloud(environment)?.checkSefaz(environment, certificateId) ?? embedded.check(environment, certificateId, password),
    'sefaz:lastCheck': ({ environment, certificateId }) =>
      cloud(environment)?.sefazCheck(environment, certificateId) ?? embedded.lastCheck(environment, certificateId),
    'sefaz:summaries': async ({ environment }) => ({
      items: await (cloud(environment)?.sefazSummaries(environment) ?? embedded.summaries(environment)),
    }),
    'proxy:get': () => proxy.view(),
    'proxy:save': (request) => proxy.save(request),
  };
}
