/**
 * Dates and days as an administrator in Brasília or Manaus reads them: every date and hour in the
 * browser's zone, days counted in that zone's calendar, the hour on the last two days — the same in
 * the list, the details, Vencimentos, the history and the bulk inspector. The fixtures end at
 * 2045-01-01T00:00Z, which is 31/12/2044 at 21:00 in Brasília and 20:00 in Manaus.
 */
import { pfx, PASSWORD } from '../fixtures';
import { expect as baseExpect, test } from './fixture';
import { AppPage } from './pages/app-page';
import { ManagementPage } from './pages/management-page';

const SHOTS = 'test-results/screens';
/** A shared, loaded machine: a drawer's two reads can take more than the default 5 s. */
const expect = baseExpect.configure({ timeout: 20_000 });
const ZONES = [
  { timezoneId: 'America/Sao_Paulo', hour: '21:00', installedAt: '06/12/2044 21:46', lastDay: 'hoje, 21:00' },
  { timezoneId: 'America/Manaus', hour: '20:00', installedAt: '06/12/2044 20:46', lastDay: 'hoje, 20:00' },
] as const;

for (const zone of ZONES) {
  test.describe(`in ${zone.timezoneId}`, () => {
    test.use({ timezoneId: zone.timezoneId, viewport: { width: 1366, height: 768 } });
    // Several screens and clock moves in one story: more than the default 30 s on a shared, loaded machine.
    test.describe.configure({ timeout: 120_000 });

    test('list, details, Vencimentos and history count days and show hours in the local calendar', async ({ page }) => {
      const app = new AppPage(page);
      const m = new ManagementPage(page);
      await app.resetSettings();
      // 21:46 (20:46) on 06/12 locally is already 07/12 in UTC: the history must say 06/12.
      await app.setClock('2044-12-07T00:46:00Z');
      await m.seedExampleWorkspace();
      await m.seedInstall(pfx('v01_default.pfx'), ['0001']);
      await app.open('/certificados');

      const row = m.row('EMPRESA EXEMPLO LTDA');
      await expect(row.getByTestId('row-valid-until')).toHaveText('31/12/2044'); // not the UTC date 01/01/2045
      await expect(row.getByTestId('row-days')).toHaveText('25 dias'); // 06/12 → 31/12 in the calendar
      await row.getByTestId('row-details').click();
      const details = page.getByTestId('installed-details');
      await expect(details.getByTestId('validity')).toContainText('31/12/2024 a 31/12/2044');
      await expect(details.getByTestId('status-tag')).toHaveText('Vence em 25 dias');
      await expect(details).toContainText(`Instalado por`);
      await expect(details.getByTestId('history-entry').first()).toContainText(zone.installedAt);
      await page.keyboard.press('Escape');
      await expect(details).toHaveCount(0);

      await app.nav('Histórico').click();
      await expect(page.getByTestId('history-entry').first()).toContainText(zone.installedAt);

      // It ends in December locally (January in UTC): Vencimentos puts it in December.
      await app.nav('Vencimentos').click();
      await expect(page.locator('[data-month="2044-12"]').getByTestId('expiry-pill')).toContainText('31/12/2044 · 25 dias');
      await expect(page.locator('[data-month="2045-01"]').getByTestId('expiry-pill')).toHaveCount(0);

      // The last day: "hoje" with the hour, in the list and the details.
      await app.setClock('2044-12-31T12:00:00Z');
      await app.open('/certificados');
      await expect(row.getByTestId('row-days')).toHaveText(zone.lastDay);
      await row.getByTestId('row-details').click();
      await expect(details.getByTestId('status-tag')).toHaveText(`Vence hoje às ${zone.hour}`);
      await expect(details.getByTestId('days-left')).toHaveText(`Vence hoje às ${zone.hour}`);
      await page.screenshot({ path: `${SHOTS}/local-time-details-${zone.timezoneId.replace('/', '-')}.png` });
      await page.keyboard.press('Escape');
      await expect(details).toHaveCount(0);

      // 00:30 on 01/01 in Brasília is 23:30 on 31/12 in Manaus: "ontem" in one, "hoje" in the other.
      await app.setClock('2045-01-01T03:30:00Z');
      await app.open('/certificados');
      await expect(row).toHaveAttribute('data-status', 'expired');
      await expect(row.getByTestId('row-days')).toHaveText(
        zone.timezoneId === 'America/Sao_Paulo' ? 'venceu ontem, 21:00' : 'venceu hoje, 20:00',
      );
      await app.setClock(null);
    });

    test('the bulk inspector counts calendar days, never shows a negative count, and never calls a key mismatch valid', async ({
      page,
    }) => {
      const app = new AppPage(page);
      await app.resetSettings();
      await app.open('/inspecionar');
      await app.dropFiles([pfx('v12_empty_pass.pfx'), pfx('v44_key_mismatch.pfx')]);
      await page.getByTestId('shared-password').fill(PASSWORD);
      await page.getByTestId('unlock-all').click();
      const mismatch = page.locator('[data-testid="bulk-row"][data-status="done"]').filter({ hasText: 'v44_key_mismatch' });
      await expect(mismatch.getByTestId('status-tag')).toHaveText('Não instale: chave não corresponde');
      await expect(mismatch).not.toContainText('Válido');

      await app.setClock('2045-01-02T12:00:00Z'); // the fixtures ended two local days ago
      await app.open('/inspecionar');
      await app.dropFiles([pfx('v12_empty_pass.pfx'), pfx('v01_default.pfx')]);
      await page.getByTestId('shared-password').fill(PASSWORD);
      await page.getByTestId('unlock-all').click();
      const rows = page.locator('[data-testid="bulk-row"][data-status="done"]');
      await expect(rows).toHaveCount(2);
      await expect(rows.first()).toContainText('31/12/2044');
      await expect(rows.first()).toContainText('venceu há 2 dias');
      await expect(page.getByTestId('bulk')).not.toContainText('-2');
      await app.setClock(null);
    });
  });
}
