/**
 * Every end-to-end test starts alone: browser mode gives it a fresh data folder and keychain
 * namespace (`/test/reset`), and the browser context signs in the way a user's browser does, by
 * asking for the address with the access key, which browser mode answers with its cookie. The app
 * itself loads once, when the test opens it (`AppPage.open`): booting it here as well cost every
 * test a second load of the bundle, seconds each on a busy machine.
 */
import { test as base, expect } from '@playwright/test';
import { e2ePort } from '../e2e-ports';
import { startWorkerServers } from './worker-servers';

export const BRIDGE_TOKEN = process.env['CERTDESK_E2E_TOKEN'] ?? '';

export const test = base.extend<object, { workerServers: void }>({
  // This worker's own browser mode, cloud and InvoiCy stand-in (worker-servers.ts), before its first test.
  workerServers: [
    async ({}, use, workerInfo) => {
      const servers = await startWorkerServers(workerInfo.workerIndex, BRIDGE_TOKEN);
      await use();
      await servers.stop();
    },
    { scope: 'worker', auto: true, timeout: 240_000 },
  ],
  // Browser mode of this worker, on the port it took.
  baseURL: async ({}, use) => use(`http://127.0.0.1:${e2ePort('browserMode')}`),
  page: async ({ page }, use) => {
    const reset = await page.request.post('/test/reset', { headers: { 'X-CertDesk-Token': BRIDGE_TOKEN } });
    expect(reset.ok(), 'browser mode gives this test its own data folder').toBe(true);
    // The context's requests share its cookie jar: the cookie set here goes along with the page's.
    const signIn = await page.request.get(`/?token=${BRIDGE_TOKEN}`, { maxRedirects: 0 });
    expect(signIn.status(), 'browser mode exchanges the access key for its cookie').toBe(303);
    expect(signIn.headers()['set-cookie'], 'browser mode exchanges the access key for its cookie').toMatch(/HttpOnly/);
    await use(page);
  },
});

export { expect };
