/**
 * Page object for the SEFAZ checks: the stand-in SEFAZ (and a CONNECT proxy in front of it) started
 * by the spec on free ports, the browser mode's and CertDesk Cloud's test hook that points their
 * checks at it, seeding a workspace of branches in SP, RS and MA, and the screens' elements.
 */
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import type { Environment } from '@certdesk/shared/contract';
import type { BranchWithState } from '@certdesk/shared/workspace';
import { startConnectProxy, type ConnectProxy } from '../../../stand-ins/connect-proxy';
import { startSefazStandin, type SefazStandin } from '../../../stand-ins/sefaz-server';
import { FIXTURES } from '../../fixtures';
import { SEFAZ_MODULES, SEFAZ_PASSWORD } from '../../sefaz-branches';
import { AppPage } from './app-page';
import { cloudServer } from './cloud-page';

export const clientPfx = (name: string) => `${FIXTURES}/sefaz/clientes/${name}.pfx`;

/** The SEFAZ stand-in and a proxy that asks for `ana` / `s3nh@` and tunnels to it, for one spec file. */
export async function startSefaz(): Promise<{ standin: SefazStandin; proxy: ConnectProxy }> {
  const standin = await startSefazStandin();
  const proxy = await startConnectProxy({
    route: () => ({ host: '127.0.0.1', port: standin.port }),
    credentials: { user: 'ana', password: 's3nh@' },
  });
  return { standin, proxy };
}

export class SefazPage {
  private readonly app: AppPage;

  constructor(readonly page: Page) {
    this.app = new AppPage(page);
  }

  /** The browser mode's core sends its checks to `standin` and trusts its root (the suite's own entry only). */
  async pointAt(standin: SefazStandin): Promise<void> {
    await this.app.bridge('/test/sefaz', { connectTo: `127.0.0.1:${standin.port}`, rootPem: standin.rootPem });
  }

  /** CertDesk Cloud sends its checks to `standin` (its suite entry's hook). */
  static async pointCloudAt(request: APIRequestContext, standin: SefazStandin): Promise<void> {
    const response = await request.post(`${cloudServer()}/test/sefaz`, {
      data: { connectTo: `127.0.0.1:${standin.port}`, rootPem: standin.rootPem },
    });
    expect(response.status(), 'CertDesk Cloud points its checks at the stand-in').toBe(204);
  }

  /** Guided setup through the core (environment `environment`) with `branches` and the three modules. */
  async seedWorkspace(branches: BranchWithState[], environment: Environment = 'homologacao'): Promise<void> {
    await this.app.rpc('workspace:setup', { environment, kind: 'guided', branches, modules: SEFAZ_MODULES });
  }

  /** Install a stand-in client certificate on `branches` with their parametrized modules; answers its id. */
  async seedInstall(file: string, branches: BranchWithState[], environment: Environment = 'homologacao'): Promise<string> {
    const installed = await this.app.rpc('certificates:install', {
      environment,
      path: clientPfx(file),
      password: SEFAZ_PASSWORD,
      selection: branches.map((b) => ({ branch: b.code, modules: b.modules })),
    });
    expect(
      installed.results.every((r) => r.installed),
      `${file} serves its branches`,
    ).toBe(true);
    return installed.certificate.id;
  }

  badge(holder: string): Locator {
    return this.page.locator(`[data-testid="certificate-row"][data-holder="${holder}"]`).getByTestId('sefaz-badge');
  }

  /** The details' row of one branch and module. */
  linkRow(branch: string, module: string): Locator {
    return this.page.locator(`[data-testid="sefaz-row"][data-branch="${branch}"][data-module="${module}"]`);
  }

  async openDetails(holder: string): Promise<void> {
    await this.page.locator(`[data-testid="certificate-row"][data-holder="${holder}"]`).getByTestId('row-details').click();
    await expect(this.page.getByTestId('sefaz-panel')).toBeVisible();
  }

  async closeDetails(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await expect(this.page.getByTestId('installed-details')).toHaveCount(0);
  }
}
