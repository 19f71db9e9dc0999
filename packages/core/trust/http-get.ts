/**
 * HTTP for CRLs, AIA certificates and OCSP: the addresses come from certificates (input someone
 * else controls), so every request has its budget fixed before it starts — bytes (streamed and
 * counted, the body is abandoned past the limit), total time, redirects — and only http/https.
 * ICP-Brasil publishes CRLs and AIA over plain http; what travels is signed and checked after.
 */
import http from 'node:http';
import https from 'node:https';
import { hostLookup, lookupError } from './host-lookup';

export interface FetchBudget {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
}

export type FetchFailure =
  /** No connection: refused, unknown host, network down. */
  | 'offline'
  | 'timeout'
  | 'too-large'
  /** An answer other than 2xx (after redirects). */
  | 'http-status'
  | 'too-many-redirects'
  | 'bad-url';

export class FetchError extends Error {
  constructor(
    readonly failure: FetchFailure,
    message: string,
    readonly url: string,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

const OFFLINE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNRESET', 'EPIPE', 'ENETDOWN']);

export interface FetchRequest {
  url: string;
  budget: FetchBudget;
  /** POST body (OCSP); GET when absent. */
  body?: Buffer;
  contentType?: string;
  accept?: string;
}

/** The body of a 2xx answer, or a FetchError saying which budget or condition stopped it. */
export async function fetchBytes(request: FetchRequest): Promise<Buffer> {
  const deadline = Date.now() + request.budget.timeoutMs;
  let url = request.url;
  for (let redirects = 0; ; redirects++) {
    const answer = await once(url, request, deadline);
    if (answer.kind === 'body') return answer.body;
    if (redirects >= request.budget.maxRedirects) {
      throw new FetchError('too-many-redirects', `mais de ${request.budget.maxRedirects} redirecionamentos`, request.url);
    }
    url = answer.location;
  }
}

type Answer = { kind: 'body'; body: Buffer } | { kind: 'redirect'; location: string };

function once(address: string, request: FetchRequest, deadline: number): Promise<Answer> {
  let target: URL;
  try {
    target = new URL(address);
  } catch {
    return Promise.reject(new FetchError('bad-url', 'endereço inválido', request.url));
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return Promise.reject(new FetchError('bad-url', `esquema ${target.protocol} não é seguido`, request.url));
  }
  const left = deadline - Date.now();
  if (left <= 0) return Promise.reject(new FetchError('timeout', 'tempo esgotado', request.url));
  const failed = hostLookup.failureOf(target.hostname);
  if (failed) return Promise.reject(networkError(lookupError(failed, target.hostname), request.url));
  const client = target.protocol === 'https:' ? https : http;

  return new Promise<Answer>((resolve, reject) => {
    const fail = (error: FetchError) => {
      clearTimeout(timer);
      req.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new FetchError('timeout', `sem resposta em ${Math.round((request.budget.timeoutMs / 1000) * 10) / 10} s`, request.url)),
      left,
    );
    const req = client.request(
      target,
      {
        method: request.body ? 'POST' : 'GET',
        agent: false, // no pooled sockets: the CLI ends when its work does
        lookup: hostLookup.lookup, // names asked once and remembered a while (host-lookup.ts)
        headers: {
          'User-Agent': 'CertDesk',
          ...(request.accept ? { Accept: request.accept } : {}),
          ...(request.body
            ? { 'Content-Type': request.contentType ?? 'application/octet-stream', 'Content-Length': request.body.length }
            : {}),
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          clearTimeout(timer);
          return resolve({ kind: 'redirect', location: new URL(res.headers.location, target).toString() });
        }
        if (status < 200 || status >= 300) {
          res.resume();
          return fail(new FetchError('http-status', `HTTP ${status}`, request.url));
        }
        const declared = Number(res.headers['content-length'] ?? NaN);
        if (declared > request.budget.maxBytes) return fail(tooLarge(request));
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > request.budget.maxBytes) return fail(tooLarge(request));
          chunks.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ kind: 'body', body: Buffer.concat(chunks, size) });
        });
        res.on('error', (error) => fail(networkError(error, request.url)));
      },
    );
    req.on('error', (error) => fail(networkError(error, request.url)));
    req.end(request.body);
  });
}

function tooLarge(request: FetchRequest): FetchError {
  return new FetchError('too-large', `resposta maior que ${Math.round(request.budget.maxBytes / 1024 / 1024)} MB`, request.url);
}

function networkError(error: unknown, url: string): FetchError {
  if (error instanceof FetchError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (OFFLINE_CODES.has(code)) return new FetchError('offline', `sem conexão (${code})`, url);
  return new FetchError('offline', `falha de rede (${code || (error as Error).name})`, url);
}
