import type { Page } from '@playwright/test';
import { expect, test } from './fixture';
import { AppPage } from './pages/app-page';
import { DEFAULT_URLS, DEMO_KEYS, InvoicyPage, standinUrl } from './pages/invoicy-page';

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
  await app.switchEnvironment('homologacao');
  await expect(page.getByTestId('invoicy-not-configured')).toBeVisible();

  await page.getByTestId('invoicy-url').fill(standinUrl());
  await page.getByTestId('invoicy-emppk').fill(DEMO_KEYS.empPK);
  await page.getByTestId('invoicy-ck').fill(DEMO_KEYS.ck);
  await page.getByTestId('invoicy-save').click();
  await expect(page.getByTestId('invoicy-not-configured')).toBeHidden();
  await expect(page.getByTestId('invoicy-emppk')).toHaveAttribute('placeholder', /cofre do sistema/);
  await expect(page.getByTestId('invoicy-url')).toHaveValue(standinUrl());

  // Request the password: CNPJ validated as typed, password confirmed.
  await page.getByTestId('invoicy-document').fill('11.222.333/0001-82');
  await expect(page.getByTestId('invoicy-form')).toContainText('CNPJ ou CPF inválido.');
  await page.getByTestId('invoicy-document').fill('11.222.333/0001-81');
  await page.getByTestId('invoicy-password').fill('Segura2026');
  await page.getByTestId('invoicy-confirm').fill('Segura2025');
  await expect(page.getByTestId('invoicy-form')).toContainText('As senhas não conferem.');
  await expect(page.getByTestId('invoicy-send')).toBeDisabled();
  // A password the service refuses: its answer is shown and what was typed stays, to correct and resend.
  await page.getByTestId('invoicy-password').fill('semdigitos');
  await page.getByTestId('invoicy-confirm').fill('semdigitos');
  await page.getByTestId('invoicy-send').click();
  await expect(page.getByTestId('invoicy-message')).toContainText('Senha informada incorreta');
  await expect(page.getByTestId('invoicy-password')).toHaveValue('semdigitos');
  await expect(page.getByTestId('invoicy-confirm')).toHaveValue('semdigitos');
  await page.getByTestId('invoicy-password').fill('Segura2026');
  await page.getByTestId('invoicy-confirm').fill('Segura2026');
  await page.getByTestId('invoicy-send').click();
  await expect(page.getByTestId('invoicy-message')).toContainText('Senha enviada para validação no processo de geração de certificado');
  // Accepted: the passwords are gone from the form.
  await expect(page.getByTestId('invoicy-password')).toHaveValue('');
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
  // The saved file: its name and its full folder (browser mode's data folder for this test), and in
  // browser mode "Abrir pasta" says there is no file manager and leaves the path to copy.
  const { dataDir } = await app.rpc('app:info', undefined);
  await expect(page.getByTestId('invoicy-file-name')).toHaveText(/^certificado-11222333000181-.+\.pfx$/);
  await expect(page.getByTestId('invoicy-file-folder')).toHaveText(`${dataDir}/downloads`);
  await page.getByTestId('invoicy-open-folder').click();
  await expect(page.getByTestId('invoicy-no-file-manager')).toBeVisible();
  await page.getByTestId('invoicy-inspect').click();
  await app.typePassword('Segura2026');
  await expect(page.getByTestId('holder-name')).toHaveText('EMPRESA EXEMPLO LTDA');
});

test('InvoiCy: a wrong communication key shows code 173 and an unreachable service a clear message', async ({ page }) => {
  const app = new AppPage(page);
  const invoicy = new InvoicyPage(page);
  // A working Homologação connection to start from: this test breaks it on purpose.
  await app.rpc('invoicy:saveSettings', { environment: 'homologacao', url: standinUrl(), ...DEMO_KEYS });
  await app.watchAnswers();
  await app.open('/invoicy');
  await app.switchEnvironment('homologacao');
  await expect(page.getByTestId('invoicy-url')).toHaveValue(standinUrl());
  await expect(page.getByTestId('invoicy-not-configured')).toBeHidden();
  await page.getByTestId('invoicy-ck').fill('chave-errada');
  await invoicy.save('homologacao');
  await expect(page.getByTestId('invoicy-ck')).toHaveValue(''); // kept in the keychain, not on screen
  await page.getByTestId('invoicy-action-check').click();
  await page.getByTestId('invoicy-document').fill('529.982.247-25');
  await page.getByTestId('invoicy-send').click();
  await expect(page.getByTestId('invoicy-message')).toContainText('Chave de Comunicação inválida');
  await expect(page.getByTestId('invoicy-message')).toContainText('173');

  await page.getByTestId('invoicy-url').fill('http://127.0.0.1:9/aextensaocertificadosoap.aspx');
  await invoicy.save('homologacao');
  await page.getByTestId('invoicy-send').click();
  await expect(page.getByTestId('invoicy-error')).toContainText('Sem comunicação com o serviço InvoiCy');
});

test('InvoiCy: a late connection answer never replaces the environment on screen nor the address being typed', async ({ page }) => {
  const app = new AppPage(page);
  const invoicy = new InvoicyPage(page);

  // The screen's first load (Produção) arrives only after the user has switched to Homologação.
  const first = await invoicy.holdNextLoad('producao');
  await app.open('/invoicy');
  await app.switchEnvironment('homologacao');
  await expect(invoicy.url).toHaveValue(DEFAULT_URLS.homologacao);
  await first.release();
  await expect(invoicy.url).toHaveValue(DEFAULT_URLS.homologacao);
  await expect(page.getByTestId('invoicy-connection')).toContainText('Homologação');

  // Homologação's answer arrives only after the user has typed the address.
  await app.switchEnvironment('producao');
  await expect(invoicy.url).toHaveValue(DEFAULT_URLS.producao);
  const late = await invoicy.holdNextLoad('homologacao');
  await app.switchEnvironment('homologacao');
  await invoicy.url.fill(standinUrl());
  await late.release();
  await expect(invoicy.url).toHaveValue(standinUrl());

  // What is saved is what was typed.
  await page.getByTestId('invoicy-save').click();
  await expect(page.getByText('Conexão salva')).toBeVisible();
  await app.open('/invoicy');
  await expect(page.getByTestId('invoicy-connection')).toContainText('Homologação');
  await expect(invoicy.url).toHaveValue(standinUrl());
});

test('InvoiCy: a refused address does not stay in the field while the stored one is used', async ({ page }) => {
  const app = new AppPage(page);
  await app.rpc('invoicy:saveSettings', { environment: 'homologacao', url: standinUrl(), ...DEMO_KEYS });
  await app.open('/invoicy');
  await app.switchEnvironment('homologacao');
  await expect(page.getByTestId('invoicy-url')).toHaveValue(standinUrl());
  await page.getByTestId('invoicy-url').fill('http://invoicy.exemplo.com.br/aextensaocertificadosoap.aspx');
  await page.getByTestId('invoicy-save').click();
  // The field shows the address in use again, and says which one was refused.
  await expect(page.getByTestId('invoicy-url')).toHaveValue(standinUrl());
  await expect(page.getByTestId('invoicy-url-item')).toContainText(
    'http://invoicy.exemplo.com.br/aextensaocertificadosoap.aspx foi recusado',
  );
  expect((await app.rpc('invoicy:getSettings', { environment: 'homologacao' })).url).toBe(standinUrl());
  // And the service in use is still the one that answers.
  await page.getByTestId('invoicy-action-check').click();
  await page.getByTestId('invoicy-document').fill('529.982.247-25');
  await page.getByTestId('invoicy-send').click();
  await expect(page.getByTestId('invoicy-message')).toContainText('pronto');
});

/** Homologação connected to the stand-in with the README's demo keys, the screen open on it. */
async function demoScreen(page: Page): Promise<{ app: AppPage; invoicy: InvoicyPage }> {
  const app = new AppPage(page);
  const invoicy = new InvoicyPage(page);
  await app.rpc('invoicy:saveSettings', { environment: 'homologacao', url: standinUrl(), ...DEMO_KEYS });
  await app.watchAnswers();
  await app.open('/invoicy');
  await app.switchEnvironment('homologacao');
  await expect(page.getByTestId('invoicy-not-configured')).toBeHidden();
  return { app, invoicy };
}

test('InvoiCy demo (README): 529.982.247-25 is ready and downloads with the demo password', async ({ page }) => {
  const { app, invoicy } = await demoScreen(page);
  await invoicy.send('download', '529.982.247-25');
  await expect(page.getByTestId('invoicy-message')).toContainText('100Certificado disponível para download');
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.getByTestId('invoicy-file').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/invoicy-saved-pt-BR.png` });
  await page.getByTestId('lang-en').click();
  await expect(page.getByTestId('invoicy-open-folder')).toHaveText('Open folder');
  await page.getByTestId('invoicy-file').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/invoicy-saved-en.png` });
  await page.getByTestId('lang-pt-BR').click();
  await page.getByTestId('invoicy-inspect').click();
  await app.typePassword('Demo2026');
  await expect(page.getByTestId('holder-name')).toHaveText('EMPRESA EXEMPLO LTDA');

  await app.open('/invoicy');
  await invoicy.send('check', '529.982.247-25');
  await expect(page.getByTestId('invoicy-message')).toContainText('Situação do certificado: pronto');
  await invoicy.send('requestPassword', '529.982.247-25', 'Segura2026');
  await expect(page.getByTestId('invoicy-message')).toContainText('400Não identificado registro');
});

test('InvoiCy demo (README): 44.555.666/0001-81 answers 402 until a check finds it ready, then downloads', async ({ page }) => {
  const { invoicy } = await demoScreen(page);
  await invoicy.send('download', '44.555.666/0001-81');
  await expect(page.getByTestId('invoicy-message')).toContainText('402Certificado ainda não disponível para download');
  await invoicy.send('check', '44.555.666/0001-81');
  await expect(page.getByTestId('invoicy-message')).toContainText('Situação do certificado: pronto');
  await invoicy.send('download', '44.555.666/0001-81');
  await expect(page.getByTestId('invoicy-message')).toContainText('100Certificado disponível para download');
  await expect(page.getByTestId('invoicy-file-name')).toHaveText(/^certificado-44555666000181-/);
});

test('InvoiCy demo (README): the unknown code, the SOAP Fault, other documents and a weak password', async ({ page }) => {
  const { invoicy } = await demoScreen(page);
  await invoicy.send('check', '00.000.000/0001-91');
  await expect(page.getByTestId('invoicy-message')).toContainText('999Serviço em manutenção programada');
  await invoicy.send('check', '33.000.167/0001-01');
  await expect(page.getByTestId('invoicy-error')).toContainText('O serviço InvoiCy recusou a chamada.');
  await expect(page.getByTestId('invoicy-error')).toContainText('Erro interno no processamento da requisição');

  await invoicy.send('check', '11.444.777/0001-61');
  await expect(page.getByTestId('invoicy-message')).toContainText('404');
  await invoicy.send('download', '11.444.777/0001-61');
  await expect(page.getByTestId('invoicy-message')).toContainText('402');
  await invoicy.send('requestPassword', '11.444.777/0001-61', 'Segura2026');
  await expect(page.getByTestId('invoicy-message')).toContainText('400');

  await invoicy.send('requestPassword', '11.222.333/0001-81', 'fraca');
  await expect(page.getByTestId('invoicy-message')).toContainText('401Senha informada incorreta');
});
