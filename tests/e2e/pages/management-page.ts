/** Page object for Certificados: setup, list, add / edit wizard, delete. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Environment } from '@certdesk/shared/contract';
import { PASSWORD } from '../../fixtures';
import { AppPage } from './app-page';

export class ManagementPage {
  private readonly app: AppPage;

  constructor(readonly page: Page) {
    this.app = new AppPage(page);
  }

  row(holder: string): Locator {
    return this.page.locator(`[data-testid="certificate-row"][data-holder="${holder}"]`);
  }

  /**
   * The first-run screen is showing (this test starts from nothing): choose the example workspace.
   * `production`: the Produção confirmation must appear (and is accepted), or must not.
   */
  async setupExample(options: { production: boolean }): Promise<void> {
    await expect(this.page.getByTestId('workspace-setup')).toBeVisible();
    await this.page.getByTestId('setup-example').click();
    if (options.production) await this.confirmProduction();
    await expect(this.page.getByTestId('add-certificate')).toBeVisible();
    if (!options.production) await expect(this.page.getByTestId('confirm-production')).toHaveCount(0);
  }

  /** Seed through the bridge, for tests about something else: the example workspace of `environment`. */
  async seedExampleWorkspace(environment: Environment = 'producao'): Promise<void> {
    const status = await this.app.rpc('workspace:setup', { environment, kind: 'example' });
    expect(status.ready, `the ${environment} workspace is set up`).toBe(true);
  }

  /**
   * Seed through the bridge: install `file` (a fixture path on this machine) on `branches`, each with
   * the modules parametrized there (what the wizard offers) unless `modules` says otherwise. Answers
   * the certificate's id.
   */
  async seedInstall(
    file: string,
    branches: string[],
    options: { environment?: Environment; modules?: Record<string, string[]> } = {},
  ): Promise<string> {
    const environment = options.environment ?? 'producao';
    const workspace = await this.app.rpc('workspace:status', { environment });
    const parametrized = (code: string) => workspace.branches.find((b) => b.code === code)?.modules ?? [];
    const selection = branches.map((branch) => ({ branch, modules: options.modules?.[branch] ?? parametrized(branch) }));
    const installed = await this.app.rpc('certificates:install', {
      environment,
      path: file,
      password: PASSWORD,
      selection,
    });
    if (branches.length)
      expect(
        installed.results.some((r) => r.installed),
        `${file} is installed on ${branches.join(', ')}`,
      ).toBe(true);
    return installed.certificate.id;
  }

  /** Confirm the Produção dialog when it appears (it must, in Produção). */
  async confirmProduction(): Promise<void> {
    await this.page.getByTestId('confirm-production').click();
  }

  async chooseFile(path: string, password: string): Promise<void> {
    await this.page.getByTestId('wizard-file-input').setInputFiles(path);
    const input = this.page.getByTestId('wizard-password-input');
    await expect(input).toBeFocused();
    await input.fill(password);
    await input.press('Enter');
  }

  async addBranch(code: string): Promise<void> {
    await this.page.getByTestId('branch-select').click();
    await this.page
      .locator('.n-base-select-option')
      .filter({ hasText: new RegExp(`^${code} ·`) })
      .click();
    await this.page.getByTestId('add-branch').click();
  }

  async next(): Promise<void> {
    await this.page.getByTestId('wizard-next').click();
  }

  /**
   * The whole add wizard with the modules each branch brings by default. `production`: whether the
   * Produção confirmation must appear (true) or must not (false).
   */
  async install(file: string, password: string, branches: string[], options: { production: boolean; manual?: boolean }): Promise<void> {
    await this.page.getByTestId('add-certificate').click();
    await this.chooseFile(file, password);
    for (const code of branches) await this.addBranch(code);
    await this.next();
    await this.next();
    if (options.manual) await this.page.getByTestId('register-manual').click();
    await this.page.getByTestId('wizard-submit').click();
    if (options.production) await this.confirmProduction();
    await expect(this.page.getByTestId('wizard-result')).toBeVisible();
    if (!options.production) await expect(this.page.getByTestId('confirm-production')).toHaveCount(0);
    await this.page.getByTestId('wizard-close').click();
    await expect(this.page.getByTestId('wizard')).toBeHidden();
  }

  /** Open the details drawer from `holder`'s row; answers the drawer's content once it shows. */
  async openDetails(holder: string): Promise<Locator> {
    await this.row(holder).getByTestId('row-details').click();
    const details = this.page.getByTestId('installed-details');
    await expect(details).toBeVisible();
    return details;
  }
}
