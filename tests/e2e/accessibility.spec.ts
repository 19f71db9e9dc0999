/**
 * axe-core over every screen and dialog (the swap dialog and its review, Cobertura too), in both languages: no serious or critical finding. Landmarks
 * and headings, names of controls, radio groups, what a modal leaves reachable behind it.
 */
import type { Page } from '@playwright/test';
import { PASSWORD, pfx } from '../fixtures';
import { expect as baseExpect, test } from './fixture';
import { AppPage } from './pages/app-page';
import { ManagementPage } from './pages/management-page';
import { WizardPage } from './pages/wizard-page';
import { seriousA11yFindings } from './pages/desk-checks';
import { clickSteady, untilSteady } from './pages/steady';

const expect = baseExpect.configure({ timeout: 20_000 });
const LOCALES = ['pt-BR', 'en'] as const;
// The file's tests share nothing (each starts from its own reset): the two workers may split them,
// so the longest file of the suite is not one worker's alone.
test.describe.configure({ mode: 'parallel' });

async function check(page: Page, name: string): Promise<void> {
  await new AppPage(page).settled();
  // English screens are the Portuguese ones with other words: their pass checks what words decide.
  const rules = (await page.locator('html').getAttribute('lang')) === 'en' ? 'words' : 'all';
  expect.soft(await seriousA11yFindings(page, rules), `${name}: no serious or critical axe finding`).toEqual([]);
}

for (const locale of LOCALES) {
  test.describe(locale, () => {
    test.use({ viewport: { width: 1366, height: 768 }, timezoneId: 'America/Sao_Paulo' });
    test.describe.configure({ timeout: 600_000 }); // two languages' worth of screens on a shared, loaded machine

    test('every screen and dialog has no serious accessibility finding', async ({ page }) => {
      const app = new AppPage(page);
      const m = new ManagementPage(page);
      const en = locale === 'en';
      await app.rpc('settings:update', { locale, environment: 'producao', theme: 'light' });
      await app.open('/certificados');
      await expect(page.getByTestId('workspace-setup')).toBeVisible();
      await check(page, 'first run');
      await page.getByTestId('setup-guided').click();
      await expect(page.getByTestId('setup-guided-form')).toBeVisible();
      await check(page, 'guided setup');

      await m.seedExampleWorkspace();
      await m.seedInstall(pfx('v01_default.pfx'), ['0001', '0002']);
      await m.seedInstall(pfx('v42_other_company.pfx'), ['0101']);
      await app.open('/certificados');
      await expect(m.row('OUTRA EMPRESA SA')).toHaveCount(1);
      await check(page, 'list');

      await m.row('OUTRA EMPRESA SA').getByTestId('row-details').click();
      await expect(page.getByTestId('installed-details')).toBeVisible();
      await check(page, 'details drawer');
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('installed-details')).toBeHidden();

      await m.row('OUTRA EMPRESA SA').getByTestId('row-delete').click();
      await expect(page.getByTestId('confirm-delete')).toBeVisible();
      await check(page, 'delete dialog');
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('confirm-delete')).toBeHidden();

      await m.openDetails('EMPRESA EXEMPLO LTDA');
      await clickSteady(page.getByTestId('swap-open'));
      const swap = page.getByTestId('swap-dialog');
      await untilSteady(swap);
      await check(page, 'swap dialog');
      await swap.getByTestId('swap-file-input').setInputFiles(pfx('v25_rsa4096.pfx'));
      await swap.getByTestId('swap-password').locator('input').fill(PASSWORD);
      await clickSteady(swap.getByTestId('swap-review-button'));
      await untilSteady(swap.getByTestId('swap-review'));
      await check(page, 'swap dialog: review');
      await clickSteady(swap.getByTestId('swap-cancel'));
      await expect(swap).toBeHidden();
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('installed-details')).toBeHidden();

      await page.getByTestId('add-certificate').click();
      await expect(page.getByTestId('wizard')).toBeVisible();
      await check(page, 'wizard: file');
      await m.chooseFile(pfx('v41_alnum_cnpj.pfx'), PASSWORD);
      await m.addBranch('0001');
      await check(page, 'wizard: branches');
      await m.next();
      await check(page, 'wizard: modules');
      await m.next();
      await check(page, 'wizard: review');
      await page.keyboard.press('Escape');
      await new WizardPage(page).answerDiscard('discard');

      await app.nav(en ? 'Inspect PFX' : 'Inspecionar PFX').click();
      await check(page, 'inspector');
      await app.dropFiles([pfx('v01_default.pfx')]);
      await expect(page.getByTestId('password-input')).toBeVisible();
      await check(page, 'password dialog');
      await app.typePassword(PASSWORD);
      await expect(page.getByTestId('certificate-details')).toBeVisible();
      await check(page, 'inspector: one file');
      await app.dropFiles([pfx('v12_empty_pass.pfx'), pfx('v44_key_mismatch.pfx')]);
      await expect(page.getByTestId('bulk')).toBeVisible();
      await check(page, 'inspector: bulk');

      for (const [route, name] of [
        ['/vencimentos', 'expiries'],
        ['/cobertura', 'coverage'],
        ['/historico', 'history'],
        ['/invoicy', 'invoicy'],
        ['/configuracoes', 'settings'],
      ] as const) {
        await app.open(route);
        await expect(page.locator('h1')).toBeVisible();
        await check(page, name);
      }
      await page.getByTestId('backend-cloud').click();
      await check(page, 'settings: cloud chosen');
    });
  });
}
