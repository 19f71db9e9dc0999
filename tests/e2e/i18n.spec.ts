/**
 * Every screen in the UI language. For each language the main screens are
 * walked with real data; on each one the text, placeholders, titles and the accessibility tree
 * (Chromium's own computed names, through the DevTools protocol) are checked: no kit placeholder
 * ("Por favor digite" / "Please Input"), no untranslated word, every control named, names in the
 * UI language. Screenshots at 1366×768 of the list and the details in both languages.
 */
import type { Page } from '@playwright/test';
import type { Locale } from '@certdesk/shared/contract';
import { expect, test } from './fixture';
import { PASSWORD, pfx } from '../fixtures';
import { AppPage } from './pages/app-page';
import { ManagementPage } from './pages/management-page';
import { clickSteady } from './pages/steady';

const SHOTS = 'test-results/screens';
test.use({ viewport: { width: 1366, height: 768 } });
// Every screen walked and audited through the accessibility tree: twice the default on a busy machine.
test.describe.configure({ timeout: 360_000 });

/** The names a user hears, as the product words them (renderer/i18n), per language. */
const NAMES = {
  'pt-BR': {
    nav: ['Navegação principal', 'Certificados', 'Inspecionar PFX', 'Vencimentos', 'Histórico', 'InvoiCy', 'Configurações'],
    add: 'Adicionar certificado',
    grid: 'Certificados',
    holder: 'Titular',
    details: 'Detalhes',
    search: 'Buscar por nome, CNPJ/CPF ou filial',
    sortExpiry: 'Vencimento',
    rejected: 'Módulo Faturamento não parametrizado na filial 0002',
    close: 'Fechar',
    choose: 'Escolher arquivo',
    fingerprints: 'Impressões digitais (hashes)',
    copySha256: 'Copiar o hash SHA-256',
    urlPlaceholder: 'https://… (o endereço informado pela InvoiCy)',
  },
  en: {
    nav: ['Main navigation', 'Certificates', 'Inspect PFX', 'Expiries', 'History', 'InvoiCy', 'Settings'],
    add: 'Add certificate',
    grid: 'Certificates',
    holder: 'Holder',
    details: 'Details',
    search: 'Search by name, CNPJ/CPF or branch',
    sortExpiry: 'Expiry',
    rejected: 'Module Faturamento is not parametrized on branch 0002',
    close: 'Close',
    choose: 'Choose file',
    fingerprints: 'Fingerprints (hashes)',
    copySha256: 'Copy the SHA-256 hash',
    urlPlaceholder: 'https://… (the address InvoiCy gave you)',
  },
} as const;
const SCREENS = ['certificates', 'inspector', 'expiries', 'history', 'invoicy', 'settings'] as const;

/** Text that must never be on screen in that language (kit defaults, words left untranslated). */
const FORBIDDEN: Record<Locale, RegExp[]> = {
  'pt-BR': [/Por favor/i, /Please/i, /\bworkspace\b/i, /Fingerprints/, /\bNo Data\b/i, /^close$/],
  en: [/Por favor/i, /Please (Input|Select)/i, /\bNo Data\b/i, /^close$/, /não parametrizado/, /Observação/, /Certificados/, /Instalado/],
};

/** Roles a user operates: each must have a name a screen reader can say. */
const CONTROLS = new Set([
  'button',
  'link',
  'textbox',
  'searchbox',
  'checkbox',
  'radio',
  'combobox',
  'menuitem',
  'tab',
  'switch',
  'spinbutton',
]);

interface AxNode {
  ignored: boolean;
  role?: { value: string };
  name?: { value: string };
}

/** Controls without a name, and every text a user can see or hear on the page now. */
async function audit(page: Page): Promise<{ unnamed: string[]; texts: string[] }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] };
    const live = nodes.filter((n) => !n.ignored && n.role);
    const unnamed = live.filter((n) => CONTROLS.has(n.role!.value) && !n.name?.value.trim()).map((n) => n.role!.value);
    const names = live.map((n) => n.name?.value ?? '').filter(Boolean);
    const attributes = await page.evaluate(() =>
      [...document.querySelectorAll('[placeholder], [title], [aria-label]')]
        .filter((e) => (e as HTMLElement).offsetParent !== null || e.closest('[role="dialog"]'))
        .flatMap((e) => ['placeholder', 'title', 'aria-label'].map((a) => e.getAttribute(a) ?? ''))
        .filter(Boolean),
    );
    // The kit draws a placeholder as text beside the field, so the page's text covers it too.
    const text = (await page.locator('body').innerText()).split('\n');
    return { unnamed, texts: [...names, ...attributes, ...text] };
  } finally {
    await cdp.detach();
  }
}

async function expectClean(page: Page, locale: Locale, screen: string): Promise<void> {
  const { unnamed, texts } = await audit(page);
  expect(unnamed, `${screen}: controls without an accessible name`).toEqual([]);
  const bad = texts.filter((text) => FORBIDDEN[locale].some((pattern) => pattern.test(text.trim())));
  expect(bad, `${screen}: text not in ${locale}`).toEqual([]);
}

for (const locale of ['pt-BR', 'en'] as const satisfies readonly Locale[]) {
  test(`every main screen speaks ${locale}: text, placeholders, accessible names`, async ({ page }) => {
    const app = new AppPage(page);
    const m = new ManagementPage(page);
    const n = NAMES[locale];
    const label = (screen: (typeof SCREENS)[number]) => n.nav[SCREENS.indexOf(screen) + 1]!;
    await app.rpc('settings:update', { locale, environment: 'producao', theme: 'light' });
    await m.seedExampleWorkspace();
    await m.seedInstall(pfx('v01_default.pfx'), ['0001', '0002'], { modules: { '0002': ['recebimento-cte', 'faturamento'] } });
    await m.seedInstall(pfx('v42_other_company.pfx'), []);

    // Certificados: the list, by role and name in the UI language.
    await app.open('/certificados');
    const nav = page.getByRole('navigation', { name: n.nav[0] });
    for (const screen of SCREENS) await expect(nav.getByRole('link', { name: label(screen) })).toBeVisible();
    await expect(page.getByRole('button', { name: n.add })).toBeVisible();
    const grid = page.getByRole('grid', { name: n.grid });
    await expect(grid.getByRole('columnheader', { name: n.holder })).toBeVisible();
    await expect(grid.getByRole('row', { name: /EMPRESA EXEMPLO LTDA/ }).getByRole('button', { name: n.details })).toBeVisible();
    await expect(page.getByRole('textbox', { name: n.search })).toBeVisible();
    await expect(page.getByRole('radio', { name: n.sortExpiry })).toBeVisible();
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/i18n-list-${locale}.png` });
    await expectClean(page, locale, 'Certificados');

    // The details drawer: the rejected module's observation in the UI language, the ✕ named.
    const details = await m.openDetails('EMPRESA EXEMPLO LTDA');
    await expect(details.locator('[data-testid="result-row"][data-installed="false"]')).toContainText(n.rejected);
    await expect(page.getByRole('button', { name: n.close }).first()).toBeVisible();
    await app.settled();
    await page.screenshot({ path: `${SHOTS}/i18n-details-${locale}.png` });
    await expectClean(page, locale, 'details');
    await page.keyboard.press('Escape');
    await expect(details).toHaveCount(0);

    // The wizard's first step.
    await clickSteady(page.getByRole('button', { name: n.add }));
    await expect(page.getByRole('button', { name: n.choose })).toBeVisible();
    await expectClean(page, locale, 'wizard');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('wizard')).toHaveCount(0);

    // Inspector with a file open: hashes card titled in the UI language.
    await nav.getByRole('link', { name: label('inspector') }).click();
    await app.dropFiles([pfx('v42_other_company.pfx')]);
    await app.typePassword(PASSWORD);
    await expect(page.getByText(n.fingerprints, { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: n.copySha256 })).toBeVisible();
    await expectClean(page, locale, 'inspector');

    for (const [key, path] of [
      ['expiries', '/vencimentos'],
      ['history', '/historico'],
      ['invoicy', '/invoicy'],
      ['settings', '/configuracoes'],
    ] as const) {
      await nav.getByRole('link', { name: label(key) }).click();
      await expect(page).toHaveURL(new RegExp(`#${path}$`));
      await expect(nav.getByRole('link', { name: label(key) })).toHaveAttribute('aria-current', 'page');
      await app.settled();
      await expectClean(page, locale, key);
    }

    // The InvoiCy address emptied: the field's own hint shows, in the UI language, never the kit's.
    await nav.getByRole('link', { name: label('invoicy') }).click();
    await page.getByTestId('invoicy-url').fill('');
    await expect(page.getByTestId('invoicy-url-item').locator('.n-input__placeholder')).toHaveText(n.urlPlaceholder);
    await expectClean(page, locale, 'invoicy, address emptied');
  });
}
