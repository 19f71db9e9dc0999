/**
 * Browser mode's server: the desktop core's handler table over loopback HTTP, so the whole app runs
 * in a browser tab (`node scripts/start.mjs` without Electron, `npm run dev:browser`, the Playwright
 * suite). Never imported by main.ts and never part of the packaged app.
 *
 * - POST /rpc/<channel>  JSON payload → the same `{ok,data}|{ok:false,error}` envelope as IPC.
 * - POST /stage          raw file bytes → a path on disk, standing in for Electron's
 *                        webUtils.getPathForFile (a browser has no file paths).
 * - POST <extra route>   JSON in, JSON out: only what the caller adds (the test suite's clock and
 *                        reset, tests/support/); the product adds none.
 * - GET  /…              the renderer built for browser mode.
 * Access: the access key (see access-key.ts); the Host must be loopback (DNS rebinding).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HandlerTable } from '@certdesk/shared/contract';
import { dispatch, isChannel } from '../dispatch';
import { AccessKey } from './access-key';
import { Staging } from './staging';
import { sendJson, sendLocked, serveStatic } from './static-files';

/** An extra POST route: its JSON body in, `{ status, body }` out (the access key is checked first). */
export type ExtraRoute = (body: unknown) => Promise<{ status: number; body: unknown }>;

export interface BrowserModeServerOptions {
  /** The table to serve; a function when test hooks may swap the core underneath. */
  handlers: HandlerTable | (() => HandlerTable);
  /** Folder of the renderer built with `--mode browser`; omit to serve the API only. */
  staticDir?: string;
  /** Where staged uploads are written: a private folder (0700) of this user's. */
  stagingDir: string;
  port?: number;
  token?: string;
  /** POST routes by path, beside /rpc and /stage (the test suite's hooks; none in the product). */
  extraRoutes?: Record<string, ExtraRoute>;
}

export interface BrowserModeServer {
  server: Server;
  url: string;
  token: string;
  /** The one address to open: it carries the token, exchanged for a cookie on first visit. */
  openUrl: string;
  close(): Promise<void>;
}

const MAX_BODY = 12 * 1024 * 1024; // a little over the inspector's own 10 MB limit

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const raw = (await readBody(req)).toString('utf8');
  try {
    return { ok: true, value: raw ? JSON.parse(raw) : undefined };
  } catch {
    return { ok: false };
  }
}

export async function startBrowserModeServer(options: BrowserModeServerOptions): Promise<BrowserModeServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const handlers = typeof options.handlers === 'function' ? options.handlers : () => options.handlers as HandlerTable;
  const staging = new Staging(options.stagingDir);
  await staging.open();
  // Listening first: the cookie's name and the accepted origins depend on the port it got.
  const server = createServer();
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail);
      ready();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  const origins = [origin, `http://localhost:${port}`];
  const auth = new AccessKey(token, `certdesk-${port}`);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
    if (host !== '127.0.0.1' && host !== 'localhost') return sendJson(res, 403, { error: 'host' });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');

    if (req.method === 'GET') {
      const offered = url.searchParams.get('token');
      if (offered !== null) {
        if (!auth.matches(offered)) return sendLocked(res);
        // Why a redirect: the token leaves the address bar and the history once it is a cookie.
        res.writeHead(303, { Location: url.pathname, 'Set-Cookie': auth.setCookie(), 'Cache-Control': 'no-store' });
        return void res.end();
      }
      if (!auth.fromCookie(req) && !auth.fromHeader(req)) return sendLocked(res);
      if (options.staticDir) return serveStatic(options.staticDir, url.pathname, res);
      return sendJson(res, 404, { error: 'not found' });
    }

    if (req.method !== 'POST') return sendJson(res, 405, { error: 'method' });
    if (!auth.call(req, origins)) return sendJson(res, 401, { error: 'token' });

    if (url.pathname.startsWith('/rpc/')) {
      let channel: string;
      try {
        channel = decodeURIComponent(url.pathname.slice('/rpc/'.length));
      } catch {
        return sendJson(res, 400, { error: 'channel' });
      }
      if (!isChannel(channel)) return sendJson(res, 404, { error: 'channel' });
      const body = await readJson(req);
      if (!body.ok) return sendJson(res, 200, { ok: false, error: { code: 'INVALID_REQUEST', message: 'JSON inválido.' } });
      const answer = await dispatch(handlers(), channel, body.value);
      // An installed upload has served its purpose: its staged copy goes now, not at the next sweep.
      if (channel === 'certificates:install' && answer.ok) await staging.release((body.value as { path?: unknown }).path);
      return sendJson(res, 200, answer);
    }

    if (url.pathname === '/stage') {
      const name = (url.searchParams.get('name') ?? 'arquivo').replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200);
      return sendJson(res, 200, { path: await staging.put(name, await readBody(req)) });
    }

    const extra = Object.hasOwn(options.extraRoutes ?? {}, url.pathname) ? options.extraRoutes![url.pathname] : undefined;
    if (extra) {
      const body = await readJson(req);
      if (!body.ok) return sendJson(res, 400, { error: 'json' });
      const answer = await extra(body.value);
      return sendJson(res, answer.status, answer.body);
    }
    return sendJson(res, 404, { error: 'not found' });
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // Every path is awaited here: one bad request must never take the server down.
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof BodyTooLarge) return sendJson(res, 413, { error: 'too large' });
      console.error(`modo navegador: erro ao atender ${req.method} (${error instanceof Error ? error.name : 'erro'})`);
      sendJson(res, 500, { error: 'internal' });
    });
  });

  return {
    server,
    url: origin,
    token,
    openUrl: `${origin}/?token=${token}`,
    close: async () => {
      await new Promise<void>((done) => server.close(() => done()));
      await staging.close();
    },
  };
}
