/** Page object for Certificados: setup, list, add / edit wizard, delete. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Environment } from '@certdesk/shared/contract';
import { PASSWORD } from '../../fixtures';
import { AppPage } from './app-page';
import { clickSteady, untilSteady } from './steady';

/** The wizard's steps after the password, in order, by the test id each one shows. */
const STEPS = ['wizard-branches', 'wizard-modules', 'wizard-review'] as const;

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
    await clickSteady(this.page.getByTestId('setup-example'));
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

  /** Every Naive UI dialog on screen (the Produção question, a delete confirmation, the discard question…). */
  get dialogs(): Locator {
    return this.page.locator('.n-dialog');
  }

  /**
   * The Produção question is on screen, alone (it must be, in Produção): answer it once it holds
   * still, and see it gone before going on (a click during its entrance could be lost, and the
   * next step would act under it).
   */
  async confirmProduction(): Promise<void> {
    await this.answerProduction('confirm-production');
  }

  /** Decline the Produção question (nothing changes), as `confirmProduction` does. */
  async cancelProduction(): Promise<void> {
    await this.answerProduction('cancel-production');
  }

  private async answerProduction(button: 'confirm-production' | 'cancel-production'): Promise<void> {
    await expect(this.page.getByTestId(button)).toHaveCount(1);
    await expect(this.dialogs).toHaveCount(1);
    await clickSteady(this.page.getByTestId(button));
    await expect(this.dialogs).toHaveCount(0);
  }

  /**
   * The wizard's first step is open: pick `path` and type its password. Answers once the wizard has
   * judged the file: the branches step, or the reason it stops (a duplicate, an expired file…).
   */
  async chooseFile(path: string, password: string): Promise<void> {
    await expect(this.page.getByTestId('wizard-file')).toBeVisible();
    await this.page.getByTestId('wizard-file-input').setInputFiles(path);
    const input = this.page.getByTestId('wizard-password-input');
    await expect(input).toBeFocused();
    await input.fill(password);
    await input.press('Enter');
    await expect(this.page.getByTestId('wizard-branches').or(this.page.getByTestId('wizard-stop'))).toBeVisible();
  }

  /** Pick `code` in the branch picker and add it; the branch is then listed as chosen. */
  async addBranch(code: string): Promise<void> {
    await clickSteady(this.page.getByTestId('branch-select'));
    const menu = this.page.locator('.branch-menu');
    await clickSteady(menu.locator('.n-base-select-option').filter({ hasText: new RegExp(`^${code} ·`) }));
    await expect(menu).toBeHidden();
    await clickSteady(this.page.getByTestId('add-branch'));
    await expect(this.page.getByTestId('chosen-branch').filter({ hasText: new RegExp(`^\\s*${code} ·`) })).toHaveCount(1);
  }

  /** "Próximo", and the next step is on screen (branches → modules → review). */
  async next(): Promise<void> {
    const shown = await Promise.all(STEPS.map((step) => this.page.getByTestId(step).count()));
    const at = shown.findIndex((count) => count > 0);
    expect(at, 'the wizard is on the branches or the modules step').toBeGreaterThanOrEqual(0);
    expect(at, 'the wizard is on the branches or the modules step').toBeLessThan(STEPS.length - 1);
    await clickSteady(this.page.getByTestId('wizard-next'));
    await expect(this.page.getByTestId(STEPS[at + 1]!)).toBeVisible();
  }

  /** "Instalar" / "Aplicar" on the review step; in Produção the question must come, and is confirmed. */
  async submit(options: { production: boolean }): Promise<void> {
    await clickSteady(this.page.getByTestId('wizard-submit'));
    if (options.production) await this.confirmProduction();
    await expect(this.page.getByTestId('wizard-result')).toBeVisible();
    if (!options.production) await expect(this.page.getByTestId('confirm-production')).toHaveCount(0);
  }

  /** "Fechar" on the result; the wizard is gone. */
  async closeWizard(): Promise<void> {
    await clickSteady(this.page.getByTestId('wizard-close'));
    await expect(this.page.getByTestId('wizard')).toHaveCount(0);
  }

  /**
   * The whole add wizard with the modules each branch brings by default. `production`: whether the
   * Produção confirmation must appear (true) or must not (false).
   */
  async install(file: string, password: string, branches: string[], options: { production: boolean; manual?: boolean }): Promise<void> {
    await clickSteady(this.page.getByTestId('add-certificate'));
    await this.chooseFile(file, password);
    for (const code of branches) await this.addBranch(code);
    await this.next();
    await this.next();
    if (options.manual) {
      const manual = this.page.getByTestId('register-manual');
      await clickSteady(manual);
      await expect(manual).toHaveClass(/n-checkbox--checked/);
    }
    await this.submit({ production: options.production });
    await this.closeWizard();
  }

  /** Open the details drawer from `holder`'s row; answers the drawer's content once it shows. */
  async openDetails(holder: string): Promise<Locator> {
    await clickSteady(this.row(holder).getByTestId('row-details'));
    const details = this.page.getByTestId('installed-details');
    await untilSteady(details);
    return details;
  }
}
