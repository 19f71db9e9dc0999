import { expect, test } from './fixture';
import { resolve } from 'node:path';
import { BAD_DIR, PASSWORD, pfx } from '../fixtures';
import { AppPage } from './pages/app-page';

test.beforeEach(async ({ page }) => {
  await new AppPage(page).resetSettings();
});

test('dropping v01 anywhere and typing the password shows holder and validity', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/certificados');
  await app.dropFiles([pfx('v01_default.pfx')], 'main, body');

  await expect(page.getByTestId('password-dialog')).toBeVisible();
  await expect(page.getByTestId('password-dialog')).toContainText('v01_default.pfx');
  await app.typePassword(PASSWORD);

  await expect(page.getByTestId('holder-name')).toHaveText('EMPRESA EXEMPLO LTDA');
  await expect(page.getByTestId('holder-cnpj')).toHaveText('CNPJ 11.222.333/0001-81');
  await expect(page.getByTestId('validity')).toContainText('01/01/2025 a 01/01/2045');
  await expect(page.getByTestId('status-tag')).toHaveText('Válido');
  await expect(page.getByTestId('password-dialog')).toBeHidden();
  await expect(page).toHaveURL(/#\/inspecionar$/);
});

test('a wrong password keeps the dialog open with a clear Portuguese message, then the right one opens', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/inspecionar');
  await app.dropFiles([pfx('v01_default.pfx')]);
  await app.typePassword('senha-errada');

  const dialog = page.getByTestId('password-dialog');
  await expect(dialog).toContainText(
    'Senha incorreta ou arquivo danificado: a verificação de integridade falhou. Confira maiúsculas, minúsculas e acentos e tente de novo.',
  );
  await expect(page.getByTestId('password-input')).toHaveValue('');
  await expect(page.getByTestId('holder-name')).toHaveCount(0);

  await app.typePassword(PASSWORD);
  await expect(page.getByTestId('holder-name')).toHaveText('EMPRESA EXEMPLO LTDA');
});

test('a file with an empty password opens without asking (v12)', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/inspecionar');
  await app.dropFiles([pfx('v12_empty_pass.pfx')]);
  await expect(page.getByTestId('holder-name')).toHaveText('EMPRESA EXEMPLO LTDA');
  await expect(page.getByTestId('password-dialog')).toBeHidden();
});

test('the file picker works from the keyboard and bad files get a specific message', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/inspecionar');
  await page.getByTestId('file-input').setInputFiles(resolve(BAD_DIR, 'pem_bundle.pem'));
  const error = page.getByTestId('inspect-error');
  await expect(error).toContainText('O arquivo não é um certificado PFX/P12.');
  await expect(error).toContainText('texto PEM');

  await app.inspectAnother();
  await page.getByTestId('file-input').setInputFiles(resolve(BAD_DIR, 'empty.pfx'));
  await expect(page.getByTestId('inspect-error')).toContainText('O arquivo está vazio');
});

test('Escape cancels the password prompt', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/inspecionar');
  await app.dropFiles([pfx('v01_default.pfx')]);
  await expect(page.getByTestId('password-input')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('password-dialog')).toBeHidden();
  await expect(page.getByTestId('dropzone')).toBeVisible();
});
