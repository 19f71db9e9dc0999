/**
 * The bench's hostile-uploads section: tenant B's list latency while tenant A uploads the hostile
 * files of scripts/fixtures/hostile.ts (twice each, all at once), beside B's latency with nothing
 * else running — the same server, the same run. Part of `npm run bench:cloud` (100 × 1,000 on
 * PostgreSQL); alone, on the built server over PGlite with two small tenants:
 *
 *   npx tsx scripts/bench-cloud-hostile.ts [--idle N]
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as hostile from './fixtures/hostile';
import { PASSWORD, pfx } from '../tests/fixtures';
import { counted, percentile } from './bench-stats';

export type Row = [what: string, p50: string, p95: string, answers: string];

const ms = (n: number) => `${n.toFixed(1)} ms`;
const tally = (items: string[]) => counted(items.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>()));

function hostileBodies(): string[] {
  const files = [
    hostile.hugeKeyLength(),
    hostile.shroudedKeys(40, 1_000_000),
    hostile.md5Mac(1_000_000),
    hostile.keyFile(hostile.dsaPkcs8(32_768, 32_768)),
    hostile.keyFile(hostile.dhPkcs8(8192, 8190)),
    hostile.chainedCertificates(10_000),
    hostile.emptyBerChunks(4_900_000),
    hostile.emptySafeContents(300_000),
    hostile.deepNesting(200),
  ];
  return files.map((bytes, i) =>
    JSON.stringify({ fileName: `hostil-${i}.pfx`, pfxBase64: bytes.toString('base64'), password: null, selection: [] }),
  );
}

/** One GET, timed; the answer read to its end. */
async function timedList(base: string, path: string, token: string): Promise<{ ms: number; status: number }> {
  const start = performance.now();
  const response = await fetch(base + path, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip, deflate' } });
  await response.arrayBuffer();
  return { ms: performance.now() - start, status: response.status };
}

/** Tenant B's list, one request after another: `idle` alone, then for as long as A's hostile uploads last. */
export async function hostileUploadRows(base: string, tokenA: string, tokenB: string, listPath: string, idle = 100): Promise<Row[]> {
  const bodies = hostileBodies();
  const quiet: { ms: number; status: number }[] = [];
  for (let i = 0; i < idle; i++) quiet.push(await timedList(base, listPath, tokenB));
  let uploading = true;
  const uploadTimes: number[] = [];
  const uploads = Promise.all(
    [...bodies, ...bodies].map(async (body) => {
      const start = performance.now();
      const response = await fetch(base + '/environments/producao/certificates', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenA}` },
        body,
      });
      const answer = (await response.json()) as { code?: string };
      uploadTimes.push(performance.now() - start);
      return `${response.status} ${answer.code ?? ''}`.trim();
    }),
  ).finally(() => (uploading = false));
  const busy: { ms: number; status: number }[] = [];
  while (uploading) busy.push(await timedList(base, listPath, tokenB));
  const outcomes = await uploads;
  const statuses = (samples: { status: number }[]) => tally(samples.map((s) => String(s.status)));
  return [
    [
      `tenant B: list, 1 client, idle`,
      ms(
        percentile(
          quiet.map((s) => s.ms),
          50,
        ),
      ),
      ms(
        percentile(
          quiet.map((s) => s.ms),
          95,
        ),
      ),
      statuses(quiet),
    ],
    [
      `tenant B: list, 1 client, while tenant A uploads ${outcomes.length} hostile files at once`,
      ms(
        percentile(
          busy.map((s) => s.ms),
          50,
        ),
      ),
      ms(
        percentile(
          busy.map((s) => s.ms),
          95,
        ),
      ),
      statuses(busy),
    ],
    [`tenant A: each hostile upload's answer`, ms(percentile(uploadTimes, 50)), ms(percentile(uploadTimes, 95)), tally(outcomes)],
  ];
}

async function standalone(): Promise<void> {
  const i = process.argv.indexOf('--idle');
  const idle = i > 0 ? Number(process.argv[i + 1]) : 100;
  const kek = { CERTDESK_CLOUD_KEK: Buffer.alloc(32, 0x0f).toString('base64') };
  const dataDir = await mkdtemp(join(tmpdir(), 'certdesk-bench-hostile-'));
  const run = promisify(execFile);
  const admin = async (args: string[], stdin = '') => {
    const child = run(process.execPath, ['cloud-service/dist/admin.js', ...args, '--data', dataDir], {
      env: { ...process.env, DATABASE_URL: '', ...kek },
    });
    child.child.stdin!.end(stdin);
    await child;
  };
  await run('npm', ['run', '--silent', 'build', '-w', 'cloud-service']);
  const { spawn } = await import('node:child_process');
  const password = 'Bench#2026-senha';
  await admin(['tenant', 'add', 'ALFA', 'Empresa Alfa']);
  await admin(['tenant', 'add', 'BETA', 'Empresa Beta']);
  for (const code of ['ALFA', 'BETA']) await admin(['user', 'add', `${code}.admin`, '--role', 'administrator'], `${password}\n`);
  const child = spawn(process.execPath, ['cloud-service/dist/server.js', '--port', '0', '--data', dataDir], {
    env: { ...process.env, DATABASE_URL: '', ...kek },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const found = /CertDesk Cloud em (http[^\s"]+)/.exec(out)?.[1];
        if (found) resolve(found);
      });
      child.on('exit', (code) => reject(new Error(`servidor parou (${code})`)));
    });
    const post = async (path: string, token: string | null, body: unknown) => {
      const response = await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return (await response.json()) as { token?: string };
    };
    const tokens: string[] = [];
    for (const code of ['ALFA', 'BETA']) {
      const token = (await post('/auth/sign-in', null, { method: 'cloud', login: `${code}.admin`, password })).token!;
      await post('/environments/producao/workspace/setup', token, { kind: 'example' });
      tokens.push(token);
    }
    const file = (await readFile(pfx('v01_default.pfx'))).toString('base64');
    await post('/environments/producao/certificates', tokens[1]!, {
      fileName: 'a.pfx',
      pfxBase64: file,
      password: PASSWORD,
      selection: [],
    });
    const rows = await hostileUploadRows(base, tokens[0]!, tokens[1]!, '/environments/producao/certificates', idle);
    console.log(
      `\nCertDesk Cloud under hostile uploads (PGlite, built server); load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log(['what', 'p50', 'p95', 'answers'].join(' | '));
    for (const row of rows) console.log(row.join(' | '));
  } finally {
    child.kill('SIGTERM');
    await new Promise((done) => child.once('exit', done));
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await standalone();
