/**
 * The budgets of every CRL, AIA and OCSP request (core/trust/http-get.ts), against real servers on
 * 127.0.0.1: redirects counted, a silent server cut at its time budget, schemes other than http(s)
 * refused; and the "check again" helpers the background scheduler will use.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchBytes, FetchError, type FetchBudget } from '@certdesk/core/trust/http-get';
import { isRecheckDue, nextRecheckDelay } from '@certdesk/core/trust/revocation';

let server: Server;
let base: string;
const budget: FetchBudget = { maxBytes: 1024, timeoutMs: 2_000, maxRedirects: 2 };

beforeAll(async () => {
  server = createServer((req, res) => {
    const hops = /^\/hop\/(\d+)$/.exec(req.url ?? '');
    if (hops) {
      const left = Number(hops[1]);
      res.writeHead(302, { Location: left > 0 ? `/hop/${left - 1}` : '/ok' }).end();
    } else if (req.url === '/ok') res.end('conteúdo');
    else if (req.url === '/silent')
      res.writeHead(200, { 'Content-Length': 10 }).write('x'); // never ends
    else res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await new Promise((ready) => server.once('listening', ready));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'answered',
    (error: unknown) => (error as FetchError).failure,
  );

describe('fetch budgets', () => {
  it('follows redirects up to the budget, and stops past it', async () => {
    expect((await fetchBytes({ url: `${base}/hop/1`, budget })).toString()).toBe('conteúdo');
    expect(await failureOf(fetchBytes({ url: `${base}/hop/5`, budget }))).toBe('too-many-redirects');
  });

  it('cuts a server that stops sending at the time budget', async () => {
    expect(await failureOf(fetchBytes({ url: `${base}/silent`, budget: { ...budget, timeoutMs: 300 } }))).toBe('timeout');
  });

  it('refuses schemes other than http and https, and answers an HTTP error as such', async () => {
    expect(await failureOf(fetchBytes({ url: 'file:///etc/passwd', budget }))).toBe('bad-url');
    expect(await failureOf(fetchBytes({ url: 'ldap://ldap.example/cn=AC', budget }))).toBe('bad-url');
    expect(await failureOf(fetchBytes({ url: `${base}/nothing`, budget }))).toBe('http-status');
  });
});

describe('check again', () => {
  it('is due at nextCheckAt; the scheduler waits for the earliest', () => {
    const now = new Date('2026-12-07T12:00:00Z');
    const soon = { nextCheckAt: '2026-12-07T13:00:00.000Z' };
    const later = { nextCheckAt: '2026-12-08T12:00:00.000Z' };
    expect(isRecheckDue(soon, now)).toBe(false);
    expect(isRecheckDue(soon, new Date('2026-12-07T13:00:00Z'))).toBe(true);
    expect(nextRecheckDelay([later, soon], now)).toBe(3_600_000);
    expect(nextRecheckDelay([{ nextCheckAt: '2026-12-01T00:00:00.000Z' }], now)).toBe(0);
    expect(nextRecheckDelay([], now)).toBeNull();
  });
});
