/** Page object for InvoiCy: the stand-in service, the connection card, and answers held back on purpose. */
import type { APIRequestContext, Locator, Page, Route } from '@playwright/test';
import type { Environment } from '@certdesk/shared/contract';
import { BRIDGE_TOKEN } from '../fixture';
import { e2ePort } from '../../e2e-ports';
import { AppPage } from './app-page';

/** The stand-in service started by playwright.config.ts (scripts/invoicy-server.ts, demo keys in the README). */
const standin = () => `http://127.0.0.1:${e2ePort('invoicy')}`;
/** The service's address, as a user types it in the connection card. */
export const standinUrl = () => `${standin()}/aextensaocertificadosoap.aspx`;
export const DEMO_KEYS = { empPK: 'CERTDESK-DEMO-PK', ck: 'demo-ck-9099628c' };
/** What the connection shows before anything is saved (invoicy-service.ts DEFAULT_URLS). */
export const DEFAULT_URLS: Record<Environment, string> = {
  homologacao: 'https://homolog.invoicy.com.br/aextensaocertificadosoap.aspx',
  producao: 'https://app.invoicy.com.br/aextensaocertificadosoap.aspx',
};

const LOAD = 'invoicy:getSettings';

export class InvoicyPage {
  private readonly app: AppPage;
  private readonly held: { environment: Environment; asked: () => void; gate: Promise<void> }[] = [];
  private routed = false;

  constructor(readonly page: Page) {
    this.app = new AppPage(page);
  }

  get url(): Locator {
    return this.page.getByTestId('invoicy-url');
  }

  /**
   * Choose the action, type the document (and the password twice), send, and wait until the app has
   * read the answer to this very call (Homologação; needs `AppPage.watchAnswers()` before `open`).
   */
  async send(action: 'requestPassword' | 'download' | 'check', document: string, password?: string): Promise<void> {
    await this.page.getByTestId(`invoicy-action-${action}`).click();
    await this.page.getByTestId('invoicy-document').fill(document);
    if (password !== undefined) {
      await this.page.getByTestId('invoicy-password').fill(password);
      await this.page.getByTestId('invoicy-confirm').fill(password);
    }
    await this.app.afterAnswer(`invoicy:${action}`, 'homologacao', () => this.page.getByTestId('invoicy-send').click());
  }

  /**
   * "Salvar" on the connection card, and the app has read the core's answer (needs
   * `AppPage.watchAnswers()` before `open`): a call sent after this uses what was saved.
   */
  async save(environment: Environment): Promise<void> {
    await this.app.afterAnswer('invoicy:saveSettings', environment, () => this.page.getByTestId('invoicy-save').click());
  }

  /** Every certificate of the stand-in back in its starting state (11.222.333/0001-81 pendente de senha…). */
  static async resetStandin(request: APIRequestContext): Promise<void> {
    const response = await request.post(`${standin()}/test/reset`);
    if (response.status() !== 204) throw new Error(`the stand-in InvoiCy service did not reset (HTTP ${response.status()})`);
  }

  /**
   * Hold back the answer to the next connection load of `environment` (the core answers at once;
   * the page gets it late) until `release()`, which resolves once the app has read and applied it.
   * The first call must come before `open`: the page starts recording answers on its next document.
   */
  async holdNextLoad(environment: Environment): Promise<{ release: () => Promise<void> }> {
    await this.routeLoads();
    let open!: () => void;
    let asked!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const reached = new Promise<void>((resolve) => (asked = resolve));
    this.held.push({ environment, asked, gate });
    return {
      release: async () => {
        await reached; // the app did ask
        await this.app.afterAnswer(LOAD, environment, async () => open());
      },
    };
  }

  private async routeLoads(): Promise<void> {
    if (this.routed) return;
    this.routed = true;
    await this.app.watchAnswers();
    await this.page.route(
      (url) => decodeURIComponent(url.pathname) === `/rpc/${LOAD}`,
      async (route: Route) => {
        const { environment } = route.request().postDataJSON() as { environment: Environment };
        const index = this.held.findIndex((h) => h.environment === environment);
        if (index < 0) return route.continue();
        const [hold] = this.held.splice(index, 1);
        const response = await route.fetch({ headers: { ...route.request().headers(), 'X-CertDesk-Token': BRIDGE_TOKEN } });
        hold!.asked();
        await hold!.gate;
        await route.fulfill({ response });
      },
    );
  }
}
