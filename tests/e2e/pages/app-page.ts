/** Page object for the CertDesk shell in Chromium through the test bridge. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { expect, type Page } from '@playwright/test';

export class AppPage {
  constructor(readonly page: Page) {}

  async open(route = '/'): Promise<void> {
    await this.page.goto(`/#${route}`);
    await expect(this.page.getByTestId('app-shell')).toHaveAttribute('data-ready', 'true');
  }

  /** POST to the test bridge from the page (the access cookie goes along), e.g. `/rpc/settings:update`. */
  async bridge(path: string, body: unknown): Promise<void> {
    await this.page.evaluate(
      async ({ path, body }) => {
        const response = await fetch(path, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (!response.ok) throw new Error(`bridge ${path}: HTTP ${response.status}`);
      },
      { path, body },
    );
  }

  /** Reset preferences through the bridge itself, as the app would, so specs start alike. */
  async resetSettings(): Promise<void> {
    await this.page.goto('/');
    await this.bridge('/rpc/settings:update', { locale: 'pt-BR', environment: 'producao', theme: 'light' });
  }

  /** Move the core's clock through the test bridge (null: real time again). */
  async setClock(now: string | null): Promise<void> {
    await this.bridge('/test/clock', { now });
  }

  nav(label: string) {
    return this.page.getByTestId('nav').getByText(label, { exact: true });
  }

  /** Drop real files on the window the way the OS does: a DataTransfer carrying File objects. */
  async dropFiles(paths: string[], target = 'body'): Promise<void> {
    const files = await Promise.all(
      paths.map(async (path) => ({ name: basename(path), data: (await readFile(path)).toString('base64') })),
    );
    await this.page.evaluate(
      ({ files, target }) => {
        const transfer = new DataTransfer();
        for (const file of files) {
          const bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
          transfer.items.add(new File([bytes], file.name, { type: 'application/x-pkcs12' }));
        }
        const element = document.querySelector(target)!;
        for (const type of ['dragenter', 'dragover', 'drop']) {
          element.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
        }
      },
      { files, target },
    );
  }

  /** The dialog puts the caret in the field: typing and Enter is all a user does. */
  async typePassword(password: string, options: { remember?: boolean } = {}): Promise<void> {
    const input = this.page.getByTestId('password-input');
    await expect(input).toBeFocused();
    await input.fill(password);
    if (options.remember) {
      await this.page.getByTestId('remember-password').click();
      await input.focus();
    }
    await input.press('Enter');
  }
}
