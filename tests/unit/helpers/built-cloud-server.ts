/**
 * CertDesk Cloud as an operator runs it: the built server (`node cloud-service/dist/server.js`, made
 * by `npm run build -w cloud-service`, which scripts/test.sh runs first) in a child process, its JSON
 * log kept for the test to read.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const ROOT = new URL('../../..', import.meta.url).pathname;

export interface BuiltServer {
  child: ChildProcess;
  url: string;
  /** Every line the server wrote so far (stdout and stderr). */
  log(): string;
  /** The parsed JSON lines of stdout. */
  entries(): Record<string, unknown>[];
  /** Waits for the process to end; answers its exit code. */
  exited(): Promise<number | null>;
}

export function startBuiltServer(
  args: string[],
  env: Record<string, string>,
  entry = 'cloud-service/dist/server.js',
): Promise<BuiltServer> {
  const child = spawn(process.execPath, [entry, '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', CERTDESK_CLOUD_KEK: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const server = (url: string): BuiltServer => ({
    child,
    url,
    log: () => out + err,
    entries: () =>
      out
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    exited: () => exit,
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const url = /"url":"(http[^"]+)"/.exec(out)?.[1];
      if (url) resolve(server(url));
    });
    child.stderr!.on('data', (d: Buffer) => (err += d));
    void exit.then((code) => reject(Object.assign(new Error(`the server stopped (${code}): ${out}${err}`), { code, log: out + err })));
  });
}
