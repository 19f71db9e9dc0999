/**
 * A stand-in for the SEFAZ status services (NfeStatusServico4, CTeStatusServicoV4), for the tests
 * and demos: HTTPS on 127.0.0.1 that requires a client certificate, with a server certificate
 * issued at start for every host of the service table by the stand-in's own ICP-Brasil-shaped
 * hierarchy (tests/fixtures/sefaz/), so a client that sends the table's real host names here
 * (through an explicit connection override) verifies a real certificate for them. TLS 1.2 only,
 * as the SEFAZ servers speak.
 *
 * It answers the real envelopes with the real answers: the certificate decides the rejections
 * (sefaz-certificate-rules.ts: unknown issuer → handshake refused, expired → HTTP 403, 280–286),
 * the request decides 252 (tpAmb of the other environment) and 410 (a cUF the authorizer does not
 * serve), and a client's CNPJ (clientes.json) or a per-host setting picks the service's behaviour:
 * 107, 108, 109, 656, slow, malformed XML, HTML, SOAP Fault, an oversized answer. Every call is
 * recorded (host, path, SOAP action, cUF, tpAmb, client certificate) for the tests to read.
 */
import { constants, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { bundledServiceTable, serviceHosts, type ServiceTable } from '@certdesk/core/sefaz/service-table';
import { serverCertificate, SSL_SUBJECT, type SefazClient, type ServiceBehaviour } from '../scripts/fixtures/sefaz-pki';
import { pemCertificate } from '../scripts/fixtures/x509';
import { ANSWER, brasilia, fault, html, MOTIVO, PORTAL, RESULT, servicesOf, soap } from './sefaz-answers';
import { cnpjOf, judge, loadAuthorities, type Verdict } from './sefaz-certificate-rules';

export type { ServiceBehaviour };

export const SEFAZ_FIXTURES = resolve(import.meta.dirname, '../tests/fixtures/sefaz');

export interface SefazStandinOptions {
  port?: number;
  /** Folder of the stand-in's hierarchies and clients (default tests/fixtures/sefaz). */
  fixtures?: string;
  table?: ServiceTable;
  /** How long a `slow` answer waits (default 25 s, past the client's 20 s). */
  slowMs?: number;
  /** More calls than this per certificate and host within the window answer 656, as SEFAZ does. */
  consumptionLimit?: { calls: number; windowMs: number };
  now?: () => Date;
}

export interface RecordedCall {
  at: string;
  /** The TLS server name the client asked for, and the HTTP Host header. */
  sni: string | null;
  host: string | null;
  path: string | null;
  soapAction: string | null;
  module: 'nfe' | 'cte' | null;
  cUF: number | null;
  tpAmb: number | null;
  clientSubject: string | null;
  clientCnpj: string | null;
  /** What the stand-in did: `handshake refused`, `HTTP 403`, `cStat 107`, `slow`, `html`… */
  answer: string;
}

export interface SefazStandin {
  port: number;
  server: Server;
  /** PEM of the stand-in's root: the extra trust anchor a test or demo gives the client. */
  rootPem: string;
  calls: RecordedCall[];
  /** Connections open now, and the most open at once since start (or reset). */
  connections: { open: number; peak: number };
  /** Sends every host of the table to this stand-in (the client's `connectOverride`). */
  connectOverride: (host: string, port: number) => { host: string; port: number } | null;
  /** Behaviour of one host whatever the certificate (null: back to the certificate's). */
  setBehaviour(host: string, behaviour: ServiceBehaviour | null): void;
  /** Forget the recorded calls, host behaviours and consumption counters. */
  reset(): void;
  close(): Promise<void>;
}

export async function startSefazStandin(options: SefazStandinOptions = {}): Promise<SefazStandin> {
  const dir = options.fixtures ?? SEFAZ_FIXTURES;
  const table = options.table ?? bundledServiceTable();
  const now = options.now ?? (() => new Date());
  const authorities = loadAuthorities(dir);
  const services = servicesOf(table);
  const behaviours = new Map(
    (JSON.parse(readFileSync(join(dir, 'clientes.json'), 'utf8')) as SefazClient[])
      .filter((c) => c.cnpj)
      .map((c) => [c.cnpj!, c.behaviour]),
  );
  const hosts = [...serviceHosts(table), 'localhost', '127.0.0.1'];
  const sslKey = createPrivateKey(readFileSync(join(dir, 'ssl.key')));
  const serverKey = createPrivateKey(readFileSync(join(dir, 'server.key')));
  const cert = serverCertificate(hosts, serverKey, { key: sslKey, der: authorities.ssl.raw, subject: SSL_SUBJECT }, now());
  const rootPem = pemCertificate(authorities.root.raw);

  const calls: RecordedCall[] = [];
  const hostBehaviour = new Map<string, ServiceBehaviour>();
  const consumption = new Map<string, number[]>();
  const timers = new Set<NodeJS.Timeout>();
  const judged = new WeakMap<TLSSocket, Verdict>();
  const verdictOf = (socket: TLSSocket) => {
    let verdict = judged.get(socket);
    if (!verdict) judged.set(socket, (verdict = judge(socket.getPeerX509Certificate(), authorities, now())));
    return verdict;
  };
  const clientFacts = (socket: TLSSocket) => {
    const leaf = socket.getPeerX509Certificate();
    return { clientSubject: leaf?.subject.replace(/\n/g, ', ') ?? null, clientCnpj: leaf ? cnpjOf(leaf) : null };
  };

  const server = createServer({
    key: serverKey.export({ type: 'pkcs8', format: 'pem' }),
    cert: pemCertificate(cert) + pemCertificate(authorities.ssl.raw),
    requestCert: true,
    // The stand-in judges the certificate itself (below), as IIS and the SEFAZ application do.
    rejectUnauthorized: false,
    maxVersion: 'TLSv1.2',
    secureOptions: constants.SSL_OP_NO_TICKET,
  });

  const connections = { open: 0, peak: 0 };
  server.on('secureConnection', (socket: TLSSocket) => {
    connections.peak = Math.max(connections.peak, ++connections.open);
    socket.once('close', () => connections.open--);
  });

  // TLS 1.2: the first key material is derived after the client's Certificate message and before
  // the server's Finished — closing here is a refusal inside the handshake, as SChannel's.
  server.on('keylog', (_line, socket: TLSSocket) => {
    if (judged.has(socket)) return;
    const verdict = verdictOf(socket);
    if (verdict.kind !== 'refuse') return;
    calls.push({
      at: now().toISOString(),
      sni: (socket as TLSSocket & { servername?: string }).servername || null,
      host: null,
      path: null,
      soapAction: null,
      module: null,
      cUF: null,
      tpAmb: null,
      ...clientFacts(socket),
      answer: 'handshake refused',
    });
    socket.destroy();
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket as TLSSocket;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 64 * 1024) chunks.push(chunk);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const record: RecordedCall = {
        at: now().toISOString(),
        sni: (socket as TLSSocket & { servername?: string }).servername || null,
        host: (req.headers.host ?? '').replace(/:\d+$/, '') || null,
        path: req.url ?? null,
        soapAction: /action\s*=\s*"([^"]*)"/.exec(req.headers['content-type'] ?? '')?.[1] ?? null,
        module: /<consStatServCTe[\s>]/.test(body) ? 'cte' : /<consStatServ[\s>]/.test(body) ? 'nfe' : null,
        cUF: Number(/<cUF>(\d+)<\/cUF>/.exec(body)?.[1] ?? NaN) || null,
        tpAmb: Number(/<tpAmb>(\d)<\/tpAmb>/.exec(body)?.[1] ?? NaN) || null,
        ...clientFacts(socket),
        answer: '',
      };
      calls.push(record);
      respond(req, res, socket, body, record);
    });
  });

  function respond(req: IncomingMessage, res: ServerResponse, socket: TLSSocket, body: string, record: RecordedCall): void {
    const said = (answer: string) => (record.answer = answer);
    const verdict = verdictOf(socket);
    if (verdict.kind === 'refuse') return void socket.destroy();
    if (verdict.kind === 'forbidden') return void (said('HTTP 403'), html(res, 403, '403 - Proibido: acesso negado.'));
    const entries = services.get(`${record.host}${(record.path ?? '').split('?')[0]!.toLowerCase()}`);
    if (!entries) return void (said('HTTP 404'), html(res, 404, '404 - Arquivo ou diretório não encontrado.'));
    if (req.method !== 'POST') return void (said('HTTP 405'), html(res, 405, '405 - Método não permitido.'));
    // One address may serve two authorizers (SVRS and RS for CT-e): the one serving the cUF answers.
    const candidates = entries.filter((e) => e.module === record.module && e.action === record.soapAction);
    const entry = candidates.find((e) => record.cUF !== null && e.served.has(record.cUF)) ?? candidates[0];
    const namespaceOk = entry && body.includes(`xmlns="${entry.namespace}"`) && body.includes(`xmlns="${PORTAL[entry.module]}"`);
    if (!entry || !namespaceOk) {
      said('SOAP Fault (ação ou namespace)');
      return fault(res, 'Sender', `O servidor não reconheceu a ação SOAP ${record.soapAction ?? '(nenhuma)'} para esta mensagem.`);
    }
    const status = (cStat: number) => {
      said(`cStat ${cStat}`);
      const xml =
        `<${RESULT[entry.module]} xmlns="${entry.namespace}"><${ANSWER[entry.module]} versao="4.00" xmlns="${PORTAL[entry.module]}">` +
        `<tpAmb>${entry.environment === 'producao' ? 1 : 2}</tpAmb><verAplic>${entry.authorizer}_STANDIN_4.00</verAplic>` +
        `<cStat>${cStat}</cStat><xMotivo>${MOTIVO[cStat]}</xMotivo><cUF>${record.cUF ?? 0}</cUF>` +
        `<dhRecbto>${brasilia(now())}</dhRecbto>${cStat === 107 ? '<tMed>1</tMed>' : ''}</${ANSWER[entry.module]}></${RESULT[entry.module]}>`;
      soap(res, 200, xml);
    };
    if (verdict.kind === 'reject') return status(verdict.cStat);
    if (record.tpAmb !== (entry.environment === 'producao' ? 1 : 2)) return status(252);
    if (!record.cUF || !entry.served.has(record.cUF)) return status(410);
    if (options.consumptionLimit) {
      const key = `${record.clientSubject}|${record.host}`;
      const since = now().getTime() - options.consumptionLimit.windowMs;
      const recent = [...(consumption.get(key) ?? []).filter((t) => t > since), now().getTime()];
      consumption.set(key, recent);
      if (recent.length > options.consumptionLimit.calls) return status(656);
    }
    const behaviour = hostBehaviour.get(record.host ?? '') ?? behaviours.get(record.clientCnpj ?? '') ?? 'normal';
    switch (behaviour) {
      case '108':
      case '109':
      case '656':
        return status(Number(behaviour));
      case 'slow': {
        said('slow');
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) status(107);
          record.answer = 'slow';
        }, options.slowMs ?? 25_000);
        timers.add(timer);
        res.on('close', () => {
          clearTimeout(timer);
          timers.delete(timer);
        });
        return;
      }
      case 'malformed':
        said('malformed');
        return void res
          .writeHead(200, { 'Content-Type': 'application/soap+xml; charset=utf-8' })
          .end(
            `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><${RESULT[entry.module]}><cStat>107</cSt`,
          );
      case 'html':
        said('html');
        return html(res, 200, 'Portal de acesso: faça login para continuar');
      case 'fault':
        said('SOAP Fault');
        return fault(res, 'Receiver', 'Erro interno no servidor de aplicação.');
      case 'oversized': {
        said('oversized');
        res.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=utf-8' });
        res.on('error', () => {}); // the client hangs up once past its limit
        const filler = `<!--${'x'.repeat(64 * 1024 - 7)}-->`;
        for (let i = 0; i < 16 && !res.destroyed; i++) res.write(filler);
        return void res.end();
      }
      default:
        return status(107);
    }
  }

  await new Promise<void>((ready) => server.listen(options.port ?? 0, '127.0.0.1', ready));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const known = new Set(hosts);
  return {
    port,
    server,
    rootPem,
    calls,
    connections,
    connectOverride: (host) => (known.has(host) ? { host: '127.0.0.1', port } : null),
    setBehaviour: (host, behaviour) => (behaviour ? hostBehaviour.set(host, behaviour) : hostBehaviour.delete(host)),
    reset: () => {
      calls.length = 0;
      connections.peak = connections.open;
      hostBehaviour.clear();
      consumption.clear();
    },
    close: () =>
      new Promise((done) => {
        for (const timer of timers) clearTimeout(timer);
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
