/**
 * The screens an administrator checks by looking, at the smallest common laptop size (1366×768),
 * in both languages ("screenshots at 1366×768 in pt-BR and en"): the list, the details of
 * an expired certificate and the guided setup. Each screen also asserts what it must say, so a
 * screenshot is never the only evidence.
 */
import { pfx } from '../fixtures';
import { expect, test } from './fixture';
import { AppPage } from './pages/app-page';
import { ManagementPage } from './pages/management-page';

const SHOTS = 'test-results/screens';
const LOCALES = ['pt-BR', 'en'] as const;
const TEXT = {
  'pt-BR': { expired: 'Expirado', setup: 'Configure Produção', title: 'Certificados' },
  en: { expired: 'Expired', setup: 'Set up Production', title: 'Certificates' },
} as const;

test.use({ viewport: { width: 1366, height: 768 } });

for (const locale of LOCALES) {
  test(`${locale}: the list and the details of an expired certificate, validity derived from today's clock`, async ({ page }) => {
    const app = new AppPage(page);
    const m = new ManagementPage(page);
    await app.rpc('settings:update', { locale, environment: 'producao', theme: 'light' });
    await m.seedExampleWorkspace();
    await m.seedInstall(pfx('v01_default.pfx'), ['0001', '0002']);
    await m.seedInstall(pfx('v42_other_company.pfx'), ['0101']);
    await app.open('/certificados');
    await expect(page.locator('h1')).toHaveText(TEXT[locale].title);
    await expect(m.row('OUTRA EMPRESA SA')).toHaveCount(1);
    // Links: the first whole, the others counted, never cut mid-tag; every one named for a screen reader.
    const links = m.row('EMPRESA EXEMPLO LTDA').locator('.links');
    await expect(links.getByTestId('more-links')).toHaveText(/^\+\d+$/);
    const [cell, first, more] = await Promise.all([
      links.boundingBox(),
      links.locator('.tag').first().boundingBox(),
      links.getByTestId('more-links').boundingBox(),
    ]);
    expect(more!.x + more!.width).toBeLessThanOrEqual(cell!.x + cell!.width + 0.5);
    expect(first!.width).toBeGreaterThan(40);
    await expect(links.locator('.visually-hidden')).toHaveText((await links.getAttribute('title'))!);
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/1366-list-${locale}.png` });

    // Twenty years on, the same stored facts read as expired everywhere, with no stale day count.
    await app.setClock('2046-01-01T00:00:00Z');
    await page.reload();
    const row = m.row('OUTRA EMPRESA SA');
    await expect(row).toHaveAttribute('data-status', 'expired');
    const details = await m.openDetails('OUTRA EMPRESA SA');
    await expect(details.getByTestId('status-tag')).toHaveText(TEXT[locale].expired);
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/1366-details-expired-${locale}.png` });
    await app.setClock(null);
  });

  test(`${locale}: the first-run screen and the guided setup fit the window`, async ({ page }) => {
    const app = new AppPage(page);
    await app.rpc('settings:update', { locale, environment: 'producao', theme: 'light' });
    await app.open('/certificados');
    await expect(page.getByTestId('workspace-setup')).toContainText(TEXT[locale].setup);
    await page.getByTestId('setup-guided').click();
    const form = page.getByTestId('setup-guided-form');
    await expect(form).toBeVisible();
    // Nothing spills sideways at this size: the page never scrolls horizontally.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, 'no horizontal scroll at 1366 px').toBeLessThanOrEqual(0);
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/1366-setup-guided-${locale}.png` });
  });
}
