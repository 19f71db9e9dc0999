import { randomBytes } from 'node:crypto';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/chromium';
import { BROWSER_MODE_PORT, CLOUD_PORT, E2E_SUFFIX, INVOICY_PORT } from './tests/e2e-ports';

const PORT = BROWSER_MODE_PORT;
// One access key per run, shared by the bridge and the test workers (they inherit the runner's env).
process.env['CERTDESK_E2E_TOKEN'] ??= randomBytes(24).toString('hex');

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  workers: 1, // the test resets (bridge, cloud and InvoiCy stand-ins) are global to their servers
  retries: 0,
  timeout: 30_000,
  reporter: [['list'], ['json', { outputFile: `reports/playwright${E2E_SUFFIX}.json` }]],
  outputDir: `test-results/playwright${E2E_SUFFIX}`,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1360, height: 860 },
    locale: 'pt-BR',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: [
    {
      command: `npx tsx tests/support/start-browser-mode-with-test-hooks.ts --port ${PORT} --data test-results/e2e-data${E2E_SUFFIX} --service CertDesk-e2e${E2E_SUFFIX} --fresh --token ${process.env['CERTDESK_E2E_TOKEN']}`,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: !process.env['CI'],
      timeout: 60_000,
      stdout: 'pipe',
    },
    {
      // CertDesk Cloud (cloud-service/, embedded PGlite) with the demo tenant; each cloud test empties it first (/test/reset).
      command: `node cloud-service/dist-testing/server.js --port ${CLOUD_PORT} --data test-results/cloud-data${E2E_SUFFIX} --fresh --demo --log-level warn`,
      url: `http://127.0.0.1:${CLOUD_PORT}/health/ready`,
      reuseExistingServer: !process.env['CI'],
      timeout: 180_000, // PGlite creates its cluster on first start
    },
    {
      // The stand-in InvoiCy service the InvoiCy screen talks to; each InvoiCy test resets it first (/test/reset).
      command: `npx tsx scripts/invoicy-server.ts --port ${INVOICY_PORT} --test-hooks`,
      url: `http://127.0.0.1:${INVOICY_PORT}/aextensaocertificadosoap.aspx?wsdl`,
      reuseExistingServer: !process.env['CI'],
      timeout: 60_000,
    },
  ],
});
