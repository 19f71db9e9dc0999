/** Page object for the CertDesk shell in Chromium through the browser mode. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { expect, type Page } from '@playwright/test';
import type { Channel, Envelope, Environment, RequestOf, ResponseOf } from '@certdesk/shared/contract';
import { clickSteady } from './steady';

/** What the page records once `watchAnswers` is on: each bridge answer the app has read. */
type AnswerLog = { __certdeskAnswers?: { channel: string; environment: string | null }[] };

export class AppPage {
  constructor(readonly page: Page) {}

  /**
   * From the next `open` on, the page records every bridge answer the app has read (channel and
   * the request's environment). The app applies an answer in the microtasks right after reading
   * it, so once a check in the page sees it recorded, the screen shows what the app did with it:
   * a test can wait for "the answer arrived" instead of for a while.
   */
  async watchAnswers(): Promise<void> {
    await this.page.addInitScript(() => {
      const answers: { channel: string; environment: string | null }[] = [];
      (window as unknown as AnswerLog).__certdeskAnswers = answers;
      const original = window.fetch.bind(window);
      window.fetch = async (input, init) => {
        const response = await original(input, init);
        const path = decodeURIComponent(new URL(response.url, location.href).pathname);
        if (!path.startsWith('/rpc/')) return response;
        let environment: string | null = null;
        try {
          environment = (JSON.parse(String(init?.body ?? '')) as { environment?: string }).environment ?? null;
        } catch {
          // no JSON body: a channel without an environment
        }
        const json = response.json.bind(response);
        response.json = async () => {
          const value: unknown = await json();
          answers.push({ channel: path.slice('/rpc/'.length), environment });
          return value;
        };
        return response;
      };
    });
  }

  /** How many answers to `channel` (for `environment`) the app has read so far; needs `watchAnswers`. */
  async answersRead(channel: Channel, environment: Environment | null): Promise<number> {
    return await this.page.evaluate(
      ({ channel, environment }) => {
        const log = (window as unknown as AnswerLog).__certdeskAnswers;
        if (!log) throw new Error('call AppPage.watchAnswers() before open()');
        return log.filter((a) => a.channel === channel && (environment === null || a.environment === environment)).length;
      },
      { channel, environment },
    );
  }

  /** Wait until the app has read at least `count` answers to `channel` (for `environment`) in this document. */
  async untilAnswered(channel: Channel, environment: Environment | null, count = 1): Promise<void> {
    await expect
      .poll(() => this.answersRead(channel, environment), {
        message: `the app read ${count} answer(s) to ${channel} (${environment ?? 'any'})`,
      })
      .toBeGreaterThanOrEqual(count);
  }

  /** Run `action`, then wait until the app has read one more answer to `channel` (for `environment`). */
  async afterAnswer(channel: Channel, environment: Environment | null, action: () => Promise<unknown>): Promise<void> {
    const before = await this.answersRead(channel, environment);
    await action();
    await expect
      .poll(() => this.answersRead(channel, environment), { message: `the app read the answer to ${channel} (${environment ?? 'any'})` })
      .toBeGreaterThan(before);
  }

  /**
   * The app in a fresh document on `route`, so its stores read what the core holds now (state a
   * test seeded through the bridge included), never what an earlier document had loaded. A bare
   * `goto('/#…')` from the same page would only change the hash and keep the old stores.
   */
  async open(route = '/'): Promise<void> {
    await this.page.goto('about:blank');
    await this.page.goto(`/#${route}`);
    await expect(this.page.getByTestId('app-shell')).toHaveAttribute('data-ready', 'true');
  }

  /**
   * POST to the browser mode with the context's access cookie (as the page would send it), e.g.
   * `/test/clock`; answers the JSON. Needs no page loaded: seeds go in before the app opens.
   */
  async bridge(path: string, body: unknown): Promise<unknown> {
    const response = await this.page.request.post(path, { data: body });
    if (!response.ok()) throw new Error(`browser mode ${path}: HTTP ${response.status()}`);
    return (await response.json()) as unknown;
  }

  /**
   * One channel of the core through the bridge, to seed what a test needs but does not test
   * (`certificates:install` takes a file path: the fixtures are on this machine). Fails the test
   * when the core answers an error, so a seed can never silently not happen.
   */
  async rpc<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    const envelope = (await this.bridge(`/rpc/${channel}`, request)) as Envelope<ResponseOf<C>>;
    if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code} ${envelope.error.message}`);
    return envelope.data;
  }

  /**
   * Wait until no finite CSS transition or animation is running (dialogs faded out, colours
   * settled), for screenshots; endless ones (spinners) are not waited for.
   */
  async settled(): Promise<void> {
    const running = () =>
      this.page.evaluate(
        () => document.getAnimations().filter((a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity).length,
      );
    await expect.poll(running, { message: 'every transition on the page has finished' }).toBe(0);
  }

  /** Preferences through the bridge itself, as the app would: Portuguese, Produção, light theme. */
  async resetSettings(): Promise<void> {
    await this.rpc('settings:update', { locale: 'pt-BR', environment: 'producao', theme: 'light' });
  }

  /** Move the core's clock through the browser mode (null: real time again). */
  async setClock(now: string | null): Promise<void> {
    await this.bridge('/test/clock', { now });
  }

  /** Switch the environment in the header: the switch shows it, and only Homologação wears its band. */
  async switchEnvironment(environment: Environment): Promise<void> {
    const choice = this.page.getByTestId(`env-${environment}`);
    await choice.click();
    await expect(choice).toHaveClass(/--checked/);
    await expect(this.page.getByTestId('homologacao-band')).toHaveCount(environment === 'homologacao' ? 1 : 0);
  }

  nav(label: string) {
    return this.page.getByTestId('nav').getByText(label, { exact: true });
  }

  /** Drop real files on the window the way the OS does: a DataTransfer carrying File objects. */
  async dropFiles(paths: string[], target = 'body'): Promise<void> {
    const files = await Promise.all(paths.map(async (path) => ({ name: basename(path), data: (await readFile(path)).toString('base64') })));
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
      const remember = this.page.getByTestId('remember-password');
      await clickSteady(remember);
      await expect(remember).toHaveClass(/n-checkbox--checked/);
      await input.focus();
    }
    await input.press('Enter');
  }

  /** "Inspecionar outro" on the inspector: the drop zone is back, ready for the next file. */
  async inspectAnother(): Promise<void> {
    await this.page.getByTestId('inspect-another').click();
    await expect(this.page.getByTestId('dropzone')).toBeVisible();
  }
}
