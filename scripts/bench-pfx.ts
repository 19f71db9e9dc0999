/**
 * Bench sections about the PKCS#12 engine's speed:
 *   - `certdesk scan` of 1,000 files (every fixture variant, repeated) beside a shell loop of
 *     `openssl pkcs12 -legacy -info -nokeys` over the same folder, alternated in the same run;
 *   - per variant: CertDesk's cost to open it in-process beside node:crypto's pbkdf2Sync doing the
 *     same number of iterations (the native floor) and one `openssl pkcs12` process.
 * Both report; nothing here passes or fails.
 */
import { spawnSync } from 'node:child_process';
import { pbkdf2Sync } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PfxInspection } from '@certdesk/shared/contract';
import { PFX_FILE_NAME } from '@certdesk/shared/pfx';
import { inspectBytes } from '@certdesk/core/pfx/inspect';
import { NON_ASCII_PASSWORD, PASSWORD, PFX_DIR } from '../tests/fixtures';
import { median } from './bench-stats';

export type Rows = [string, string][];

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
const s = (value: number) => `${(value / 1000).toFixed(2)} s`;

export const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const BIN = join(import.meta.dirname, '..', 'bin', 'certdesk.mjs');

/** Every PFX variant in tests/fixtures/pfx, whatever the fixture generator made today. */
export function variants(): string[] {
  return readdirSync(PFX_DIR)
    .filter((f) => PFX_FILE_NAME.test(f))
    .sort();
}

/** The fixtures' password, or their non-ASCII one for the variants about it (whichever opens the file). */
function passwordOf(bytes: Buffer, file: string): string {
  for (const password of [PASSWORD, NON_ASCII_PASSWORD]) {
    try {
      inspectBytes(bytes, file, { password });
      return password;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'WRONG_PASSWORD' && code !== 'PASSWORD_REQUIRED') return password;
    }
  }
  return PASSWORD;
}

/**
 * Run a shell command and read back the wall time and the CPU time of everything it started
 * (bash's `times`: user + system of the children). CPU time says more than wall time on a
 * machine shared with other work.
 */
function timed(script: string, env: NodeJS.ProcessEnv): { wall: number; cpu: number; stdout: string } {
  const start = performance.now();
  const run = spawnSync('bash', ['-c', `${script}\ntimes >&2`], { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wall = performance.now() - start;
  const lines = run.stderr.trim().split('\n');
  const seconds = (lines.at(-1) ?? '').match(/(\d+)m([\d.]+)s/g) ?? [];
  const cpu = seconds.reduce((sum, part) => {
    const [, min, sec] = part.match(/(\d+)m([\d.]+)s/)!;
    return sum + (Number(min) * 60 + Number(sec)) * 1000;
  }, 0);
  return { wall, cpu, stdout: run.stdout };
}

/** 1,000 files, every variant in turn; the caller removes the folder. */
function scanFolder(count: number): string {
  const folder = mkdtempSync(join(tmpdir(), 'certdesk-bench-'));
  const sources = variants();
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length]!;
    copyFileSync(join(PFX_DIR, source), join(folder, `${String(i).padStart(4, '0')}-${source}`));
  }
  return folder;
}

/**
 * `certdesk scan` (the built bin) vs the openssl loop, alternated `rounds` times so that load from
 * elsewhere on the machine falls on both; medians of wall and CPU time, and their ratio.
 */
export function benchScan(rounds = 3, count = 1000): Rows {
  const folder = scanFolder(count);
  const env = { ...process.env, PFX_PW: PASSWORD };
  const scans: ReturnType<typeof timed>[] = [];
  const loops: ReturnType<typeof timed>[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      scans.push(timed(`"${process.execPath}" "${BIN}" scan "${folder}" --json --password-env PFX_PW`, env));
      if (hasOpenssl) {
        // Counts the files openssl could read, to show both did the same job.
        const loop = `n=0; for f in "${folder}"/*; do openssl pkcs12 -legacy -info -nokeys -in "$f" -passin env:PFX_PW >/dev/null 2>&1 && n=$((n+1)); done; echo $n`;
        loops.push(timed(loop, env));
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  if (!scans[0]!.stdout.startsWith('[')) throw new Error('certdesk scan não respondeu com JSON: rode npm run build e veja o erro acima');
  const read = (JSON.parse(scans[0]!.stdout) as { ok: boolean }[]).filter((r) => r.ok).length;
  const scanWall = median(scans.map((r) => r.wall));
  const scanCpu = median(scans.map((r) => r.cpu));
  const rows: Rows = [
    [`certdesk scan (${count} arquivos, ${variants().length} variantes; ${read} lidos)`, `${s(scanWall)} (CPU ${s(scanCpu)})`],
  ];
  if (hasOpenssl) {
    const loopWall = median(loops.map((r) => r.wall));
    const loopCpu = median(loops.map((r) => r.cpu));
    rows.push([
      `laço de shell: openssl pkcs12 -legacy -info -nokeys (${loops[0]!.stdout.trim()} lidos)`,
      `${s(loopWall)} (CPU ${s(loopCpu)})`,
    ]);
    rows.push(['razão scan / laço (tempo total; CPU)', `${(scanWall / loopWall).toFixed(2)}×; ${(scanCpu / loopCpu).toFixed(2)}×`]);
  }
  rows.push([`mediana de ${rounds} rodadas alternadas; núcleos disponíveis`, String(availableParallelism())]);
  return rows;
}

/**
 * Best time of `fn` over as many runs as fit in about `budgetMs` (at least 5). The minimum, not the
 * median: what other work on a shared machine adds to a run of a few milliseconds only ever adds,
 * so the best run is the closest to the file's own cost — for all three columns alike.
 */
function bestOf(fn: () => void, budgetMs = 300): number {
  const first = performance.now();
  fn(); // warm-up (JIT, the WebAssembly hash loops, caches)
  const once = Math.max(performance.now() - first, 0.05);
  const runs = Math.max(5, Math.min(50, Math.floor(budgetMs / once)));
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return Math.min(...samples);
}

/** node:crypto's name for a report label such as `SHA-256` or `PBKDF2-SHA256` (SHA-1 for the legacy KDFs). */
function nodeHash(label: string | null): string {
  const match = label?.match(/SHA-?(1|224|256|384|512)|MD5/i);
  if (!match) return 'sha1';
  return match[0].toUpperCase() === 'MD5' ? 'md5' : `sha${match[1]}`;
}

/**
 * The native floor for one file: pbkdf2Sync over the same iteration counts — one derivation for
 * the MAC and one per encrypted part, each with that part's hash. (The legacy KDF hashes once per
 * iteration where PBKDF2 runs an HMAC, two; legacy parts derive key and IV separately.)
 */
function floorOf(inspection: PfxInspection): () => void {
  const { protection } = inspection;
  const jobs: [number, string][] = [];
  if (protection.macIterations) jobs.push([protection.macIterations, nodeHash(protection.mac)]);
  for (const part of protection.encryption) if (part.iterations) jobs.push([part.iterations, nodeHash(part.kdf)]);
  return () => {
    for (const [iterations, hash] of jobs) pbkdf2Sync(PASSWORD, 'saltsalt', iterations, 32, hash);
  };
}

export function benchVariants(): Rows {
  const rows: Rows = [
    ['arquivo (iterações: MAC + partes cifradas)', `${'CertDesk'.padStart(9)}  ${'PBKDF2'.padStart(9)}  ${'openssl'.padStart(9)}`],
  ];
  const totals = { certdesk: 0, floor: 0, openssl: 0 };
  for (const file of variants()) {
    const bytes = readFileSync(join(PFX_DIR, file));
    const password = passwordOf(bytes, file);
    let inspection: PfxInspection | null = null;
    let outcome = '';
    const open = () => {
      try {
        inspection = inspectBytes(bytes, file, { password });
      } catch (error) {
        outcome = ` [${(error as { code?: string }).code ?? 'erro'}]`;
      }
    };
    const certdesk = bestOf(open);
    const floor = inspection ? bestOf(floorOf(inspection)) : 0;
    let openssl = 0;
    if (hasOpenssl) {
      const args = ['pkcs12', '-legacy', '-info', '-nokeys', '-in', join(PFX_DIR, file), '-passin', 'env:PFX_PW'];
      const env = { ...process.env, PFX_PW: password };
      openssl = bestOf(() => spawnSync('openssl', args, { env, stdio: 'ignore' }), 60);
    }
    totals.certdesk += certdesk;
    totals.floor += floor;
    totals.openssl += openssl;
    const iterations = inspection ? describeIterations(inspection) : '—';
    rows.push([`${file} ${iterations}${outcome}`, columns(certdesk, floor, openssl)]);
  }
  rows.push(['SOMA (um arquivo de cada)', columns(totals.certdesk, totals.floor, totals.openssl)]);
  return rows;
}

function describeIterations(inspection: PfxInspection): string {
  const { macIterations, encryption } = inspection.protection;
  const counts = [macIterations, ...encryption.map((e) => e.iterations)].filter((n): n is number => !!n);
  return counts.length ? `(${counts.map((n) => n.toLocaleString('pt-BR')).join('+')} it.)` : '(sem iterações)';
}

const columns = (certdesk: number, floor: number, openssl: number) =>
  [ms(certdesk).padStart(9), ms(floor).padStart(9), hasOpenssl ? ms(openssl).padStart(9) : '—'].join('  ');
