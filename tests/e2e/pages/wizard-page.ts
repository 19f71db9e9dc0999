/** Page object for the add wizard's finer points: summary, discard question, branch picker, dialogs. */
import { expect, type Locator, type Page } from '@playwright/test';
import { PASSWORD } from '../../fixtures';
import { ManagementPage } from './management-page';

export class WizardPage {
  readonly m: ManagementPage;

  constructor(readonly page: Page) {
    this.m = new ManagementPage(page);
  }

  get wizard(): Locator {
    return this.page.getByTestId('wizard');
  }

  /** Every Naive UI dialog on screen now (the Produção question, a delete confirmation…). */
  get dialogs(): Locator {
    return this.page.locator('.n-dialog');
  }

  /** Open the add wizard and get past the password with `file`. */
  async openWith(file: string): Promise<void> {
    await this.page.getByTestId('add-certificate').click();
    await this.m.chooseFile(file, PASSWORD);
    await expect(this.page.getByTestId('wizard-branches')).toBeVisible();
  }

  /** The branch picker open, answering its options. */
  async openPicker(): Promise<Locator> {
    await this.page.getByTestId('branch-select').click();
    const options = this.page.locator('.branch-menu .n-base-select-option');
    await expect(options.first()).toBeVisible();
    return options;
  }

  async closePicker(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await expect(this.page.locator('.branch-menu')).toBeHidden();
  }

  /** Exactly one Produção question appears; confirm it and check none is left behind. */
  async confirmProductionOnce(): Promise<void> {
    await expect(this.page.getByTestId('confirm-production')).toHaveCount(1);
    await expect(this.dialogs).toHaveCount(1);
    await this.page.getByTestId('confirm-production').click();
    await expect(this.page.getByTestId('confirm-production')).toHaveCount(0);
  }
}
