/**
 * What a new administrator met at the desk, each checked through the screens: no keychain (the cloud
 * sign-in and the InvoiCy keys still work for the session, said once), the cloud's words before any
 * sign-in, search by branch, the in-app expiry warning of browser mode, and what a deletion says.
 */
import { pfx } from '../fixtures';
import { BRIDGE_TOKEN, expect as baseExpect, test } from './fixture';
import { AppPage } from './pages/app-page';
import { ADMIN, CloudPage, cloudApi } from './pages/cloud-page';
import { ManagementPage } from './pages/management-page';
import { clickSteady } from './pages/steady';

const expect = baseExpect.configure({ timeout: 20_000 });
test.describe.configure({ timeout: 120_000 });
test.use({ viewport: { width: 1366, height: 768 }, timezoneId: 'America/Sao_Paulo' });

test('without a keychain the cloud sign-in and the InvoiCy keys work for the session, and the screen says so once', async ({
  page,
  request,
}) => {
  await CloudPage.resetServer(request);
  // This machine has no keychain (a fresh Linux, a locked-down Windows profile).
  const reset = await page.request.post('/test/reset', { headers: { 'X-CertDesk-Token': BRIDGE_TOKEN }, data: { keychain: 'none' } });
  expect(reset.ok()).toBe(true);
  await page.goto(`/?token=${BRIDGE_TOKEN}`);
  const app = new AppPage(page);
  await app.resetSettings();

  await app.open('/invoicy');
  await page.getByTestId('invoicy-url').fill('http://127.0.0.1:9/aextensaocertificadosoap.aspx');
  const keys = page.getByTestId('invoicy-connection').locator('input[type="password"]');
  await keys.nth(0).fill('CERTDESK-DEMO-PK');
  await keys.nth(1).fill('demo-ck-9099628c');
  await page.getByTestId('invoicy-connection').locator('button[type="submit"]').click();
  await new ManagementPage(page).confirmProduction();
  await expect(page.getByTestId('keys-session-only')).toContainText('só enquanto o CertDesk estiver aberto');
  await expect(page.getByTestId('keys-session-only')).toContainText('ative um cofre de senhas');
  await expect(page.getByTestId('invoicy-url')).toHaveValue('http://127.0.0.1:9/aextensaocertificadosoap.aspx'); // not reverted
  await expect(page.getByTestId('invoicy-url-item')).not.toContainText('recusado');

  // The cloud: chosen, nothing signed in yet — the list asks to sign in, it does not say a session ended.
  const cloud = new CloudPage(page);
  await app.rpc('backend:set', { environment: 'producao', kind: 'cloud', url: cloudApi() });
  await app.open('/certificados');
  await expect(page.getByTestId('sign-in-offer')).toContainText('entre para vê-los');
  await expect(page.getByTestId('sign-in-offer')).not.toContainText('terminou');
  await app.open('/configuracoes');
  await cloud.signIn(ADMIN);
  await expect(page.getByTestId('token-session-only')).toContainText('só enquanto o CertDesk estiver aberto');
  await expect(page.getByTestId('workspace-hint')).not.toContainText('Base local');
});

test('search finds a branch, browser mode warns of expiries in the app, and a deletion says what it served', async ({ page }) => {
  const app = new AppPage(page);
  const m = new ManagementPage(page);
  await app.resetSettings();
  await m.seedExampleWorkspace();
  await m.seedInstall(pfx('v01_default.pfx'), ['0001']);
  await m.seedInstall(pfx('v42_other_company.pfx'), []);
  await app.setClock('2044-12-20T12:00:00Z'); // 11 days before the fixtures end (31/12 21:00 in Brasília)
  await app.open('/certificados');

  await expect(page.getByTestId('expiry-banner')).toContainText('2 certificados de Produção vencem nos próximos 30 dias');
  await expect(page.getByTestId('expiry-banner')).toContainText('Vence em 11 dias');

  await page.getByTestId('certificate-search').fill('Matriz');
  await expect(page.getByTestId('certificate-row')).toHaveCount(1);
  await expect(m.row('EMPRESA EXEMPLO LTDA')).toHaveCount(1);
  await page.getByTestId('certificate-search').fill('');

  await m.row('OUTRA EMPRESA SA').getByTestId('row-delete').click();
  await clickSteady(page.getByTestId('confirm-delete'));
  await expect(m.dialogs).toHaveCount(0);
  await expect(m.row('OUTRA EMPRESA SA')).toHaveCount(0);
  await app.nav('Histórico').click();
  await expect(page.locator('[data-testid="history-entry"][data-action="delete"]')).toContainText('Não atendia nenhuma filial ou módulo.');
  await expect(page.locator('[data-testid="history-entry"][data-action="delete"]')).not.toContainText('nada');
  await app.setClock(null);
});
