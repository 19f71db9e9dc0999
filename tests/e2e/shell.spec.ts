import { expect, test } from './fixture';
import { PASSWORD, pfx } from '../fixtures';
import { AppPage } from './pages/app-page';

/** Screenshots of the shell land here for people to look at (CI keeps them as artifacts). */
const SHOTS = 'test-results/screens';

test.beforeEach(async ({ page }) => {
  await new AppPage(page).resetSettings();
});

test('navigation reaches every section, in Portuguese by default', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/');
  await expect(page).toHaveURL(/#\/certificados$/);
  await expect(page.locator('h1')).toHaveText('Certificados');
  const sections: [string, string, RegExp][] = [
    ['Inspecionar PFX', 'Inspecionar PFX', /inspecionar/],
    ['Histórico', 'Histórico', /historico/],
    ['InvoiCy', 'InvoiCy', /invoicy/],
    ['Configurações', 'Configurações', /configuracoes/],
    ['Certificados', 'Certificados', /certificados/],
  ];
  for (const [label, title, url] of sections) {
    await app.nav(label).click();
    await expect(page).toHaveURL(url);
    await expect(page.locator('h1')).toHaveText(title);
  }
  await expect(page.locator('html')).toHaveAttribute('lang', 'pt-BR');
});

test('Homologação wears its colour band and is kept after a reload; Produção has none', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/certificados');
  await expect(page.getByTestId('homologacao-band')).toHaveCount(0);
  await expect(page.getByText('Certificados instalados em Produção')).toBeVisible();

  await page.getByTestId('env-homologacao').click();
  const band = page.getByTestId('homologacao-band');
  await expect(band).toBeVisible();
  await expect(band).toContainText('Ambiente de homologação');
  await expect(page.getByText('Certificados instalados em Homologação')).toBeVisible();
  const colour = await band.evaluate((el) => getComputedStyle(el).backgroundImage);
  expect(colour).toContain('repeating-linear-gradient');

  await page.reload();
  await expect(page.getByTestId('homologacao-band')).toBeVisible();
  await page.getByTestId('env-producao').click();
  await expect(page.getByTestId('homologacao-band')).toHaveCount(0);
});

test('English is one click away and persists; everything switches back to Portuguese', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/certificados');
  await page.getByTestId('lang-en').click();
  await expect(page.locator('h1')).toHaveText('Certificates');
  await expect(app.nav('Inspect PFX')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.locator('h1')).toHaveText('Certificates');

  await app.nav('Settings').click();
  await expect(page.getByTestId('data-dir')).toContainText('e2e-data');
  await page.getByTestId('lang-pt-BR').click();
  await expect(page.locator('h1')).toHaveText('Configurações');
});

test('screenshots of the shell in both languages and both environments', async ({ page }) => {
  test.slow(); // eight screens, each waiting for its fonts and transitions: 14 s idle, over 30 s on a loaded CI machine
  const app = new AppPage(page);
  for (const locale of ['pt-BR', 'en'] as const) {
    for (const environment of ['producao', 'homologacao'] as const) {
      await app.open('/certificados');
      await page.getByTestId(`lang-${locale}`).click();
      await expect(page.locator('h1')).toHaveText(locale === 'en' ? 'Certificates' : 'Certificados');
      await app.switchEnvironment(environment);
      await app.settled();
      await page.screenshot({ path: `${SHOTS}/certificates-${locale}-${environment}.png` });

      await app.nav(locale === 'en' ? 'Inspect PFX' : 'Inspecionar PFX').click();
      await app.dropFiles([pfx('v01_default.pfx')]);
      await app.typePassword(PASSWORD);
      await expect(page.getByTestId('holder-name')).toHaveText('EMPRESA EXEMPLO LTDA');
      await expect(page.getByTestId('password-dialog')).toBeHidden(); // let the dialog finish fading out
      await page.screenshot({ path: `${SHOTS}/inspector-${locale}-${environment}.png`, fullPage: true });
    }
  }
  await app.open('/configuracoes');
  await page.getByTestId('lang-pt-BR').click();
  await expect(page.getByTestId('lang-pt-BR')).toHaveClass(/checked/);
  await page.getByTestId('env-producao').click();
  await expect(page.getByTestId('homologacao-band')).toHaveCount(0);
  await page.mouse.move(800, 700); // no hover highlight in the picture
  await app.settled(); // the radio buttons' colour transition has finished
  await page.screenshot({ path: `${SHOTS}/settings-pt-BR.png` });
});
