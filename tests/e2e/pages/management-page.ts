/** Page object for Certificados: setup, list, add / edit wizard, delete. */
import { expect, type Locator, type Page } from '@playwright/test';

export class ManagementPage {
  constructor(readonly page: Page) {}

  row(holder: string): Locator {
    return this.page.locator(`[data-testid="certificate-row"][data-holder="${holder}"]`);
  }

  async setupExampleIfNeeded(): Promise<void> {
    const setup = this.page.getByTestId('workspace-setup');
    const list = this.page.getByTestId('add-certificate');
    await expect(setup.or(list)).toBeVisible();
    if (await setup.isVisible()) await this.page.getByTestId('setup-example').click();
    await expect(list).toBeVisible();
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
    await this.page.locator('.n-base-select-option').filter({ hasText: new RegExp(`^${code} ·`) }).click();
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
}
