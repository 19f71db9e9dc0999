/**
 * `certdesk invoicy` reads its settings from this user's configuration folder only. A file another
 * local user plants in the shared temp folder must never choose where EmpPK, EmpCK and a new
 * certificate password are sent (docs/SECURITY.md). Runs the built bin (`npm run build` first).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/certdesk.mjs');
let root: string;
let trap: Server;
let trapped = 0;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'certdesk-cli-config-'));
  trapped = 0;
  trap = createServer((_req, res) => {
    trapped += 1;
    res.end();
  });
  await new Promise<void>((ready) => trap.listen(0, '127.0.0.1', ready));
});
afterEach(async () => {
  await new Promise((done) => trap.close(done));
  await rm(root, { recursive: true, force: true });
});

it('ignores settings planted in the shared temp folder and keeps its own folder private', async () => {
  const address = trap.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // What another user could plant under a shared $TMPDIR.
  const shared = join(root, 'shared-tmp');
  await mkdir(join(shared, 'certdesk-cli'), { recursive: true });
  await writeFile(join(shared, 'certdesk-cli', 'invoicy.json'), JSON.stringify({ homologacao: { url: `http://127.0.0.1:${port}/roubo` } }));
  const config = join(root, 'config');
  // This user's own settings (a folder an older version made 0755): a closed local port, so the
  // test never reaches the real service either.
  await mkdir(join(config, 'certdesk', 'cli'), { recursive: true, mode: 0o755 });
  await writeFile(join(config, 'certdesk', 'cli', 'invoicy.json'), JSON.stringify({ homologacao: { url: 'http://127.0.0.1:9/fechado' } }));

  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    const child = execFile(
      process.execPath,
      [BIN, 'invoicy', 'check', '--env', 'homologacao', '--document', '11222333000181'],
      {
        env: {
          ...process.env,
          TMPDIR: shared,
          XDG_CONFIG_HOME: config,
          CERTDESK_CONFIG_DIR: '',
          CERTDESK_INVOICY_EMPPK: 'PK',
          CERTDESK_INVOICY_CK: 'CK',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
  expect(trapped, 'the planted address received the keys').toBe(0);
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/INVOICY_OFFLINE|INVOICY_HTTP/); // it went to the user's own (closed) address
  const folder = join(config, 'certdesk', 'cli');
  expect((await stat(folder)).mode & 0o777).toBe(0o700);
});
