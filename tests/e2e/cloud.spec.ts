import { expect, test } from './fixture';
import { PASSWORD, pfx } from '../fixtures';
import { AppPage } from './pages/app-page';
import { ManagementPage } from './pages/management-page';

const CLOUD = 'http://127.0.0.1:5399/api/v1';
const SHOTS = 'test-results/screens';

test.describe.configure({ mode: 'serial' });

async function signIn(page: import('@playwright/test').Page, login: string, password: string) {
  await page.getByTestId('backend-login').fill(login);
  await page.getByTestId('backend-password').fill(password);
  await page.getByTestId('backend-sign-in-submit').click();
  await expect(page.getByTestId('backend-session')).toBeVisible();
}

test.afterAll(async ({ browser }) => {
  // Give Homologação back to the embedded workspace for the specs after this one.
  const page = await browser.newPage({ baseURL: 'http://127.0.0.1:5199' });
  await page.goto('/');
  await new AppPage(page).bridge('/rpc/backend:set', { environment: 'homologacao', kind: 'embedded' });
  await page.close();
});

test('cloud backend: sign in, install, edit, delete and history against the reference server', async ({ page }) => {
  const app = new AppPage(page);
  const m = new ManagementPage(page);
  await app.resetSettings();
  await app.open('/configuracoes');
  await page.getByTestId('env-homologacao').click();
  await page.getByTestId('backend-cloud').click();
  await page.getByTestId('backend-url').fill(CLOUD);
  await page.getByTestId('backend-apply').click();
  await signIn(page, 'EXEMPLO.admin', 'Admin#2026');
  await expect(page.getByTestId('backend-session')).toContainText('Administrador');

  await app.nav('Certificados').click();
  await m.setupExampleIfNeeded();
  await page.getByTestId('add-certificate').click();
  await m.chooseFile(pfx('v01_default.pfx'), PASSWORD);
  await m.addBranch('0001');
  await m.next();
  await expect(page.getByTestId('module-0001-manifestacao')).toHaveClass(/n-checkbox--disabled/); // not licensed
  await m.next();
  await page.getByTestId('wizard-submit').click();
  await expect(page.getByTestId('wizard-result').locator('[data-testid="link-result"][data-installed="true"]')).toHaveCount(3);
  await page.getByTestId('wizard-close').click();
  const row = m.row('EMPRESA EXEMPLO LTDA');
  await expect(row).toHaveAttribute('data-status', 'Instalado e configurado');

  await row.getByTestId('row-edit').click();
  await m.addBranch('0002');
  await m.next();
  await m.next();
  await page.getByTestId('wizard-submit').click();
  await page.getByTestId('wizard-close').click();
  await expect(row).toContainText('0002 · Recebimento CT-e');

  await row.getByTestId('row-delete').click();
  await page.getByTestId('confirm-delete').click();
  await expect(row).toHaveCount(0);

  await app.nav('Histórico').click();
  await expect(page.getByTestId('history-entry')).toHaveCount(3);
  await expect(page.locator('[data-testid="history-entry"][data-action="Edição"]')).toContainText('por Administrador');

  // One more, to be seen by the read-only user next.
  await app.nav('Certificados').click();
  await m.install(pfx('v42_other_company.pfx'), PASSWORD, ['0101'], { production: false });
  await expect(m.row('OUTRA EMPRESA SA')).toHaveCount(1);
});

test('cloud backend: a user who is not an administrator sees the read-only view', async ({ page }) => {
  const app = new AppPage(page);
  const m = new ManagementPage(page);
  await app.open('/configuracoes');
  await page.getByTestId('env-homologacao').click();
  await page.getByTestId('backend-sign-out').click();
  await signIn(page, 'EXEMPLO.joao', 'Leitura#2026');
  await expect(page.getByTestId('backend-session')).toContainText('Somente leitura');

  await app.nav('Certificados').click();
  await expect(page.getByTestId('read-only')).toContainText('seu usuário não é administrador');
  const row = m.row('OUTRA EMPRESA SA');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('row-edit')).toHaveCount(0);
  await expect(row.getByTestId('row-delete')).toHaveCount(0);
  await expect(page.getByTestId('add-certificate')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/cloud-read-only-pt-BR.png` });

  // Signed out, the screen asks to sign in instead of showing an error.
  await app.nav('Configurações').click();
  await page.getByTestId('backend-sign-out').click();
  await app.nav('Certificados').click();
  await expect(page.getByTestId('go-sign-in')).toBeVisible();
});
