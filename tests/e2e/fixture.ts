/**
 * Every end-to-end test starts alone: the bridge gives it a fresh data folder and keychain
 * namespace (`/test/reset`), and the page signs in the way a user does, by opening the address
 * with the access key, which the bridge exchanges for a cookie.
 */
import { test as base, expect } from '@playwright/test';

export const BRIDGE_TOKEN = process.env['CERTDESK_E2E_TOKEN'] ?? '';

export const test = base.extend({
  page: async ({ page }, use) => {
    const reset = await page.request.post('/test/reset', { headers: { 'X-CertDesk-Token': BRIDGE_TOKEN } });
    expect(reset.ok(), 'the bridge gives this test its own data folder').toBe(true);
    await page.goto(`/?token=${BRIDGE_TOKEN}`);
    await use(page);
  },
});

export { expect };
