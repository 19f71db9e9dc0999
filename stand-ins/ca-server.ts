/**
 * A stand-in certificate authority over HTTP on 127.0.0.1, for the tests, the bench and demos: it
 * serves the CRLs, AIA certificates and OCSP answers of the test hierarchy (scripts/fixtures/ca-pki.ts)
 * whose certificates point at it. Cases: a revoked certificate, a CRL past nextUpdate, a CRL with a
 * bad signature, a 5 MB CRL, an unreachable first distribution point with a second that answers,
 * OCSP answering "revoked" and "good". Dates follow `now` (the CRLs are current at start), so the
 * expired CRL is expired and the others are not, whatever day the test runs.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildCaPki, serialOf, type CaCase, type CaPki } from '../scripts/fixtures/ca-pki';
import { context, int, oid, seq, set, tlv } from '../scripts/fixtures/der';
import { stream } from '../scripts/fixtures/prng';
import { crl, crlEntry, ocspError, ocspResponse, requestedCertIds, type OcspAnswer } from '../scripts/fixtures/revocation-writers';

export interface CaServerOptions {
  port?: number;
  host?: string;
  /** The clock the CRLs and OCSP answers are dated from. */
  now?: Date;
  /** Size of `grande.crl` (default 5 MB). */
  bigCrlBytes?: number;
}

export interface CaServer {
  url: string;
  /** An address where nothing listens (the first distribution point of `segundo-ponto`). */
  unreachableUrl: string;
  pki: CaPki;
  /** Requests per path, to tell a cached answer from a fetched one. */
  hits: Map<string, number>;
  /** When the served CRLs were issued and when they say the next one comes (except `vencida.crl`). */
  thisUpdate: Date;
  nextUpdate: Date;
  /** When `revogado` and `ocsp-revogado` were revoked. */
  revokedAt: Date;
  /**
   * Revoke another case's certificate from now on (keyCompromise at `at`, default the stand-in's
   * clock): the AC's CRLs are issued again listing it, and OCSP answers "revoked" for it.
   * What a certificate revoked after it was installed looks like to the background recheck.
   */
  revoke(name: CaCase, at?: Date): void;
  /**
   * Hold every answer from now until the returned function is called: a network that is slow for
   * as long as the test wants (what an install that stops waiting for the check sees).
   */
  hold(): () => void;
  server: Server;
  close(): Promise<void>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** RFC 5280 CRLReason codes used here. */
const KEY_COMPROMISE = 1;
const SUPERSEDED = 4;

/** A port nothing listens on: bound, read, released. */
async function closedPort(host: string): Promise<number> {
  const probe = createServer();
  probe.listen(0, host);
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** PKCS#7 certs-only ("degenerate" SignedData), the .p7b form many ACs publish in their AIA. */
function certsOnlyPkcs7(...certs: Buffer[]): Buffer {
  const signedData = seq(int(1), set(), seq(oid('1.2.840.113549.1.7.1')), tlv(0xa0, ...certs), set());
  return seq(oid('1.2.840.113549.1.7.2'), context(0, signedData));
}

/** ~`bytes` of synthetic entries (seeded 16-byte serials), as a large AC's CRL carries. */
function syntheticEntries(bytes: number, revokedAt: Date): Buffer[] {
  const serials = stream('ca-standin/big-crl');
  const entries: Buffer[] = [];
  for (let size = 0; size < bytes;) {
    const serial = serials.bytes(16);
    serial[0]! |= 0x40; // never starts with zero, never negative: a plain 16-byte serial
    serial[0]! &= 0x7f;
    const entry = crlEntry({ serial, revokedAt, reason: SUPERSEDED });
    entries.push(entry);
    size += entry.length;
  }
  return entries;
}

export async function startCaServer(options: CaServerOptions = {}): Promise<CaServer> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? new Date();
  const unreachableUrl = `http://${host}:${await closedPort(host)}`;
  const hits = new Map<string, number>();
  const routes = new Map<string, { type: string; body: Buffer }>();
  let pki: CaPki | null = null;

  let held: Promise<void> | null = null;
  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (held) await held;
    if (req.method === 'POST' && path === '/ocsp') return answerOcsp(req, res);
    const route = routes.get(path);
    if (req.method !== 'GET' || !route) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': route.type, 'Content-Length': route.body.length }).end(route.body);
  }

  server.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const url = `http://${host}:${(server.address() as AddressInfo).port}`;
  pki = buildCaPki(url, unreachableUrl);

  const thisUpdate = new Date(Math.floor(now.getTime() / HOUR) * HOUR - HOUR);
  const nextUpdate = new Date(thisUpdate.getTime() + 7 * DAY);
  const revokedAt = new Date(thisUpdate.getTime() - 6 * DAY);
  const acCrl = (entries: Buffer[], dates = { thisUpdate, nextUpdate }, corruptSignature = false) =>
    crl(
      {
        issuerName: pki!.ac.name,
        issuerSpki: pki!.ac.spki,
        signingKey: pki!.ac.key,
        crlNumber: 7,
        entries: [],
        corruptSignature,
        ...dates,
      },
      entries,
    );
  const revoked = crlEntry({ serial: serialOf('revogado'), revokedAt, reason: KEY_COMPROMISE });
  const crlType = 'application/pkix-crl';
  const laterRevoked: Buffer[] = [];
  const publishAcCrls = () => {
    routes.set('/lcr/ac-teste.crl', { type: crlType, body: acCrl([revoked, ...laterRevoked]) });
    routes.set('/lcr/ac-teste-espelho.crl', { type: crlType, body: acCrl([revoked, ...laterRevoked]) });
  };
  publishAcCrls();
  routes.set('/lcr/vencida.crl', {
    type: crlType,
    body: acCrl([], { thisUpdate: new Date(thisUpdate.getTime() - 10 * DAY), nextUpdate: new Date(thisUpdate.getTime() - 3 * DAY) }),
  });
  routes.set('/lcr/assinatura-invalida.crl', { type: crlType, body: acCrl([revoked], { thisUpdate, nextUpdate }, true) });
  const big = syntheticEntries(options.bigCrlBytes ?? 5 * 1024 * 1024, revokedAt);
  big.splice(big.length >> 1, 0, crlEntry({ serial: serialOf('lcr-grande'), revokedAt, reason: SUPERSEDED }));
  routes.set('/lcr/grande.crl', { type: crlType, body: acCrl(big) });
  routes.set('/lcr/raiz.crl', {
    type: crlType,
    body: crl({
      issuerName: pki.root.name,
      issuerSpki: pki.root.spki,
      signingKey: pki.root.key,
      crlNumber: 1,
      thisUpdate,
      nextUpdate,
      entries: [],
    }),
  });
  routes.set('/aia/ac-teste.cer', { type: 'application/pkix-cert', body: pki.ac.der });
  routes.set('/aia/ac-teste.p7b', { type: 'application/pkcs7-mime', body: certsOnlyPkcs7(pki.ac.der) });
  routes.set('/aia/raiz.cer', { type: 'application/pkix-cert', body: pki.root.der });

  const ocspStatus: Partial<Record<CaCase, OcspAnswer['status']>> = { 'ocsp-revogado': 'revoked', 'ocsp-valido': 'good' };
  const ocspRevokedAt = new Map<CaCase, Date>();
  async function answerOcsp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 64 * 1024) return void res.writeHead(413).end();
      chunks.push(chunk as Buffer);
    }
    let body: Buffer;
    try {
      const answers = requestedCertIds(Buffer.concat(chunks)).map((certId): OcspAnswer => {
        const leaf = (Object.keys(ocspStatus) as CaCase[]).find((c) => serialOf(c) === BigInt(`0x${certId.serial.toString('hex')}`));
        const status = leaf ? (ocspStatus[leaf] ?? 'unknown') : 'unknown';
        return {
          certId,
          status,
          thisUpdate,
          nextUpdate: new Date(thisUpdate.getTime() + DAY),
          ...(status === 'revoked' ? { revokedAt: ocspRevokedAt.get(leaf!) ?? revokedAt, reason: KEY_COMPROMISE } : {}),
        };
      });
      body = ocspResponse({
        responderSpki: pki!.ocsp.spki,
        signingKey: pki!.ocsp.key,
        certs: [pki!.ocsp.der],
        producedAt: thisUpdate,
        answers,
      });
    } catch {
      body = ocspError(1); // malformedRequest
    }
    res.writeHead(200, { 'Content-Type': 'application/ocsp-response', 'Content-Length': body.length }).end(body);
  }

  return {
    url,
    unreachableUrl,
    pki,
    hits,
    thisUpdate,
    nextUpdate,
    revokedAt,
    hold() {
      let release!: () => void;
      held = new Promise<void>((resolve) => (release = resolve));
      return () => {
        held = null;
        release();
      };
    },
    revoke(name, at = now) {
      laterRevoked.push(crlEntry({ serial: serialOf(name), revokedAt: at, reason: KEY_COMPROMISE }));
      publishAcCrls();
      ocspStatus[name] = 'revoked';
      ocspRevokedAt.set(name, at);
    },
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
