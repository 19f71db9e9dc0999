/**
 * `npm run bench`: speed figures printed beside references measured in the same run, on this
 * machine. Never timed assertions in tests: this script reports, people judge.
 *
 *   1. engine    v01 opened in-process — CertDesk engine vs stock node-forge vs `openssl pkcs12`
 *   2. scan      `certdesk scan` over 1,000 PFX files (every variant) vs a shell loop of
 *                `openssl pkcs12 -legacy -info -nokeys`, alternated in the same run
 *      variants  per PFX variant: CertDesk in-process vs node:crypto pbkdf2Sync (native floor) vs openssl
 *   3. blocking  v10 / v32 — how long the calling thread is blocked, in-process vs through the worker pool
 *   4. workspace the embedded workspace at 10,000 certificates and 50,000 history entries
 *   5. renderer  the certificate list in Chromium with 10,000 rows (first render, search keystroke)
 *   6. sefaz     a 30-branch environment checked against the SEFAZ stand-in vs plain node:https calls
 *   7. crl       a 5 MB CRL: parse + index and lookup by serial, beside `openssl crl -noout` on the same file
 *
 * `npm run bench -- --only scan,variants` runs just those sections.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import forge from 'node-forge';
import { inspectBytes, inspectFile } from '@certdesk/core/pfx/inspect';
import { PfxWorkerPool } from '@certdesk/core/pfx/worker-pool';
import { PASSWORD, pfx } from '../tests/fixtures';
import { benchScan, benchVariants, hasOpenssl } from './bench-pfx';
import { benchCrl } from './bench-crl';
import { benchRenderer } from './bench-renderer';
import { benchSefaz } from './bench-sefaz';
import { benchWorkspace } from './bench-workspace';
import { median } from './bench-stats';

const SECTIONS = ['engine', 'scan', 'variants', 'blocking', 'workspace', 'renderer', 'sefaz', 'crl'] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const chosen = values.only ? values.only.split(',').map((name) => name.trim()) : [...SECTIONS];
const unknown = chosen.filter((name) => !(SECTIONS as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`bench: seção desconhecida: ${unknown.join(', ')} (use ${SECTIONS.join(', ')})`);
  process.exit(2);
}
const runs = (section: Section) => chosen.includes(section);

function measure(count: number, fn: () => void): number {
  for (let i = 0; i < 5; i++) fn(); // warm up JIT and caches
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
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

const ms = (value: number) => `${value.toFixed(2)} ms`;

if (runs('engine')) {
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
}

if (runs('scan')) {
  // Always rebuild: a stale out/ would measure old code.
  execFileSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  table(
    '2. Varredura de pasta (1.000 arquivos de todas as variantes; tempo total e CPU)',
    benchScan(),
    'alvo: certdesk scan em no máximo metade do tempo do laço de openssl',
  );
}

if (runs('variants')) {
  table(
    '2b. Custo por variante, melhor tempo por arquivo: CertDesk no processo | pbkdf2Sync do node:crypto com as mesmas iterações | um processo openssl',
    benchVariants(),
    'PBKDF2 = piso nativo: uma derivação por MAC e por parte cifrada; o openssl inclui iniciar o processo',
  );
}

if (runs('blocking')) {
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
}

if (runs('workspace')) {
  table(
    '4. Workspace embutido com 10.000 certificados e 50.000 registros de histórico',
    await benchWorkspace(),
    'alvo: operações do dia a dia bem abaixo de 1 s',
  );
}

if (runs('renderer')) {
  execFileSync('npm', ['run', '--silent', 'build:browser'], { stdio: 'inherit' });
  table(
    '5. Lista de certificados no Chromium (renderer real pela ponte de teste)',
    await benchRenderer(),
    'alvo: primeiras linhas não mais lentas que a tabela simples; busca ≤ 50 ms (mediana)',
  );
}

if (runs('sefaz')) {
  table(
    '6. Verificação de status na SEFAZ (stand-in em outro processo, TLS mútuo real; mediana de 5 rodadas)',
    await benchSefaz(),
    'alvo: o ambiente inteiro não mais lento que as mesmas chamadas feitas uma a uma com node:https',
  );
}

if (runs('crl')) {
  table(
    '7. LCR de 5 MB (stand-in da AC): leitura com índice e consulta, mesma execução',
    await benchCrl(hasOpenssl),
    'alvo: ler ≤ 150 ms, consultar ≤ 1 ms',
  );
}
console.log('');
