/**
 * The servers of one Playwright worker: browser mode (the suite's entry with its hooks), CertDesk Cloud
 * (the built suite entry on the run's PostgreSQL or PGlite, the demo tenant) and the InvoiCy stand-in. Each worker has
 * its own, because the suite's resets (`/test/reset`) are global to a server: two workers sharing one
 * would empty each other's data folder, tenants or stand-in mid-test.
 *
 * Each listens on a port the OS picks and is ready once it prints where; the port goes into this
 * worker's environment (tests/e2e-ports.ts). Each is one Node process with --exit-on-stdin-close and
 * its stdin held here: if the worker dies, its servers stop on their own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { E2E_SUFFIX, PORT_VARIABLES } from '../e2e-ports';
import { startPostgres, type TestDatabase } from '../unit/helpers/postgres';

interface ServerSpec {
  name: keyof typeof PORT_VARIABLES;
  args: string[];
  ready: RegExp;
  /** How long it may take to say it listens (PGlite creates its cluster on the cloud's first start). */
  startMs: number;
  env?: Record<string, string>;
}

function specs(worker: number, token: string, cloudDatabase: TestDatabase | null): ServerSpec[] {
  const tag = `${E2E_SUFFIX}-w${worker}`;
  return [
    {
      name: 'browserMode',
      args: [
        ...['--import', 'tsx', 'tests/support/start-browser-mode-with-test-hooks.ts', '--port', '0'],
        ...['--data', `test-results/e2e-data${tag}`, '--service', `CertDesk-e2e${tag}`, '--fresh', '--exit-on-stdin-close'],
        ...['--token', token],
      ],
      ready: /CERTDESK_URL=http:\/\/127\.0\.0\.1:(\d+)\//,
      startMs: 90_000,
    },
    {
      // Logs at info: the line waited for is the start line of its JSON log.
      name: 'cloud',
      args: [
        ...['cloud-service/dist-testing/server.js', '--port', '0', '--data', `test-results/cloud-data${tag}`],
        ...['--fresh', '--demo', '--log-level', 'info', '--exit-on-stdin-close'],
      ],
      ready: /CertDesk Cloud em http:\/\/127\.0\.0\.1:(\d+)\//,
      startMs: 180_000,
      ...(cloudDatabase ? { env: { DATABASE_URL: cloudDatabase.url, CERTDESK_CLOUD_KEK: randomBytes(32).toString('base64') } } : {}),
    },
    {
      name: 'invoicy',
      args: ['--import', 'tsx', 'scripts/invoicy-server.ts', '--port', '0', '--test-hooks', '--exit-on-stdin-close'],
      ready: /InvoiCy \(stand-in\) em http:\/\/127\.0\.0\.1:(\d+)\//,
      startMs: 90_000,
    },
  ];
}

function start(spec: ServerSpec): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, spec.args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...spec.env } });
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`${spec.name} did not say it listens within ${spec.startMs} ms`)), spec.startMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${seen.slice(-2000)}`));
    };
    const read = (chunk: Buffer) => {
      // Only the start is kept, for the error: the server's log is read, not shown.
      if (seen.length < 64_000) seen += chunk.toString();
      const match = spec.ready.exec(seen);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', read);
        child.stdout!.resume();
        child.stderr!.resume();
        resolve({ child, port: Number(match[1]) });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', (chunk: Buffer) => {
      if (seen.length < 64_000) seen += chunk.toString();
    });
    child.once('exit', (code, signal) => fail(new Error(`${spec.name} ended before it listened (${signal ?? code})`)));
  });
}

/**
 * Starts this worker's three servers side by side; their ports go into the worker's environment.
 * The cloud keeps its data in a database of its own on the run's PostgreSQL when scripts/test.sh
 * started one (the engine the service runs on in production; an embedded cluster made per worker
 * cost each start ~12 s of CPU), else in PGlite in its data folder.
 */
export async function startWorkerServers(worker: number, token: string): Promise<{ stop: () => Promise<void> }> {
  const cloudDatabase = process.env['CERTDESK_TEST_DATABASE_URL'] ? await startPostgres() : null;
  const started = await Promise.allSettled(specs(worker, token, cloudDatabase).map(async (spec) => ({ spec, ...(await start(spec)) })));
  const children = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value.child] : []));
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.stdin!.end(); // --exit-on-stdin-close: a graceful stop
            setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
          }),
      ),
    );
    await cloudDatabase?.stop();
  };
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  for (const s of started) if (s.status === 'fulfilled') process.env[PORT_VARIABLES[s.value.spec.name]] = String(s.value.port);
  return { stop };
}
