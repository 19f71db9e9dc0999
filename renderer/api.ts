/**
 * The only module that reaches the main process: `window.certdesk` in the desktop app, the test
 * browser-mode server in the browser build. Unwraps the `{ok,data}|{ok:false,error}` envelope so stores get
 * plain values or an ApiError with a code.
 */
import type { AppEvent, CertdeskApi, Envelope, ErrorCode } from '@certdesk/shared/contract';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly details?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Channels = Omit<CertdeskApi, 'pathForFile' | 'onAppEvent'>;
type Unwrapped = {
  [K in keyof Channels]: (
    ...args: Parameters<Channels[K]>
  ) => Promise<Awaited<ReturnType<Channels[K]>> extends Envelope<infer T> ? T : never>;
};

let transport: Promise<CertdeskApi> | null = null;

function getTransport(): Promise<CertdeskApi> {
  // Why the define: in production builds this branch and the browser-mode client are removed entirely.
  if (__CERTDESK_BROWSER_MODE__) {
    transport ??= import('./browser-mode-client').then((m) => m.createBrowserModeApi());
  } else {
    transport ??= window.certdesk ? Promise.resolve(window.certdesk) : Promise.reject(new ApiError('NETWORK', 'window.certdesk ausente'));
  }
  return transport;
}

export const api = new Proxy({} as Unwrapped, {
  get:
    (_target, name: string) =>
    async (...args: unknown[]) => {
      const certdesk = await getTransport();
      const call = certdesk[name as keyof Channels] as (...a: unknown[]) => Promise<Envelope<unknown>>;
      let envelope: Envelope<unknown>;
      try {
        envelope = await call(...args);
      } catch {
        throw new ApiError('NETWORK', 'Sem comunicação com o núcleo do aplicativo.');
      }
      if (!envelope.ok) throw new ApiError(envelope.error.code, envelope.error.message, envelope.error.details);
      return envelope.data;
    },
});

/** A path the main process can read for a dropped or chosen file. */
export async function pathForFile(file: File): Promise<string> {
  const certdesk = await getTransport();
  return await certdesk.pathForFile(file);
}

/** Subscribe to what the main process sends on its own (menus, files opened from the OS). */
export async function onAppEvent(listener: (event: AppEvent) => void): Promise<() => void> {
  const certdesk = await getTransport();
  return certdesk.onAppEvent(listener);
}

/** The message of anything thrown, for a toast or an error line. */
export function errorText(caught: unknown): string {
  return caught instanceof Error ? caught.message : String(caught);
}
