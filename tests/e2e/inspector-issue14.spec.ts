import { resolve } from 'node:path';
import { expect, test } from './fixture';
import { BAD_DIR, PASSWORD, pfx } from '../fixtures';
import { AppPage } from './pages/app-page';

// Issue 14 through the whole app (renderer → bridge → worker pool → engine): files other software
// writes are read, and what is not a readable PFX says what it is.

test.beforeEach(async ({ page }) => {
  await new AppPage(page).resetSettings();
});

test('a key-only file says "sem certificado" and names the key; a Java keystore gives the keytool command', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/inspecionar');
  await app.dropFiles([pfx('v46_key_only.p12')]);
  await app.typePassword(PASSWORD);
  const error = page.getByTestId('inspect-error');
  await expect(error).toContainText('O arquivo é válido, mas está sem certificado');
  await expect(error).toContainText('RSA 2048 bits');

  await page.getByTestId('inspect-another').click();
  await page.getByTestId('file-input').setInputFiles(resolve(BAD_DIR, 'keystore.jks'));
  await expect(page.getByTestId('inspect-error')).toContainText('keytool -importkeystore');
});

test('seven CA certificates are all listed; padding, PBMAC1 and ML-DSA files open with their warnings', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/inspecionar');
  await app.dropFiles([pfx('v51_seven_cas.p12')]);
  await app.typePassword(PASSWORD);
  await expect(page.getByTestId('extra-certificate')).toHaveCount(6);

  await page.getByTestId('inspect-another').click();
  await app.dropFiles([pfx('v49_mldsa65.p12')]);
  await app.typePassword(PASSWORD);
  await expect(page.getByTestId('private-key')).toContainText('não conferida');
  await expect(page.getByTestId('protection-warning')).toContainText('algoritmo sem suporte');

  await page.getByTestId('inspect-another').click();
  await app.dropFiles([pfx('v45_dotnet_zero_padding.pfx')]);
  await app.typePassword(PASSWORD);
  await expect(page.getByTestId('protection-warning')).toContainText('bytes extras');

  await page.getByTestId('inspect-another').click();
  await app.dropFiles([pfx('v47_pbmac1_sha256.p12')]);
  await app.typePassword(PASSWORD);
  await expect(page.getByTestId('holder-name')).toHaveText('EMPRESA EXEMPLO LTDA');
});
