/**
 * The app-wide error sink (renderer/error-sink.ts) in the real page: a promise rejected with nobody
 * awaiting it is said once on screen in the UI's language, and the core's log gets its code and class
 * only — never the message, which may hold a path or a password a library put in it.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from './fixture';
import { AppPage } from './pages/app-page';

const SAID = {
  'pt-BR': 'Erro interno inesperado. Tente novamente.',
  en: 'Unexpected internal error. Please try again.',
} as const;

for (const locale of ['pt-BR', 'en'] as const) {
  test(`${locale}: an unhandled rejection is said in the UI language and logged as code and class only`, async ({ page }) => {
    const app = new AppPage(page);
    await app.rpc('settings:update', { locale });
    await app.open('/');
    const { logFile } = await app.rpc('app:info', undefined);
    const secret = `senha-${locale}-S3gr3d0 /home/joana/certificados/empresa.pfx`;

    // Rejected in the page, with no handler: only the window's `unhandledrejection` sees it.
    await page.evaluate((text) => {
      void Promise.reject(new TypeError(text));
    }, secret);

    const toast = page.locator('.n-message').filter({ hasText: SAID[locale] });
    await expect(toast).toHaveCount(1);
    await expect(page.locator('body')).not.toContainText(secret);

    // The log line arrives through app:logError; wait for it by reading the file, not by a timer.
    const line = '[renderer] promise error: INTERNAL (TypeError)';
    await expect.poll(async () => (await readFile(logFile, 'utf8').catch(() => '')).includes(line)).toBe(true);
    const log = await readFile(logFile, 'utf8');
    expect(log).not.toContain('S3gr3d0');
    expect(log).not.toContain('/home/joana');
  });
}
