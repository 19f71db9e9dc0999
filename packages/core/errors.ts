import type { ApiErrorPayload, ErrorCode } from '@certdesk/shared/contract';
import { logLine } from './log';

/**
 * An expected failure with a stable code and a Portuguese message for the CLI and logs.
 * Anything else thrown inside a handler is reported as INTERNAL without its stack or text,
 * so nothing a library put in an exception (paths, bytes) leaks to the renderer.
 */
export class CertdeskError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, string>,
  ) {
    super(message);
    this.name = 'CertdeskError';
  }
}

export function toErrorPayload(error: unknown): ApiErrorPayload {
  if (error instanceof CertdeskError) {
    return error.details
      ? { code: error.code, message: error.message, details: error.details }
      : { code: error.code, message: error.message };
  }
  return { code: 'INTERNAL', message: 'Erro interno inesperado. Tente novamente.' };
}

/** What a log may say about a failure: its code or class, never its text (paths, secrets, bytes). */
export function errorKind(error: unknown): string {
  if (error instanceof CertdeskError) return error.code;
  const code = (error as NodeJS.ErrnoException | null | undefined)?.code;
  if (typeof code === 'string') return code;
  return (error as Error | null | undefined)?.name ?? typeof error;
}

/**
 * A `.catch` for a step that must not stop the operation but must not vanish either: logs what
 * failed (by kind only) and goes on with `fallback`.
 */
export function logAndContinue<T>(what: string, fallback: T): (error: unknown) => T {
  return (error) => {
    logLine(`[certdesk] ${what} failed: ${errorKind(error)}${origin(error)}`);
    return fallback;
  };
}

/**
 * Where a failure without a code was thrown — the first stack frame's file name and line, no folder
 * and no text — so "failed: Error" in a log still points somewhere (" at crl-store.ts:92").
 */
function origin(error: unknown): string {
  if (error instanceof CertdeskError || typeof (error as NodeJS.ErrnoException | null)?.code === 'string') return '';
  const frame = /\n\s+at (?:.*?\()?(?:.*[\\/])?([^\\/():]+\.[cm]?[jt]s):(\d+)/.exec((error as Error | null)?.stack ?? '');
  return frame ? ` at ${frame[1]}:${frame[2]}` : '';
}
