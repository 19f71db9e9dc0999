/**
 * Corporate proxies: which proxy a host goes through (HTTPS_PROXY / NO_PROXY, or the app's own
 * setting), and the mutual TLS carried end to end through a real CONNECT tunnel of the proxy
 * stand-in, which records what it was asked (never the credentials).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bypassesProxy, parseProxyUrl, proxyFor } from '@certdesk/core/sefaz/proxy';
import { startConnectProxy, type ConnectProxy } from '../../stand-ins/connect-proxy';
import { startSefazStandin, type SefazStandin } from '../../stand-ins/sefaz-server';
import { clientFor, credentialsOf } from './helpers/sefaz';

describe('which proxy a host goes through', () => {
  const host = 'nfe.svrs.rs.gov.br';

  it('reads https_proxy before HTTPS_PROXY, and no_proxy / NO_PROXY', () => {
    expect(proxyFor({ kind: 'environment' }, host, 443, {})).toBeNull();
    expect(proxyFor({ kind: 'environment' }, host, 443, { HTTPS_PROXY: 'http://proxy.empresa:3128' })?.label).toBe('proxy.empresa:3128');
    expect(proxyFor({ kind: 'environment' }, host, 443, { https_proxy: 'proxy-a:8080', HTTPS_PROXY: 'proxy-b:8080' })?.label).toBe(
      'proxy-a:8080',
    );
    expect(proxyFor({ kind: 'environment' }, host, 443, { HTTPS_PROXY: 'proxy:3128', NO_PROXY: '.rs.gov.br' })).toBeNull();
    expect(proxyFor({ kind: 'environment' }, host, 443, { HTTPS_PROXY: 'proxy:3128', no_proxy: 'localhost, svrs.rs.gov.br' })).toBeNull();
    expect(proxyFor({ kind: 'none' }, host, 443, { HTTPS_PROXY: 'proxy:3128' })).toBeNull();
    expect(proxyFor({ kind: 'manual', url: 'http://10.0.0.1:8080' }, host, 443, {})?.label).toBe('10.0.0.1:8080');
    expect(proxyFor({ kind: 'manual', url: 'http://10.0.0.1:8080', noProxy: '*' }, host, 443, {})).toBeNull();
  });

  it('matches NO_PROXY entries as curl does', () => {
    expect(bypassesProxy('*', host, 443)).toBe(true);
    expect(bypassesProxy('rs.gov.br', host, 443)).toBe(true);
    expect(bypassesProxy('*.rs.gov.br', host, 443)).toBe(true);
    expect(bypassesProxy('s.gov.br', host, 443)).toBe(false);
    expect(bypassesProxy('nfe.svrs.rs.gov.br:8443', host, 443)).toBe(false);
    expect(bypassesProxy('nfe.svrs.rs.gov.br:443', host, 443)).toBe(true);
    expect(bypassesProxy('', host, 443)).toBe(false);
  });

  it('keeps credentials out of the label and refuses what it cannot use', () => {
    const route = parseProxyUrl('http://usu%C3%A1rio:s3nh%40@proxy.empresa:3128');
    expect(route.label).toBe('proxy.empresa:3128');
    expect(route.authorization).toBe(`Basic ${Buffer.from('usuário:s3nh@').toString('base64')}`);
    expect(() => parseProxyUrl('https://proxy:443')).toThrow(/https:\/\/ não é suportado/);
    expect(() => parseProxyUrl('http://')).toThrow(/inválido/);
  });
});

describe('mutual TLS through a CONNECT tunnel', () => {
  let standin: SefazStandin;
  let proxy: ConnectProxy;
  let guarded: ConnectProxy;
  beforeAll(async () => {
    standin = await startSefazStandin();
    // The proxies reach only the stand-in, whatever host they are asked for.
    proxy = await startConnectProxy({
      route: () => ({ host: '127.0.0.1', port: standin.port }),
      deny: (host) => (host === 'hom.sefazvirtual.fazenda.gov.br' ? 403 : null),
    });
    guarded = await startConnectProxy({
      route: () => ({ host: '127.0.0.1', port: standin.port }),
      credentials: { user: 'fiscal', password: 'Proxy#2026' },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await guarded.close();
    await standin.close();
  });
  beforeEach(() => {
    standin.reset();
    proxy.connects.length = 0;
    guarded.connects.length = 0;
  });

  it('HTTPS_PROXY: the proxy is asked for the real host, SEFAZ sees our certificate', async () => {
    // No connection override: the only way to the stand-in is the tunnel the proxy opens.
    const status = clientFor(standin, { connectOverride: undefined, proxy: { kind: 'environment' }, env: { HTTPS_PROXY: proxy.url } });
    const result = await status.check(credentialsOf('em-operacao'), status.service('nfe', 'RS', 'homologacao'));
    expect(result).toMatchObject({ code: 'IN_OPERATION', proxy: `127.0.0.1:${proxy.port}` });
    expect(proxy.connects).toEqual([
      { target: 'nfe-homologacao.sefazrs.rs.gov.br:443', credentialsSent: false, credentialsAccepted: null, status: 200 },
    ]);
    expect(standin.calls[0]).toMatchObject({ sni: 'nfe-homologacao.sefazrs.rs.gov.br', cUF: 43, clientCnpj: '10107000000149' });
  });

  it('NO_PROXY sends a host around the proxy', async () => {
    const status = clientFor(standin, { proxy: { kind: 'environment' }, env: { HTTPS_PROXY: proxy.url, NO_PROXY: '.sefazrs.rs.gov.br' } });
    const result = await status.check(credentialsOf('em-operacao'), status.service('nfe', 'RS', 'homologacao'));
    expect(result).toMatchObject({ code: 'IN_OPERATION', proxy: null });
    expect(proxy.connects).toEqual([]);
  });

  it('a proxy that wants credentials: 407 without them, a tunnel with them, and they appear nowhere', async () => {
    const without = clientFor(standin, { connectOverride: undefined, proxy: { kind: 'manual', url: guarded.url } });
    const refused = await without.check(credentialsOf('em-operacao'), without.service('nfe', 'SP', 'homologacao'));
    expect(refused).toMatchObject({ code: 'PROXY_AUTH_REQUIRED', httpStatus: 407 });
    expect(refused.text).toBe(`O proxy 127.0.0.1:${guarded.port} exige autenticação (HTTP 407)`);

    const url = `http://fiscal:Proxy%232026@127.0.0.1:${guarded.port}`;
    const withCredentials = clientFor(standin, { connectOverride: undefined, proxy: { kind: 'manual', url } });
    const result = await withCredentials.check(credentialsOf('em-operacao'), withCredentials.service('nfe', 'SP', 'homologacao'));
    expect(result.code).toBe('IN_OPERATION');
    expect(guarded.connects.map((c) => [c.status, c.credentialsSent, c.credentialsAccepted])).toEqual([
      [407, false, false],
      [200, true, true],
    ]);
    for (const outcome of [refused, result]) expect(JSON.stringify(outcome)).not.toMatch(/Proxy#2026|Proxy%232026|fiscal:/);
  });

  it('a host the proxy blocks is PROXY_REFUSED; a proxy nobody answers is PROXY_UNREACHABLE', async () => {
    const status = clientFor(standin, { connectOverride: undefined, proxy: { kind: 'manual', url: proxy.url } });
    const blocked = await status.check(credentialsOf('em-operacao'), status.service('nfe', 'MA', 'homologacao'));
    expect(blocked).toMatchObject({ code: 'PROXY_REFUSED', httpStatus: 403 });
    expect(blocked.text).toContain('recusou o acesso à SEFAZ (HTTP 403)');

    const nobody = clientFor(standin, { connectOverride: undefined, proxy: { kind: 'manual', url: 'http://127.0.0.1:1' } });
    const down = await nobody.check(credentialsOf('em-operacao'), nobody.service('nfe', 'SP', 'homologacao'));
    expect(down).toMatchObject({ code: 'PROXY_UNREACHABLE', proxy: '127.0.0.1:1' });
    expect(standin.calls).toEqual([]);
  });

  it('the server is still verified through the tunnel', async () => {
    const status = clientFor(standin, { connectOverride: undefined, extraTrustAnchors: [], proxy: { kind: 'manual', url: proxy.url } });
    const result = await status.check(credentialsOf('em-operacao'), status.service('nfe', 'SP', 'homologacao'));
    expect(result.code).toBe('SERVER_CERT_UNTRUSTED');
    expect(proxy.connects).toHaveLength(1);
    expect(standin.calls).toEqual([]);
  });
});
