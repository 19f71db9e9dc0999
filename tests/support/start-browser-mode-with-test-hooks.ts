/**
 * Browser mode as the end-to-end suite runs it: the product's server and settings
 * (desktop/browser-mode/browser-mode.ts) plus the suite's hooks, which exist only in this entry:
 *
 * - POST /test/clock  `{"now": ISO | null}` moves the core's clock (e.g. to see expiry) and runs
 *                     what became due (scheduled swaps, warnings) before answering;
 * - POST /test/reset  a fresh data folder and keychain namespace for the next test (`{"keychain":
 *                     "none"}`: a machine without a keychain); answers `{ dataDir }`;
 * - POST /test/revocation-recheck  a turn of the background revocation recheck now.
 * - POST /test/sefaz  `{"connectTo": "127.0.0.1:PORT", "rootPem": "…"}` sends the core's SEFAZ checks
 *                     to the stand-in a test started and trusts its root (`{}`: back to nothing);
 *                     the core's explicit `sefazTestTransport` option, which the product never sets.
 *
 * Extra option: `--fresh` empties the data folder first. CERTDESK_NOW fixes the clock at start.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensurePrivateDir } from '@certdesk/core/private-dir';
import type { SecretStore } from '@certdesk/core/secret-store';
import { createCore, type Core } from '#desktop/composition-root';
import { OsKeychain } from '#desktop/keychain';
import { announceAndStayUp, listenBrowserMode, readBrowserModeSettings } from '#desktop/browser-mode/browser-mode';
import { testHookRoutes } from './test-hook-routes';
import { NoKeychain, TrackedKeychain } from './tracked-keychain';
import { sefazTestTarget } from './sefaz-test-transport';

const { settings, values } = readBrowserModeSettings(process.argv.slice(2), process.env, { fresh: { type: 'boolean' } });
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
let fixedNow: Date | null = process.env['CERTDESK_NOW'] ? new Date(process.env['CERTDESK_NOW']) : null;
if (values['fresh']) await rm(settings.dataDir, { recursive: true, force: true });
await ensurePrivateDir(settings.dataDir);

// Each test gets its own folder and keychain namespace, and the keychain forgets what it wrote.
const runId = randomBytes(4).toString('hex');
let generation = 0;
const keychainFor = (n: number) => new TrackedKeychain(new OsKeychain(`${settings.keychainService}-${runId}-${n}`));
let keychain: SecretStore & { clear?: () => Promise<void> } = keychainFor(0);
const sefazTarget = sefazTestTarget();
const open = (folder: string): Promise<Core> =>
  createCore({
    dataDir: folder,
    shell: 'browser',
    version,
    keychain,
    now: () => fixedNow ?? new Date(),
    sefazTestTransport: { connectOverride: sefazTarget.connectOverride, extraTrustAnchors: sefazTarget.extraTrustAnchors },
  });
let core = await open(join(settings.dataDir, 'test-0'));

async function reset(options: { keychain?: 'none'; files?: Record<string, string> }): Promise<string> {
  await core.close();
  await keychain.clear?.();
  generation += 1;
  fixedNow = null;
  const folder = join(settings.dataDir, `test-${generation}`);
  keychain = options.keychain === 'none' ? new NoKeychain() : keychainFor(generation);
  // Files an older version left (a workspace without states…), in place before the core starts and
  // reads anything: written after, a core that had already opened the folder would not see them.
  for (const [path, text] of Object.entries(options.files ?? {})) {
    const target = join(folder, path);
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    await writeFile(target, text, { mode: 0o600 });
  }
  core = await open(folder);
  return folder;
}

const serving = {
  handlers: () => core.handlers,
  close: async () => {
    await core.close();
    await keychain.clear?.();
  },
  extraRoutes: {
    ...testHookRoutes({
      setNow: async (now) => {
        fixedNow = now;
        await core.runDueWork();
      },
      reset,
      recheckRevocation: () => core.revocation.turn(),
    }),
    '/test/sefaz': async (body: unknown) => {
      const problem = sefazTarget.set(body);
      return problem ? { status: 400, body: { error: problem } } : { status: 200, body: { ok: true } };
    },
  },
};
announceAndStayUp(settings, await listenBrowserMode(settings, serving), serving);
