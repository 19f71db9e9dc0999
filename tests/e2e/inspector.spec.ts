import { expect, test } from './fixture';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BAD_DIR, NON_ASCII_PASSWORD, PASSWORD, pfx } from '../fixtures';
import { AppPage } from './pages/app-page';

const SHOTS = 'test-results/screens';

test.beforeEach(async ({ page }) => {
  await new AppPage(page).resetSettings();
});

test('a remembered password opens the file next time without asking, until it is forgotten', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/inspecionar');
  await app.dropFiles([pfx('v42_other_company.pfx')]);
  await app.typePassword(PASSWORD, { remember: true });
  await expect(page.getByTestId('holder-name')).toHaveText('OUTRA EMPRESA SA');
  await expect(page.getByTestId('password-remembered')).toContainText('Senha lembrada neste computador');

  await app.inspectAnother();
  await app.dropFiles([pfx('v42_other_company.pfx')]);
  await expect(page.getByTestId('holder-name')).toHaveText('OUTRA EMPRESA SA');
  await expect(page.getByTestId('password-dialog')).toBeHidden();

  await page.getByTestId('forget-password').click();
  await expect(page.getByTestId('password-remembered')).toHaveCount(0);
  await app.inspectAnother();
  await app.dropFiles([pfx('v42_other_company.pfx')]);
  await expect(page.getByTestId('password-dialog')).toBeVisible();
});

test('many files fill a table with progress; one shared password unlocks them; the odd one unlocks alone', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/certificados');
  const files = [
    pfx('v01_default.pfx'),
    pfx('v23_ecpf.pfx'),
    pfx('v24_expired.pfx'),
    pfx('v12_empty_pass.pfx'),
    pfx('v13_nonascii_pass.pfx'),
    resolve(BAD_DIR, 'empty.pfx'),
  ];
  await app.dropFiles(files);

  await expect(page).toHaveURL(/inspecionar/);
  await expect(page.getByTestId('bulk-progress')).toHaveText('6 de 6 arquivos lidos');
  const rows = page.getByTestId('bulk-row');
  await expect(rows).toHaveCount(6);
  await expect(page.locator('[data-testid="bulk-row"][data-status="locked"]')).toHaveCount(4);
  await expect(page.locator('[data-testid="bulk-row"][data-status="error"]')).toContainText('O arquivo está vazio.');
  await expect(page.locator('[data-testid="bulk-row"][data-status="done"]')).toContainText('EMPRESA EXEMPLO LTDA'); // v12

  await page.getByTestId('shared-password').fill(PASSWORD);
  await page.getByTestId('unlock-all').click();
  await expect(page.locator('[data-testid="bulk-row"][data-status="done"]')).toHaveCount(4);
  await expect(page.locator('[data-testid="bulk-row"][data-status="locked"]')).toHaveCount(1);
  await expect(page.getByTestId('bulk')).toContainText('Expirado');
  await expect(page.getByTestId('bulk')).toContainText('529.982.247-25');

  await page.getByTestId('unlock-row').click();
  await app.typePassword(NON_ASCII_PASSWORD);
  await expect(page.locator('[data-testid="bulk-row"][data-status="locked"]')).toHaveCount(0);

  // Sorted by days left out of the box: the expired certificate first, unreadable files last.
  await expect(rows.first()).toContainText('v24_expired.pfx');
  await expect(rows.last()).toContainText('empty.pfx');
  await page.screenshot({ path: `${SHOTS}/inspector-bulk-pt-BR.png` });
  // Naive UI cycles ascending → unsorted (the order the files were dropped in) → descending.
  await page.getByRole('columnheader', { name: 'Dias' }).click();
  await expect(rows.first()).toContainText('v01_default.pfx');
  await expect(rows.last()).toContainText('empty.pfx');
  await page.getByRole('columnheader', { name: 'Dias' }).click();
  await expect(rows.first()).toContainText('empty.pfx');
  await expect(rows.last()).toContainText('v24_expired.pfx');

  // A row opens its details.
  await rows.filter({ hasText: 'v23_ecpf.pfx' }).click();
  await expect(page.getByTestId('holder-name')).toHaveText('FULANO DE TAL SOUZA');
  await expect(page.getByTestId('subject')).toContainText('L=São Paulo');
});

test('a folder picked from disk is read whole; the table exports to CSV and JSON', async ({ page }) => {
  const folder = mkdtempSync(join(tmpdir(), 'certdesk-e2e-folder-'));
  cpSync(pfx('v12_empty_pass.pfx'), join(folder, 'matriz.pfx'));
  cpSync(pfx('v41_alnum_cnpj.pfx'), join(folder, 'sub', 'ALFA.P12'), { recursive: true });
  cpSync(resolve(BAD_DIR, 'cert_only.cer'), join(folder, 'ignorado.cer'));

  const app = new AppPage(page);
  await app.open('/inspecionar');
  await page.getByTestId('folder-input').setInputFiles(folder);
  await expect(page.getByTestId('bulk-progress')).toHaveText('2 de 2 arquivos lidos');
  await page.getByTestId('shared-password').fill(PASSWORD);
  await page.getByTestId('unlock-all').click();
  await expect(page.locator('[data-testid="bulk-row"][data-status="done"]')).toHaveCount(2);
  await expect(page.getByTestId('bulk')).toContainText('12.ABC.345/01DE-35');

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(csv.suggestedFilename()).toMatch(/^certdesk-inspecao-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync((await csv.path())!, 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.trim().split('\r\n');
  expect(lines[0]).toContain('arquivo;situacao;titular;tipo;cnpj;cpf');
  expect(lines).toHaveLength(3);
  expect(text).toContain('NOVA EMPRESA ALFA LTDA;e-CNPJ;12ABC34501DE35');

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const exported = JSON.parse(readFileSync((await json.path())!, 'utf8'));
  expect(exported).toHaveLength(2);
  expect(exported.find((r: { file: string }) => r.file.endsWith('ALFA.P12'))).toMatchObject({
    ok: true,
    certificate: { cnpj: '12ABC34501DE35', holderName: 'NOVA EMPRESA ALFA LTDA' },
  });
  expect(JSON.stringify(exported)).not.toContain(PASSWORD);
});

test('screenshots of the inspector with v01, v23, v41 and v24', async ({ page }) => {
  const app = new AppPage(page);
  for (const [file, holder] of [
    ['v01_default.pfx', 'EMPRESA EXEMPLO LTDA'],
    ['v23_ecpf.pfx', 'FULANO DE TAL SOUZA'],
    ['v41_alnum_cnpj.pfx', 'NOVA EMPRESA ALFA LTDA'],
    ['v24_expired.pfx', 'EMPRESA VENCIDA LTDA'],
  ] as const) {
    await app.open('/inspecionar');
    await app.dropFiles([pfx(file)]);
    await app.typePassword(PASSWORD);
    await expect(page.getByTestId('holder-name')).toHaveText(holder);
    await expect(page.getByTestId('password-dialog')).toBeHidden();
    if (file === 'v24_expired.pfx') await expect(page.getByTestId('status-tag')).toHaveText('Expirado');
    if (file === 'v41_alnum_cnpj.pfx') await expect(page.getByTestId('holder-cnpj')).toHaveText('CNPJ 12.ABC.345/01DE-35');
    await page.screenshot({ path: `${SHOTS}/inspector-${file.replace(/\.pfx$/, '')}.png`, fullPage: true });
    await app.inspectAnother();
  }
});

test('broken files show their problem on their own row (v44, v28, v43)', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/inspecionar');
  await app.dropFiles([pfx('v44_key_mismatch.pfx'), pfx('v28_certs_only.pfx'), pfx('v43_not_yet_valid.pfx'), pfx('v01_default.pfx')]);
  await expect(page.getByTestId('bulk-progress')).toHaveText('4 de 4 arquivos lidos');
  await page.getByTestId('shared-password').fill(PASSWORD);
  await page.getByTestId('unlock-all').click();
  await expect(page.locator('[data-testid="bulk-row"][data-status="done"]')).toHaveCount(4);

  const row = (name: string) => page.getByTestId('bulk-row').filter({ hasText: name });
  // A key that belongs to another certificate is never "Válido": the status tag itself says not to install,
  // and the same problem is not said twice.
  await expect(row('v44_key_mismatch.pfx').getByTestId('status-tag')).toHaveText('Não instale: chave não corresponde');
  await expect(row('v44_key_mismatch.pfx')).not.toContainText('Válido');
  await expect(row('v44_key_mismatch.pfx').locator('[data-testid="row-problem"][data-code="KEY_MISMATCH"]')).toHaveCount(0);
  await expect(row('v28_certs_only.pfx').getByTestId('row-problem')).toHaveText('Sem chave privada');
  await expect(row('v43_not_yet_valid.pfx').getByTestId('status-tag')).toHaveText('Ainda não válido');
  await expect(row('v43_not_yet_valid.pfx').getByTestId('row-starts')).toHaveText('a partir de 01/01/2040');
  await expect(row('v43_not_yet_valid.pfx')).not.toContainText(/\b\d{4}\s*Ainda/);
  await expect(row('v01_default.pfx').getByTestId('row-problem')).toHaveCount(0);
});

test('"Desbloquear com esta senha" says which rows it could not open', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('/inspecionar');
  await app.dropFiles([pfx('v01_default.pfx'), pfx('v13_nonascii_pass.pfx')]);
  await expect(page.getByTestId('bulk-progress')).toHaveText('2 de 2 arquivos lidos');
  await page.getByTestId('shared-password').fill(PASSWORD);
  await page.getByTestId('unlock-all').click();
  const refused = page.getByTestId('bulk-row').filter({ hasText: 'v13_nonascii_pass.pfx' });
  await expect(refused).toHaveAttribute('data-status', 'locked');
  await expect(refused.getByTestId('row-wrong-password')).toHaveText('Senha incorreta ou arquivo danificado.');
  await expect(page.getByTestId('unlock-failed')).toHaveText('1 arquivo não abriu com esta senha');
  await expect(page.getByTestId('bulk-row').filter({ hasText: 'v01_default.pfx' }).getByTestId('row-wrong-password')).toHaveCount(0);
});
