/**
 * One SOAP POST over mutual TLS, in phases whose failures are named apart: reaching the host
 * (directly, or through a proxy's CONNECT tunnel), the TLS handshake (the server verifying our
 * certificate, and us verifying the server's — never switched off), then the HTTP exchange. Each
 * phase has its budget decided before it starts: a connect timeout for DNS + TCP + proxy + TLS, an
 * answer timeout from the request to the last byte, and a cap on the answer's size.
 */
import { request as httpRequest } from 'node:http';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type SecureContext, type TLSSocket } from 'node:tls';
import { CheckFailure } from './check-failure';
import { openTunnel, type ProxyRoute } from './proxy';

/**
 * Where to open the TCP connection for a host instead of resolving it — for tests and demos that
 * send the table's real host names to a stand-in on 127.0.0.1. TLS still names and verifies the
 * real host. Not applied through a proxy: the proxy is told the real host.
 */
export type ConnectOverride = (host: string, port: number) => { host: string; port: number } | null;

export interface TransportOptions {
  secureContext: SecureContext;
  proxy: ProxyRoute | null;
  connectOverride?: ConnectOverride;
  connectTimeoutMs: number;
  answerTimeoutMs: number;
  maxAnswerBytes: number;
}

export interface HttpAnswer {
  status: number;
  contentType: string | undefined;
  body: string;
  /** From writing the request to the answer's last byte. */
  latencyMs: number;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
/** OpenSSL's verdicts on the server's certificate (our side's verification). */
const SERVER_CERTIFICATE =
  /^(UNABLE_TO_|SELF_SIGNED_CERT|DEPTH_ZERO_SELF_SIGNED|CERT_|ERR_TLS_CERT_ALTNAME_INVALID|INVALID_CA|PATH_LENGTH)/;
/** Alerts a server sends when it will not take our certificate. */
const REFUSAL_ALERT =
  /ALERT_(BAD_CERTIFICATE|UNSUPPORTED_CERTIFICATE|CERTIFICATE_REVOKED|CERTIFICATE_EXPIRED|CERTIFICATE_UNKNOWN|UNKNOWN_CA|ACCESS_DENIED|CERTIFICATE_REQUIRED)$/;

const codeOf = (error: unknown) => String((error as NodeJS.ErrnoException)?.code ?? (error as Error)?.name ?? 'erro');

/** A TLS-level error, wherever it surfaced (TLS 1.3 servers refuse after our side finished). */
function tlsFailure(error: unknown, host: string): CheckFailure | null {
  const code = codeOf(error);
  if (SERVER_CERTIFICATE.test(code))
    return new CheckFailure('SERVER_CERT_UNTRUSTED', `${code} (certificado do servidor ${host})`, { host });
  if (REFUSAL_ALERT.test(code)) return new CheckFailure('TLS_REFUSED', code, { host });
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return new CheckFailure('TLS_FAILED', code, { host });
  return null;
}

function connectDirect(host: string, port: number, override: ConnectOverride | undefined, onSocket: (s: Socket) => void): Promise<Socket> {
  const target = override?.(host, port) ?? { host, port };
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: target.host, port: target.port });
    onSocket(socket);
    const onClose = () => reject(new CheckFailure('CONNECTION_FAILED', 'conexão encerrada', { host }));
    socket.once('connect', () => {
      socket.off('close', onClose);
      socket.off('error', onError);
      resolve(socket);
    });
    const onError = (error: unknown) => {
      socket.off('close', onClose);
      const code = codeOf(error);
      reject(new CheckFailure(DNS_CODES.has(code) ? 'DNS_FAILURE' : 'CONNECTION_FAILED', code, { host }));
    };
    socket.once('error', onError);
    socket.once('close', onClose);
  });
}

function handshake(raw: Socket, host: string, secureContext: SecureContext, onSocket: (s: TLSSocket) => void): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    // rejectUnauthorized is Node's default; written out because it must never be otherwise here.
    const socket = tlsConnect({ socket: raw, host, servername: isIP(host) ? undefined : host, secureContext, rejectUnauthorized: true });
    onSocket(socket);
    const onError = (error: unknown) => {
      socket.off('close', onClose);
      // A reset in the middle of the handshake, with our certificate offered: the server said no.
      reject(tlsFailure(error, host) ?? new CheckFailure('TLS_REFUSED', `${codeOf(error)} durante a negociação TLS`, { host }));
    };
    const onClose = () => reject(new CheckFailure('TLS_REFUSED', 'conexão encerrada durante a negociação TLS', { host }));
    socket.once('secureConnect', () => {
      socket.off('error', onError);
      socket.off('close', onClose);
      resolve(socket);
    });
    socket.once('error', onError);
    socket.once('close', onClose);
  });
}

/** Opens the mutual-TLS connection to `url`'s host within the connect budget. */
async function open(url: URL, options: TransportOptions): Promise<TLSSocket> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  let current: Socket | null = null;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    current?.destroy();
  }, options.connectTimeoutMs);
  const track = (socket: Socket) => (current = socket);
  try {
    const raw = options.proxy
      ? await openTunnel(options.proxy, host, port, track)
      : await connectDirect(host, port, options.connectOverride, track);
    return await handshake(raw, host, options.secureContext, track);
  } catch (error) {
    if (timedOut) {
      throw new CheckFailure('CONNECT_TIMEOUT', `sem conexão em ${options.connectTimeoutMs} ms${options.proxy ? ' (via proxy)' : ''}`, {
        host,
        seconds: options.connectTimeoutMs / 1000,
        proxy: options.proxy?.label,
      });
    }
    throw error instanceof CheckFailure ? error : new CheckFailure('CONNECTION_FAILED', codeOf(error), { host });
  } finally {
    clearTimeout(timer);
  }
}

/** POSTs `body` to `url` over mutual TLS and reads the whole answer, within the budgets. */
export async function postOverMutualTls(url: URL, contentType: string, body: string, options: TransportOptions): Promise<HttpAnswer> {
  const socket = await open(url, options);
  const host = url.hostname;
  const payload = Buffer.from(body, 'utf8');
  return new Promise<HttpAnswer>((resolve, reject) => {
    const started = performance.now();
    let settled = false;
    let answered = false;
    let timedOut = false;
    let tooLarge = false;
    const finish = (outcome: HttpAnswer | CheckFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // The whole answer is read (or given up on): the connection is not kept, whatever the server wanted.
      request.destroy();
      socket.destroy();
      if (outcome instanceof CheckFailure) reject(outcome);
      else resolve(outcome);
    };
    const request = httpRequest({
      method: 'POST',
      host,
      path: `${url.pathname}${url.search}`,
      createConnection: () => socket,
      headers: {
        Host: url.host,
        'Content-Type': contentType,
        'Content-Length': payload.length,
        'User-Agent': 'CertDesk',
        Connection: 'close',
      },
    });
    const timer = setTimeout(() => {
      timedOut = true;
      finish(
        new CheckFailure('ANSWER_TIMEOUT', `sem resposta completa em ${options.answerTimeoutMs} ms`, {
          host,
          seconds: options.answerTimeoutMs / 1000,
        }),
      );
    }, options.answerTimeoutMs);
    const overLimit = () =>
      new CheckFailure('ANSWER_TOO_LARGE', `resposta acima de ${Math.round(options.maxAnswerBytes / 1024)} KB`, {
        host,
        limitKb: Math.round(options.maxAnswerBytes / 1024),
      });
    request.on('response', (response) => {
      answered = true;
      const declared = Number(response.headers['content-length']);
      if (declared > options.maxAnswerBytes) {
        tooLarge = true;
        return finish(overLimit());
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxAnswerBytes) {
          tooLarge = true;
          finish(overLimit());
        } else chunks.push(chunk);
      });
      response.on('end', () => {
        const contentTypeHeader = response.headers['content-type'];
        const latin1 = /charset\s*=\s*"?(iso-8859-1|latin1|windows-1252)/i.test(contentTypeHeader ?? '');
        finish({
          status: response.statusCode ?? 0,
          contentType: contentTypeHeader,
          body: Buffer.concat(chunks).toString(latin1 ? 'latin1' : 'utf8'),
          latencyMs: performance.now() - started,
        });
      });
      response.on('error', () => {
        if (!timedOut && !tooLarge) finish(new CheckFailure('NO_ANSWER', 'conexão interrompida no meio da resposta', { host }));
      });
    });
    request.on('error', (error) => {
      if (timedOut || tooLarge) return;
      const failure =
        tlsFailure(error, host) ??
        new CheckFailure(
          'NO_ANSWER',
          answered ? 'conexão interrompida no meio da resposta' : `${codeOf(error)} antes de qualquer resposta`,
          {
            host,
          },
        );
      finish(failure);
    });
    request.end(payload);
  });
}
