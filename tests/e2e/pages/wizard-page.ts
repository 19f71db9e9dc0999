/** Page object for the add wizard's finer points: summary, discard question, branch picker, dialogs. */
import { expect, type Locator, type Page } from '@playwright/test';
import { PASSWORD } from '../../fixtures';
import { ManagementPage } from './management-page';
import { clickSteady, untilSteady } from './steady';

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
    return this.m.dialogs;
  }

  /** Open the add wizard and get past the password with `file`. */
  async openWith(file: string): Promise<void> {
    await clickSteady(this.page.getByTestId('add-certificate'));
    await this.m.chooseFile(file, PASSWORD);
    await expect(this.page.getByTestId('wizard-branches')).toBeVisible();
  }

  /** The branch picker open and done opening, answering its options. */
  async openPicker(): Promise<Locator> {
    await clickSteady(this.page.getByTestId('branch-select'));
    const options = this.page.locator('.branch-menu .n-base-select-option');
    await untilSteady(options.first());
    return options;
  }

  async closePicker(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await expect(this.page.locator('.branch-menu')).toBeHidden();
  }

  /**
   * Escape or ✕ on a started wizard asks before discarding; answer `discard` (the wizard closes) or
   * keep it (the wizard stays as it was). Either way the question is gone after.
   */
  async answerDiscard(answer: 'discard' | 'keep'): Promise<void> {
    await expect(this.page.getByTestId('confirm-discard')).toHaveCount(1);
    await expect(this.dialogs).toHaveCount(1);
    await clickSteady(this.page.getByTestId(answer === 'discard' ? 'confirm-discard' : 'keep-wizard'));
    await expect(this.dialogs).toHaveCount(0);
    if (answer === 'discard') await expect(this.wizard).toHaveCount(0);
    else await expect(this.wizard).toBeVisible();
  }
}
