/**
 * The servers the end-to-end suite starts (browser mode, CertDesk Cloud, the InvoiCy stand-in) stop
 * on their own when whoever started them dies, with `--exit-on-stdin-close`: here a supervisor
 * process starts each one with a pipe on its stdin, as Playwright does, and is killed with SIGKILL,
 * as a runner cut short is; the server must then exit and free its port. Without the flag a server
 * whose stdin ends keeps serving (systemd and `< /dev/null` give it an empty stdin).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPostgres, type TestDatabase } from './helpers/postgres';

const ROOT = resolve(import.meta.dirname, '../..');
/**
 * Each server's product entry (Node's arguments: the TypeScript ones through tsx, the cloud as built
 * by `npm run build -w cloud-service`), its options, and the line it prints once it listens.
 */
const SERVERS = {
  'browser mode': {
    args: (dir: string) => [
      '--import',
      'tsx',
      'desktop/browser-mode/start-browser-mode.ts',
      '--port',
      '0',
      '--data',
      join(dir, 'data'),
      '--service',
      'CertDesk-exit-test',
    ],
    ready: /CERTDESK_URL=http:\/\/127\.0\.0\.1:(\d+)\//,
  },
  'CertDesk Cloud': {
    args: (dir: string) => ['cloud-service/dist/server.js', '--port', '0', '--data', dir],
    ready: /CertDesk Cloud em http:\/\/127\.0\.0\.1:(\d+)\//,
  },
  'the InvoiCy stand-in': {
    args: () => ['--import', 'tsx', 'scripts/invoicy-server.ts', '--port', '0'],
    ready: /InvoiCy \(stand-in\) em http:\/\/127\.0\.0\.1:(\d+)\//,
  },
} as const;

/** A supervisor (plain Node) that starts the server with a pipe on its stdin and prints its pid first. */
const SUPERVISOR = `
  const { spawn } = require('node:child_process');
  const server = spawn(process.execPath, process.argv.slice(1), { stdio: ['pipe', 'inherit', 'inherit'] });
  console.log('pid=' + server.pid);
  setInterval(() => {}, 1 << 30);
`;

let database: TestDatabase;
let dir: string;
const started: ChildProcess[] = [];
const pids: number[] = [];

beforeAll(async () => {
  database = await startPostgres(); // CertDesk Cloud opens faster on PostgreSQL than on a fresh PGlite
  dir = await mkdtemp(join(tmpdir(), 'certdesk-exit-'));
}, 120_000); // alone (no cluster from scripts/test.sh), the helper starts a PostgreSQL cluster first
afterAll(async () => {
  for (const child of started) child.kill('SIGKILL');
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  await database?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

/** An exited server's pid may soon be another process's: the clean-up must not kill that one. */
function forget(pid: number): void {
  const at = pids.indexOf(pid);
  if (at >= 0) pids.splice(at, 1);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      answer(true);
    });
    socket.once('error', () => answer(false));
  });
}

/** Read `child`'s stdout until `pattern` has matched; answers the match. */
function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((found, fail) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) {
        child.stdout!.off('data', onData);
        found(match);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => fail(new Error(`exited (${code}) before printing ${pattern}:\n${text}`)));
  });
}

/** Start `server` under a supervisor; answers the supervisor, the server's pid and its port. */
async function startSupervised(server: keyof typeof SERVERS, extra: string[]) {
  const { args, ready } = SERVERS[server];
  const env = { ...process.env, DATABASE_URL: server === 'CertDesk Cloud' ? database.url : '', CERTDESK_CLOUD_KEK: '' };
  const supervisor = spawn(process.execPath, ['-e', SUPERVISOR, '--', ...args(join(dir, server.replace(/\W/g, '-'))), ...extra], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push(supervisor);
  const pid = Number((await waitForLine(supervisor, /pid=(\d+)/))[1]);
  pids.push(pid);
  const port = Number((await waitForLine(supervisor, ready))[1]);
  return { supervisor, pid, port };
}

describe('servers started with --exit-on-stdin-close', () => {
  for (const server of Object.keys(SERVERS) as (keyof typeof SERVERS)[]) {
    it(`${server} stops and frees its port when its supervisor is killed with SIGKILL`, async () => {
      const { supervisor, pid, port } = await startSupervised(server, ['--exit-on-stdin-close']);
      expect(await accepts(port)).toBe(true);
      supervisor.kill('SIGKILL');
      await vi.waitFor(() => expect(alive(pid), `${server} (pid ${pid}) has exited`).toBe(false), { timeout: 20_000, interval: 100 });
      forget(pid);
      expect(await accepts(port)).toBe(false);
    }, 60_000);
  }

  it('without the flag, a server whose supervisor is gone keeps serving', async () => {
    const { supervisor, pid, port } = await startSupervised('the InvoiCy stand-in', []);
    supervisor.kill('SIGKILL');
    await new Promise((gone) => supervisor.once('exit', gone));
    // Its stdin has ended (the pipe's other end died with the supervisor); it still answers.
    const response = await fetch(`http://127.0.0.1:${port}/aextensaocertificadosoap.aspx?wsdl`);
    expect(response.status).toBe(200);
    expect(alive(pid)).toBe(true);
  }, 60_000);
});
