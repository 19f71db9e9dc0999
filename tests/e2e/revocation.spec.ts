/**
 * A certificate revoked after install, through the UI, against the CA stand-in on 127.0.0.1, in both
 * languages at 1366×768: the background recheck finds it (the clock moved a day on, one turn run),
 * the list shows the distinct badge and only Details and Delete, the revoked filter keeps it alone,
 * the details draw the chain and say revoked with the answer's source and time, and the inspector
 * answers the same for a revoked file; "Substituir / Renovar" with a revoked new file is refused in
 * its review, before anything is sent; and the same on CertDesk Cloud (pt-BR), where the network's
 * answer that came after the install says revoked. Screenshots in test-results/screens/.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixture';
import { AppPage } from './pages/app-page';
import { ManagementPage } from './pages/management-page';
import { ADMIN, CloudPage } from './pages/cloud-page';
import { clickSteady, untilSteady } from './pages/steady';
import { startCaServer, type CaServer } from '../../stand-ins/ca-server';
import { CA_PFX_PASSWORD, caPfx, type CaCase } from '../../scripts/fixtures/ca-pki';

const SHOTS = 'test-results/screens';
const TEXT = {
  'pt-BR': {
    revoked: 'Revogado',
    revokedOn: /^Revogado em \d\d\/\d\d\/\d{4} \(comprometimento da chave\)$/,
    filter: /^\s*Só revogados \(1\)\s*$/,
  },
  en: {
    revoked: 'Revoked',
    revokedOn: /^Revoked on [A-Z][a-z]{2} \d{1,2}, \d{4} \(key compromise\)$/,
    filter: /^\s*Revoked only \(1\)\s*$/,
  },
} as const;

test.use({ viewport: { width: 1366, height: 768 } });
test.describe.configure({ timeout: 120_000 });

let ca: CaServer;
let folder: string;
const file = (name: CaCase) => join(folder, `${name}.pfx`);

test.beforeEach(async () => {
  ca = await startCaServer();
  // In the run's own results folder, not a shared temp folder; the files are readable by us only.
  folder = await mkdtemp(join(process.cwd(), 'test-results', 'revocation-'));
  await chmod(folder, 0o700);
  for (const name of ['valido', 'segundo-ponto', 'revogado'] as const)
    await writeFile(file(name), caPfx(ca.pki, name, true), { mode: 0o600 });
});
test.afterEach(async () => {
  await ca?.close();
  await rm(folder, { recursive: true, force: true });
});

for (const locale of ['pt-BR', 'en'] as const) {
  test(`${locale}: revoked after install — badge, filter, only Details/Delete, details and inspector say so`, async ({ page }) => {
    const app = new AppPage(page);
    const m = new ManagementPage(page);
    await app.rpc('settings:update', { locale, environment: 'producao', theme: 'light' });
    await m.seedExampleWorkspace();
    for (const name of ['valido', 'segundo-ponto'] as const) {
      const installed = await app.rpc('certificates:install', {
        environment: 'producao',
        path: file(name),
        password: CA_PFX_PASSWORD,
        selection: [{ branch: '0001', modules: ['faturamento'] }],
      });
      expect(installed.certificate.trust?.revocation.code).toBe('NOT_REVOKED');
    }

    // Revoked at the AC after install; a day later the background recheck asks again.
    ca.revoke('valido');
    await app.setClock(new Date(Date.now() + 25 * 3_600_000).toISOString());
    await app.bridge('/test/revocation-recheck', {});

    await app.open('/certificados');
    const revoked = m.row('EMPRESA VALIDO LTDA');
    const good = m.row('EMPRESA SEGUNDO-PONTO LTDA');
    await expect(revoked.getByTestId('revoked-badge')).toHaveText(TEXT[locale].revoked);
    await expect(revoked).toHaveAttribute('data-status', 'configured'); // it keeps its status
    await expect(good.getByTestId('revoked-badge')).toHaveCount(0);
    await expect(revoked.getByTestId('row-details')).toBeVisible();
    await expect(revoked.getByTestId('row-delete')).toBeVisible();
    await expect(revoked.getByTestId('row-edit')).toHaveCount(0);
    await expect(good.getByTestId('row-edit')).toHaveCount(1);

    const filter = page.getByTestId('revoked-filter');
    await expect(filter).toHaveText(TEXT[locale].filter);
    await expect(filter).toHaveAttribute('aria-pressed', 'false');
    await filter.click();
    await expect(filter).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('certificate-row')).toHaveCount(1);
    await expect(revoked).toHaveCount(1);
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/1366-revoked-list-${locale}.png` });
    const box = await filter.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(1366);

    await revoked.getByTestId('row-details').click();
    const details = page.getByTestId('installed-details');
    await expect(details.getByTestId('revoked-badge')).toHaveText(TEXT[locale].revoked);
    const card = details.getByTestId('trust-card');
    await expect(card.getByTestId('revocation')).toHaveAttribute('data-status', 'revoked');
    await expect(card.getByTestId('revocation-text')).toHaveText(TEXT[locale].revokedOn);
    await expect(card.getByTestId('trust-link')).toHaveCount(3);
    await expect(card.getByTestId('revocation-source')).toContainText(locale === 'en' ? 'CRL of' : 'LCR de');
    await expect(details.getByTestId('revoked-alert')).toContainText('284');
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/1366-revoked-details-${locale}.png` });
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/1366-revoked-details-trust-${locale}.png` });

    // The inspector, for a file revoked before it was ever installed: the network's answer replaces the one at hand.
    await app.setClock(null);
    await app.open('/inspecionar');
    await app.dropFiles([file('revogado')]);
    await app.typePassword(CA_PFX_PASSWORD);
    const inspected = page.getByTestId('trust-card');
    await expect(inspected.getByTestId('revocation')).toHaveAttribute('data-status', 'revoked', { timeout: 30_000 });
    await expect(inspected.getByTestId('revocation-text')).toHaveText(TEXT[locale].revokedOn);
    await expect(inspected.getByTestId('trust-checking')).toHaveCount(0);
    await expect(page.getByTestId('revoked-alert')).toContainText('284');
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/1366-revoked-inspector-${locale}.png` });
    await inspected.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/1366-revoked-inspector-trust-${locale}.png` });
  });
}

for (const locale of ['pt-BR', 'en'] as const) {
  test(`${locale}: the bulk table shows each file's chain and revocation once the network answers`, async ({ page }) => {
    const app = new AppPage(page);
    await app.rpc('settings:update', { locale, environment: 'producao', theme: 'light' });
    await app.open('/inspecionar');
    await app.dropFiles([file('valido'), file('revogado'), file('segundo-ponto')]);
    await page.getByTestId('shared-password').fill(CA_PFX_PASSWORD);
    await page.getByTestId('unlock-all').click();
    const trust = (name: string) =>
      page
        .getByTestId('bulk-row')
        .filter({ hasText: `${name}.pfx` })
        .getByTestId('row-trust');
    await expect(trust('revogado')).toHaveAttribute('data-revocation', 'revoked', { timeout: 30_000 });
    await expect(trust('valido')).toHaveAttribute('data-revocation', 'good', { timeout: 30_000 });
    await expect(trust('segundo-ponto')).toHaveAttribute('data-revocation', 'good', { timeout: 30_000 });
    await expect(trust('revogado')).toContainText(TEXT[locale].revoked);
    await expect(page.getByTestId('row-trust-checking')).toHaveCount(0);
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/1366-revoked-bulk-${locale}.png` });
  });
}

test('pt-BR: Substituir / Renovar with a revoked new file — the review says revoked and refuses it, Confirmar disabled', async ({
  page,
}) => {
  const app = new AppPage(page);
  const m = new ManagementPage(page);
  await app.rpc('settings:update', { locale: 'pt-BR', environment: 'producao', theme: 'light' });
  await m.seedExampleWorkspace();
  await app.rpc('certificates:install', {
    environment: 'producao',
    path: file('valido'),
    password: CA_PFX_PASSWORD,
    selection: [{ branch: '0001', modules: ['faturamento'] }],
  });
  await app.open('/certificados');
  await m.openDetails('EMPRESA VALIDO LTDA');
  await clickSteady(page.getByTestId('swap-open'));
  const dialog = page.getByTestId('swap-dialog');
  await untilSteady(dialog);
  await dialog.getByTestId('swap-file-input').setInputFiles(file('revogado'));
  await dialog.getByTestId('swap-password').locator('input').fill(CA_PFX_PASSWORD);
  await clickSteady(dialog.getByTestId('swap-review-button'));

  const review = dialog.getByTestId('swap-review');
  await expect(review.getByTestId('swap-trust')).toHaveAttribute('data-revocation', 'revoked', { timeout: 30_000 });
  await expect(review.getByTestId('swap-trust')).toContainText('Revogado');
  await expect(dialog.getByTestId('swap-refusal')).toContainText('Substituição recusada');
  await expect(dialog.getByTestId('swap-refusal')).toContainText(
    /Revogado em \d\d\/\d\d\/\d{4} \(comprometimento da chave\): o novo certificado não pode substituir o atual\./,
  );
  await expect(dialog.getByTestId('swap-confirm')).toBeDisabled();
  await expect(dialog.getByTestId('swap-confirm')).toBeInViewport({ ratio: 1 });
  await untilSteady(review);
  await app.settled();
  await page.screenshot({ path: `${SHOTS}/1366-swap-revoked-review-pt-BR.png` });

  await clickSteady(dialog.getByTestId('swap-cancel'));
  await expect(dialog).toBeHidden();
  const swaps = await app.rpc('swaps:list', { environment: 'producao' });
  expect(swaps).toEqual([]); // nothing was sent or kept
});

test.describe('on CertDesk Cloud', () => {
  test('pt-BR: revoked while the install waited — badge, filter, only Details/Delete, details with the source and time', async ({
    page,
    request,
  }) => {
    test.slow(); // through two servers: the browser mode and the cloud
    await CloudPage.resetServer(request);
    const app = new AppPage(page);
    const m = new ManagementPage(page);
    await app.rpc('settings:update', { locale: 'pt-BR', environment: 'producao', theme: 'light' });
    await new CloudPage(page).seedSignedIn('producao', ADMIN);
    await m.seedExampleWorkspace();
    const install = (name: CaCase) =>
      app.rpc('certificates:install', {
        environment: 'producao',
        path: file(name),
        password: CA_PFX_PASSWORD,
        selection: [{ branch: '0001', modules: ['faturamento'] }],
      });

    // The cloud reaches the CA stand-in at the addresses its certificates name (127.0.0.1, this
    // test's port: nothing of it is kept yet). The network holds while `valido` installs: the install stops waiting (5 s) and
    // answers "Não verificado"; the AC revokes it meanwhile, and the answer that comes once the
    // network is released is the revoked one, which the cloud keeps and the list shows.
    const release = ca.hold();
    try {
      expect((await install('valido')).certificate.trust?.revocation.status).toBe('unknown');
      ca.revoke('valido');
    } finally {
      release();
    }
    // Installed after: the same AC's CRL, which lists `valido` only.
    expect((await install('segundo-ponto')).certificate.trust?.revocation.code).toBe('NOT_REVOKED');
    await expect
      .poll(async () => (await app.rpc('certificates:list', { environment: 'producao' })).items.filter((r) => r.revoked).length, {
        timeout: 30_000,
      })
      .toBe(1);

    await app.open('/certificados');
    const revoked = m.row('EMPRESA VALIDO LTDA');
    const good = m.row('EMPRESA SEGUNDO-PONTO LTDA');
    await expect(revoked.getByTestId('revoked-badge')).toHaveText(TEXT['pt-BR'].revoked);
    await expect(revoked).toHaveAttribute('data-status', 'configured');
    await expect(good.getByTestId('revoked-badge')).toHaveCount(0);
    await expect(revoked.getByTestId('row-details')).toBeVisible();
    await expect(revoked.getByTestId('row-delete')).toBeVisible();
    await expect(revoked.getByTestId('row-edit')).toHaveCount(0);
    await expect(good.getByTestId('row-edit')).toHaveCount(1);

    const filter = page.getByTestId('revoked-filter');
    await expect(filter).toHaveText(TEXT['pt-BR'].filter);
    await filter.click();
    await expect(filter).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('certificate-row')).toHaveCount(1);
    await expect(revoked).toHaveCount(1);
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/1366-revoked-list-cloud-pt-BR.png` });

    await revoked.getByTestId('row-details').click();
    const details = page.getByTestId('installed-details');
    await expect(details.getByTestId('revoked-badge')).toHaveText(TEXT['pt-BR'].revoked);
    const card = details.getByTestId('trust-card');
    await expect(card.getByTestId('revocation')).toHaveAttribute('data-status', 'revoked');
    await expect(card.getByTestId('revocation-text')).toHaveText(TEXT['pt-BR'].revokedOn);
    await expect(card.getByTestId('revocation-source')).toContainText('LCR de');
    await expect(card.getByTestId('revocation-source')).toContainText(/\d\d\/\d\d\/\d{4}/);
    await expect(card.getByTestId('revocation-checked')).toContainText(/\d\d\/\d\d\/\d{4}/);
    await card.scrollIntoViewIfNeeded();
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/1366-revoked-details-cloud-pt-BR.png` });
  });
});
