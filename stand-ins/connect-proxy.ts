/**
 * A corporate proxy stand-in for the tests and demos: HTTP on 127.0.0.1 that answers CONNECT only,
 * optionally asks for Basic credentials (407 without them), and opens tunnels only to where `route`
 * sends a host (the SEFAZ stand-in) — it never reaches the Internet. Every CONNECT is recorded by
 * its target and whether credentials came and were right; the credentials themselves never are.
 */
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface ConnectProxyOptions {
  port?: number;
  /** Where a tunnel to `host:port` really goes; null answers 502 (no real host is ever reached). */
  route: (host: string, port: number) => { host: string; port: number } | null;
  credentials?: { user: string; password: string };
  /** A status to answer instead of opening the tunnel (a proxy policy that blocks a host). */
  deny?: (host: string) => number | null;
}

export interface RecordedConnect {
  target: string;
  credentialsSent: boolean;
  /** null when the proxy asks for none. */
  credentialsAccepted: boolean | null;
  status: number;
}

export interface ConnectProxy {
  port: number;
  url: string;
  server: Server;
  connects: RecordedConnect[];
  close(): Promise<void>;
}

export async function startConnectProxy(options: ConnectProxyOptions): Promise<ConnectProxy> {
  const connects: RecordedConnect[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(405, { Allow: 'CONNECT' }).end());
  server.on('connect', (req, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const target = req.url ?? '';
    const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
    const sent = req.headers['proxy-authorization'];
    const expected = options.credentials
      ? `Basic ${Buffer.from(`${options.credentials.user}:${options.credentials.password}`).toString('base64')}`
      : null;
    const accepted = expected ? sent === expected : null;
    const answer = (status: number, text: string) => {
      connects.push({ target, credentialsSent: !!sent, credentialsAccepted: accepted, status });
      const challenge = status === 407 ? 'Proxy-Authenticate: Basic realm="proxy de teste"\r\n' : '';
      client.end(`HTTP/1.1 ${status} ${text}\r\n${challenge}Content-Length: 0\r\n\r\n`);
    };
    if (!match) return answer(400, 'Bad Request');
    if (accepted === false) return answer(407, 'Proxy Authentication Required');
    const [, host, port] = match;
    const denied = options.deny?.(host!);
    if (denied) return answer(denied, 'Forbidden');
    const destination = options.route(host!, Number(port));
    if (!destination) return answer(502, 'Bad Gateway');
    const upstream = connect(destination.port, destination.host, () => {
      connects.push({ target, credentialsSent: !!sent, credentialsAccepted: accepted, status: 200 });
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((ready) => server.listen(options.port ?? 0, '127.0.0.1', ready));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    server,
    connects,
    close: () =>
      new Promise((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
