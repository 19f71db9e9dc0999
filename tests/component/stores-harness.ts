/**
 * The stores' tests run the real store code against a real core: `window.certdesk` is built, as
 * the preload builds it, from the contract's channels, each call going over loopback HTTP to the
 * browser mode's server around `createCore()` (tests/unit/helpers/stores-core-server.ts, its own Node
 * process with a fresh data folder per test). The only thing a test adds is `hold`: the next
 * answer on a channel is computed by the core at once but handed to the store only when the test
 * releases it, so answers arrive out of order on purpose.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { createPinia, setActivePinia } from 'pinia';
import { afterAll } from 'vitest';
import { CHANNELS, apiName, type CertdeskApi, type Channel, type Envelope } from '@certdesk/shared/contract';

export interface Held {
  /** Resolves once the store has asked and the core has answered. */
  reached: Promise<void>;
  /** Hand the answer to the store and wait until it has been applied. */
  release(): Promise<void>;
}

export interface Harness {
  /** The data folder of this test's core. */
  dataDir: string;
  /** Hold back the next answer on `channel` (optionally only for a request matching `when`). */
  hold(channel: Channel, when?: (request: Record<string, unknown>) => boolean): Held;
  /** Call the core directly (seeding), as another window would; throws `code` on a failure. */
  call<T = unknown>(channel: Channel, request?: unknown): Promise<T>;
  /** The core server's SEFAZ stand-in (started on first use, its calls forgotten with `reset`): how many calls it received. */
  sefazStandin(options?: { reset?: boolean }): Promise<{ calls: number }>;
}

type Gate = { channel: Channel; when: (request: Record<string, unknown>) => boolean; reached: () => void; gate: Promise<void> };

let server: Promise<{ url: string; token: string; child: ChildProcess }> | null = null;
const gates: Gate[] = [];

/** Let pending promises and Vue's scheduler run (the store applies what it received). */
export const settle = async (): Promise<void> => {
  // Answers travel over real HTTP, so a fixed number of ticks is not enough on a busy machine: wait
  // until no call is on its way (held ones excepted) and the scheduler has run a few times since.
  const deadline = Date.now() + 15_000;
  let quiet = 0;
  while (quiet < 5) {
    await new Promise((r) => setTimeout(r, 0));
    quiet = travelling === 0 ? quiet + 1 : 0;
    if (Date.now() > deadline) throw new Error(`settle: ${travelling} call(s) still unanswered after 15 s`);
  }
};

/** Calls sent and not yet answered, not counting those a test holds back on purpose. */
let travelling = 0;

function startServer() {
  server ??= new Promise((ready, fail) => {
    const tsx = resolve(import.meta.dirname, '../../node_modules/.bin/tsx');
    const child = spawn(tsx, [resolve(import.meta.dirname, '../unit/helpers/stores-core-server.ts')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`the core server stopped (${code})`)));
    createInterface({ input: child.stdout! }).once('line', (line) =>
      ready({ ...(JSON.parse(line) as { url: string; token: string }), child }),
    );
  });
  return server;
}

afterAll(async () => {
  if (!server) return;
  const { child } = await server;
  child.kill('SIGTERM');
});

/** POST to the core server with Node's own HTTP (happy-dom's fetch applies a page's CORS rules). */
async function post(path: string, body: unknown): Promise<unknown> {
  const { url, token } = await startServer();
  const payload = body === undefined ? '' : JSON.stringify(body);
  return new Promise((done, fail) => {
    const req = httpRequest(
      `${url}${path}`,
      { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CertDesk-Token': token } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

const rpc = (channel: string, request: unknown) => post(`/rpc/${encodeURIComponent(channel)}`, request) as Promise<Envelope<unknown>>;

function install(): void {
  if (window.certdesk) return;
  const certdesk: Record<string, unknown> = { pathForFile: (file: File) => file.name, onAppEvent: () => () => undefined };
  for (const channel of CHANNELS) {
    certdesk[apiName(channel)] = async (request?: unknown) => {
      travelling++;
      let answer: Envelope<unknown>;
      try {
        answer = await rpc(channel, request);
      } finally {
        travelling--;
      }
      const index = gates.findIndex((g) => g.channel === channel && g.when((request ?? {}) as Record<string, unknown>));
      if (index >= 0) {
        const [held] = gates.splice(index, 1);
        held!.reached();
        await held!.gate;
      }
      return answer;
    };
  }
  window.certdesk = certdesk as unknown as CertdeskApi;
}

/** A fresh core (data folder) and a fresh Pinia for one test. */
export async function startHarness(): Promise<Harness> {
  install();
  gates.length = 0;
  const { dataDir } = (await post('/test/reset', {})) as { dataDir: string };
  setActivePinia(createPinia());
  return {
    dataDir,
    hold(channel, when = () => true) {
      let reached!: () => void;
      let open!: () => void;
      const reachedP = new Promise<void>((r) => (reached = r));
      gates.push({ channel, when, reached, gate: new Promise<void>((r) => (open = r)) });
      return {
        reached: reachedP,
        release: async () => {
          await reachedP;
          open();
          await settle();
        },
      };
    },
    async call<T>(channel: Channel, request?: unknown) {
      const answer = (await rpc(channel, request)) as Envelope<T>;
      if (!answer.ok) throw Object.assign(new Error(`${channel}: ${answer.error.code}`), { code: answer.error.code });
      return answer.data;
    },
    async sefazStandin(options = {}) {
      return (await post('/test/sefaz-standin', options)) as { calls: number };
    },
  };
}

/** A loopback address where nothing listens (a port just freed): the cloud "does not answer". */
export async function closedPortUrl(): Promise<string> {
  const { createServer } = await import('node:net');
  const listener = createServer();
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  const port = (listener.address() as { port: number }).port;
  await new Promise<void>((r) => listener.close(() => r()));
  return `http://127.0.0.1:${port}/api/v1`;
}

/** The committed PKCS#12 test files (tests/fixtures.ts is Node-project only; same folder and password). */
export const pfx = (name: string): string => resolve(import.meta.dirname, '../fixtures/pfx', name);
export const bad = (name: string): string => resolve(import.meta.dirname, '../fixtures/bad', name);
export const PASSWORD = 'SenhaTeste123';
