/**
 * The test bridge: the core's handler table over loopback HTTP, for the Playwright suite and
 * `npm run dev:browser`. Never imported by main.ts and never part of the packaged app.
 *
 * - POST /rpc/<channel>  JSON payload → the same `{ok,data}|{ok:false,error}` envelope as IPC.
 * - POST /stage          raw file bytes → a path on disk, standing in for Electron's
 *                        webUtils.getPathForFile (a browser has no file paths).
 * - POST /test/clock     moves the core's clock (end-to-end tests of expiry).
 * - GET  /…              the renderer built in bridge mode, with the token in a meta tag.
 * Every call needs the random token in `X-CertDesk-Token`; the Host must be loopback (DNS rebinding).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { HandlerTable } from '#shared/contract';
import { dispatch, isChannel } from '#core/dispatch';

export interface BridgeOptions {
  handlers: HandlerTable;
  /** Folder of the renderer built with `--mode bridge`; omit to serve the API only. */
  staticDir?: string;
  /** Where staged uploads are written. */
  stagingDir: string;
  port?: number;
  token?: string;
  /** Test-only: move the core's clock (`POST /test/clock {"now": ISO | null}`), e.g. to see expiry. */
  setNow?: (now: Date | null) => void;
}

export interface Bridge {
  server: Server;
  url: string;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 12 * 1024 * 1024; // a little over the inspector's own 10 MB limit
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const expected = Buffer.from(token);
  await mkdir(options.stagingDir, { recursive: true });
  let staged = 0;

  const authorized = (req: IncomingMessage): boolean => {
    const given = Buffer.from(String(req.headers['x-certdesk-token'] ?? ''));
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  const server = createServer(async (req, res) => {
    try {
      const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
      if (host !== '127.0.0.1' && host !== 'localhost') return send(res, 403, { error: 'host' });
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');

      if (req.method === 'POST' && url.pathname.startsWith('/rpc/')) {
        if (!authorized(req)) return send(res, 401, { error: 'token' });
        const channel = decodeURIComponent(url.pathname.slice('/rpc/'.length));
        if (!isChannel(channel)) return send(res, 404, { error: 'channel' });
        const raw = (await readBody(req)).toString('utf8');
        let payload: unknown;
        try {
          payload = raw ? JSON.parse(raw) : undefined;
        } catch {
          return send(res, 200, { ok: false, error: { code: 'INVALID_REQUEST', message: 'JSON inválido.' } });
        }
        return send(res, 200, await dispatch(options.handlers, channel, payload));
      }

      if (req.method === 'POST' && url.pathname === '/stage') {
        if (!authorized(req)) return send(res, 401, { error: 'token' });
        const name = (url.searchParams.get('name') ?? 'arquivo').replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200);
        const folder = join(options.stagingDir, String(++staged));
        await mkdir(folder, { recursive: true });
        const path = join(folder, name || 'arquivo');
        await writeFile(path, await readBody(req));
        return send(res, 200, { path });
      }

      if (req.method === 'POST' && url.pathname === '/test/clock' && options.setNow) {
        if (!authorized(req)) return send(res, 401, { error: 'token' });
        const { now } = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { now?: string | null };
        const date = now ? new Date(now) : null;
        if (date && Number.isNaN(date.getTime())) return send(res, 400, { error: 'date' });
        options.setNow(date);
        return send(res, 200, { now: date?.toISOString() ?? null });
      }

      if (req.method === 'GET' && options.staticDir) return serveStatic(options.staticDir, url.pathname, token, res);
      send(res, 404, { error: 'not found' });
    } catch {
      send(res, 500, { error: 'internal' });
    }
  });

  await new Promise<void>((ready) => server.listen(options.port ?? 0, '127.0.0.1', ready));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    token,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

async function serveStatic(root: string, pathname: string, token: string, res: ServerResponse): Promise<void> {
  const base = resolve(root);
  const wanted = pathname === '/' ? '/index.html' : decodeURIComponent(pathname);
  const file = resolve(base, normalize('.' + wanted));
  if (file !== base && !file.startsWith(base + sep)) return send(res, 403, { error: 'path' });
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return send(res, 404, { error: 'not found' });
  }
  if (file.endsWith('index.html')) {
    body = Buffer.from(
      body.toString('utf8').replace('</head>', `<meta name="certdesk-bridge-token" content="${token}"></head>`),
    );
  }
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
  res.end(body);
}
