/**
 * `certdesk scan` at the edges of the machine (issue 12, point 7): thousands of files under a low
 * `ulimit -n`, and a sub-folder the user may not open. Runs the built bin, as cli.test.ts does.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, pfx } from '../fixtures';

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
