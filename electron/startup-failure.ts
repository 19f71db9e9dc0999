/**
 * What the desktop app says when it cannot start: never a silent exit, never a library's text.
 * main.ts shows it with `dialog.showErrorBox` and exits with status 1. Plain module (no Electron).
 */
import { CertdeskError, errorKind } from '@certdesk/core/errors';

export const STARTUP_FAILURE_TITLE = 'CertDesk não pôde iniciar';

/** The start-up steps, in order; each names, in Portuguese, what could not be done. */
export const STARTUP_STEPS = {
  security: 'preparar a proteção da janela',
  data: 'abrir a pasta de dados',
  window: 'abrir a janela principal',
} as const;

export type StartupStep = keyof typeof STARTUP_STEPS;

/**
 * The dialog's text. A CertdeskError already says, in Portuguese, what failed and what to do (for
 * example WORKSPACE_IN_USE: "A pasta de dados … já está em uso por outro CertDesk…"), so it is shown
 * as is. Anything else gets a fixed line naming the step, plus the error's code or class when it is
 * a plain identifier (EACCES, TypeError) — never its message, which may carry paths or bytes.
 */
export function startupFailureMessage(error: unknown, step: StartupStep): string {
  if (error instanceof CertdeskError) return error.message;
  const kind = typeof error === 'object' && error !== null ? errorKind(error) : '';
  const code = kind !== 'object' && /^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(kind) ? ` (código ${kind})` : '';
  return `Não foi possível ${STARTUP_STEPS[step]}${code}. Feche o CertDesk e tente de novo; se o problema continuar, informe esta mensagem ao suporte.`;
}
