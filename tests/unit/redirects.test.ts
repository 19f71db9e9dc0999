/**
 * Redirects and the remote clients, over real HTTP on 127.0.0.1.
 * A request that carries a secret (the cloud sign-in body, the session token, a PFX password,
 * InvoiCy's EmpPK/EmpCK and the new certificate password) follows no redirect at all; a request
 * that carries none (the WSDL, by GET) follows one only to an address `checkSecureUrl` accepts.
 *
 * "Refused" targets never leave this computer: `http://[::ffff:127.0.0.1]:PORT` is the recorder
 * on 127.0.0.1 reached through its IPv4-mapped IPv6 form, which the policy does not count as this
 * computer (plain http to another host), and `ftp://127.0.0.1:…` is another scheme.
 */
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudClient } from '#desktop/cloud-client';
import { callInvoicy } from '#desktop/invoicy/invoicy-client';
import { startStandin, type Standin } from '../../stand-ins/invoicy-soap-server';
import { CERTS_DIR, PASSWORD, pfx } from '../fixtures';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const servers: Server[] = [];

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<number> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

/** The second server: records whatever reaches it. */
let received: Received[] = [];
let recorderPort: number;
/** The same recorder, by an address the policy accepts and by one it refuses. */
const accepted = () => `http://127.0.0.1:${recorderPort}`;
const refused = () => `http://[::ffff:127.0.0.1]:${recorderPort}`;
const otherScheme = () => `ftp://127.0.0.1:${recorderPort}`;

/** A server answering every request with `status` and `Location: <target><same path>`. */
const redirector = (status: number, target: string) =>
  serve((req, res) => {
    res.writeHead(status, { Location: `${target}${req.url}`, 'Content-Type': 'text/html' });
    res.end('<html><body>Moved</body></html>');
  });

let standin: Standin;
const keys = { empPK: 'PK-REDIRECT-SECRETA', ck: 'ck-redirect-secreta' };
const NEW_PASSWORD = 'NovaSenha2026';

beforeAll(async () => {
  recorderPort = await serve((req, res, body) => {
    received.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end('{}');
  });
  standin = await startStandin({
    ...keys,
    keyPem: readFileSync(resolve(CERTS_DIR, 'ecnpj.key'), 'utf8'),
    certPem: readFileSync(resolve(CERTS_DIR, 'ecnpj.crt'), 'utf8'),
    certificates: { '11222333000181': 'pendente de senha', '52998224725': 'pronto' },
  });
});
afterAll(async () => {
  await standin.close();
  for (const s of servers) s.close();
});
beforeEach(() => {
  received = [];
  standin.reset();
});

const STATUSES = [301, 302, 303, 307, 308];
const TARGETS = [
  { kind: 'an address the policy accepts (127.0.0.1)', target: accepted },
  { kind: 'an address the policy refuses (plain http to another host)', target: refused },
  { kind: 'another scheme (ftp://)', target: otherScheme },
];

/** The Portuguese message for a redirect that was not followed, naming where it pointed (scheme and host, as URL writes them). */
const notFollowed = (service: string, status: number, target: string) => {
  const { protocol, host } = new URL(target);
  return expect.stringContaining(
    `${service} respondeu com um redirecionamento (HTTP ${status}) para ${protocol}//${host}, que não foi seguido`,
  );
};

describe('cloud client: no request carrying a secret follows a redirect', () => {
  describe.each(TARGETS)('Location: $kind', ({ target }) => {
    it.each(STATUSES)('HTTP %i: sign-in, token-carrying calls and the install with its password never reach the target', async (status) => {
      const port = await redirector(status, target());
      const baseUrl = `http://127.0.0.1:${port}/api/v1`;
      const error = { code: 'CLOUD_BAD_RESPONSE', message: notFollowed('O serviço na nuvem', status, target()) };

      const anonymous = new CloudClient({ baseUrl, token: async () => null, timeoutMs: 3000, retries: 0 });
      const client = new CloudClient({ baseUrl, token: async () => 'token-de-sessao-secreto', timeoutMs: 3000, retries: 2, backoffMs: 1 });
      const calls: (() => Promise<unknown>)[] = [
        () => anonymous.signIn({ method: 'cloud', login: 'EXEMPLO.admin', password: 'Admin#2026' }),
        () => anonymous.signIn({ method: 'sso', email: 'a@exemplo.com.br', password: 'Sso#2026' }),
        () => client.list('homologacao'),
        () => client.status('producao'),
        () => client.saveBranch('homologacao', { code: '0001', name: 'Matriz', cnpj: '11222333000181', modules: [], uf: 'SP' }),
        () => client.deleteBranch('homologacao', '0001'),
        () => client.install('homologacao', { path: pfx('v01_default.pfx'), password: PASSWORD, selection: [] }),
        () => client.signOut(),
      ];
      const outcomes: unknown[] = [];
      for (const call of calls)
        outcomes.push(
          await call().then(
            (answer) => ({ answered: answer }),
            (error: unknown) => error,
          ),
        );

      // Nothing reached the target: no password, no token, not even a request without them.
      expect(received).toEqual([]);
      for (const outcome of outcomes) expect(outcome).toMatchObject(error);
    });
  });

  it('a redirect without Location is refused too, and says so', async () => {
    const port = await serve((_req, res) => {
      res.writeHead(307);
      res.end();
    });
    const client = new CloudClient({ baseUrl: `http://127.0.0.1:${port}/api/v1`, token: async () => null, timeoutMs: 3000 });
    await expect(client.signIn({ method: 'cloud', login: 'x', password: 'y' })).rejects.toMatchObject({
      code: 'CLOUD_BAD_RESPONSE',
      message: expect.stringContaining('redirecionamento (HTTP 307)'),
    });
  });
});

describe('InvoiCy client: EmpPK, EmpCK and the new password are never re-sent to a redirect target', () => {
  const secrets = [keys.empPK, NEW_PASSWORD, '11222333000181'];

  describe.each(TARGETS)('Location: $kind', ({ target }) => {
    it.each(STATUSES)('HTTP %i: the SOAP call is not followed and the user is told where it pointed', async (status) => {
      const port = await redirector(status, target());
      const url = `http://127.0.0.1:${port}/aextensaocertificadosoap.aspx`;
      const outcome = await callInvoicy({ url, ...keys, timeoutMs: 3000 }, 'request-password', '11222333000181', NEW_PASSWORD).then(
        (answer) => ({ answered: answer }),
        (error: unknown) => error,
      );

      // At most the WSDL, by GET and without a body, and only where the policy allows.
      const everything = JSON.stringify(received);
      for (const secret of secrets) expect(everything).not.toContain(secret);
      for (const r of received)
        expect({ ...r, headers: undefined, target: target() }).toEqual({
          method: 'GET',
          url: '/aextensaocertificadosoap.aspx?WSDL',
          body: '',
          headers: undefined,
          target: accepted(),
        });
      expect(outcome).toMatchObject({ code: 'INVOICY_HTTP', message: notFollowed('O serviço InvoiCy', status, target()) });
    });
  });

  /** A front for the stand-in: GET `?WSDL` answers a 302 to `wsdlTarget`, everything else is passed through. */
  const front = (wsdlTarget: string) =>
    serve((req, res, body) => {
      if (req.method === 'GET') {
        res.writeHead(302, { Location: `${wsdlTarget}${req.url}` });
        res.end();
        return;
      }
      const upstream = new URL(standin.url);
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(res);
        },
      );
      forward.end(body);
    });

  it('the WSDL (GET, no secret) follows a redirect to an address the policy accepts', async () => {
    const port = await front(new URL(standin.url).origin);
    const answer = await callInvoicy(
      { url: `http://127.0.0.1:${port}/aextensaocertificadosoap.aspx`, ...keys, timeoutMs: 3000 },
      'check',
      '52998224725',
    );
    expect(answer.wsdl).toBe('service');
    expect(answer.messages[0]!.descricao).toContain('pronto');
  });

  it('the WSDL does not follow a redirect the policy refuses: the bundled copy is used and the target sees nothing', async () => {
    const port = await front(refused());
    const answer = await callInvoicy(
      { url: `http://127.0.0.1:${port}/aextensaocertificadosoap.aspx`, ...keys, timeoutMs: 3000 },
      'check',
      '52998224725',
    );
    expect(answer.wsdl).toBe('bundled');
    expect(answer.messages[0]!.descricao).toContain('pronto');
    expect(received).toEqual([]);
  });
});
