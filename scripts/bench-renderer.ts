/**
 * Bench section 5: the certificate list in Chromium with 10,000 certificates (the real renderer
 * over the browser mode), beside a reference measured in the same browser run:
 *
 * - first rows: from navigation to the first certificate row visible, for the app and for a plain
 *   HTML page that fetches the same list from the same server and builds a table of all 10,000 rows
 *   (no framework, no windowing). Alternated, median of ROUNDS each.
 * - a search keystroke: KEYSTROKES different searches, each timed from the keydown of one key to
 *   the next paint after the filtered list (its count and first row) is in the DOM. Median.
 * - the size of the list answer beside the full certificates it replaced.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { certificateRow, type CertificateRow } from '@certdesk/shared/certificate-row';
import { certificateView } from '@certdesk/shared/workspace';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/chromium';
import { createCore } from '#desktop/composition-root';
import { MemoryKeychain } from '../stand-ins/memory-keychain';
import { startBrowserModeServer } from '#desktop/browser-mode/browser-mode-server';
import { filterRows, indexRows } from '@certdesk/shared/certificate-search';
import { seedWorkspace } from './bench-workspace';
import { median } from './bench-stats';

const COUNT = 10_000;
const ROUNDS = 5;
/** [text already in the field, the one key timed]: each changes the list (checked below). */
const KEYSTROKES: [string, string][] = [
  ['empresa 9', '9'],
  ['432', '1'],
  ['empresa-7', '7'],
  ['empresa 12345', 'Backspace'],
  ['empresa 8', 'Backspace'],
  ['empresa 55', '5'],
  ['empresa 10', '0'],
];

/** The reference page: fetch the same list over the same server, then one plain table of every row. */
const REFERENCE_HTML = `<!doctype html><meta charset="utf-8"><title>referência</title><body><script>
fetch('/rpc/certificates:list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"environment":"producao"}' })
  .then((r) => r.json())
  .then(({ data }) => {
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const title of ['Titular', 'CNPJ / CPF', 'Válido até', 'Filiais / módulos', 'Situação']) head.insertCell().textContent = title;
    const body = table.createTBody();
    const date = new Intl.DateTimeFormat('pt-BR', { timeZone: 'UTC' });
    for (const c of data.items) {
      const row = body.insertRow();
      row.className = 'ref-row';
      row.insertCell().textContent = c.certificate.holderName + ' ' + c.fileName;
      row.insertCell().textContent = c.certificate.cnpj ?? c.certificate.cpf ?? '—';
      row.insertCell().textContent = date.format(new Date(c.certificate.notAfter)) + ' · ' + c.daysRemaining + ' dias';
      row.insertCell().textContent = c.links.map((l) => l.branch + ' · ' + l.module).join(', ');
      row.insertCell().textContent = c.status;
    }
    document.body.appendChild(table);
  });
</script></body>`;

async function firstRows(context: BrowserContext, url: string, row: string): Promise<number> {
  const page = await context.newPage();
  try {
    const start = performance.now();
    await page.goto(url);
    await page.locator(row).first().waitFor({ state: 'visible' });
    return performance.now() - start;
  } finally {
    await page.close();
  }
}

/**
 * Arm the in-page timer: keydown → filtered list in the DOM → next paint. A string, not a function:
 * tsx names inner functions with a helper the page does not have.
 */
async function arm(page: Page, expected: { count: number; first: string | null }): Promise<void> {
  await page.evaluate(`(() => {
    const expected = ${JSON.stringify(expected)};
    window.__keystroke = new Promise((done) => {
      let t0 = 0;
      document.addEventListener('keydown', () => (t0 = performance.now()), { once: true, capture: true });
      const observer = new MutationObserver(() => {
        const counter = document.querySelector('[data-testid="certificate-count"]');
        const row = document.querySelector('[data-testid="certificate-row"]');
        if (!t0 || counter?.dataset.count !== String(expected.count) || (row?.dataset.holder ?? null) !== expected.first) return;
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0)));
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
  })()`);
}

export async function benchRenderer(): Promise<[string, string][]> {
  const dir = await mkdtemp(join(tmpdir(), 'certdesk-bench-ui-'));
  const seeded = await seedWorkspace(dir, COUNT, 1_000);
  const core = await createCore({ dataDir: dir, shell: 'browser', version: 'bench', keychain: new MemoryKeychain() });
  const server = await startBrowserModeServer({
    handlers: core.handlers,
    staticDir: resolve('out/renderer-browser'),
    stagingDir: join(dir, 'stage'),
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    // What crosses the boundary: the slim rows, beside the full certificates they replaced.
    const full = JSON.stringify(await core.workspace.list('producao')).length;
    const slim = JSON.stringify((await core.handlers['certificates:list']({ environment: 'producao' })).items).length;

    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    // The access key becomes the session cookie first, so the timed loads are the list alone.
    await context.request.get(server.openUrl, { maxRedirects: 0 });
    await context.route(`${server.url}/bench-reference.html`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: REFERENCE_HTML }),
    );
    const app = `${server.url}/#/certificados`;
    const reference = `${server.url}/bench-reference.html`;
    // One untimed load of each warms the HTTP cache and the server alike.
    await firstRows(context, app, '[data-testid="certificate-row"]');
    await firstRows(context, reference, 'tr.ref-row');
    const appSamples: number[] = [];
    const referenceSamples: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      appSamples.push(await firstRows(context, app, '[data-testid="certificate-row"]'));
      referenceSamples.push(await firstRows(context, reference, 'tr.ref-row'));
    }

    // Keystrokes: the expected list is the store's own rule over the same rows (filtering is what
    // is timed here, its correctness is tested elsewhere).
    const now = new Date();
    const rows: CertificateRow[] = seeded.map((c) => certificateRow(certificateView(c, now)));
    const index = indexRows(rows);
    const expect = (text: string) => {
      const found = filterRows(index, { search: text, status: null, branch: null, sort: 'expiry' });
      return { count: found.length, first: found[0]?.certificate.holderName ?? null };
    };
    const page = await context.newPage();
    await page.goto(app);
    const search = page.getByTestId('certificate-search');
    await search.waitFor();
    const keystrokes: number[] = [];
    for (const [before, key] of KEYSTROKES) {
      const after = key === 'Backspace' ? before.slice(0, -1) : before + key;
      const [from, to] = [expect(before), expect(after)];
      if (from.count === to.count && from.first === to.first) throw new Error(`bench: "${before}" → "${after}" não muda a lista`);
      await search.fill(before);
      await page.waitForFunction(
        (n) => document.querySelector<HTMLElement>('[data-testid="certificate-count"]')?.dataset.count === String(n),
        from.count,
      );
      await arm(page, to);
      await search.press(key);
      keystrokes.push(Number(await page.evaluate('window.__keystroke')));
    }
    await search.fill('');
    const domRows = await page.locator('[data-testid="certificate-row"]').count();

    const ms = (v: number) => `${v.toFixed(0)} ms`;
    const mb = (chars: number) => `${(chars / 1e6).toFixed(1)} MB`;
    return [
      [
        `primeiras linhas na tela: CertDesk (${COUNT.toLocaleString('pt-BR')}; ${domRows} linhas no DOM; mediana de ${ROUNDS})`,
        ms(median(appSamples)),
      ],
      [`referência: tabela HTML simples das mesmas linhas, mesma ponte (mediana de ${ROUNDS})`, ms(median(referenceSamples))],
      [`busca: uma tecla → lista filtrada pintada (mediana de ${KEYSTROKES.length})`, ms(median(keystrokes))],
      ['busca: a tecla mais lenta', ms(Math.max(...keystrokes))],
      ['resposta da lista (linhas enxutas)', mb(slim)],
      ['referência: os mesmos certificados completos', mb(full)],
    ];
  } finally {
    await browser.close();
    await server.close();
    await core.close();
    await rm(dir, { recursive: true, force: true });
  }
}
