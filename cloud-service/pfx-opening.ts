/**
 * The one place CertDesk Cloud opens a PFX it was sent (installs and swaps). Today it reads it in
 * this thread; the worker pool for the cloud's PFX work is wired here, and only here, so nothing
 * else changes when it is (a PFX is input someone else controls: it must not hold the event loop).
 */
import type { PfxInspection } from '@certdesk/shared/contract';
import { inspectBytes } from '@certdesk/core/pfx/inspect';

export async function openPfx(pfx: Buffer, fileName: string, password: string | null, now: Date): Promise<PfxInspection> {
  return inspectBytes(pfx, fileName, { password, now });
}
