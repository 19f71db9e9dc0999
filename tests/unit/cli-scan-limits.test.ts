/**
 * `certdesk scan` at the edges of the machine: thousands of files under a low
 * `ulimit -n`, and a sub-folder the user may not open. Runs the built bin, as cli.test.ts does.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PFX_FILE_NAME } from '@certdesk/shared/pfx';
import { inspectFile } from '@certdesk/core/pfx/inspect';
import { PASSWORD, PFX_DIR, pfx } from '../fixtures';
import { seededRandom, testSeed } from './helpers/seeded-random';

const BIN = resolve(import.meta.dirname, '../../bin/certdesk.mjs');

function run(file: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(file, args, { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('certdesk scan under a low file-descriptor limit', () => {
  // The folder had 3,000; 1,000 keep the test near 5 s and are still four times the limit
  // (unbounded, all but ~230 failed with EMFILE).
  const COUNT = 1000;
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'certdesk-emfile-'));
    for (let i = 0; i < COUNT; i++) await copyFile(pfx('v01_default.pfx'), join(folder, `cert-${String(i).padStart(4, '0')}.pfx`));
  });
  afterAll(async () => rm(folder, { recursive: true, force: true }));

  it(`reads all ${COUNT} files with ulimit -n 256 (no EMFILE) and exits 0`, { timeout: 60_000 }, async () => {
    const started = Date.now();
    const { code, stdout, stderr } = await run(
      'bash',
      ['-c', 'ulimit -n 256 && exec "$0" "$1" scan "$2" --json --password-env PW', process.execPath, BIN, folder],
      { PW: PASSWORD },
    );
    console.info(`scan of ${COUNT} files with ulimit -n 256: ${Date.now() - started} ms`);
    expect(stderr).toBe('');
    const reports = JSON.parse(stdout) as { ok: boolean; error: { message: string } | null }[];
    expect(reports).toHaveLength(COUNT);
    expect(reports.filter((r) => r.error?.message.includes('EMFILE'))).toEqual([]);
    expect(reports.filter((r) => !r.ok)).toEqual([]);
    expect(code).toBe(0);
  });
});

/**
 * Root ignores permission bits, so as root the bin runs as `nobody` (runuser) to meet a chmod 000
 * folder; without runuser, or where `nobody` cannot reach the build (a checkout under a private
 * home), the test is skipped and its name says why.
 */
const asRoot = process.getuid?.() === 0;
const RUNUSER = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((path) => existsSync(path));
function nobodyCanRunBin(): boolean {
  try {
    execFileSync(RUNUSER!, ['-u', 'nobody', '--', process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(BIN)})`], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}
const canDenyRead = process.platform !== 'win32' && (!asRoot || (RUNUSER !== undefined && nobodyCanRunBin()));
const why = canDenyRead ? '' : ' [SKIPPED: running as root without a usable `runuser -u nobody`; root reads a chmod 000 folder]';

describe('certdesk scan with an unreadable sub-folder', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'certdesk-eacces-'));
    await mkdir(join(folder, 'fechada'));
    await copyFile(pfx('v01_default.pfx'), join(folder, 'matriz.pfx'));
    await copyFile(pfx('v01_default.pfx'), join(folder, 'fechada', 'filial.pfx'));
    await chmod(join(folder, 'matriz.pfx'), 0o644);
    await chmod(folder, 0o755); // mkdtemp's 0700 would keep `nobody` out of the whole folder
    await chmod(join(folder, 'fechada'), 0o000);
  });
  afterAll(async () => {
    await chmod(join(folder, 'fechada'), 0o755).catch(() => {});
    await rm(folder, { recursive: true, force: true });
  });

  const scan = (json: boolean) => {
    const args = [BIN, 'scan', folder, ...(json ? ['--json'] : []), '--password-env', 'PW'];
    return asRoot
      ? run(RUNUSER!, ['-u', 'nobody', '--', process.execPath, ...args], { PW: PASSWORD })
      : run(process.execPath, args, { PW: PASSWORD });
  };

  it.runIf(canDenyRead)(`names the folder in the text summary and exits 1${why}`, async () => {
    const { code, stdout } = await scan(false);
    expect(stdout).toContain('matriz.pfx');
    expect(stdout).toContain('1 arquivo(s): 1 lido(s), 0 com erro');
    expect(stdout).toMatch(/^Pasta não lida: fechada \(EACCES\)$/m);
    expect(code).toBe(1);
  });

  it.runIf(canDenyRead)(`lists the folder in the JSON array, after the files, marked folder: true${why}`, async () => {
    const { code, stdout } = await scan(true);
    const reports = JSON.parse(stdout) as Record<string, unknown>[];
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatchObject({ file: 'matriz.pfx', ok: true });
    expect(reports[0]).not.toHaveProperty('folder');
    expect(reports[1]).toMatchObject({
      file: 'fechada',
      folder: true,
      ok: false,
      error: { code: 'UNREADABLE', message: expect.stringContaining('EACCES') },
      certificate: null,
      otherCertificates: [],
      chain: [],
    });
    expect(code).toBe(1);
  });
});

/**
 * The fast path (built bin, parallel workers, WebAssembly hash loops, the shortened file read)
 * must read every variant exactly as the engine does in-process: same outcome, same certificate,
 * same protection report. Each variant appears three times, in a seeded shuffled order, so that
 * copies land on different workers and next to different neighbours.
 */
describe('certdesk scan of every fixture variant', () => {
  const random = seededRandom(testSeed(0x5ca9));
  const variants = readdirSync(PFX_DIR).filter((f) => PFX_FILE_NAME.test(f));
  const names: { name: string; source: string }[] = [];
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'certdesk-variants-'));
    const copies = [...variants, ...variants, ...variants];
    for (let i = copies.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [copies[i], copies[j]] = [copies[j]!, copies[i]!];
    }
    for (const [index, source] of copies.entries()) {
      const name = `${String(index).padStart(3, '0')}-${source}`;
      names.push({ name, source });
      await copyFile(join(PFX_DIR, source), join(folder, name));
    }
  });
  afterAll(async () => rm(folder, { recursive: true, force: true }));

  it('gives each file the same outcome, certificate and protection as inspectFile in-process', { timeout: 120_000 }, async () => {
    const { stdout } = await run(process.execPath, [BIN, 'scan', folder, '--json', '--password-env', 'PW'], { PW: PASSWORD });
    const reports = new Map((JSON.parse(stdout) as Record<string, unknown>[]).map((r) => [r['file'] as string, r]));
    expect(reports.size, `seed ${random.seed}`).toBe(names.length);
    const now = new Date();
    for (const { name, source } of names) {
      const report = reports.get(name)!;
      const expected = await inspectFile(pfx(source), { password: PASSWORD, now }).then(
        (inspection) => ({ ok: true, code: null, serial: inspection.certificate?.serialNumber ?? null, inspection }),
        (error: { code: string }) => ({ ok: false, code: error.code, serial: null, inspection: null }),
      );
      const context = `${name} (seed ${random.seed})`;
      expect(report['ok'], context).toBe(expected.ok);
      expect((report['error'] as { code: string } | null)?.code ?? null, context).toBe(expected.code);
      expect((report['certificate'] as { serialNumber: string } | null)?.serialNumber ?? null, context).toBe(expected.serial);
      // The KDF-heavy ones must open, not merely fail alike: v01's SHA-256 MAC, v10's 100,000 iterations, v32's SHA-1 legacy KDF.
      if (/^v(01|10|32)_/.test(source)) expect(report['ok'], context).toBe(true);
      if (expected.inspection) {
        expect(report['protection'], context).toEqual(expected.inspection.protection);
        expect(report['privateKey'], context).toEqual(expected.inspection.privateKey);
        expect(report['chain'], context).toEqual(expected.inspection.chain);
      }
    }
  });
});
