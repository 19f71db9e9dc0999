/** The renderer's built files, confined to their folder, and the page shown to whoever has no key. */
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

const SECURITY_HEADERS = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** A path inside `root`, or null for anything that would leave it or cannot be decoded. */
export function confinedPath(root: string, pathname: string): string | null {
  let wanted: string;
  try {
    wanted = pathname === '/' ? '/index.html' : decodeURIComponent(pathname);
  } catch {
    return null; // malformed percent-encoding (e.g. /%E0%A4%A)
  }
  if (wanted.includes('\0')) return null;
  const base = resolve(root);
  const file = resolve(base, normalize('.' + wanted));
  return file.startsWith(base + sep) ? file : null;
}

export async function serveStatic(root: string, pathname: string, res: ServerResponse): Promise<void> {
  const file = confinedPath(root, pathname);
  if (!file) return sendJson(res, 400, { error: 'path' });
  let body: Buffer;
  try {
    // Only regular files: a FIFO or device planted in the folder must not hang or flood the server.
    if (!(await stat(file)).isFile()) return sendJson(res, 404, { error: 'not found' });
    body = await readFile(file);
  } catch {
    return sendJson(res, 404, { error: 'not found' });
  }
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
  res.end(body);
}

/** What a browser sees without the key: how to get in, and nothing of the user's data. */
export function sendLocked(res: ServerResponse): void {
  res.writeHead(401, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html>
<html lang="pt-BR"><head><meta charset="utf-8"><title>CertDesk — acesso protegido</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}
code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>CertDesk</h1>
<p>Este endereço precisa da chave de acesso desta sessão. Abra o endereço completo que o comando
<code>node scripts/start.mjs</code> mostrou no terminal (ele termina em <code>/?token=…</code>).</p>
<p lang="en">This address needs this session's access key. Open the full address that
<code>node scripts/start.mjs</code> printed in the terminal (it ends in <code>/?token=…</code>).</p>
</body></html>`);
}
