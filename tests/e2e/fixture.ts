/**
 * Every end-to-end test starts alone: the bridge gives it a fresh data folder and keychain
 * namespace (`/test/reset`), and the browser context signs in the way a user's browser does, by
 * asking for the address with the access key, which the bridge answers with its cookie. The app
 * itself loads once, when the test opens it (`AppPage.open`): booting it here as well cost every
 * test a second load of the bundle, seconds each on a busy machine.
 */
import { test as base, expect } from '@playwright/test';
import { e2ePort } from '../e2e-ports';

export const BRIDGE_TOKEN = process.env['CERTDESK_E2E_TOKEN'] ?? '';

export const test = base.extend({
  // The bridge of this run, on the port it took (known in the workers, once it is up).
  baseURL: async ({}, use) => use(`http://127.0.0.1:${e2ePort('browserMode')}`),
  page: async ({ page }, use) => {
    const reset = await page.request.post('/test/reset', { headers: { 'X-CertDesk-Token': BRIDGE_TOKEN } });
    expect(reset.ok(), 'the bridge gives this test its own data folder').toBe(true);
    // The context's requests share its cookie jar: the cookie set here goes along with the page's.
    const signIn = await page.request.get(`/?token=${BRIDGE_TOKEN}`, { maxRedirects: 0 });
    expect(signIn.status(), 'the bridge exchanges the access key for its cookie').toBe(303);
    expect(signIn.headers()['set-cookie'], 'the bridge exchanges the access key for its cookie').toMatch(/HttpOnly/);
    await use(page);
  },
});

export { expect };
