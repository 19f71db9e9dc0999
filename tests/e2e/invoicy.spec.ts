import { expect, test } from './fixture';
import { AppPage } from './pages/app-page';

const SHOTS = 'test-results/screens';
const URL = 'http://127.0.0.1:5299/aextensaocertificadosoap.aspx';

test('InvoiCy: connect, request the password, check, download and open the certificate', async ({ page }) => {
  const app = new AppPage(page);
  await app.resetSettings();
  await app.open('/invoicy');
  await page.getByTestId('env-homologacao').click();
  await expect(page.getByTestId('invoicy-not-configured')).toBeVisible();

  await page.getByTestId('invoicy-url').fill(URL);
  await page.getByTestId('invoicy-emppk').fill('CERTDESK-DEMO-PK');
  await page.getByTestId('invoicy-ck').fill('demo-ck-9099628c');
  await page.getByTestId('invoicy-save').click();
  await expect(page.getByTestId('invoicy-not-configured')).toBeHidden();
  await expect(page.getByTestId('invoicy-emppk')).toHaveAttribute('placeholder', /cofre do sistema/);

  // Request the password: CNPJ validated as typed, password confirmed.
  await page.getByTestId('invoicy-document').fill('11.222.333/0001-82');
  await expect(page.getByTestId('invoicy-form')).toContainText('CNPJ ou CPF inválido.');
  await page.getByTestId('invoicy-document').fill('11.222.333/0001-81');
  await page.getByTestId('invoicy-password').fill('Segura2026');
  await page.getByTestId('invoicy-confirm').fill('Segura2025');
  await expect(page.getByTestId('invoicy-form')).toContainText('As senhas não conferem.');
  await expect(page.getByTestId('invoicy-send')).toBeDisabled();
  await page.getByTestId('invoicy-confirm').fill('Segura2026');
  await page.getByTestId('invoicy-send').click();
  await expect(page.getByTestId('invoicy-message')).toContainText('Senha enviada para validação no processo de geração de certificado');
  await page.screenshot({ path: `${SHOTS}/invoicy-pt-BR.png`, fullPage: true });

  // Asking again: the service's own message, as it comes.
  await page.getByTestId('invoicy-password').fill('Segura2026');
  await page.getByTestId('invoicy-confirm').fill('Segura2026');
  await page.getByTestId('invoicy-send').click();
  await expect(page.getByTestId('invoicy-message')).toContainText('Não identificado registro para o Username/CNPJ/CPF com status pendente de senha');

  await page.getByTestId('invoicy-action-check').click();
  await page.getByTestId('invoicy-send').click();
  await expect(page.getByTestId('invoicy-message')).toContainText('pronto');

  await page.getByTestId('invoicy-action-download').click();
  await page.getByTestId('invoicy-send').click();
  await expect(page.getByTestId('invoicy-message')).toContainText('Certificado disponível para download');
  await page.getByTestId('invoicy-inspect').click();
  await app.typePassword('Segura2026');
  await expect(page.getByTestId('holder-name')).toHaveText('EMPRESA EXEMPLO LTDA');
});

test('InvoiCy: a wrong communication key shows code 173 and an unreachable service a clear message', async ({ page }) => {
  const app = new AppPage(page);
  await app.resetSettings();
  await app.open('/invoicy');
  await page.getByTestId('env-homologacao').click();
  await page.getByTestId('invoicy-ck').fill('chave-errada');
  await page.getByTestId('invoicy-save').click();
  await page.getByTestId('invoicy-action-check').click();
  await page.getByTestId('invoicy-document').fill('529.982.247-25');
  await page.getByTestId('invoicy-send').click();
  await expect(page.getByTestId('invoicy-message')).toContainText('Chave de Comunicação inválida');
  await expect(page.getByTestId('invoicy-message')).toContainText('173');

  await page.getByTestId('invoicy-url').fill('http://127.0.0.1:9/aextensaocertificadosoap.aspx');
  await page.getByTestId('invoicy-save').click();
  await page.getByTestId('invoicy-send').click();
  await expect(page.getByTestId('invoicy-error')).toContainText('Sem comunicação com o serviço InvoiCy');
  // Put the working connection back for anyone after us.
  await page.getByTestId('invoicy-url').fill(URL);
  await page.getByTestId('invoicy-ck').fill('demo-ck-9099628c');
  await page.getByTestId('invoicy-save').click();
});
