/** Page object for the cloud data source: the reference server, the Configurações card, sign-in. */
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { Environment } from '#shared/contract';
import { CLOUD_PORT } from '../../e2e-ports';
import { AppPage } from './app-page';

/** The reference cloud server started by playwright.config.ts (scripts/cloud-server.ts --test-hooks). */
export const CLOUD_SERVER = `http://127.0.0.1:${CLOUD_PORT}`;
export const CLOUD = `${CLOUD_SERVER}/api/v1`;
/** Demo accounts of a fresh reference server (stand-ins/cloud/server-store.ts). */
export const ADMIN = { login: 'EXEMPLO.admin', password: 'Admin#2026' };
export const READER = { login: 'EXEMPLO.joao', password: 'Leitura#2026' };

export class CloudPage {
  private readonly app: AppPage;

  constructor(readonly page: Page) {
    this.app = new AppPage(page);
  }

  /** An empty tenant on the reference server (no workspace, certificates, history or sessions). */
  static async resetServer(request: APIRequestContext): Promise<void> {
    const response = await request.post(`${CLOUD_SERVER}/test/reset`);
    if (response.status() !== 204) throw new Error(`the reference cloud server did not reset (HTTP ${response.status()})`);
  }

  /**
   * Seed through the bridge: `environment` served by the reference server, signed in as `user`.
   * Certificates and workspace seeded after this (ManagementPage.seed…) land on the server.
   */
  async seedSignedIn(environment: Environment, user: { login: string; password: string }): Promise<void> {
    await this.app.rpc('backend:set', { environment, kind: 'cloud', url: CLOUD });
    const info = await this.app.rpc('cloud:signIn', { environment, method: 'cloud', ...user });
    expect(info.session, `${user.login} is signed in`).toBeTruthy();
  }

  /** Through Configurações: this environment's data comes from the reference server. */
  async choose(): Promise<void> {
    await this.page.getByTestId('backend-cloud').click();
    await this.page.getByTestId('backend-url').fill(CLOUD);
    await this.page.getByTestId('backend-apply').click();
  }

  async signIn(user: { login: string; password: string }): Promise<void> {
    await this.page.getByTestId('backend-login').fill(user.login);
    await this.page.getByTestId('backend-password').fill(user.password);
    await this.page.getByTestId('backend-sign-in-submit').click();
    await expect(this.page.getByTestId('backend-session')).toBeVisible();
  }
}
