/**
 * The one guard every store uses where an async answer lands in state: answers may come back out
 * of order (a click during start-up, two quick clicks, an environment switched while a load was on
 * its way), and only the answer to the latest request may be applied, so a screen never jumps back
 * to an older state or shows another environment's data.
 */
import type { ErrorCode } from '@certdesk/shared/contract';
import { ApiError } from '../api';

export interface Latest {
  /** Start a request; the function answers whether its answer is still the one to apply. */
  begin(): () => boolean;
  /**
   * Watch without starting a request: the function answers whether no request began since (a load
   * that must not override a change the user made while it was on its way).
   */
  since(): () => boolean;
  /** Make every answer on its way stale (the environment changed, the screen was reset). */
  invalidate(): void;
}

export function latest(): Latest {
  let revision = 0;
  return {
    begin() {
      const mine = ++revision;
      return () => mine === revision;
    },
    since() {
      const seen = revision;
      return () => seen === revision;
    },
    invalidate() {
      revision++;
    },
  };
}

/**
 * An error as stores keep it: the contract's code (translated at display time, in the UI's
 * language) and the core's specific message shown under it. `NETWORK` is the renderer's own code
 * for "the core did not answer at all".
 */
export interface StoreError {
  code: ErrorCode | 'NETWORK';
  message: string;
  details?: Record<string, string>;
}

/** Anything thrown, as a StoreError: our errors keep their code, anything else is INTERNAL. */
export function storeError(caught: unknown): StoreError {
  if (caught instanceof ApiError)
    return { code: caught.code, message: caught.message, ...(caught.details ? { details: caught.details } : {}) };
  return { code: 'INTERNAL', message: caught instanceof Error ? caught.message : String(caught) };
}

/** The i18n key of an error's title: `errors.<code>`, or the generic one for a code we do not know. */
export function errorKey(error: { code: string }, known: (key: string) => boolean): string {
  return known(`errors.${error.code}`) ? `errors.${error.code}` : 'errors.INTERNAL';
}

/** The cloud did not answer (as opposed to refusing): what was last read can still be shown. */
export function isOffline(error: StoreError): boolean {
  return error.code === 'CLOUD_OFFLINE' || error.code === 'CLOUD_TIMEOUT' || error.code === 'CLOUD_SERVER';
}
