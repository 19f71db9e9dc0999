import { randomBytes } from 'node:crypto';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './tests/chromium';
import { E2E_SUFFIX } from './tests/e2e-ports';

// One access key per run, shared by browser mode and the test workers (they inherit the runner's env).
process.env['CERTDESK_E2E_TOKEN'] ??= randomBytes(24).toString('hex');

export default defineConfig({
  testDir: 'tests/e2e',
  // Files spread over two workers, each with its own servers (tests/e2e/worker-servers.ts); the tests of
  // a file run in order in one worker. The suite mostly waits on its servers and the browser: on two
  // cores two workers keep both busy (docs/DECISIONS.md, "The suite's time").
  fullyParallel: false,
  workers: Number(process.env['CERTDESK_E2E_WORKERS'] ?? 2),
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
  // No webServer here: each worker starts its own browser mode, cloud and InvoiCy stand-in on ports
  // the OS picks (tests/e2e/worker-servers.ts, a worker fixture), since the suite's resets are global
  // to a server.
});
