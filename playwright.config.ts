import { randomBytes } from 'node:crypto';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/chromium';
import { E2E_SUFFIX, PORT_VARIABLES } from './tests/e2e-ports';

// One access key per run, shared by browser mode and the test workers (they inherit the runner's env).
process.env['CERTDESK_E2E_TOKEN'] ??= randomBytes(24).toString('hex');

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  workers: 1, // the test resets (browser mode, cloud and InvoiCy stand-ins) are global to their servers
  retries: 0,
  // Budgets for a busy machine (docs/DECISIONS.md, "The end-to-end suite on a busy machine"): with
  // the load average at 12–16 on two cores, a test that takes 15 s on a quiet machine took over 60 s,
  // and one step (an install: PBKDF2, the keyring, a write, the list again) over 5 s; at a load of
  // 21–39, "first run…" took 90 s and timed out once at 90 s. They only bound how long a real failure
  // takes to be reported: no step waits for time, each waits for a state.
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: `reports/playwright${E2E_SUFFIX}.json` }]],
  outputDir: `test-results/playwright${E2E_SUFFIX}`,
  use: {
    // baseURL: set by tests/e2e/fixture.ts once browser mode has told its port.
    viewport: { width: 1360, height: 860 },
    locale: 'pt-BR',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  // Each server listens on a port the OS picks and is ready once it prints where (`wait`); the named
  // group puts the port in the environment the test workers inherit (tests/e2e-ports.ts). Started as
  // one Node process each (tsx as a loader, no npx in between) with --exit-on-stdin-close: Playwright
  // holds their stdin, so if the runner dies (SIGKILL, a closed terminal) they stop on their own.
  webServer: [
    {
      command: `node --import tsx tests/support/start-browser-mode-with-test-hooks.ts --port 0 --data test-results/e2e-data${E2E_SUFFIX} --service CertDesk-e2e${E2E_SUFFIX} --fresh --exit-on-stdin-close --token ${process.env['CERTDESK_E2E_TOKEN']}`,
      wait: { stdout: new RegExp(`CERTDESK_URL=http://127\\.0\\.0\\.1:(?<${PORT_VARIABLES.browserMode}>\\d+)/`) },
      timeout: 60_000,
      stdout: 'pipe',
    },
    {
      // CertDesk Cloud (cloud-service/, embedded PGlite) with the demo tenant; each cloud test empties it first (/test/reset).
      // Built JS (npm run build:testing -w cloud-service); logs at info: the line it waits for is the
      // start line of the JSON log (stdout is read, not shown).
      command: `node cloud-service/dist-testing/server.js --port 0 --data test-results/cloud-data${E2E_SUFFIX} --fresh --demo --log-level info --exit-on-stdin-close`,
      wait: { stdout: new RegExp(`CertDesk Cloud em http://127\\.0\\.0\\.1:(?<${PORT_VARIABLES.cloud}>\\d+)/`) },
      timeout: 180_000, // PGlite creates its cluster on first start
    },
    {
      // The stand-in InvoiCy service the InvoiCy screen talks to; each InvoiCy test resets it first (/test/reset).
      command: `node --import tsx scripts/invoicy-server.ts --port 0 --test-hooks --exit-on-stdin-close`,
      wait: { stdout: new RegExp(`InvoiCy \\(stand-in\\) em http://127\\.0\\.0\\.1:(?<${PORT_VARIABLES.invoicy}>\\d+)/`) },
      timeout: 60_000,
    },
  ],
});
