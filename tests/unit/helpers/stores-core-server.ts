/**
 * The real core for the stores' tests, in its own Node process (run with tsx): the PFX worker
 * threads need plain Node, not the happy-dom environment the stores run in. Serves the handler
 * table through the browser mode's own server on a free loopback port, with `/test/reset` giving
 * each test a fresh data folder; prints one JSON line `{ url, token }`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '#desktop/composition-root';
import { MemoryKeychain } from '../../../stand-ins/memory-keychain';
import { startBrowserModeServer } from '#desktop/browser-mode/browser-mode-server';
import { testHookRoutes } from '../../support/test-hook-routes';
import { sefazTestTarget } from '../../support/sefaz-test-transport';
import { startSefazStandin, type SefazStandin } from '../../../stand-ins/sefaz-server';

const root = await mkdtemp(join(tmpdir(), 'certdesk-stores-'));
let now: Date | null = null;
let generation = 0;
// SEFAZ checks go to the SEFAZ stand-in, started here (Node) on a test's first POST /test/sefaz-standin, never to a real SEFAZ.
const sefazTarget = sefazTestTarget();
let standin: SefazStandin | null = null;
const open = async () =>
  createCore({
    dataDir: join(root, `data-${generation++}`),
    shell: 'browser',
    version: 'test',
    keychain: new MemoryKeychain(),
    now: () => now ?? new Date(),
    sefazTestTransport: { connectOverride: sefazTarget.connectOverride, extraTrustAnchors: sefazTarget.extraTrustAnchors },
  });
let core: Core = await open();
const server = await startBrowserModeServer({
  handlers: () => core.handlers,
  stagingDir: join(root, 'staging'),
  port: 0,
  extraRoutes: {
    ...testHookRoutes({
      setNow: async (next) => {
        now = next;
        await core.runDueWork();
      },
      reset: async () => {
        await core.close();
        core = await open();
        return join(root, `data-${generation - 1}`);
      },
      recheckRevocation: () => core.revocation.turn(),
    }),
    '/test/sefaz-standin': async (body: unknown) => {
      if (!standin) {
        standin = await startSefazStandin();
        sefazTarget.set({ connectTo: `127.0.0.1:${standin.port}`, rootPem: standin.rootPem });
      }
      if ((body as { reset?: unknown } | undefined)?.reset === true) standin.reset();
      return { status: 200, body: { calls: standin.calls.length } };
    },
  },
});
console.log(JSON.stringify({ url: server.url, token: server.token }));

const stop = async () => {
  await server.close();
  await core.close();
  await standin?.close();
  await rm(root, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop()); // the test run ended without a signal: go with it
process.stdin.resume();
