import type { ApiErrorPayload, ErrorCode } from '#shared/contract';

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
    return error.details ? { code: error.code, message: error.message, details: error.details } : { code: error.code, message: error.message };
  }
  return { code: 'INTERNAL', message: 'Erro interno inesperado. Tente novamente.' };
}
