import type { Locator } from '@playwright/test';
import { expect, test } from './fixture';
import { PASSWORD, pfx } from '../fixtures';
import { AppPage } from './pages/app-page';
import { DEMO_KEYS, InvoicyPage, standinUrl } from './pages/invoicy-page';
import { ManagementPage } from './pages/management-page';
import { WizardPage } from './pages/wizard-page';
import { clickSteady } from './pages/steady';

const SHOTS = 'test-results/screens';

test.beforeEach(async ({ page }) => {
  await new AppPage(page).resetSettings(); // Portuguese, Produção
});

test('wizard: summary after the password, Escape and ✕ ask before discarding, no branch means "configuração disponível"', async ({
  page,
}) => {
  const app = new AppPage(page);
  const m = new ManagementPage(page);
  const w = new WizardPage(page);
  await m.seedExampleWorkspace();
  await app.open('/certificados');

  // Nothing started yet: Escape just closes.
  await clickSteady(page.getByTestId('add-certificate'));
  await expect(page.getByTestId('wizard-file')).toBeVisible();
  await app.settled();
  await page.screenshot({ path: `${SHOTS}/wizard-1-file-pt-BR.png` });
  await page.keyboard.press('Escape');
  await expect(w.wizard).toHaveCount(0);
  await expect(w.dialogs).toHaveCount(0);

  await clickSteady(page.getByTestId('add-certificate'));
  await page.getByTestId('wizard-file-input').setInputFiles(pfx('v01_default.pfx'));
  const password = page.getByTestId('wizard-password-input');
  await expect(password).toBeFocused();
  await password.fill(PASSWORD);
  await app.settled();
  await page.screenshot({ path: `${SHOTS}/wizard-2-password-pt-BR.png` });
  await password.press('Enter');
  await expect(page.getByTestId('wizard-branches')).toBeVisible();

  // After the password: holder, CNPJ, validity and environment.
  const summary = page.getByTestId('wizard-summary');
  await expect(page.getByTestId('wizard-subject')).toHaveText('EMPRESA EXEMPLO LTDA');
  await expect(page.getByTestId('wizard-document')).toHaveText('CNPJ 11.222.333/0001-81');
  await expect(page.getByTestId('wizard-validity')).toContainText(/até \d{2}\/\d{2}\/\d{4} \([\d.]+ dias\)/);
  await expect(page.getByTestId('wizard-environment')).toHaveText('Produção');
  await expect(summary).toContainText('Titular');

  // Escape on a started wizard asks; "Continuar" keeps everything.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('confirm-discard')).toBeVisible();
  await expect(w.dialogs).toContainText('O arquivo, a senha e as filiais escolhidas serão descartados.');
  await w.answerDiscard('keep');
  await expect(page.getByTestId('wizard-branches')).toBeVisible();
  // ✕ asks the same.
  await w.wizard.getByRole('button', { name: 'Fechar' }).click(); // the kit's ✕, labelled in the UI language
  await w.answerDiscard('keep');
  await expect(page.getByTestId('wizard-subject')).toHaveText('EMPRESA EXEMPLO LTDA');

  await w.openPicker();
  await app.settled();
  await page.screenshot({ path: `${SHOTS}/wizard-3-branches-pt-BR.png` });
  await w.closePicker();

  // No branch: never an empty table, the outcome in words.
  await m.next();
  await expect(page.getByTestId('modules-no-branch')).toContainText('Instalado e configuração disponível');
  await app.settled();
  await page.screenshot({ path: `${SHOTS}/wizard-4-modules-pt-BR.png` });
  await m.next();
  await expect(page.getByTestId('review-no-branch')).toContainText('Instalado e configuração disponível');
  await expect(page.getByTestId('wizard-review').locator('.n-data-table')).toHaveCount(0);
  await app.settled();
  await page.screenshot({ path: `${SHOTS}/wizard-5-review-pt-BR.png` });
  await m.submit({ production: true });
  await expect(page.getByTestId('wizard-no-branch')).toContainText('Instalado e configuração disponível');
  await expect(page.getByTestId('wizard-result').locator('.n-data-table')).toHaveCount(0);
  await app.settled();
  await page.screenshot({ path: `${SHOTS}/wizard-6-result-pt-BR.png` });
  // The result is not "started": closing does not ask.
  await page.keyboard.press('Escape');
  await expect(w.wizard).toHaveCount(0);
  await expect(m.row('EMPRESA EXEMPLO LTDA')).toHaveAttribute('data-status', 'available');

  // Discarding does discard: the next wizard starts from the file again.
  await clickSteady(page.getByTestId('add-certificate'));
  await m.chooseFile(pfx('v42_other_company.pfx'), PASSWORD);
  await m.addBranch('0101');
  await page.getByTestId('wizard-summary').click(); // away from the picker: Escape there is the picker's
  await page.keyboard.press('Escape');
  await w.answerDiscard('discard');
  await clickSteady(page.getByTestId('add-certificate'));
  await expect(page.getByTestId('wizard-file')).toBeVisible();
  await expect(page.getByTestId('chosen-branch')).toHaveCount(0);
});

test('branch picker: an e-CPF is not tagged 213, the 213 warning is whole, added branches are not offered again', async ({ page }) => {
  const app = new AppPage(page);
  const m = new ManagementPage(page);
  const w = new WizardPage(page);
  await m.seedExampleWorkspace();
  await app.open('/certificados');

  // e-CPF: no CNPJ, so no root to differ; every branch says why it cannot issue.
  await w.openWith(pfx('v23_ecpf.pfx'));
  await expect(page.getByTestId('wizard-document')).toHaveText('CPF 529.982.247-25');
  let options = await w.openPicker();
  const count = await options.count();
  expect(count).toBeGreaterThan(1);
  const tags = page.locator('.branch-menu [data-testid="branch-option-tag"]');
  await expect(tags).toHaveCount(count);
  for (const text of await tags.allTextContents()) expect(text).toBe('sem CNPJ (e-CPF) — não emite pela filial');
  await expect(page.locator('.branch-menu')).not.toContainText('213');
  await w.closePicker();
  await m.addBranch('0001');
  await expect(page.getByTestId('chosen-branch-tag')).toHaveText('sem CNPJ (e-CPF) — não emite pela filial');
  options = await w.openPicker();
  await expect(options.filter({ hasText: /^0001 ·/ })).toHaveCount(0);
  await expect(options).toHaveCount(count - 1);
  await w.closePicker();
  await page.getByTestId('wizard-summary').click(); // away from the picker: Escape there is the picker's
  await page.keyboard.press('Escape');
  await w.answerDiscard('discard');

  // An e-CNPJ: same root first; another root carries the whole 213 warning, never cut.
  await w.openWith(pfx('v01_default.pfx'));
  options = await w.openPicker();
  await expect(options.first().getByTestId('branch-option-tag')).toHaveText('mesma raiz de CNPJ');
  const other = page.locator('.branch-menu [data-match="otherRoot"]').first();
  const otherTag = other.getByTestId('branch-option-tag');
  await expect(otherTag).toHaveText('raiz diferente — a SEFAZ rejeita (213)');
  const cut = await otherTag.evaluate((tag) => {
    const option = tag.closest('.n-base-select-option')!.getBoundingClientRect();
    const box = tag.getBoundingClientRect();
    const text = tag.querySelector('.n-tag__content') ?? tag;
    return box.right > option.right + 0.5 || box.left < option.left - 0.5 || text.scrollWidth > text.clientWidth + 0.5;
  });
  expect(cut, 'the 213 warning is shown whole').toBe(false);
  await w.closePicker();
  await m.addBranch('0001');
  await m.addBranch('0002');
  options = await w.openPicker();
  await expect(options.filter({ hasText: /^000[12] ·/ })).toHaveCount(0);
  await app.settled();
  await page.screenshot({ path: `${SHOTS}/wizard-branches-picker-pt-BR.png` });
  await w.closePicker();
});

test('Produção asks once: the example workspace, InvoiCy "Enviar", and a delete in one dialog', async ({ page, request }) => {
  const app = new AppPage(page);
  const m = new ManagementPage(page);
  const w = new WizardPage(page);
  await app.open('/certificados');

  // The example workspace: declining keeps the first-run screen; confirming applies it.
  await expect(page.getByTestId('workspace-setup')).toContainText('Configure Produção');
  await page.getByTestId('setup-example').click();
  await m.cancelProduction();
  await expect(page.getByTestId('workspace-setup')).toBeVisible();
  await page.getByTestId('setup-example').click();
  await m.confirmProduction();
  await expect(page.getByTestId('add-certificate')).toBeVisible();

  // Delete: one question that carries the Produção warning itself — never a second dialog.
  await m.seedInstall(pfx('v01_default.pfx'), ['0001']);
  await app.open('/certificados');
  const row = m.row('EMPRESA EXEMPLO LTDA');
  await row.getByTestId('row-delete').click();
  await expect(page.getByTestId('delete-dialog')).toBeVisible();
  await expect(page.getByTestId('delete-production-notice')).toBeVisible();
  await expect(w.dialogs).toHaveCount(1);
  await app.settled();
  await page.screenshot({ path: `${SHOTS}/wizard-delete-production-pt-BR.png` });
  await clickSteady(page.getByTestId('confirm-delete'));
  await expect(w.dialogs).toHaveCount(0);
  await expect(row).toHaveCount(0);

  // InvoiCy "Enviar" in Produção.
  await InvoicyPage.resetStandin(request);
  await app.rpc('invoicy:saveSettings', { environment: 'producao', url: standinUrl(), ...DEMO_KEYS });
  await app.open('/invoicy');
  await page.getByTestId('invoicy-action-check').click();
  await page.getByTestId('invoicy-document').fill('529.982.247-25');
  await page.getByTestId('invoicy-send').click();
  await m.cancelProduction();
  await expect(page.getByTestId('invoicy-result')).toHaveCount(0);
  await page.getByTestId('invoicy-send').click();
  await m.confirmProduction();
  await expect(page.getByTestId('invoicy-message')).toContainText('pronto');
});

test.describe('guided setup at 1366×768', () => {
  test.use({ viewport: { width: 1366, height: 768 } });

  test('wide inputs, unwrapped labels, CNPJ checked as typed, errors in Portuguese at the field', async ({ page }) => {
    const app = new AppPage(page);
    const w = new WizardPage(page);
    /** Pick `state` (its option's words) in a branch row's state (UF) picker: the menu closes, the picker shows it. */
    const chooseState = async (branchRow: Locator, state: string): Promise<void> => {
      const picker = branchRow.getByTestId('setup-branch-uf');
      await clickSteady(picker);
      const menu = page.locator('.n-base-select-menu').filter({ visible: true }); // a closed picker's menu stays, hidden
      await clickSteady(menu.locator('.n-base-select-option').filter({ hasText: new RegExp(`^${state}$`) }));
      await expect(menu).toBeHidden();
      await expect(picker).toContainText(state);
    };
    await app.open('/certificados');
    await page.getByTestId('setup-guided').click();
    const form = page.getByTestId('setup-guided-form');
    const row = page.getByTestId('setup-branch-row').first();

    for (const field of ['code', 'name', 'cnpj'] as const) {
      const box = await row.getByTestId(`setup-branch-${field}`).boundingBox();
      expect(box!.width, `the ${field} input is wide enough to type in`).toBeGreaterThanOrEqual(field === 'code' ? 60 : 150);
    }
    for (const label of await form.locator('.label').all()) {
      const lines = await label.evaluate((el) => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight || '18'));
      expect(lines, `"${await label.textContent()}" stays on one line`).toBeLessThan(1.5);
    }

    await row.getByTestId('setup-branch-name').fill('Matriz');
    await row.getByTestId('setup-branch-cnpj').fill('11.222.333/0001-82');
    await expect(row.getByTestId('field-error')).toHaveText('CNPJ inválido: confira os dígitos verificadores.');
    await page.getByRole('button', { name: 'Adicionar filial' }).click();
    const second = page.getByTestId('setup-branch-row').nth(1);
    await second.getByTestId('setup-branch-code').fill('0001');
    await expect(second.getByTestId('field-error')).toHaveText('Código repetido: cada filial tem o seu.');
    await page.getByTestId('setup-save').click();
    await expect(w.dialogs).toHaveCount(0); // nothing is asked nor sent while fields are wrong
    // A branch's state (UF) is asked, never guessed: each row says so at its field.
    await expect(row.getByTestId('field-error')).toHaveText(['CNPJ inválido: confira os dígitos verificadores.', 'Obrigatório.']);
    await expect(second.getByTestId('field-error')).toHaveText([
      'Código repetido: cada filial tem o seu.',
      'Obrigatório.',
      'Obrigatório.',
      'Obrigatório.',
    ]);
    await expect(page.locator('body')).not.toContainText('Requisição inválida');
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/setup-guided-1366-pt-BR.png` });

    await row.getByTestId('setup-branch-cnpj').fill('11.222.333/0001-81');
    await second.getByTestId('setup-branch-code').fill('0004');
    await second.getByTestId('setup-branch-name').fill('Filial Santos');
    await second.getByTestId('setup-branch-cnpj').fill('11.222.333/0004-24');
    await chooseState(row, 'SP — São Paulo');
    await chooseState(second, 'SP — São Paulo');
    await expect(form.getByTestId('field-error')).toHaveCount(0);
    await page.getByTestId('setup-save').click();
    await w.m.confirmProduction();
    await expect(page.getByTestId('add-certificate')).toBeVisible();
    await expect(page.locator('body')).not.toContainText('Requisição inválida');
    const saved = await app.rpc('workspace:status', { environment: 'producao' });
    expect(saved.branches.map((b) => [b.code, b.uf])).toEqual([
      ['0001', 'SP'],
      ['0004', 'SP'],
    ]);
  });
});
