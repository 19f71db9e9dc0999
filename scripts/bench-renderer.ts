/**
 * Bench section 5: the certificate list in Chromium with 10,000 certificates (the real renderer
 * over the test bridge): first render and one search keystroke. Reference in the same browser: a
 * plain HTML table of the same 10,000 rows.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/chromium';
import { createCore } from '#core/composition-root';
import { MemoryKeychain } from '../stand-ins/memory-keychain';
import { startBridge } from '../electron/test-bridge/bridge-server';
import { seedWorkspace } from './bench-workspace';

export async function benchRenderer(): Promise<[string, string][]> {
  const dir = await mkdtemp(join(tmpdir(), 'certdesk-bench-ui-'));
  await seedWorkspace(dir, 10_000, 1_000);
  const core = await createCore({ dataDir: dir, shell: 'browser', version: 'bench', keychain: new MemoryKeychain() });
  const bridge = await startBridge({ handlers: core.handlers, staticDir: resolve('out/renderer-bridge'), stagingDir: join(dir, 'stage') });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    // The access key becomes the session cookie first, so the timed load is the list alone.
    await page.request.get(bridge.openUrl, { maxRedirects: 0 });
    let start = performance.now();
    await page.goto(`${bridge.url}/#/certificados`);
    await page.locator('[data-testid="certificate-row"]').first().waitFor();
    const firstRender = performance.now() - start;
    const rendered = await page.locator('[data-testid="certificate-row"]').count();

    const search = page.getByTestId('certificate-search');
    start = performance.now();
    await search.fill('EMPRESA 9999 ');
    await page.locator('[data-testid="certificate-row"][data-holder="EMPRESA 9999 LTDA"]').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="certificate-row"]').length === 1);
    const keystroke = performance.now() - start;

    // Reference: the same rows as a plain table, no framework, no virtual scrolling.
    const reference = await page.evaluate(() => {
      const t0 = performance.now();
      const table = document.createElement('table');
      for (let i = 0; i < 10_000; i++) {
        const row = table.insertRow();
        for (const text of [
          `EMPRESA ${i} LTDA`,
          '11.222.333/0001-81',
          '01/01/2045',
          '6613',
          '0001 · Faturamento',
          'Instalado e configurado',
        ])
          row.insertCell().textContent = text;
      }
      document.body.appendChild(table);
      table.getBoundingClientRect(); // force layout
      return performance.now() - t0;
    });
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    return [
      [`primeira exibição da lista (10.000; ${rendered} linhas no DOM)`, ms(firstRender)],
      ['busca: digitar e filtrar até 1 linha', ms(keystroke)],
      ['referência: tabela HTML simples de 10.000 linhas', ms(reference)],
    ];
  } finally {
    await browser.close();
    await bridge.close();
    await core.close();
    await rm(dir, { recursive: true, force: true });
  }
}
