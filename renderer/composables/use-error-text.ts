/**
 * The one way an error is worded on screen (ErrorNotice, toasts, lines under a field, the app-wide
 * sink): its CODE translated into the UI's language as the title, and the core's specific message
 * as detail only where it speaks that language. The core words its messages in Portuguese only
 * (packages/core/errors.ts), so an English screen shows the translated title alone rather than
 * mixing in a Portuguese sentence.
 */
import { useI18n } from 'vue-i18n';
import { errorKey, storeError, type StoreError } from '../stores/latest';

export interface ErrorLines {
  /** The code, translated. */
  title: string;
  /** The core's own message, when the UI speaks Portuguese and it adds something; else null. */
  detail: string | null;
}

type Translate = (key: string) => string;
type Known = (key: string) => boolean;

/** Title and detail of an error (anything thrown, or a store's StoreError) in `locale`. */
export function errorLines(caught: unknown, t: Translate, te: Known, locale: string): ErrorLines {
  const error: StoreError = isStoreError(caught) ? caught : storeError(caught);
  const title = t(errorKey(error, te));
  const message = error.message.trim();
  const detail = locale === 'pt-BR' && message && message !== title ? message : null;
  return { title, detail };
}

/** Both lines as one, for a toast: "Título: detalhe", or two sentences when the title already ends one. */
export function joinLines({ title, detail }: ErrorLines): string {
  if (!detail) return title;
  return /[.!?…]$/.test(title) ? `${title} ${detail}` : `${title}: ${detail}`;
}

function isStoreError(value: unknown): value is StoreError {
  return (
    !(value instanceof Error) &&
    typeof value === 'object' &&
    value !== null &&
    typeof (value as StoreError).code === 'string' &&
    typeof (value as StoreError).message === 'string'
  );
}

/** In a component: `lines(error)` and `text(error)` (one line, for toasts) in the current UI language. */
export function useErrorText(): { lines: (caught: unknown) => ErrorLines; text: (caught: unknown) => string } {
  const { t, te, locale } = useI18n();
  const lines = (caught: unknown) =>
    errorLines(
      caught,
      (key) => t(key),
      (key) => te(key),
      locale.value,
    );
  return { lines, text: (caught) => joinLines(lines(caught)) };
}
