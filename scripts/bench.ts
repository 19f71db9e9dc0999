/**
 * `npm run bench`: speed figures printed beside references measured in the same run, on this
 * machine. Never timed assertions in tests: this script reports, people judge.
 *
 *   1. v01 opened in-process — CertDesk engine vs stock node-forge vs `openssl pkcs12` (one process)
 *   2. `certdesk scan` over 1,000 PFX files vs a shell loop of `openssl pkcs12 -info -nokeys`
 *   3. v10 / v32 — how long the calling thread is blocked, in-process vs through the worker pool
 *   4. the embedded workspace at 10,000 certificates and 50,000 history entries
 *   5. the certificate list in Chromium with 10,000 rows (first render, search keystroke)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import forge from 'node-forge';
import { inspectBytes, inspectFile } from '#core/pfx/inspect';
import { PfxWorkerPool } from '#core/pfx/worker-pool';
import { PFX_FILE_NAME } from '#shared/pfx';
import { PASSWORD, pfx, PFX_DIR } from '../tests/fixtures';
import { benchRenderer } from './bench-renderer';
import { benchWorkspace } from './bench-workspace';
import { median } from './bench-stats';

function measure(runs: number, fn: () => void): number {
  for (let i = 0; i < 5; i++) fn(); // warm up JIT and caches
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function table(title: string, rows: [string, string][], note: string): void {
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\n${title}`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value.padStart(14)}`);
  console.log(`  ${note}`);
}

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const ms = (value: number) => `${value.toFixed(2)} ms`;

// 1. v01 in-process
const bytes = readFileSync(pfx('v01_default.pfx'));
const single: [string, string][] = [
  ['CertDesk engine (inspectBytes)', ms(measure(100, () => inspectBytes(bytes, 'v01', { password: PASSWORD })))],
  [
    'stock node-forge (pkcs12FromAsn1)',
    ms(
      measure(30, () => {
        const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(bytes.toString('binary')), PASSWORD);
        p12.getBags({ bagType: forge.pki.oids.certBag });
      }),
    ),
  ],
];
if (hasOpenssl) {
  single.push([
    'openssl pkcs12 -nokeys (process)',
    ms(
      measure(10, () =>
        execFileSync('openssl', ['pkcs12', '-in', pfx('v01_default.pfx'), '-nokeys', '-passin', `pass:${PASSWORD}`], { stdio: 'pipe' }),
      ),
    ),
  ]);
}
table('1. Abrir v01_default.pfx (mediana, mesma execução)', single, 'alvo: CertDesk ≤ 10 ms');

// 2. scan of 1,000 files
// Always rebuild: a stale out/ would measure old code.
execFileSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
execFileSync('npm', ['run', '--silent', 'build:bridge'], { stdio: 'inherit' });
const folder = mkdtempSync(join(tmpdir(), 'certdesk-bench-'));
const sources = readdirSync(PFX_DIR).filter((f) => PFX_FILE_NAME.test(f));
for (let i = 0; i < 1000; i++)
  copyFileSync(join(PFX_DIR, sources[i % sources.length]!), join(folder, `${String(i).padStart(4, '0')}-${sources[i % sources.length]}`));
const env = { ...process.env, PFX_PW: PASSWORD };
let start = performance.now();
spawnSync(process.execPath, ['bin/certdesk.mjs', 'scan', folder, '--json', '--password-env', 'PFX_PW'], { env, stdio: 'ignore' });
const scan = performance.now() - start;
const scanRows: [string, string][] = [[`certdesk scan (1.000 arquivos, ${sources.length} tipos)`, ms(scan)]];
if (hasOpenssl) {
  start = performance.now();
  spawnSync('bash', ['-c', `for f in "${folder}"/*; do openssl pkcs12 -info -nokeys -in "$f" -passin env:PFX_PW >/dev/null 2>&1; done`], {
    env,
    stdio: 'ignore',
  });
  scanRows.push(['laço de shell com openssl pkcs12', ms(performance.now() - start)]);
}
rmSync(folder, { recursive: true, force: true });
table('2. Varredura de pasta (tempo total)', scanRows, 'alvo: certdesk scan mais rápido que o laço de openssl');

// 3. blocking of the calling thread
async function blocked(work: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await new Promise((r) => setTimeout(r, 20));
  await work();
  await new Promise((r) => setTimeout(r, 20));
  histogram.disable();
  return histogram.max / 1e6;
}
const pool = new PfxWorkerPool(2);
await pool.inspect(pfx('v01_default.pfx'), PASSWORD, new Date()); // start the workers first
const blockRows: [string, string][] = [];
for (const file of ['v10_iter100000.pfx', 'v32_java_legacy.p12']) {
  blockRows.push([`${file} no processo (maior bloqueio)`, ms(await blocked(() => inspectFile(pfx(file), { password: PASSWORD })))]);
  blockRows.push([`${file} no pool de workers (maior bloqueio)`, ms(await blocked(() => pool.inspect(pfx(file), PASSWORD, new Date())))]);
}
await pool.close();
table(
  '3. Bloqueio da thread que chama (atraso máximo do event loop)',
  blockRows,
  'alvo: no pool, nenhum bloqueio perceptível (≈ poucos ms)',
);
table(
  '4. Workspace embutido com 10.000 certificados e 50.000 registros de histórico',
  await benchWorkspace(),
  'alvo: operações do dia a dia bem abaixo de 1 s',
);
table(
  '5. Lista de certificados no Chromium (renderer real pela ponte de teste)',
  await benchRenderer(),
  'alvo: lista fluida — exibição e busca bem abaixo de 1 s',
);
console.log('');
