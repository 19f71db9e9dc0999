/**
 * The app's one error sink: whatever escapes a component (Vue's errorHandler) or a promise nobody
 * awaited (the window's `unhandledrejection`) is said once on screen, in the UI's language, and
 * logged by the main process as a code and a class name only (`app:logError`): the error's message
 * may hold a path or a secret a library put in it, so it never leaves the renderer.
 */
import type { App } from 'vue';
import { createDiscreteApi } from 'naive-ui';
import { api } from './api';
import { i18n } from './i18n/index';
import { errorLines } from './composables/use-error-text';
import { storeError } from './stores/latest';

type Source = 'vue' | 'promise';

/** Where the sink says it: Naive UI's message outside any provider, so it works before the shell mounts. */
export type Display = (text: string) => void;

let display: Display | null = null;

function defaultDisplay(): Display {
  const { message } = createDiscreteApi(['message']);
  return (text) => void message.error(text, { duration: 6000 });
}

/** The class of what was thrown, for the log: a name, never its message. */
function kindOf(caught: unknown): string {
  const name = caught instanceof Error ? caught.name : typeof caught;
  return /^[A-Za-z_$][\w$]{0,59}$/.test(name) ? name : 'Unknown';
}

/** Say it and log it. Answers the text shown (the tests read it). */
export function report(caught: unknown, source: Source): string {
  const error = storeError(caught);
  const { t, te, locale } = i18n.global;
  // The title only, in any language: the message of something nobody caught is not ours to show.
  const text = errorLines(
    error,
    (key) => t(key),
    (key) => te(key),
    locale.value,
  ).title;
  (display ??= defaultDisplay())(text);
  // Logging must never raise an error of its own (which would come back here).
  void api.appLogError({ source, code: error.code, kind: kindOf(caught) }).catch(() => undefined);
  return text;
}

/** Install on the app: Vue's errorHandler and the window's unhandled rejections both go to `report`. */
export function installErrorSink(app: App, show?: Display): () => void {
  if (show) display = show;
  app.config.errorHandler = (caught) => void report(caught, 'vue');
  // One listener for the window, however many times this runs (a second app, a hot reload).
  if (onRejection) window.removeEventListener('unhandledrejection', onRejection);
  const listener = (event: PromiseRejectionEvent) => {
    event.preventDefault(); // said and logged here: the console need not repeat it
    report(event.reason, 'promise');
  };
  onRejection = listener;
  window.addEventListener('unhandledrejection', listener);
  return () => {
    window.removeEventListener('unhandledrejection', listener);
    if (onRejection === listener) onRejection = null;
  };
}

let onRejection: ((event: PromiseRejectionEvent) => void) | null = null;
