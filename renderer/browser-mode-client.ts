/**
 * Browser stand-in for the preload (browser mode and test builds only): the same CertdeskApi over
 * the loopback browser mode. The page never sees the access token: the server set it as an HttpOnly
 * cookie when the start command's address was opened, and same-origin requests carry it.
 */
import type { CertdeskApi, Envelope } from '@certdesk/shared/contract';

/** `pfxInspect` → `pfx:inspect` (domains are single lower-case words). */
function channelOf(name: string): string {
  const split = name.search(/[A-Z]/);
  return `${name.slice(0, split)}:${name.charAt(split).toLowerCase()}${name.slice(split + 1)}`;
}

async function rpc(channel: string, request: unknown): Promise<Envelope<unknown>> {
  const response = await fetch(`/rpc/${encodeURIComponent(channel)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: request === undefined ? '' : JSON.stringify(request),
  });
  if (!response.ok) throw new Error(`browser mode: HTTP ${response.status}`);
  return (await response.json()) as Envelope<unknown>;
}

async function stage(file: File): Promise<string> {
  const response = await fetch(`/stage?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    body: file,
  });
  if (!response.ok) throw new Error(`browser mode: HTTP ${response.status}`);
  return ((await response.json()) as { path: string }).path;
}

export function createBrowserModeApi(): CertdeskApi {
  return new Proxy({} as CertdeskApi, {
    get: (_target, name: string) => {
      // In the browser "the file's path" means: copy it next to the server and use that path.
      if (name === 'pathForFile') return stage;
      // A browser tab has no menus or second launches: nothing ever arrives.
      if (name === 'onAppEvent') return () => () => undefined;
      if (name === 'then') return undefined; // not a thenable
      return (request?: unknown) => rpc(channelOf(name), request);
    },
  });
}
