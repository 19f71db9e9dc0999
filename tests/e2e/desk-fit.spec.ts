/**
 * Every screen at the two laptop sizes Brazilian offices have most (1366×768 and 1280×720), with the
 * menu open, at 100% zoom, in both languages: nothing scrolls sideways, nothing sticks out on the
 * right, the list's last row can be reached and seen whole. Each screen is also photographed
 * (test-results/screens/fit-<size>-<screen>-<locale>.png) for a person to look at.
 */
import type { Page } from '@playwright/test';
import { PASSWORD, pfx } from '../fixtures';
import { expect as baseExpect, test } from './fixture';
import { AppPage } from './pages/app-page';
import { ManagementPage } from './pages/management-page';
import { cutOnTheRight, DESK_SIZES, sidewaysScroll } from './pages/desk-checks';
import { clickSteady, untilSteady } from './pages/steady';

// The file's tests share nothing (each starts from its own reset): the two workers may split them,
// so the longest file of the suite is not one worker's alone.
test.describe.configure({ mode: 'parallel' });

const SHOTS = 'test-results/screens';
const expect = baseExpect.configure({ timeout: 20_000 });
const LOCALES = ['pt-BR', 'en'] as const;

async function checkFits(page: Page, name: string): Promise<void> {
  const app = new AppPage(page);
  await app.settled();
  expect.soft(await sidewaysScroll(page), `${name}: nothing scrolls sideways`).toEqual([]);
  expect
    .soft(await cutOnTheRight(page, 'button, input, [role="row"], h1, [data-testid]'), `${name}: nothing is cut on the right`)
    .toEqual([]);
  const size = page.viewportSize()!;
  await page.screenshot({ path: `${SHOTS}/fit-${size.width}-${name}.png` });
}

for (const size of DESK_SIZES) {
  for (const locale of LOCALES) {
    test.describe(`${size.width}×${size.height} ${locale}`, () => {
      test.use({ viewport: size, timezoneId: 'America/Sao_Paulo' });
      test.describe.configure({ timeout: 180_000 });

      test('every screen fits with the menu open', async ({ page }) => {
        const app = new AppPage(page);
        const m = new ManagementPage(page);
        await app.rpc('settings:update', { locale, environment: 'producao', theme: 'light' });
        await m.seedExampleWorkspace();
        // Enough rows to fill the list and more, long holder names and every status of the list.
        await m.seedInstall(pfx('v01_default.pfx'), ['0001', '0002', '0003']);
        await m.seedInstall(pfx('v42_other_company.pfx'), ['0101']);
        // v41 (the alphanumeric CNPJ) comes through the wizard below: seeded here, the wizard would stop on
        // it as a duplicate before its summary.
        // Other certificates of the fixtures (a variant of one already installed is refused as a duplicate: fine).
        for (const file of ['v23_ecpf.pfx', 'v25_rsa4096.pfx', 'v26_ec_p256.pfx', 'v15_chain_certfile.pfx', 'v33_java_two_keys.p12']) {
          await app
            .rpc('certificates:install', { environment: 'producao', path: pfx(file), password: PASSWORD, selection: [] })
            .catch(() => null);
        }

        await app.open('/certificados');
        await expect(m.row('OUTRA EMPRESA SA')).toHaveCount(1);

        await page.getByTestId('add-certificate').click();
        await expect(page.getByTestId('wizard')).toBeVisible();
        await checkFits(page, `wizard-${locale}`);
        // The summary never breaks inside a CNPJ (v41's alphanumeric one) or a day count.
        await m.chooseFile(pfx('v41_alnum_cnpj.pfx'), PASSWORD);
        await expect(page.getByTestId('wizard-summary')).toBeVisible();
        for (const piece of [page.getByTestId('wizard-document'), page.getByTestId('wizard-validity').locator('.nowrap')]) {
          for (const element of await piece.all()) {
            const lines = await element.evaluate((e) => {
              const range = document.createRange();
              range.selectNodeContents(e);
              return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
            });
            expect.soft(lines, `${await element.textContent()} stays on one line`).toBe(1);
          }
        }
        await checkFits(page, `wizard-branches-${locale}`);
        // Installed with no branch ("configuração disponível"): the longest holder name and the
        // alphanumeric CNPJ join the list.
        await m.next();
        await m.next();
        await m.submit({ production: true });
        await m.closeWizard();
        await expect(m.row('NOVA EMPRESA ALFA LTDA')).toHaveAttribute('data-status', 'available');
        await checkFits(page, `list-${locale}`);
        // The last row: scroll the list to its end; the row is inside the window, whole.
        const table = page.getByTestId('certificate-table');
        await table.evaluate((e) => (e.scrollTop = e.scrollHeight));
        const last = page.getByTestId('certificate-row').last();
        const box = (await last.boundingBox())!;
        expect(box.y + box.height, 'the last row is whole inside the window').toBeLessThanOrEqual(size.height);
        const tableBox = (await table.boundingBox())!;
        expect(box.y + box.height, 'the last row is whole inside the list').toBeLessThanOrEqual(tableBox.y + tableBox.height + 1);
        await expect(last.getByTestId('row-delete')).toBeInViewport();

        await last.getByTestId('row-details').click();
        await expect(page.getByTestId('installed-details')).toBeVisible();
        await checkFits(page, `details-${locale}`);
        await page.keyboard.press('Escape');
        await expect(page.getByTestId('installed-details')).toHaveCount(0);

        // Substituir / Renovar with the side-by-side review shown (the longest dialog): its title and
        // its buttons stay inside the window, only the body between them scrolls.
        const serving = page.locator('[data-testid="certificate-row"][data-holder="EMPRESA EXEMPLO LTDA"][data-status="configured"]');
        await clickSteady(serving.first().getByTestId('row-details'));
        await untilSteady(page.getByTestId('installed-details'));
        await clickSteady(page.getByTestId('swap-open'));
        const swap = page.getByTestId('swap-dialog');
        await untilSteady(swap);
        await swap.getByTestId('swap-file-input').setInputFiles(pfx('v25_rsa4096.pfx'));
        await swap.getByTestId('swap-password').locator('input').fill(PASSWORD);
        await clickSteady(swap.getByTestId('swap-review-button'));
        await expect(swap.getByTestId('swap-review')).toBeVisible();
        await expect(swap.getByTestId('swap-confirm')).toBeEnabled();
        for (const control of ['swap-confirm', 'swap-cancel', 'swap-review-button']) {
          await expect(swap.getByTestId(control), `${control} is inside the window with the review open`).toBeInViewport({ ratio: 1 });
        }
        await expect(swap.locator('.n-card-header'), 'the title is inside the window').toBeInViewport({ ratio: 1 });
        // The Tab order is the reading order: the body's last control, then Fechar, Revisar, Substituir agora.
        await swap.getByTestId('swap-cancel').focus();
        await page.keyboard.press('Shift+Tab');
        expect(await swap.locator('.n-card-content').evaluate((body) => body.contains(document.activeElement))).toBe(true);
        await swap.getByTestId('swap-review-button').focus();
        await page.keyboard.press('Tab');
        await expect(swap.getByTestId('swap-confirm')).toBeFocused();
        await checkFits(page, `swap-review-${locale}`);
        await clickSteady(swap.getByTestId('swap-cancel'));
        await expect(swap).toBeHidden();
        await page.keyboard.press('Escape');
        await expect(page.getByTestId('installed-details')).toHaveCount(0);

        await app.nav(locale === 'en' ? 'Inspect PFX' : 'Inspecionar PFX').click();
        await checkFits(page, `inspector-empty-${locale}`);
        await app.dropFiles([pfx('v12_empty_pass.pfx'), pfx('v44_key_mismatch.pfx'), pfx('v43_not_yet_valid.pfx'), pfx('v24_expired.pfx')]);
        await expect(page.getByTestId('bulk-progress')).toHaveText(locale === 'en' ? '4 of 4 files read' : '4 de 4 arquivos lidos');
        await page.getByTestId('shared-password').fill(PASSWORD);
        await page.getByTestId('unlock-all').click();
        await expect(page.locator('[data-testid="bulk-row"][data-status="done"]')).toHaveCount(4);
        await checkFits(page, `inspector-bulk-${locale}`);

        for (const [route, name] of [
          ['/vencimentos', 'expiries'],
          ['/historico', 'history'],
          ['/invoicy', 'invoicy'],
          ['/configuracoes', 'settings'],
        ] as const) {
          await app.open(route);
          await expect(page.locator('h1')).toBeVisible();
          await checkFits(page, `${name}-${locale}`);
        }

        // Twenty years on: every certificate expired, the list in its "delete only" state.
        await app.setClock('2046-01-01T00:00:00Z');
        await app.open('/certificados');
        await expect(m.row('OUTRA EMPRESA SA')).toHaveAttribute('data-status', 'expired');
        await checkFits(page, `list-expired-${locale}`);
        await app.setClock(null);
      });
    });
  }
}
