/**
 * One CertDesk per data folder: two processes on one folder used to lose confirmed work (each kept
 * its own picture of the documents). The second process is refused, clearly, until the first ends.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createCore } from '#desktop/composition-root';
import { MemoryKeychain } from '../../stand-ins/memory-keychain';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-lock-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The browser-mode server as a second process on the same folder; resolves with what it said. */
function secondProcess(): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'desktop/browser-mode/start-browser-mode.ts', '--data', dir, '--port', '0'], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' },
    });
    let out = '';
    const collect = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('CERTDESK_URL=')) child.kill('SIGTERM'); // it started: enough
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => done({ code, out }));
  });
}

it('a second process on the same data folder is refused with a clear message, and gets in once the first closes', async () => {
  const first = await createCore({ dataDir: dir, shell: 'browser', version: 't', keychain: new MemoryKeychain() });
  // The lock is a folder of ours like any other: private to this account.
  expect((await stat(join(dir, '.certdesk.lock'))).mode & 0o777).toBe(0o700);
  const refused = await secondProcess();
  expect(refused.code).toBe(1);
  expect(refused.out).toContain('já está em uso por outro CertDesk');
  expect(refused.out).not.toContain('CERTDESK_URL=');
  // In-process too: the same rule for the desktop app's core.
  await expect(createCore({ dataDir: dir, shell: 'electron', version: 't', keychain: new MemoryKeychain() })).rejects.toMatchObject({
    code: 'WORKSPACE_IN_USE',
  });

  await first.close();
  const admitted = await secondProcess();
  expect(admitted.out).toContain('CERTDESK_URL=');
});
