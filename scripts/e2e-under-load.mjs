#!/usr/bin/env node
/**
 * The end-to-end suite on a busy machine: runs `playwright test` N times in a row while CPU-bound
 * processes spin beside it, and prints each run's time, result and the load average.
 *
 *   node scripts/e2e-under-load.mjs [--runs N] [--busy N] [--no-build] [-- playwright arguments…]
 *
 *   --runs N     runs in a row (default 3)
 *   --busy N     CPU-bound processes kept running during the runs (default 2)
 *   --no-build   skip the builds the suite runs (`npm run build:browser`: out/renderer-browser;
 *                `npm run build:testing -w cloud-service`: cloud-service/dist-testing) when current
 *   after --     passed to Playwright, e.g. `-- tests/e2e/management.spec.ts`
 *
 * Besides the wall time, each run's CPU time (Playwright, Chromium, the servers: what the suite costs
 * whatever else the machine does) is printed on Linux.
 *
 * Honours CERTDESK_E2E_SLOT like `npm test` (folders and reports/playwright-<slot>.json). Exits 1
 * when a run has a failed test or gave no report, 2 on a usage error.
 *
 * Each run goes through scripts/with-test-keyring.sh, as `npm test` does, so the keychain tests have
 * a real keyring. A run is a process group of its own: stopping this script (Ctrl+C, SIGTERM, a
 * closed terminal) signals the whole group. The busy processes spin on a worker thread while their
 * main thread watches stdin, so however this script ends, even by SIGKILL, their stdin closes and
 * they exit: nothing is left spinning.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

process.chdir(join(import.meta.dirname, '..'));

/** What this script started and has not seen end: run process groups and busy processes. */
const groups = new Set();
const spinners = new Set();

function usage(message) {
  console.error(`e2e-under-load: ${message}`);
  console.error('uso: node scripts/e2e-under-load.mjs [--runs N] [--busy N] [--no-build] [-- argumentos do playwright…]');
  process.exit(2);
}

function count(value, name, min) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > 50) usage(`--${name} precisa ser um inteiro entre ${min} e 50, não "${value}"`);
  return n;
}

/** A process that keeps one core busy until its stdin closes (this script ended, however it ended). */
function startBusyProcess() {
  const spin = `
    const { Worker } = require('node:worker_threads');
    new Worker('for (;;) {}', { eval: true });
    process.stdin.on('end', () => process.exit(0)).on('error', () => process.exit(0)).resume();
  `;
  const child = spawn(process.execPath, ['-e', spin], { stdio: ['pipe', 'ignore', 'inherit'] });
  spinners.add(child);
  child.on('exit', () => spinners.delete(child));
}

/** Run `command` as a process group of its own; resolves with its exit code. */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    groups.add(child);
    child.on('exit', (code, signal) => {
      groups.delete(child);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

function stopEverything() {
  for (const child of groups) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // the group has ended meanwhile
    }
  }
  for (const child of spinners) child.stdin.end();
}

/**
 * CPU seconds used so far by the processes this one has waited for, and theirs in turn (Linux:
 * cutime + cstime of /proc/self/stat, in USER_HZ = 100 ticks a second): the suite's own cost,
 * whatever else the machine is doing. Null elsewhere.
 */
function childrenCpuSeconds() {
  if (process.platform !== 'linux') return null;
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** What a run's JSON report says: passed, failed (unexpected, flaky, errors outside tests), skipped. */
function readReport(path) {
  if (!existsSync(path)) return null;
  const { stats = {}, errors = [] } = JSON.parse(readFileSync(path, 'utf8'));
  return {
    passed: stats.expected ?? 0,
    failed: (stats.unexpected ?? 0) + (stats.flaky ?? 0) + errors.length,
    skipped: stats.skipped ?? 0,
  };
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      busy: { type: 'string', default: '2' },
      'no-build': { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
} catch (error) {
  usage(`${error.message} (os argumentos do Playwright vão depois de --)`);
}
const { values, positionals } = parsed;
const runs = count(values.runs, 'runs', 1);
const busy = count(values.busy, 'busy', 0);
const slot = process.env.CERTDESK_E2E_SLOT ?? '0';
const report = join('reports', `playwright${slot === '0' ? '' : `-${slot}`}.json`);

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopEverything();
    process.exit(130);
  });
}

if (!values['no-build']) {
  for (const [what, args] of [
    ['build:browser', ['run', '--silent', 'build:browser']],
    ['build:testing -w cloud-service', ['run', '--silent', 'build:testing', '-w', 'cloud-service']],
  ]) {
    console.log(`▶ ${what}`);
    if ((await run('npm', args)) !== 0) {
      console.error(`e2e-under-load: o build falhou (${what})`);
      process.exit(1);
    }
  }
}

for (let i = 0; i < busy; i++) startBusyProcess();
console.log(`▶ ${runs} execução(ões) do e2e com ${busy} processo(s) ocupando CPU ao lado (${availableParallelism()} núcleos)`);

const results = [];
for (let i = 1; i <= runs; i++) {
  console.log(`\n▶ execução ${i} de ${runs}`);
  rmSync(report, { force: true });
  const samples = [loadavg()[0]];
  const sampler = setInterval(() => samples.push(loadavg()[0]), 5_000);
  const started = Date.now();
  const cpuBefore = childrenCpuSeconds();
  const code = await run('bash', ['scripts/with-test-keyring.sh', 'npx', 'playwright', 'test', ...positionals]);
  const cpuAfter = childrenCpuSeconds();
  clearInterval(sampler);
  samples.push(loadavg()[0]);
  const counts = readReport(report);
  results.push({
    seconds: (Date.now() - started) / 1000,
    cpu: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    counts,
    ok: code === 0 && counts !== null && counts.failed === 0,
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    max: Math.max(...samples),
  });
  const last = results.at(-1);
  console.log(`▶ execução ${i}: ${last.ok ? 'OK' : 'FALHOU'} em ${last.seconds.toFixed(0)} s, carga média ${last.mean.toFixed(2)}`);
}
stopEverything();

console.log('\nexecução  tempo    CPU do e2e  resultado                          carga (1 min: média / máx.)');
results.forEach((r, index) => {
  const outcome = r.counts
    ? `${r.counts.passed} passed, ${r.counts.failed} failed${r.counts.skipped ? `, ${r.counts.skipped} skipped` : ''}`
    : 'sem relatório';
  const line = [
    String(index + 1).padEnd(9),
    `${r.seconds.toFixed(0)} s`.padEnd(8),
    (r.cpu === null ? '—' : `${r.cpu.toFixed(0)} s`).padEnd(11),
    `${r.ok ? 'OK    ' : 'FALHOU'} ${outcome}`.padEnd(34),
  ];
  console.log(`${line.join(' ')} ${r.mean.toFixed(2)} / ${r.max.toFixed(2)}`);
});
console.log(
  `(${availableParallelism()} núcleos; a carga inclui tudo o que roda na máquina; CPU do e2e: o que o Playwright, o Chromium e os servidores gastaram)`,
);
process.exit(results.every((r) => r.ok) ? 0 : 1);
