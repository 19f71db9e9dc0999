import { resolve } from 'node:path';
import { expect, test } from './fixture';
import { BAD_DIR, PASSWORD, pfx } from '../fixtures';
import { AppPage } from './pages/app-page';

// Files other software writes, through the whole app (renderer → bridge → worker pool → engine): files other software
// writes are read, and what is not a readable PFX says what it is.

test.beforeEach(async ({ page }) => {
  await new AppPage(page).resetSettings();
});

test('a key-only file is read: a "Sem certificado" hero with the key, its warning, and a bulk row that says so', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/inspecionar');
  await app.dropFiles([pfx('v46_key_only.p12')]);
  await app.typePassword(PASSWORD);
  const hero = page.getByTestId('key-only-hero');
  await expect(hero.getByTestId('holder-name')).toHaveText('Sem certificado');
  await expect(hero.getByTestId('key-description')).toHaveText('RSA 2048 bits');
  await expect(page.getByTestId('protection-warning').first()).toContainText('está sem certificado');
  await expect(page.getByTestId('protection')).toContainText('AES');
  await expect(page.getByTestId('inspect-error')).toHaveCount(0);
  await expect(page.getByTestId('validity')).toHaveCount(0);
  await app.settled();
  await page.screenshot({ path: 'test-results/screens/inspector-key-only-pt-BR.png' });

  // In a batch it is a row that read, marked with its problem instead of a validity.
  await app.inspectAnother();
  await app.dropFiles([pfx('v46_key_only.p12'), pfx('v01_default.pfx')]);
  await page.getByTestId('shared-password').fill(PASSWORD);
  await page.getByTestId('unlock-all').click();
  await expect(page.locator('[data-testid="bulk-row"][data-status="done"]')).toHaveCount(2);
  await expect(page.locator('[data-testid="row-problem"][data-code="NO_CERTIFICATE"]')).toHaveText('Sem certificado');
});

test('a Java keystore gives the keytool command', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/inspecionar');
  await page.getByTestId('file-input').setInputFiles(resolve(BAD_DIR, 'keystore.jks'));
  await expect(page.getByTestId('inspect-error')).toContainText('keytool -importkeystore');
});

test('seven CA certificates are all listed; padding, PBMAC1 and ML-DSA files open with their warnings', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/inspecionar');
  await app.dropFiles([pfx('v51_seven_cas.p12')]);
  await app.typePassword(PASSWORD);
  await expect(page.getByTestId('extra-certificate')).toHaveCount(6);

  await app.inspectAnother();
  await app.dropFiles([pfx('v49_mldsa65.p12')]);
  await app.typePassword(PASSWORD);
  await expect(page.getByTestId('private-key')).toContainText('não conferida');
  await expect(page.getByTestId('protection-warning')).toContainText('algoritmo sem suporte');

  await app.inspectAnother();
  await app.dropFiles([pfx('v45_dotnet_zero_padding.pfx')]);
  await app.typePassword(PASSWORD);
  await expect(page.getByTestId('protection-warning')).toContainText('bytes extras');

  await app.inspectAnother();
  await app.dropFiles([pfx('v47_pbmac1_sha256.p12')]);
  await app.typePassword(PASSWORD);
  await expect(page.getByTestId('holder-name')).toHaveText('EMPRESA EXEMPLO LTDA');
});
