/**
 * The renderer's own origin, `app://certdesk/`: a privileged custom scheme served from the built
 * renderer folder instead of `file://` (Electron security checklist, item 18). Plain Node — no
 * Electron import — so the path confinement is unit-tested; main.ts registers the scheme and hands
 * each request to `respondToAppRequest`.
 */
// Looked up at call time: Electron's asar support patches fs.promises, and the app sits in app.asar.
import { promises as fs } from 'node:fs';
import { extname, isAbsolute, relative, resolve } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'certdesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The one page the window loads; routes are hashes (`#/inspecionar`), so the path never changes. */
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`;

/**
 * For `protocol.registerSchemesAsPrivileged` (before `ready`): standard (relative URLs and a real
 * origin, so CSP `'self'` means this origin), secure (a secure context, like https), fetch allowed.
 * Not `bypassCSP`, not `corsEnabled`: nothing outside the app may read from it.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Content-Type by extension (case-insensitive); anything unknown is opaque bytes, never sniffed. */
export function mimeTypeFor(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

// Device names Windows resolves anywhere in a path (`renderer\CON` is the console, not a file).
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;

/**
 * The file under `root` that an `app://certdesk/…` URL names, or null when the URL is not ours or
 * could name anything else. Works on the URL as given (Chromium normalises it first; this does not
 * rely on that): every segment is percent-decoded once and must then be a plain name — no empty,
 * `.` or `..` segment, no `/` or `\` (so `%2F`, `%5C` and `..%2f` are refused), no NUL or other
 * control character, no `:` (drive letters, NTFS streams), no Windows device name. The result is
 * checked to lie strictly inside `root` as well.
 */
export function resolveAppPath(url: string, root: string): string | null {
  const prefix = `${APP_ORIGIN}/`;
  // Exact scheme and host: no user info, no port, no other host or case.
  if (!url.startsWith(prefix)) return null;
  let path = url.slice(prefix.length);
  const end = path.search(/[?#]/);
  if (end !== -1) path = path.slice(0, end);
  if (path === '') path = 'index.html';

  const names: string[] = [];
  for (const segment of path.split('/')) {
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      return null; // malformed percent-encoding
    }
    if (name === '' || name === '.' || name === '..') return null;
    if (/[/\\:\u0000-\u001f\u007f]/.test(name)) return null;
    if (WINDOWS_DEVICE.test(name) || /[. ]$/.test(name)) return null;
    names.push(name);
  }

  const base = resolve(root);
  const file = resolve(base, ...names);
  return isInside(base, file) ? file : null;
}

function isInside(base: string, file: string): boolean {
  const inside = relative(base, file);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside);
}

export interface AppResponseOptions {
  /** Sent with every answer (the page's own meta tag says the same; headers also cover workers). */
  contentSecurityPolicy: string;
}

const BASE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

function refusal(status: number, options: AppResponseOptions): Response {
  return new Response(null, {
    status,
    headers: { ...BASE_HEADERS, 'Content-Security-Policy': options.contentSecurityPolicy },
  });
}

/**
 * The answer to one request on the app scheme: the confined regular file with its type, or an
 * empty 400 (a URL that is not ours or names something outside), 404 (absent, a folder, a FIFO, a
 * link leading out of the folder) or 405 (anything but GET/HEAD). Never a directory listing, never
 * a path in the body.
 */
export async function respondToAppRequest(
  request: { url: string; method: string },
  root: string,
  options: AppResponseOptions,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405, options);
  const file = resolveAppPath(request.url, root);
  if (!file) return refusal(400, options);
  let body: Buffer;
  try {
    // What the name really is, links resolved, must still be inside the (resolved) folder.
    const [real, realRoot] = await Promise.all([fs.realpath(file), fs.realpath(root)]);
    if (!isInside(realRoot, real)) return refusal(404, options);
    // Only regular files: a FIFO or device planted in the folder must not hang the window.
    if (!(await fs.stat(real)).isFile()) return refusal(404, options);
    body = await fs.readFile(real);
  } catch {
    return refusal(404, options);
  }
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
    status: 200,
    headers: {
      ...BASE_HEADERS,
      'Content-Type': mimeTypeFor(file),
      'Content-Security-Policy': options.contentSecurityPolicy,
    },
  });
}
