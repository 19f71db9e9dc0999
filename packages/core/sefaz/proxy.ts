/**
 * Corporate proxies for the SEFAZ checks: which proxy (if any) a host goes through, and the HTTP
 * CONNECT tunnel that carries the mutual TLS end to end — the proxy sees the host name and port,
 * never the certificate's key or the SOAP body. Written here rather than taken from an agent
 * library because each way a proxy can fail (unreachable, 407, a refused CONNECT) must come out as
 * its own named outcome, and a proxy's credentials must never reach a message or a log.
 */
import { connect, type Socket } from 'node:net';
import { CertdeskError } from '../errors';
import { CheckFailure } from './check-failure';

/**
 * How checks reach the Internet: `environment` honours HTTPS_PROXY / https_proxy and NO_PROXY /
 * no_proxy (the default); `none` always connects directly; `manual` is the proxy set in the app's
 * Settings, with its own bypass list in NO_PROXY syntax.
 */
export type ProxyOption = { kind: 'environment' } | { kind: 'none' } | { kind: 'manual'; url: string; noProxy?: string };

export interface ProxyRoute {
  host: string;
  port: number;
  /** The Basic credentials of the proxy URL, already encoded; never shown. */
  authorization: string | null;
  /** host:port, for results and messages (no credentials). */
  label: string;
}

/** Parses a proxy address (`http://user:password@host:port`, or `host:port`); https proxies are not supported. */
export function parseProxyUrl(value: string): ProxyRoute {
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new CertdeskError('INVALID_REQUEST', 'Endereço de proxy inválido: use http://host:porta (com usuário:senha@ se o proxy pedir).');
  }
  if (url.protocol !== 'http:') {
    throw new CertdeskError(
      'INVALID_REQUEST',
      `Proxy ${url.protocol.replace(':', '')}:// não é suportado: use o endereço http:// do proxy.`,
    );
  }
  if (!url.hostname) throw new CertdeskError('INVALID_REQUEST', 'Endereço de proxy sem host.');
  const port = Number(url.port || 80);
  const user = decodeURIComponent(url.username);
  const authorization =
    user || url.password ? `Basic ${Buffer.from(`${user}:${decodeURIComponent(url.password)}`).toString('base64')}` : null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return { host, port, authorization, label: `${url.hostname}:${port}` };
}

/** NO_PROXY semantics of curl and most tools: `*`, exact names, `.suffix` / `*.suffix`, `host:port`. */
export function bypassesProxy(noProxy: string, host: string, port: number): boolean {
  const target = host.toLowerCase().replace(/\.$/, '');
  for (const raw of noProxy.toLowerCase().split(/[\s,]+/)) {
    if (!raw) continue;
    if (raw === '*') return true;
    const match = /^(.+?)(?::(\d+))?$/.exec(raw)!;
    if (match[2] && Number(match[2]) !== port) continue;
    const entry = match[1]!.replace(/^\*?\./, '').replace(/\.$/, '');
    if (target === entry || target.endsWith(`.${entry}`)) return true;
  }
  return false;
}

const env = (values: NodeJS.ProcessEnv, name: string) => values[name.toLowerCase()] || values[name.toUpperCase()] || '';

/** The proxy `host:port` goes through under `option` (null: directly). */
export function proxyFor(option: ProxyOption, host: string, port: number, environment: NodeJS.ProcessEnv): ProxyRoute | null {
  if (option.kind === 'none') return null;
  const url = option.kind === 'manual' ? option.url : env(environment, 'https_proxy');
  const noProxy = option.kind === 'manual' ? (option.noProxy ?? '') : env(environment, 'no_proxy');
  if (!url.trim() || bypassesProxy(noProxy, host, port)) return null;
  return parseProxyUrl(url);
}

/** A proxy's answer to CONNECT must fit in this; anything longer is not a proxy worth waiting for. */
const MAX_CONNECT_ANSWER = 16 * 1024;

/**
 * Opens a TCP connection to the proxy and asks it for a tunnel to `host:port`. Resolves with the
 * socket once the proxy answered 2xx; fails with PROXY_UNREACHABLE, PROXY_AUTH_REQUIRED (407) or
 * PROXY_REFUSED. The caller's timer covers the whole exchange (it destroys the socket it gets from
 * `onSocket`).
 */
export function openTunnel(proxy: ProxyRoute, host: string, port: number, onSocket: (socket: Socket) => void): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: proxy.host, port: proxy.port });
    onSocket(socket);
    let received = Buffer.alloc(0);
    let connected = false;
    const fail = (failure: CheckFailure) => {
      socket.destroy();
      reject(failure);
    };
    socket.once('connect', () => {
      connected = true;
      const target = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      const auth = proxy.authorization ? `Proxy-Authorization: ${proxy.authorization}\r\n` : '';
      socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`);
    });
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) {
        if (received.length > MAX_CONNECT_ANSWER) fail(new CheckFailure('PROXY_REFUSED', `resposta do proxy ${proxy.label} longa demais`));
        return;
      }
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(received.subarray(0, end).toString('latin1'))?.[1] ?? 0);
      const rest = received.subarray(end + 4);
      if (status === 407)
        return fail(new CheckFailure('PROXY_AUTH_REQUIRED', `proxy ${proxy.label}: HTTP 407`, { proxy: proxy.label, status }));
      if (status < 200 || status > 299) {
        return fail(
          new CheckFailure('PROXY_REFUSED', `proxy ${proxy.label}: HTTP ${status || 'inválido'}`, { proxy: proxy.label, status }),
        );
      }
      if (rest.length) socket.unshift(rest);
      resolve(socket);
    };
    const onClose = () =>
      fail(
        connected
          ? new CheckFailure('PROXY_REFUSED', `o proxy ${proxy.label} fechou a conexão sem responder ao CONNECT`, { proxy: proxy.label })
          : new CheckFailure('PROXY_UNREACHABLE', `proxy ${proxy.label} inacessível`, { proxy: proxy.label }),
      );
    const onError = (error: NodeJS.ErrnoException) => {
      socket.off('close', onClose);
      fail(
        new CheckFailure(connected ? 'PROXY_REFUSED' : 'PROXY_UNREACHABLE', `proxy ${proxy.label}: ${error.code ?? 'erro de rede'}`, {
          proxy: proxy.label,
        }),
      );
    };
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.once('error', onError);
  });
}
