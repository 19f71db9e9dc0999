/**
 * "Substituir / Renovar" through the UI of the embedded workspace (browser mode): the side-by-side
 * review, a swap now, a swap refused for another CNPJ root, a scheduled swap run when the clock
 * passes its moment, and undo from Histórico; on CertDesk Cloud, a swap and its undo, a scheduled swap run
 * by the service's job, and a refused one.
 */
import { expect, test } from './fixture';
import { PASSWORD, pfx } from '../fixtures';
import { AppPage } from './pages/app-page';
import { ADMIN, CloudPage, cloudServer } from './pages/cloud-page';
import { ManagementPage } from './pages/management-page';
import { clickSteady, untilSteady } from './pages/steady';
import type { APIRequestContext, Page } from '@playwright/test';

const SHOTS = 'test-results/screens';
const HOLDER = 'EMPRESA EXEMPLO LTDA';

test.beforeEach(async ({ page }) => {
  await new AppPage(page).resetSettings();
});

/**
 * Signed in to the suite's CertDesk Cloud as its administrator, with v01 serving 0001 in
 * `environment`; the list is open and shows it configured (the cloud's answer).
 */
async function openCloudList(
  page: Page,
  request: APIRequestContext,
  environment: 'producao' | 'homologacao',
): Promise<{ app: AppPage; m: ManagementPage }> {
  const app = new AppPage(page);
  const m = new ManagementPage(page);
  await CloudPage.resetServer(request);
  await new CloudPage(page).seedSignedIn(environment, ADMIN);
  await m.seedExampleWorkspace(environment);
  await app.rpc('settings:update', { environment });
  await m.seedInstall(pfx('v01_default.pfx'), ['0001'], { environment });
  await app.open('/certificados');
  await expect(m.row(HOLDER)).toHaveAttribute('data-status', 'configured');
  return { app, m };
}

async function openSwap(page: Page, m: ManagementPage, file: string): Promise<void> {
  await m.openDetails(HOLDER);
  await clickSteady(page.getByTestId('swap-open'));
  const dialog = page.getByTestId('swap-dialog');
  await untilSteady(dialog);
  await dialog.getByTestId('swap-file-input').setInputFiles(pfx(file));
  await expect(dialog.getByTestId('swap-file-name')).toHaveText(file);
  await dialog.getByTestId('swap-password').locator('input').fill(PASSWORD);
}

test('renew now: the review side by side, every link moves in one step, the old one stays as replaced, then undo', async ({ page }) => {
  const app = new AppPage(page);
  const m = new ManagementPage(page);
  await m.seedExampleWorkspace();
  await m.seedInstall(pfx('v01_default.pfx'), ['0001', '0002'], { modules: { '0002': ['recebimento-cte'] } });
  await app.open('/certificados');

  await openSwap(page, m, 'v25_rsa4096.pfx');
  const dialog = page.getByTestId('swap-dialog');
  await clickSteady(dialog.getByTestId('swap-review-button'));
  const review = dialog.getByTestId('swap-review');
  await expect(review).toContainText('Mesma raiz de CNPJ.');
  // Each side's validity, as dates in the user's calendar.
  await expect(review).toContainText(/(\d{2}\/\d{2}\/\d{4} – \d{2}\/\d{2}\/\d{4}.*){2}/);
  await expect(review.locator('[data-testid="link-result"][data-installed="true"]')).toHaveCount(4);
  await expect(dialog.getByTestId('swap-refusal')).toHaveCount(0);
  await untilSteady(review);
  await page.screenshot({ path: `${SHOTS}/swap-review-pt-BR.png` });
  await clickSteady(dialog.getByTestId('swap-confirm'));
  await m.confirmProduction();
  await expect(dialog).toBeHidden();

  await expect(page.locator('[data-testid="certificate-row"][data-status="replaced"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="certificate-row"][data-status="configured"]')).toContainText('0002 · Recebimento CT-e');

  await app.nav('Histórico').click();
  const entry = page.locator('[data-testid="history-entry"][data-action="swap"]').first();
  await expect(entry.getByTestId('history-swap')).toHaveAttribute('data-stage', 'done');
  await expect(entry).toContainText('Substituição');
  const item = page.locator('[data-testid="swap-item"][data-state="done"]');
  await clickSteady(item.getByTestId('swap-undo'));
  await m.confirmProduction();
  await expect(page.locator('[data-testid="history-swap"][data-stage="undone"]')).toHaveCount(1);
  await app.nav('Certificados').click();
  await expect(page.locator('[data-testid="certificate-row"][data-status="replaced"]')).toHaveCount(0);
});

test('a certificate of another CNPJ root is refused in the review, saying why, and nothing changes', async ({ page }) => {
  const app = new AppPage(page);
  const m = new ManagementPage(page);
  await m.seedExampleWorkspace('homologacao');
  await app.rpc('settings:update', { environment: 'homologacao' });
  await m.seedInstall(pfx('v01_default.pfx'), ['0001'], { environment: 'homologacao' });
  await app.open('/certificados');

  await openSwap(page, m, 'v42_other_company.pfx');
  const dialog = page.getByTestId('swap-dialog');
  await clickSteady(dialog.getByTestId('swap-review-button'));
  await expect(dialog.getByTestId('swap-refusal')).toContainText('outra raiz de CNPJ');
  await expect(dialog.getByTestId('swap-refusal')).toContainText('213');
  await expect(dialog.getByTestId('swap-confirm')).toBeDisabled();
  await clickSteady(dialog.getByTestId('swap-cancel'));
  await expect(dialog).toBeHidden();
  await expect(page.locator('[data-testid="certificate-row"]')).toHaveCount(1);
});

test('a scheduled swap waits, is listed, and runs when the clock passes its moment', async ({ page }) => {
  const app = new AppPage(page);
  const m = new ManagementPage(page);
  await m.seedExampleWorkspace();
  await m.seedInstall(pfx('v01_default.pfx'), ['0001']);
  await app.setClock('2044-12-10T12:00:00Z');
  await app.open('/certificados');

  await openSwap(page, m, 'v25_rsa4096.pfx');
  const dialog = page.getByTestId('swap-dialog');
  await clickSteady(dialog.getByTestId('swap-schedule'));
  await dialog.getByTestId('swap-when').fill('2044-12-11T09:00');
  await clickSteady(dialog.getByTestId('swap-review-button'));
  await untilSteady(dialog.getByTestId('swap-review'));
  await clickSteady(dialog.getByTestId('swap-confirm'));
  await m.confirmProduction();
  await expect(dialog).toBeHidden();
  await expect(page.locator('[data-testid="certificate-row"][data-status="replaced"]')).toHaveCount(0);

  await app.nav('Histórico').click();
  await expect(page.locator('[data-testid="swap-item"][data-state="pending"]')).toHaveCount(1);
  await app.setClock('2044-12-12T12:00:00Z');
  await app.open('/historico');
  await expect(page.locator('[data-testid="swap-item"][data-state="pending"]')).toHaveCount(0);
  await expect(page.locator('[data-testid="history-swap"][data-stage="done"]')).toHaveCount(1);
  await app.nav('Certificados').click();
  await expect(page.locator('[data-testid="certificate-row"][data-status="replaced"]')).toHaveCount(1);
});

test('Cobertura shows each branch × module, the gaps with their fix, which leads to the install', async ({ page }) => {
  const app = new AppPage(page);
  const m = new ManagementPage(page);
  await m.seedExampleWorkspace();
  await m.seedInstall(pfx('v01_default.pfx'), ['0001']);
  await app.open('/cobertura');
  const table = page.getByTestId('coverage-table');
  await expect(table.locator('[data-testid="coverage-cell"][data-state="covered"]')).toHaveCount(3);
  // "Until when": the serving certificate's last day, a date in the user's calendar.
  await expect(table.locator('[data-testid="coverage-cell"][data-state="covered"]').first()).toContainText(/\d{2}\/\d{2}\/\d{4}/);
  const gaps = table.locator('[data-testid="coverage-cell"][data-state="gap"]');
  await expect(gaps.first()).toContainText('Sem certificado');
  await expect(gaps.first().getByTestId('coverage-fix-install')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/coverage-pt-BR.png` });
  await clickSteady(gaps.first().getByTestId('coverage-fix-install'));
  await expect(page.getByTestId('add-certificate')).toBeVisible();
});

test('on CertDesk Cloud: renew now from the details, the list follows the swap, then undo from Histórico', async ({ page, request }) => {
  test.slow(); // through two servers: the browser mode and the cloud
  const { app, m } = await openCloudList(page, request, 'homologacao');

  await openSwap(page, m, 'v25_rsa4096.pfx');
  const dialog = page.getByTestId('swap-dialog');
  await clickSteady(dialog.getByTestId('swap-review-button'));
  await expect(dialog.getByTestId('swap-review')).toContainText('Mesma raiz de CNPJ.');
  await clickSteady(dialog.getByTestId('swap-confirm'));
  await expect(dialog).toBeHidden();
  // The list is the cloud's answer after the swap (asked with the tag of the one before): not the old one.
  await expect(page.locator('[data-testid="certificate-row"][data-status="replaced"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="certificate-row"][data-status="configured"]')).toHaveCount(1);

  await app.nav('Histórico').click();
  await expect(page.locator('[data-testid="history-swap"][data-stage="done"]')).toHaveCount(1);
  await clickSteady(page.locator('[data-testid="swap-item"][data-state="done"]').getByTestId('swap-undo'));
  await expect(page.locator('[data-testid="history-swap"][data-stage="undone"]')).toHaveCount(1);
  await app.nav('Certificados').click();
  await expect(page.locator('[data-testid="certificate-row"][data-status="replaced"]')).toHaveCount(0);
  await expect(page.locator('[data-testid="certificate-row"][data-status="configured"]')).toHaveCount(1);
});

test('on CertDesk Cloud, Produção: a scheduled swap waits on the service and its job runs it when due', async ({ page, request }) => {
  test.slow(); // through two servers: the browser mode and the cloud
  const { app, m } = await openCloudList(page, request, 'producao');

  await openSwap(page, m, 'v25_rsa4096.pfx');
  const dialog = page.getByTestId('swap-dialog');
  await clickSteady(dialog.getByTestId('swap-schedule'));
  // Two days ahead, at 09:00 in the browser's zone (the field is a local date and time).
  const when = await page.evaluate(() => {
    const d = new Date(Date.now() + 2 * 86_400_000);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T09:00`;
  });
  await dialog.getByTestId('swap-when').fill(when);
  await clickSteady(dialog.getByTestId('swap-review-button'));
  await untilSteady(dialog.getByTestId('swap-review'));
  await clickSteady(dialog.getByTestId('swap-confirm'));
  await m.confirmProduction();
  await expect(dialog).toBeHidden();
  await expect(page.locator('[data-testid="certificate-row"][data-status="replaced"]')).toHaveCount(0);

  await app.nav('Histórico').click();
  await expect(page.locator('[data-testid="swap-item"][data-state="pending"]')).toHaveCount(1);
  // Not yet due: the job leaves it; three days on, it runs it once.
  const runDue = async (days: number) => {
    const answer = await request.post(`${cloudServer()}/test/run-due`, {
      data: { at: new Date(Date.now() + days * 86_400_000).toISOString() },
    });
    expect(answer.status()).toBe(200);
    return ((await answer.json()) as { ran: number }).ran;
  };
  expect(await runDue(1)).toBe(0);
  expect(await runDue(3)).toBe(1);
  expect(await runDue(3)).toBe(0);
  await app.open('/historico');
  await expect(page.locator('[data-testid="swap-item"][data-state="pending"]')).toHaveCount(0);
  await expect(page.locator('[data-testid="history-swap"][data-stage="done"]')).toHaveCount(1);
  await app.nav('Certificados').click();
  await expect(page.locator('[data-testid="certificate-row"][data-status="replaced"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="certificate-row"][data-status="configured"]')).toHaveCount(1);
});

test('on CertDesk Cloud, Produção: a certificate of another CNPJ root is refused in the review and nothing changes', async ({
  page,
  request,
}) => {
  test.slow(); // through two servers: the browser mode and the cloud
  const { app, m } = await openCloudList(page, request, 'producao');

  await openSwap(page, m, 'v42_other_company.pfx');
  const dialog = page.getByTestId('swap-dialog');
  await clickSteady(dialog.getByTestId('swap-review-button'));
  await expect(dialog.getByTestId('swap-refusal')).toContainText('outra raiz de CNPJ');
  await expect(dialog.getByTestId('swap-confirm')).toBeDisabled();
  await clickSteady(dialog.getByTestId('swap-cancel'));
  await expect(dialog).toBeHidden();
  await page.keyboard.press('Escape'); // the details drawer the swap was opened from
  await expect(page.getByTestId('installed-details')).toBeHidden();
  await expect(page.locator('[data-testid="certificate-row"]')).toHaveCount(1);
  await expect(m.row(HOLDER)).toHaveAttribute('data-status', 'configured');
  await app.nav('Histórico').click();
  await expect(page.locator('[data-testid="swap-item"]')).toHaveCount(0);
});
