/**
 * The handler table: one function per contract channel, over the services. Electron's IPC and the
 * browser mode both serve exactly this table.
 */

import { ENVIRONMENTS, type AppInfo, type HandlerTable } from '@certdesk/shared/contract';
import { findPfxFiles } from '@certdesk/core/pfx/find-files';
import { PfxService } from './pfx/pfx-service';
import { RememberedPasswords } from './pfx/remembered-passwords';
import { PfxWorkerPool } from '@certdesk/core/pfx/worker-pool';
import { SettingsService } from './settings/settings-service';
import { WorkspaceService } from '@certdesk/core/workspace/workspace-service';
import { InvoicyService } from './invoicy/invoicy-service';
import { BackendRouter } from './backend-router';
import { lockDataFolder } from './data-folder-lock';
import { ensurePrivateDir } from '@certdesk/core/private-dir';
import { logLine, logToFolder } from '@certdesk/core/log';
import { preferenceResets } from './preferences';
import type { SecretStore } from './keychain';
import { EmbeddedWarnings } from '@certdesk/core/warnings/embedded-warnings';
import { WarningRunner } from './notifications/warning-runner';
import { warningHandlers } from './warning-handlers';
import { reviewSwap } from './swap-review';
import { TrustService } from '@certdesk/core/trust/trust-service';
import { InspectorTrust } from './trust/inspector-trust';
import { RevocationScheduler } from './trust/revocation-scheduler';
import { sefazHandlers, type SefazTestTransport } from './sefaz/sefaz-handlers';

export interface CoreOptions {
  dataDir: string;
  shell: AppInfo['shell'];
  version: string;
  keychain: SecretStore;
  /** Injectable clock for validity status. */
  now?: () => Date;
  /** Show a file in the system's file manager (Electron's shell); absent in browser mode. */
  showInFolder?: (file: string) => void;
  /** The background revocation recheck found certificates newly revoked (the desktop re-runs its notices). */
  onRevoked?: () => void;
  /** Tests and demos only (the suite's own entry): send SEFAZ checks to a stand-in and trust its root. */
  sefazTestTransport?: SefazTestTransport;
}

export interface Core {
  handlers: HandlerTable;
  settings: SettingsService;
  workspace: WorkspaceService;
  /** Runs what is due now (swaps, warnings) at once: the suite's clock hook calls it after moving the clock. */
  runDueWork(): Promise<void>;
  /** The background revocation recheck of the embedded environments (`turn()` runs one now). */
  revocation: RevocationScheduler;
  /** Stop the worker threads (tests, app quit). */
  close(): Promise<void>;
}

export async function createCore(options: CoreOptions): Promise<Core> {
  await ensurePrivateDir(options.dataDir);
  const logFile = logToFolder(options.dataDir);
  const unlock = await lockDataFolder(options.dataDir);
  try {
    return await assemble(options, unlock, logFile);
  } catch (error) {
    await unlock().catch(() => undefined); // the assembly failure is the one to report; a lock left behind goes stale in seconds
    throw error;
  }
}

async function assemble(options: CoreOptions, unlock: () => Promise<void>, logFile: string): Promise<Core> {
  const settings = await SettingsService.open(options.dataDir);
  const now = options.now ?? (() => new Date());
  const pool = new PfxWorkerPool();
  // The app goes to the network for revocation by default; offline, every request fails within its
  // budget and the kept answers speak (docs/DECISIONS.md, "Revocation in the product").
  const trust = new TrustService({ dataDir: options.dataDir, online: true, now });
  const inspectorTrust = new InspectorTrust(trust);
  const pfx = new PfxService(pool, await RememberedPasswords.open(options.dataDir, options.keychain), now, inspectorTrust);
  const invoicy = await InvoicyService.open(options.dataDir, options.keychain);
  const workspace = new WorkspaceService({
    dataDir: options.dataDir,
    keychain: options.keychain,
    inspect: (path, password) => pool.inspect(path, password, now()),
    now,
    trust: { open: (path, password) => pool.inspectWithCertificates(path, password, now()), evaluator: trust },
  });
  const backends = await BackendRouter.open(options.dataDir, workspace, options.keychain, now);
  const revocation = new RevocationScheduler({
    embedded: () => ENVIRONMENTS.filter((environment) => backends.info(environment).kind === 'embedded'),
    recheck: (environment) => workspace.recheckRevocation(environment),
    onRevoked: options.onRevoked,
  });
  revocation.start();
  const b = (environment: Parameters<BackendRouter['backend']>[0]) => backends.backend(environment);
  const warnings = new EmbeddedWarnings(options.dataDir, options.keychain, now);
  const runner = new WarningRunner(workspace, warnings, (environment) => backends.info(environment).kind === 'embedded', now);
  runner.start();
  const sefaz = await sefazHandlers({
    dataDir: options.dataDir,
    keychain: options.keychain,
    workspace,
    backends,
    now,
    openCredentials: (pfx, password, at) => pool.tlsCredentials(pfx, password, at),
    testTransport: options.sefazTestTransport,
  });

  const handlers: HandlerTable = {
    'app:info': async () => ({
      name: 'CertDesk',
      version: options.version,
      platform: process.platform,
      shell: options.shell,
      dataDir: options.dataDir,
      logFile,
      now: now().toISOString(),
      preferenceResets: preferenceResets(options.dataDir),
    }),
    'app:logError': async ({ source, code, kind }) => {
      logLine(`[renderer] ${source} error: ${code} (${kind})`);
      return null;
    },
    'settings:get': async () => settings.get(),
    'settings:update': async (patch) => settings.update(patch),
    'pfx:inspect': (request) => pfx.open(request),
    'pfx:forget': async ({ sha256 }) => {
      await pfx.forget(sha256);
      return null;
    },
    'pfx:listFolder': ({ path }) => findPfxFiles(path),
    'trust:check': ({ sha256 }) => inspectorTrust.check(sha256),
    // Management calls go to the environment's backend: the embedded workspace or the cloud.
    'workspace:status': ({ environment }) => backends.status(environment),
    'workspace:setup': ({ environment, ...request }) => b(environment).setup(environment, request),
    'workspace:saveBranch': ({ environment, branch, previousCode }) => b(environment).saveBranch(environment, branch, previousCode),
    'workspace:deleteBranch': ({ environment, code }) => b(environment).deleteBranch(environment, code),
    'workspace:saveModules': ({ environment, modules }) => b(environment).saveModules(environment, modules),
    // The list sends rows, not full certificates (about 14 MB at 10,000): the drawer uses `get`.
    'certificates:list': ({ environment }) => backends.list(environment),
    'certificates:get': ({ environment, id }) => b(environment).get(environment, id),
    'certificates:install': ({ environment, ...request }) => b(environment).install(environment, request),
    'certificates:edit': ({ environment, id, selection }) => b(environment).edit(environment, id, selection),
    'certificates:delete': ({ environment, id }) => b(environment).remove(environment, id),
    'history:list': ({ environment, ...query }) => b(environment).history(environment, query),
    'certificates:previewSwap': async (request) =>
      reviewSwap(
        b(request.environment),
        await backends.status(request.environment),
        { open: (path, password) => pool.inspectWithCertificates(path, password, now()), evaluator: trust },
        request,
        now(),
      ),
    'certificates:swap': ({ environment, id, ...request }) => b(environment).swap(environment, id, request),
    'swaps:list': ({ environment }) => b(environment).swaps(environment),
    'swaps:cancel': ({ environment, id }) => b(environment).cancelSwap(environment, id),
    'swaps:undo': ({ environment, id }) => b(environment).undoSwap(environment, id),
    ...warningHandlers(warnings, backends),
    'backend:get': async ({ environment }) => backends.info(environment),
    'backend:set': ({ environment, kind, url }) => backends.choose(environment, kind, url),
    'cloud:signIn': ({ environment, ...credentials }) => backends.signIn(environment, credentials),
    'cloud:signOut': ({ environment }) => backends.signOut(environment),
    'invoicy:getSettings': ({ environment }) => invoicy.settings(environment),
    'invoicy:saveSettings': ({ environment, ...patch }) => invoicy.save(environment, patch),
    'invoicy:requestPassword': ({ environment, document, password }) =>
      invoicy.call(environment, 'request-password', document, { password }),
    'invoicy:download': ({ environment, document }) => invoicy.call(environment, 'download', document),
    'invoicy:check': ({ environment, document }) => invoicy.call(environment, 'check', document),
    ...sefaz,
    'invoicy:openFolder': async ({ file }) => {
      const found = await invoicy.downloadedFile(file);
      options.showInFolder?.(found.file);
      return { opened: !!options.showInFolder, folder: found.folder };
    },
  };
  return {
    handlers,
    settings,
    workspace,
    runDueWork: () => runner.runOnce(),
    revocation,
    close: async () => {
      await runner.stop();
      revocation.stop();
      await pool.close();
      await unlock().catch(() => undefined); // already released or compromised: nothing left to free
    },
  };
}
