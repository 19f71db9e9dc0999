/**
 * The trust engine's host names (core/trust/host-lookup.ts), with the system's own resolver,
 * counted: concurrent requests for a name share one lookup, an answer and a failure are remembered
 * for their time and asked again after it, a request to a name whose failure is remembered fails the
 * same way before any socket, and a request by name reaches a real server on 127.0.0.1.
 */
import { lookup, type LookupAddress } from 'node:dns';
import http, { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ANSWER_MS, FAILURE_MS, HostLookup, hostLookup } from '@certdesk/core/trust/host-lookup';
import { fetchBytes, FetchError } from '@certdesk/core/trust/http-get';

/** The system resolver, each call counted by name. */
function countedSystemResolver() {
  const asked = new Map<string, number>();
  const resolve = (hostname: string) => {
    asked.set(hostname, (asked.get(hostname) ?? 0) + 1);
    return new Promise<LookupAddress[]>((done, fail) =>
      lookup(hostname, { all: true }, (error, addresses) => (error ? fail(error) : done(addresses))),
    );
  };
  return { asked, resolve };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'answered',
    (error: NodeJS.ErrnoException) => error.code,
  );

describe('host names of CRL, AIA and OCSP addresses', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('lcr'));
    server.listen(0, '127.0.0.1');
    await new Promise((ready) => server.once('listening', ready));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  it('asks once for concurrent requests of a name, and again once its answer is older than ANSWER_MS', async () => {
    const { asked, resolve } = countedSystemResolver();
    let clock = 0;
    const names = new HostLookup(resolve, () => clock);
    const answers = await Promise.all(Array.from({ length: 20 }, () => names.addresses('LocalHost')));
    expect(asked).toEqual(new Map([['localhost', 1]]));
    expect(answers.every((a) => a.some((address) => address.address === '127.0.0.1'))).toBe(true);
    clock += ANSWER_MS - 1;
    await names.addresses('localhost');
    expect(asked.get('localhost')).toBe(1);
    clock += 1;
    await names.addresses('localhost');
    expect(asked.get('localhost')).toBe(2);
  });

  it('remembers a name that does not resolve for FAILURE_MS: every request in between fails at once, unasked', async () => {
    const { asked, resolve } = countedSystemResolver();
    let clock = 0;
    const names = new HostLookup(resolve, () => clock);
    const codes = await Promise.all(Array.from({ length: 20 }, () => codeOf(names.addresses('acexemplo.invalid'))));
    expect(new Set(codes)).toEqual(new Set(['ENOTFOUND']));
    clock += FAILURE_MS - 1;
    expect(await codeOf(names.addresses('acexemplo.invalid'))).toBe('ENOTFOUND');
    expect(asked.get('acexemplo.invalid')).toBe(1);
    clock += 1;
    expect(names.failureOf('acexemplo.invalid'), 'forgotten after FAILURE_MS').toBeNull();
    await codeOf(names.addresses('acexemplo.invalid'));
    expect(asked.get('acexemplo.invalid')).toBe(2);
    expect(names.failureOf('ACEXEMPLO.invalid'), 'remembered again, by any case').toBe('ENOTFOUND');
    expect(names.failureOf('localhost'), 'a name never asked').toBeNull();
  });

  it('answers in the shape http asks for: a request by name reaches the server; an unknown name is "sem conexão"', async () => {
    const budget = { maxBytes: 1024, timeoutMs: 5_000, maxRedirects: 0 };
    expect((await fetchBytes({ url: `http://localhost:${port}/lcr`, budget })).toString()).toBe('lcr');
    const failures = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetchBytes({ url: `http://acexemplo.invalid:${port}/lcr`, budget }).catch((error: FetchError) => [error.failure, error.message]),
      ),
    );
    expect(new Set(failures.map((f) => JSON.stringify(f)))).toEqual(new Set([JSON.stringify(['offline', 'sem conexão (ENOTFOUND)'])]));
    // Once the failure is remembered, a request fails before any request or socket, with the same
    // words. http.request is counted (the calls go through to it), not replaced.
    expect(hostLookup.failureOf('acexemplo.invalid')).toBe('ENOTFOUND');
    const requests = vi.spyOn(http, 'request');
    try {
      const after = await fetchBytes({ url: `http://acexemplo.invalid:${port}/outra`, budget }).then(
        () => null,
        (error: FetchError) => [error.failure, error.message, error.url],
      );
      expect(after).toEqual(['offline', 'sem conexão (ENOTFOUND)', `http://acexemplo.invalid:${port}/outra`]);
      expect(requests, 'no request for a name whose failure is remembered').not.toHaveBeenCalled();
      expect((await fetchBytes({ url: `http://localhost:${port}/lcr`, budget })).toString()).toBe('lcr');
      expect(requests, 'a name that resolves still goes through a request').toHaveBeenCalledTimes(1);
    } finally {
      requests.mockRestore();
    }
  });
});
