import { isAbsolute } from 'node:path';
import type { ExtraRoute } from '#desktop/browser-mode/browser-mode-server';

/** What the suite's hooks act on: the core's clock and a fresh core for the next test. */
export interface TestHooks {
  /** Moves the clock, then runs what became due (scheduled swaps, warnings) before answering. */
  setNow(now: Date | null): Promise<void>;
  /** A fresh data folder and keychain namespace (`keychain: 'none'`: a machine without one); answers the folder. */
  reset(options: { keychain?: 'none'; files?: Record<string, string> }): Promise<string>;
  /** One turn of the background revocation recheck now (what its timer would do later). */
  recheckRevocation(): Promise<void>;
}

/**
 * The suite's routes on browser mode's server (never in the product's entry):
 * POST /test/clock `{"now": ISO | null}`, POST /test/reset `{"keychain"?: "none", "files"?: {path: text}}` → `{ dataDir }` and
 * POST /test/revocation-recheck (a turn of the background recheck, after moving the clock).
 */
export function testHookRoutes(hooks: TestHooks): Record<string, ExtraRoute> {
  return {
    '/test/clock': async (body) => {
      const now = (body as { now?: string | null } | undefined)?.now;
      const date = now ? new Date(now) : null;
      if (date && Number.isNaN(date.getTime())) return { status: 400, body: { error: 'date' } };
      await hooks.setNow(date);
      return { status: 200, body: { now: date?.toISOString() ?? null } };
    },
    '/test/reset': async (body) => {
      const { keychain: wanted, files } = (body ?? {}) as { keychain?: unknown; files?: unknown };
      const seeded = files && typeof files === 'object' ? (files as Record<string, unknown>) : {};
      // Only plain relative paths inside the new data folder, and text.
      const bad = Object.entries(seeded).some(
        ([path, text]) => typeof text !== 'string' || isAbsolute(path) || path.split(/[\\/]/).includes('..'),
      );
      if (bad) return { status: 400, body: { error: 'files' } };
      const dataDir = await hooks.reset({ keychain: wanted === 'none' ? 'none' : undefined, files: seeded as Record<string, string> });
      return { status: 200, body: { dataDir } };
    },
    '/test/revocation-recheck': async () => {
      await hooks.recheckRevocation();
      return { status: 200, body: {} };
    },
  };
}
