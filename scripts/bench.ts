/**
 * `npm run bench`: speed figures printed beside references measured in the same run.
 * Never timed assertions in tests: this script reports, people judge.
 *
 *   v01 in-process open — CertDesk engine vs stock node-forge vs `openssl pkcs12` (one process)
 * Later issues add: scan of 1,000 files, workspace at 10,000 certificates, renderer list.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { inspectBytes } from '../electron/core/pfx/inspect';
import { PASSWORD, pfx } from '../tests/fixtures';

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

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

const bytes = readFileSync(pfx('v01_default.pfx'));
const rows: [string, string][] = [];

rows.push(['CertDesk engine (inspectBytes)', `${measure(100, () => inspectBytes(bytes, 'v01', { password: PASSWORD })).toFixed(2)} ms`]);
rows.push([
  'stock node-forge (pkcs12FromAsn1)',
  `${measure(30, () => {
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(bytes.toString('binary')), PASSWORD);
    p12.getBags({ bagType: forge.pki.oids.certBag });
  }).toFixed(2)} ms`,
]);
try {
  const openssl = measure(10, () => {
    execFileSync('openssl', ['pkcs12', '-in', pfx('v01_default.pfx'), '-nokeys', '-passin', `pass:${PASSWORD}`], { stdio: 'pipe' });
  });
  rows.push(['openssl pkcs12 -nokeys (whole process)', `${openssl.toFixed(2)} ms`]);
} catch {
  rows.push(['openssl pkcs12 -nokeys (whole process)', 'openssl indisponível']);
}

console.log('\nAbrir v01_default.pfx (mediana, mesma execução)');
const width = Math.max(...rows.map(([name]) => name.length));
for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value.padStart(12)}`);
console.log('  alvo: ≤ 10 ms para o CertDesk\n');
