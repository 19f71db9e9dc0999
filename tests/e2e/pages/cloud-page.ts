/** Page object for the cloud data source: CertDesk Cloud (cloud-service/), the Configurações card, sign-in. */
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { Environment } from '@certdesk/shared/contract';
import { e2ePort } from '../../e2e-ports';
import { AppPage } from './app-page';

/** CertDesk Cloud started by playwright.config.ts (cloud-service/dist-testing/server.js --demo, with /test/reset). */
export const cloudServer = () => `http://127.0.0.1:${e2ePort('cloud')}`;
/** The address of its API, as a user types it in Configurações. */
export const cloudApi = () => `${cloudServer()}/api/v1`;
/** Demo accounts of `cloud:server --demo` (cloud-service/service.ts, DEMO_USERS). */
export const ADMIN = { login: 'EXEMPLO.admin', password: 'Admin#2026' };
export const READER = { login: 'EXEMPLO.joao', password: 'Leitura#2026' };

export class CloudPage {
  private readonly app: AppPage;

  constructor(readonly page: Page) {
    this.app = new AppPage(page);
  }

  /** Empty tenants on the server (no workspace, certificates, history, sessions or sign-in locks). */
  static async resetServer(request: APIRequestContext): Promise<void> {
    const response = await request.post(`${cloudServer()}/test/reset`);
    if (response.status() !== 204) throw new Error(`CertDesk Cloud did not reset (HTTP ${response.status()})`);
  }

  /**
   * Seed through the bridge: `environment` served by CertDesk Cloud, signed in as `user`.
   * Certificates and workspace seeded after this (ManagementPage.seed…) land on the server.
   */
  async seedSignedIn(environment: Environment, user: { login: string; password: string }): Promise<void> {
    await this.app.rpc('backend:set', { environment, kind: 'cloud', url: cloudApi() });
    const info = await this.app.rpc('cloud:signIn', { environment, method: 'cloud', ...user });
    expect(info.session, `${user.login} is signed in`).toBeTruthy();
  }

  /** Through Configurações: this environment's data comes from CertDesk Cloud (then it asks to sign in). */
  async choose(): Promise<void> {
    await this.page.getByTestId('backend-cloud').click();
    await this.page.getByTestId('backend-url').fill(cloudApi());
    await this.page.getByTestId('backend-apply').click();
    await expect(this.page.getByTestId('backend-sign-in')).toBeVisible();
  }

  /** "Sair": the session ends and the sign-in form takes its place. */
  async signOut(): Promise<void> {
    await this.page.getByTestId('backend-sign-out').click();
    await expect(this.page.getByTestId('backend-sign-in')).toBeVisible();
  }

  async signIn(user: { login: string; password: string }): Promise<void> {
    await this.page.getByTestId('backend-login').fill(user.login);
    await this.page.getByTestId('backend-password').fill(user.password);
    await this.page.getByTestId('backend-sign-in-submit').click();
    await expect(this.page.getByTestId('backend-session')).toBeVisible();
  }
}
