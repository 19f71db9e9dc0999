// Sums the Vitest and Playwright JSON reports into the single line CI reads:
// "N passed, N failed" (", N skipped" when any). Exits 1 if a report is missing or anything failed.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
let missing = false;

if (existsSync('reports/vitest.json')) {
  const v = JSON.parse(readFileSync('reports/vitest.json', 'utf8'));
  passed += v.numPassedTests ?? 0;
  failed += (v.numFailedTests ?? 0) + (v.numRuntimeErrorTestSuites ?? 0);
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  // A suite that failed to load has no tests counted: make it visible as a failure.
  failed += (v.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0).length;
} else {
  console.error('vitest: relatório ausente (reports/vitest.json)');
  missing = true;
}

// The end-to-end report of this run's slot (CERTDESK_E2E_SLOT, playwright.config.ts).
const slot = process.env.CERTDESK_E2E_SLOT ?? '0';
const e2eReport = `reports/playwright${slot === '0' ? '' : `-${slot}`}.json`;
if (existsSync(e2eReport)) {
  const p = JSON.parse(readFileSync(e2eReport, 'utf8'));
  passed += (p.stats?.expected ?? 0) + (p.stats?.flaky ?? 0);
  failed += p.stats?.unexpected ?? 0;
  skipped += p.stats?.skipped ?? 0;
  if ((p.errors ?? []).length > 0) failed += p.errors.length;
} else {
  console.error(`playwright: relatório ausente (${e2eReport})`);
  missing = true;
}

if (missing) failed += 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
