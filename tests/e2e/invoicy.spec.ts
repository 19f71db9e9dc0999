import { expect, test } from './fixture';
import { AppPage } from './pages/app-page';
import { DEFAULT_URLS, DEMO_KEYS, InvoicyPage, STANDIN_URL } from './pages/invoicy-page';

const SHOTS = 'test-results/screens';

// Each test starts from the stand-in's starting state (11.222.333/0001-81 pendente de senha,
// 529.982.247-25 pronto), whatever ran before it.
test.beforeEach(async ({ page, request }) => {
  await InvoicyPage.resetStandin(request);
  await new AppPage(page).resetSettings();
});

test('InvoiCy: connect, request the password, check, download and open the certificate', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/invoicy');
  await page.getByTestId('env-homologacao').click();
  await expect(page.getByTestId('invoicy-not-configured')).toBeVisible();

  await page.getByTestId('invoicy-url').fill(STANDIN_URL);
  await page.getByTestId('invoicy-emppk').fill(DEMO_KEYS.empPK);
  await page.getByTestId('invoicy-ck').fill(DEMO_KEYS.ck);
  await page.getByTestId('invoicy-save').click();
  await expect(page.getByTestId('invoicy-not-configured')).toBeHidden();
  await expect(page.getByTestId('invoicy-emppk')).toHaveAttribute('placeholder', /cofre do sistema/);
  await expect(page.getByTestId('invoicy-url')).toHaveValue(STANDIN_URL);

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
  await expect(page.getByTestId('invoicy-message')).toContainText(
    'Não identificado registro para o Username/CNPJ/CPF com status pendente de senha',
  );

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
  // A working Homologação connection to start from: this test breaks it on purpose.
  await app.rpc('invoicy:saveSettings', { environment: 'homologacao', url: STANDIN_URL, ...DEMO_KEYS });
  await app.open('/invoicy');
  await page.getByTestId('env-homologacao').click();
  await expect(page.getByTestId('invoicy-url')).toHaveValue(STANDIN_URL);
  await expect(page.getByTestId('invoicy-not-configured')).toBeHidden();
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
});

test('InvoiCy: a late connection answer never replaces the environment on screen nor the address being typed', async ({ page }) => {
  const app = new AppPage(page);
  const invoicy = new InvoicyPage(page);

  // The screen's first load (Produção) arrives only after the user has switched to Homologação.
  const first = await invoicy.holdNextLoad('producao');
  await app.open('/invoicy');
  await page.getByTestId('env-homologacao').click();
  await expect(invoicy.url).toHaveValue(DEFAULT_URLS.homologacao);
  await first.release();
  await expect(invoicy.url).toHaveValue(DEFAULT_URLS.homologacao);
  await expect(page.getByTestId('invoicy-connection')).toContainText('Homologação');

  // Homologação's answer arrives only after the user has typed the address.
  await page.getByTestId('env-producao').click();
  await expect(invoicy.url).toHaveValue(DEFAULT_URLS.producao);
  const late = await invoicy.holdNextLoad('homologacao');
  await page.getByTestId('env-homologacao').click();
  await invoicy.url.fill(STANDIN_URL);
  await late.release();
  await expect(invoicy.url).toHaveValue(STANDIN_URL);

  // What is saved is what was typed.
  await page.getByTestId('invoicy-save').click();
  await expect(page.getByText('Conexão salva')).toBeVisible();
  await app.open('/invoicy');
  await expect(page.getByTestId('invoicy-connection')).toContainText('Homologação');
  await expect(invoicy.url).toHaveValue(STANDIN_URL);
});
