/**
 * The keyboard alone. The sidebar is reached with Tab and shows where the focus
 * is; the add wizard goes from the list to the installed row with Tab, Shift+Tab, Enter, Space,
 * arrows and typing — the only thing not typed is the OS file dialog, which Playwright stands in for
 * (the dialog is opened from the keyboard). Screens of the six steps at 1366×768 in both languages.
 */
import type { FileChooser, Page } from '@playwright/test';
import type { Locale } from '@certdesk/shared/contract';
import { expect, test } from './fixture';
import { PASSWORD, pfx } from '../fixtures';
import { AppPage } from './pages/app-page';
import { ManagementPage } from './pages/management-page';
import { untilSteady } from './pages/steady';

const SHOTS = 'test-results/screens';
test.use({ viewport: { width: 1366, height: 768 } });
// Six steps, each with a screenshot and dozens of key presses: twice the default on a busy machine.
test.describe.configure({ timeout: 360_000 });
// The file's tests share nothing (each starts from its own reset): the two workers may split them,
// so the longest file of the suite is not one worker's alone.
test.describe.configure({ mode: 'parallel' });

/** The element with the keyboard focus is inside the one with `testid`. */
const focusedIn = (page: Page, testid: string) =>
  page.evaluate((id) => document.activeElement?.closest(`[data-testid="${id}"]`) !== null, testid);

/** Press Tab (or Shift+Tab) until the focus is inside `testid`; fails after `max` presses. */
async function tabTo(page: Page, testid: string, options: { back?: boolean; max?: number } = {}): Promise<void> {
  for (let i = 0; i < (options.max ?? 40); i++) {
    if (await focusedIn(page, testid)) return;
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${options.back ? 'Shift+Tab' : 'Tab'} never reached ${testid}`);
}

/**
 * Playwright catches the OS file dialog only while someone listens for it, and it starts catching
 * when the first listener is added with a message it does not wait for: an Enter sent right after
 * `waitForEvent('filechooser')` could reach Chromium first, open a real dialog nobody answers, and
 * every later dialog of the page was refused (a run lost three in a row). So the page listens from
 * before it loads, and the dialog is caught from the first key press.
 */
function catchFileDialogs(page: Page): void {
  page.on('filechooser', () => undefined);
}

/** Enter on the focused `testid` opens the OS file dialog (caught: see catchFileDialogs). */
async function enterOpensFileChooser(page: Page, testid: string): Promise<FileChooser> {
  expect(await focusedIn(page, testid), `the focus is on ${testid} before Enter`).toBe(true);
  const chooser = page.waitForEvent('filechooser', { timeout: 15_000 });
  await page.keyboard.press('Enter');
  return await chooser;
}

/** The focused element draws a ring of at least 2 px (what :focus-visible shows). */
async function focusRing(page: Page): Promise<{ style: string; width: number }> {
  return await page.evaluate(() => {
    const style = getComputedStyle(document.activeElement!);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
}

const TEXT = {
  'pt-BR': {
    history: 'Histórico',
    certificates: 'Certificados',
    rejected: 'Módulo Faturamento não parametrizado na filial 0002',
    configured: 'Instalado e configurado',
  },
  en: {
    history: 'History',
    certificates: 'Certificates',
    rejected: 'Module Faturamento is not parametrized on branch 0002',
    configured: 'Installed and configured',
  },
} as const;

test('the sidebar is reached with Tab, shows a focus ring, and Enter opens the screen it names', async ({ page }) => {
  const app = new AppPage(page);
  await app.resetSettings();
  await app.open('/certificados');
  const nav = page.getByRole('navigation', { name: 'Navegação principal' });
  await expect(nav.getByRole('link', { name: 'Certificados' })).toHaveAttribute('aria-current', 'page');

  await page.locator('body').focus();
  await tabTo(page, 'nav-history');
  expect(await focusRing(page)).toMatchObject({ style: 'solid' });
  expect((await focusRing(page)).width).toBeGreaterThanOrEqual(2);
  await page.screenshot({ path: `${SHOTS}/keyboard-sidebar-focus-pt-BR.png` });
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/historico$/);
  await expect(nav.getByRole('link', { name: 'Histórico' })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('link', { name: 'Certificados' })).not.toHaveAttribute('aria-current', 'page');
  // Back with Shift+Tab to the first item.
  await tabTo(page, 'nav-certificates', { back: true });
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#\/certificados$/);

  // The sidebar narrows to its icons with a named button that says whether it is expanded.
  await tabTo(page, 'nav-toggle');
  const toggle = nav.getByRole('button', { name: 'Recolher menu' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Enter');
  const expand = nav.getByRole('button', { name: 'Expandir menu' });
  await expect(expand).toHaveAttribute('aria-expanded', 'false');
  // Collapsed, the links keep their names (icons only on screen).
  await expect(nav.getByRole('link', { name: 'Histórico' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Histórico' })).not.toContainText('Histórico');
  await app.settled();
  await page.screenshot({ path: `${SHOTS}/keyboard-sidebar-collapsed-pt-BR.png` });
  await page.keyboard.press('Space');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(nav.getByRole('link', { name: 'Histórico' })).toContainText('Histórico');
});

for (const locale of ['pt-BR', 'en'] as const satisfies readonly Locale[]) {
  test(`the add wizard end to end with the keyboard alone (${locale})`, async ({ page }) => {
    const app = new AppPage(page);
    const m = new ManagementPage(page);
    const text = TEXT[locale];
    catchFileDialogs(page);
    await app.rpc('settings:update', { locale, environment: 'producao', theme: 'light' });
    await m.seedExampleWorkspace();
    await app.open('/certificados');
    await page.locator('body').focus();

    // The list's "Add certificate", from the top of the page.
    await tabTo(page, 'add-certificate');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('wizard-file')).toBeVisible();
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/keyboard-wizard-1-file-${locale}.png` });

    // 1. File: Enter on "Choose file" opens the OS dialog (Playwright answers it).
    await tabTo(page, 'wizard-choose');
    await (await enterOpensFileChooser(page, 'wizard-choose')).setFiles(pfx('v01_default.pfx'));

    // 2. Password: the field has the focus already; type and Enter.
    await expect(page.getByTestId('wizard-password-input')).toBeFocused();
    await page.keyboard.type(PASSWORD);
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/keyboard-wizard-2-password-${locale}.png` });
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('wizard-branches')).toBeVisible();
    await expect(page.getByTestId('wizard-subject')).toHaveText('EMPRESA EXEMPLO LTDA');

    // 3. Branches: the picker opens with the arrow key, typing filters, Enter picks, Tab to "Add", Enter.
    for (const code of ['0001', '0002']) {
      await tabTo(page, 'branch-select', { back: true });
      await page.keyboard.press('ArrowDown');
      await expect(page.locator('.branch-menu')).toBeVisible();
      await page.keyboard.type(code);
      await page.keyboard.press('Enter');
      await expect(page.locator('.branch-menu')).toBeHidden();
      await tabTo(page, 'add-branch');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('chosen-branch').filter({ hasText: code })).toBeVisible();
    }
    await expect(page.getByTestId('chosen-branch')).toHaveCount(2);
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/keyboard-wizard-3-branches-${locale}.png` });
    await tabTo(page, 'wizard-next');
    await page.keyboard.press('Enter');

    // 4. Modules: Space ticks Faturamento on 0002, where it is not parametrized.
    await expect(page.getByTestId('wizard-modules')).toBeVisible();
    await tabTo(page, 'module-0002-faturamento');
    await page.keyboard.press('Space');
    await expect(page.getByTestId('module-0002-faturamento')).toHaveAttribute('aria-checked', 'true');
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/keyboard-wizard-4-modules-${locale}.png` });
    await tabTo(page, 'wizard-next');
    await page.keyboard.press('Enter');

    // 5. Review: the observation in the UI language, then install and the Produção question.
    const review = page.getByTestId('wizard-review');
    await expect(review.locator('[data-testid="link-result"][data-installed="false"]')).toContainText(text.rejected);
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/keyboard-wizard-5-review-${locale}.png` });
    await tabTo(page, 'wizard-submit');
    await page.keyboard.press('Enter');
    // The question has finished coming in (its focus trap has taken the focus) before Tab moves in it.
    await untilSteady(page.getByTestId('confirm-production'));
    await tabTo(page, 'confirm-production');
    await page.keyboard.press('Enter');
    await expect(page.locator('.n-dialog')).toHaveCount(0);

    // 6. Result, then close.
    const result = page.getByTestId('wizard-result');
    await expect(result.locator('[data-testid="link-result"][data-installed="true"]')).toHaveCount(4);
    await expect(result).toContainText(text.rejected);
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/keyboard-wizard-6-result-${locale}.png` });
    await tabTo(page, 'wizard-close');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('wizard')).toBeHidden();

    // The list: the new row, reached with Tab, opens its details with Enter.
    const row = m.row('EMPRESA EXEMPLO LTDA');
    await expect(row).toHaveAttribute('data-status', 'configured');
    await expect(row.getByTestId('installed-status')).toHaveText(text.configured);
    await tabTo(page, 'certificate-row');
    expect(await focusRing(page)).toMatchObject({ style: 'solid' });
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('installed-details')).toBeVisible();
    await expect(page.getByTestId('installed-details').locator('[data-testid="result-row"][data-installed="false"]')).toContainText(
      text.rejected,
    );
  });
}
