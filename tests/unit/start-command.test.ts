/**
 * `node scripts/start.mjs` as a person runs it on a machine without a graphical session or without
 * the Electron binary: it says the browser was not opened and prints the address; SIGTERM stops every
 * process it started; a failed Electron download is remembered (privately) and not retried at every
 * start, with the way to retry said.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const START_TIMEOUT = 300_000; // the command builds the browser bundle first, on a shared machine

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certdesk-start-'));
  // An xdg-open that would say it was called: without a display it must not be.
  await writeFile(join(dir, 'xdg-open'), `#!/bin/sh\necho called > "${join(dir, 'xdg-open-called')}"\n`);
  await chmod(join(dir, 'xdg-open'), 0o755);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const listening = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });

/** The start command in its own process group (so a test can end everything it left, whatever happens). */
function start(
  args: string[],
  env: Record<string, string | undefined>,
): { child: ChildProcess; output: () => string; until: (text: string) => Promise<void> } {
  const base: Record<string, string | undefined> = { ...process.env, PATH: `${dir}:${process.env['PATH']}`, ...env };
  for (const name of ['CI', 'DISPLAY', 'WAYLAND_DISPLAY', 'ELECTRON_SKIP_BINARY_DOWNLOAD']) if (!(name in env)) delete base[name];
  const child = spawn(process.execPath, ['scripts/start.mjs', ...args], { cwd: ROOT, env: base as NodeJS.ProcessEnv, detached: true });
  let text = '';
  const waiting: { text: string; done: () => void }[] = [];
  const read = (chunk: Buffer) => {
    text += chunk.toString();
    for (const w of waiting.filter((w) => text.includes(w.text))) w.done();
  };
  child.stdout!.on('data', read);
  child.stderr!.on('data', read);
  return {
    child,
    output: () => text,
    until: (wanted) =>
      new Promise<void>((done, fail) => {
        if (text.includes(wanted)) return done();
        waiting.push({ text: wanted, done });
        child.once('exit', () => (text.includes(wanted) ? done() : fail(new Error(`exited before "${wanted}":\n${text}`))));
      }),
  };
}

const processesWith = async (marker: string): Promise<string[]> => {
  const { execFile } = await import('node:child_process');
  const out = await new Promise<string>((done) => execFile('ps', ['-eo', 'pid,args'], (_e, stdout) => done(stdout)));
  return out.split('\n').filter((line) => line.includes(marker) && !line.includes('ps -eo'));
};

describe.skipIf(process.platform === 'win32')('node scripts/start.mjs', () => {
  it(
    'with xdg-open but no display: says no browser was opened, prints the address; SIGTERM leaves no process behind',
    async () => {
      const port = await freePort();
      const data = join(dir, 'data-sigterm');
      const run = start(['--browser', '--port', String(port), '--data', data], {});
      try {
        await run.until('?token=');
        await run.until('sem tela gráfica');
        expect(run.output()).toContain(`http://127.0.0.1:${port}/?token=`);
        await expect(stat(join(dir, 'xdg-open-called'))).rejects.toThrow();
        expect(await listening(port)).toBe(true);
        expect((await processesWith(data)).length).toBeGreaterThan(0);

        const exited = new Promise((r) => run.child.once('exit', r));
        run.child.kill('SIGTERM'); // the start command only: it must take the server down with it
        await exited;
        await expect.poll(() => listening(port), { timeout: 20_000 }).toBe(false);
        await expect.poll(() => processesWith(data), { timeout: 20_000 }).toEqual([]);
      } finally {
        try {
          process.kill(-run.child.pid!, 'SIGKILL');
        } catch {
          // gone, as it should be
        }
      }
    },
    START_TIMEOUT,
  );

  it(
    'remembers a failed Electron download in a private cache file and does not wait for it again',
    async () => {
      const cache = join(dir, 'cache');
      const env = { CERTDESK_CACHE_DIR: cache, ELECTRON_MIRROR: 'http://127.0.0.1:9/', CERTDESK_NO_OPEN: '1' };
      const stopGroup = (child: ChildProcess) => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone
        }
      };
      const first = start(['--port', String(await freePort()), '--data', join(dir, 'data-electron-1')], env);
      try {
        await first.until('Electron indisponível');
        expect(first.output()).toContain('Baixando o Electron');
        expect(first.output()).toContain('--retry-electron');
      } finally {
        stopGroup(first.child);
      }
      const remembered = join(cache, 'electron-download-failed.json');
      expect((await stat(remembered)).mode & 0o777).toBe(0o600);
      expect((await stat(cache)).mode & 0o777).toBe(0o700);
      expect(JSON.parse(await readFile(remembered, 'utf8'))).toMatchObject({ at: expect.any(String) });

      const second = start(['--port', String(await freePort()), '--data', join(dir, 'data-electron-2')], env);
      try {
        await second.until('Electron indisponível');
        expect(second.output()).not.toContain('Baixando o Electron');
        expect(second.output()).toMatch(/download do Electron falhou em .* e não foi tentado de novo/);
        expect(second.output()).toContain('node scripts/start.mjs --retry-electron');
      } finally {
        stopGroup(second.child);
      }
    },
    START_TIMEOUT,
  );
});

describe('the start command reads its options strictly', () => {
  it('refuses an option it does not know, or one without its value, in Portuguese and before any work', async () => {
    for (const args of [['--bogus'], ['--port']]) {
      const run = start(args, {});
      const code = await new Promise<number | null>((done) => run.child.once('exit', done));
      expect(code).toBe(2);
      expect(run.output()).toContain('Opção não reconhecida ou sem valor');
      expect(run.output()).toContain('--retry-electron');
      expect(run.output()).not.toContain('npm ci');
    }
  });
});
