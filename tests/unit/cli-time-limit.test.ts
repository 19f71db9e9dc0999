/**
 * `certdesk inspect` always ends: a hostile file is refused by the engine's budget, and a file past
 * `--timeout` answers TIMEOUT, its worker is ended and the command exits. The built bin with Node
 * alone, as users run it (scripts/test.sh builds first).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as hostile from '../../scripts/fixtures/hostile';
import { PASSWORD, pfx } from '../fixtures';

const BIN = resolve(import.meta.dirname, '../../bin/certdesk.mjs');

function certdesk(args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, PFX_PW: PASSWORD } }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'certdesk-cli-limit-'));
  await writeFile(join(folder, 'hostil.pfx'), hostile.hugeKeyLength());
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('certdesk inspect always exits', () => {
  it('a file asking PBKDF2 for 100,000,000 bytes is refused with TOO_COMPLEX, and the command exits 1', async () => {
    const { code, stdout } = await certdesk(['inspect', join(folder, 'hostil.pfx'), '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)[0]).toMatchObject({
      ok: false,
      error: { code: 'TOO_COMPLEX', details: { limit: 'keyLength', derived: '0' } },
    });
  });

  it('a file past --timeout answers TIMEOUT; its worker is ended and the command exits 1', async () => {
    const { code, stdout } = await certdesk(['inspect', pfx('v10_iter100000.pfx'), '--password-env', 'PFX_PW', '--timeout', '0,001']);
    expect(code).toBe(1);
    expect(stdout).toContain('[TIMEOUT] A leitura do arquivo passou de 0,001 s e foi interrompida.');
  });

  it('the same file within the default limit reads', async () => {
    const { code, stdout } = await certdesk(['inspect', pfx('v10_iter100000.pfx'), '--password-env', 'PFX_PW']);
    expect(code).toBe(0);
    expect(stdout).toContain('EMPRESA EXEMPLO LTDA');
  });

  it('--timeout must be a number of seconds', async () => {
    const { code, stderr } = await certdesk(['scan', folder, '--timeout', 'nunca']);
    expect(code).toBe(2);
    expect(stderr).toContain('--timeout precisa de um número de segundos');
  });
});
