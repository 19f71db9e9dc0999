/**
 * In the browser: the list answer carries rows (what the list shows), search
 * filters as typed, and the grid is driven by the keyboard; the details drawer reads the full
 * certificate when it opens. (The 10,000-row speed is `npm run bench`, section 5; the windowing at
 * 10,000 rows is tests/component/certificate-table.test.ts.)
 */
import { expect, test } from './fixture';
import { pfx } from '../fixtures';
import { AppPage } from './pages/app-page';
import { ManagementPage } from './pages/management-page';

/** Exactly what a list row holds (packages/shared/certificate-row.ts). */
const ROW_KEYS = ['certificate', 'daysRemaining', 'fileName', 'id', 'links', 'origin', 'status'];
const CERTIFICATE_KEYS = ['cnpj', 'cpf', 'fingerprints', 'holderName', 'notAfter', 'notBefore', 'type'];
/** A channel's answer, however the client escapes the colon in its address. */
const isAnswer = (channel: string) => (r: { url(): string }) => decodeURIComponent(new URL(r.url()).pathname) === `/rpc/${channel}`;

test('the list answer is rows; search filters as typed; arrows and Enter open the details with the full certificate', async ({ page }) => {
  const app = new AppPage(page);
  const m = new ManagementPage(page);
  await app.resetSettings();
  await m.seedExampleWorkspace();
  await m.seedInstall(pfx('v01_default.pfx'), ['0001']);
  await m.seedInstall(pfx('v42_other_company.pfx'), []);
  await m.seedInstall(pfx('v23_ecpf.pfx'), []);

  const answer = page.waitForResponse(isAnswer('certificates:list'));
  await app.open('/certificados');
  const list = (await (await answer).json()) as { ok: true; data: { items: Record<string, unknown>[] } };
  expect(list.data.items).toHaveLength(3);
  for (const item of list.data.items) {
    expect(Object.keys(item).sort()).toEqual(ROW_KEYS);
    expect(Object.keys(item['certificate'] as object).sort()).toEqual(CERTIFICATE_KEYS);
    expect(Object.keys((item['certificate'] as { fingerprints: object }).fingerprints)).toEqual(['sha256']);
  }

  const rows = page.getByTestId('certificate-row');
  const count = page.getByTestId('certificate-count');
  await expect(rows).toHaveCount(3);
  const search = page.getByTestId('certificate-search');

  // By name, any case; by CNPJ typed with punctuation; Backspace to nothing brings all back.
  await search.pressSequentially('outra');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-holder', 'OUTRA EMPRESA SA');
  await expect(count).toHaveAttribute('data-count', '1');
  await search.fill('');
  await search.pressSequentially('11.222.333/0001');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-holder', 'EMPRESA EXEMPLO LTDA');
  await search.fill('nada disso');
  await expect(page.getByTestId('no-match')).toBeVisible();
  await expect(count).toHaveAttribute('data-count', '0');
  await search.fill('');
  await expect(rows).toHaveCount(3);

  // Name order, then the keyboard: one tab stop in the grid, ArrowDown to the second row, Enter.
  await page.getByRole('radio', { name: 'Nome' }).check({ force: true });
  await expect(rows.first()).toHaveAttribute('data-holder', 'EMPRESA EXEMPLO LTDA');
  await expect(page.locator('[data-testid="certificate-row"][tabindex="0"]')).toHaveCount(1);
  await rows.first().focus();
  await page.keyboard.press('ArrowDown');
  const second = await rows.nth(1).getAttribute('data-holder');
  await expect(rows.nth(1)).toBeFocused();
  await expect(rows.nth(1)).toHaveAttribute('tabindex', '0');
  const details = page.waitForResponse(isAnswer('certificates:get'));
  await page.keyboard.press('Enter');
  expect((await details).ok()).toBe(true);
  const drawer = page.getByTestId('installed-details');
  await expect(drawer).toBeVisible();
  // What only the full certificate has: the SHA-1 fingerprint.
  await expect(drawer.getByTestId('fingerprint-sha1')).toHaveText(/^[0-9a-f]{40}$/);
  await expect(page.getByTestId('holder-name')).toHaveText(second!);
});
