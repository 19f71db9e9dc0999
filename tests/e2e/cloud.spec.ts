import { expect, test } from './fixture';
import { PASSWORD, pfx } from '../fixtures';
import { AppPage } from './pages/app-page';
import { ADMIN, CloudPage, READER } from './pages/cloud-page';
import { ManagementPage } from './pages/management-page';
import { clickSteady } from './pages/steady';

const SHOTS = 'test-results/screens';

// Each test starts from an empty tenant on CertDesk Cloud, whatever ran before it.
test.beforeEach(async ({ page, request }) => {
  await CloudPage.resetServer(request);
  await new AppPage(page).resetSettings();
});

/**
 * Configurações in Homologação, once the data source of each environment is on screen: the card
 * fills its choice from the answer, so a choice made before that answer lands would be undone.
 */
async function openHomologacaoDataSource(app: AppPage): Promise<void> {
  await app.watchAnswers();
  await app.open('/configuracoes');
  await app.untilAnswered('backend:get', 'producao');
  await app.afterAnswer('backend:get', 'homologacao', () => app.page.getByTestId('env-homologacao').click());
}

test('cloud backend: sign in, install, edit, delete and history against CertDesk Cloud', async ({ page }) => {
  test.slow(); // the longest flow of the suite: five operations through two servers
  const app = new AppPage(page);
  const m = new ManagementPage(page);
  const cloud = new CloudPage(page);
  await openHomologacaoDataSource(app);
  await cloud.choose();
  await cloud.signIn(ADMIN);
  await expect(page.getByTestId('backend-session')).toContainText('Administrador');

  await app.nav('Certificados').click();
  await m.setupExample({ production: false });
  await clickSteady(page.getByTestId('add-certificate'));
  await m.chooseFile(pfx('v01_default.pfx'), PASSWORD);
  await m.addBranch('0001');
  await m.next();
  await expect(page.getByTestId('module-0001-manifestacao')).toHaveClass(/n-checkbox--disabled/); // not licensed
  await m.next();
  await m.submit({ production: false });
  await expect(page.getByTestId('wizard-result').locator('[data-testid="link-result"][data-installed="true"]')).toHaveCount(3);
  await m.closeWizard();
  const row = m.row('EMPRESA EXEMPLO LTDA');
  await expect(row).toHaveAttribute('data-status', 'configured');

  await row.getByTestId('row-edit').click();
  await m.addBranch('0002');
  await m.next();
  await m.next();
  await m.submit({ production: false });
  await m.closeWizard();
  await expect(row).toContainText('0002 · Recebimento CT-e');

  await row.getByTestId('row-delete').click();
  await clickSteady(page.getByTestId('confirm-delete'));
  await expect(m.dialogs).toHaveCount(0);
  await expect(row).toHaveCount(0);

  await app.nav('Histórico').click();
  await expect(page.getByTestId('history-entry')).toHaveCount(3);
  await expect(page.locator('[data-testid="history-entry"][data-action="edit"]')).toContainText('por Administrador (EXEMPLO.admin)');

  // Another certificate through the whole wizard, on the same server session.
  await app.nav('Certificados').click();
  await m.install(pfx('v42_other_company.pfx'), PASSWORD, ['0101'], { production: false });
  await expect(m.row('OUTRA EMPRESA SA')).toHaveCount(1);
});

test('cloud backend: a user who is not an administrator sees the read-only view', async ({ page }) => {
  const app = new AppPage(page);
  const m = new ManagementPage(page);
  const cloud = new CloudPage(page);
  // An administrator has set Homologação up on the server and installed one certificate there.
  await cloud.seedSignedIn('homologacao', ADMIN);
  await m.seedExampleWorkspace('homologacao');
  await m.seedInstall(pfx('v42_other_company.pfx'), ['0101'], { environment: 'homologacao' });

  await openHomologacaoDataSource(app);
  await cloud.signOut();
  await cloud.signIn(READER);
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
  await cloud.signOut();
  await app.nav('Certificados').click();
  await expect(page.getByTestId('go-sign-in')).toBeVisible();
});
