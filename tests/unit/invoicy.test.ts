/** The InvoiCy client against the stand-in service over real SOAP on 127.0.0.1. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callInvoicy } from '#desktop/invoicy/invoicy-client';
import { empCk, linearize, requestXml } from '#desktop/invoicy/request-documents';
import { startStandin, type Standin } from '../../stand-ins/invoicy-soap-server';
import { inspectBytes } from '@certdesk/core/pfx/inspect';
import { CERTS_DIR } from '../fixtures';

const CERTS = CERTS_DIR;
const keys = { empPK: 'PK-TESTE', ck: '9099628c' };
let standin: Standin;
let noWsdl: Standin;
const extra: Server[] = [];

const options = (serveWsdl = true) => ({
  ...keys,
  serveWsdl,
  keyPem: readFileSync(resolve(CERTS, 'ecnpj.key'), 'utf8'),
  certPem: readFileSync(resolve(CERTS, 'ecnpj.crt'), 'utf8'),
  certificates: {
    '11222333000181': 'pendente de senha' as const,
    '52998224725': 'pronto' as const,
    '44555666000181': 'pendente de geração' as const,
  },
});

beforeAll(async () => {
  standin = await startStandin(options());
  noWsdl = await startStandin(options(false));
});
afterAll(async () => {
  await standin.close();
  await noWsdl.close();
  for (const server of extra) server.close();
});
// Every test starts from the stand-ins' starting state, whatever ran before it.
beforeEach(() => {
  standin.reset();
  noWsdl.reset();
});

const call = (op: 'request-password' | 'download' | 'check', doc: string, password?: string, url = standin.url, ck = keys.ck) =>
  callInvoicy({ url, empPK: keys.empPK, ck, timeoutMs: 3000 }, op, doc, password);

/** Take a `pendente de senha` certificate to ready-to-download the way a client does: password, then check. */
async function makeReady(doc: string, password: string): Promise<void> {
  expect((await call('request-password', doc, password)).messages[0]).toMatchObject({ codigo: 100 });
  expect((await call('check', doc)).messages[0]!.documentos[0]).toContain('<Situacao>pronto</Situacao>');
}

describe('EmpCK and the request documents', () => {
  it('EmpCK is the lowercase MD5 of CK + the linearized XML (known vector)', () => {
    const xml = '<CertificadoGerarSenha><CNPJCPF>11222333000181</CNPJCPF><Senha>abc</Senha></CertificadoGerarSenha>';
    const expected = createHash('md5').update(`9099628c${xml}`).digest('hex');
    expect(expected).toMatch(/^[0-9a-f]{32}$/);
    expect(empCk('9099628c', xml)).toBe(expected);
    expect(empCk(' 9099628c ', xml)).toBe(expected); // CK trimmed
    expect(
      empCk('9099628c', '<CertificadoGerarSenha>\n  <CNPJCPF>11222333000181</CNPJCPF>\n  <Senha>abc</Senha>\n</CertificadoGerarSenha>\n'),
    ).toBe(expected);
    expect(requestXml('request-password', '11.222.333/0001-81', 'abc')).toBe(xml);
    expect(linearize(' <a>\n <b>1</b>\n</a> ')).toBe('<a><b>1</b></a>');
  });

  it('builds the three documents, validating CNPJ/CPF (alphanumeric too)', () => {
    expect(requestXml('download', '529.982.247-25')).toBe('<CertificadoBaixar><Documento>52998224725</Documento></CertificadoBaixar>');
    expect(requestXml('check', '12.ABC.345/01DE-35')).toBe(
      '<ExtConsultarCertificado><Documento>12ABC34501DE35</Documento></ExtConsultarCertificado>',
    );
    expect(() => requestXml('check', '11222333000182')).toThrow(/CNPJ ou CPF inválido/);
    expect(requestXml('request-password', '11222333000181', 'a<b&c')).toContain('<Senha>a&lt;b&amp;c</Senha>');
  });
});

describe('the documented answers, over SOAP', () => {
  it('request password: wrong password, success, then "not pending" — status becomes pendente de geração', async () => {
    expect((await call('request-password', '11222333000181', 'curta')).messages[0]).toMatchObject({
      codigo: 401,
      descricao: 'Senha informada incorreta, tente novamente',
    });
    const ok = await call('request-password', '11222333000181', 'Segura2026');
    expect(ok.messages[0]).toMatchObject({ codigo: 100, descricao: 'Senha enviada para validação no processo de geração de certificado' });
    expect(ok.wsdl).toBe('service');
    expect(standin.state.get('11222333000181')?.status).toBe('pendente de geração');
    expect((await call('request-password', '11222333000181', 'Segura2026')).messages[0]).toMatchObject({
      descricao: 'Não identificado registro para o Username/CNPJ/CPF com status pendente de senha',
    });
  });

  it('a wrong communication key is code 173', async () => {
    expect((await call('check', '11222333000181', undefined, standin.url, 'outra-chave')).messages[0]).toMatchObject({
      codigo: 173,
      descricao: 'Chave de Comunicação inválida',
    });
  });

  it('check reads the inner XML from CDATA; download gives a PFX that opens with the chosen password', async () => {
    expect((await call('request-password', '11222333000181', 'Segura2026')).messages[0]).toMatchObject({ codigo: 100 });
    const check = await call('check', '11222333000181');
    expect(check.messages[0]!.documentos[0]).toContain('<Situacao>pronto</Situacao>');
    const download = await call('download', '11222333000181');
    expect(download.messages[0]).toMatchObject({ codigo: 100, descricao: 'Certificado disponível para download' });
    expect(download.pfx).not.toBeNull();
    const inspection = inspectBytes(download.pfx!, 'baixado.pfx', { password: 'Segura2026' });
    expect(inspection.certificate!.holderName).toBe('EMPRESA EXEMPLO LTDA');
  });

  it('download before the certificate is ready says so (and a certificate past that step takes no new password)', async () => {
    expect((await call('request-password', '44555666000181', 'Segura2026')).messages[0]).toMatchObject({ codigo: 400 });
    const answer = await call('download', '44555666000181');
    expect(answer.messages[0]).toMatchObject({ codigo: 402 });
    expect(answer.pfx).toBeNull();
  });

  it('an unknown code comes back with its Descricao, never swallowed', async () => {
    expect((await call('check', '00000000000191')).messages[0]).toEqual({
      codigo: 999,
      descricao: 'Serviço em manutenção programada. Tente mais tarde.',
      documentos: [],
    });
  });
});

describe('WSDL and transport failures', () => {
  it('falls back to the bundled WSDL when the service does not serve its own', async () => {
    const answer = await call('check', '52998224725', undefined, noWsdl.url);
    expect(answer.wsdl).toBe('bundled');
    expect(answer.messages[0]!.descricao).toContain('pronto');
  });

  it('a SOAP Fault, an HTML error page, a timeout, a refused connection and a bad TLS certificate each get a clear message', async () => {
    await expect(call('check', '33000167000101')).rejects.toMatchObject({
      code: 'INVOICY_FAULT',
      message: expect.stringContaining('Erro interno no processamento'),
    });

    const html = createHttp((_req, res) =>
      res.writeHead(500, { 'Content-Type': 'text/html' }).end('<html><body><h1>Runtime Error</h1></body></html>'),
    );
    const slow = createHttp(() => undefined);
    const tls = createHttps(
      { key: readFileSync(resolve(CERTS, 'ecnpj.key')), cert: readFileSync(resolve(CERTS, 'ecnpj.crt')) },
      (_req, res) => res.end('x'),
    );
    extra.push(html, slow, tls);
    const port = async (server: Server) => {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return (server.address() as { port: number }).port;
    };
    await expect(call('check', '52998224725', undefined, `http://127.0.0.1:${await port(html)}/a.aspx`)).rejects.toMatchObject({
      code: 'INVOICY_HTML',
      message: expect.stringContaining('HTTP 500'),
    });
    await expect(
      callInvoicy({ url: `http://127.0.0.1:${await port(slow)}/a.aspx`, ...keys, timeoutMs: 500 }, 'check', '52998224725'),
    ).rejects.toMatchObject({ code: 'INVOICY_TIMEOUT' });
    await expect(call('check', '52998224725', undefined, 'http://127.0.0.1:9/a.aspx')).rejects.toMatchObject({ code: 'INVOICY_OFFLINE' });
    await expect(call('check', '52998224725', undefined, `https://127.0.0.1:${await port(tls)}/a.aspx`)).rejects.toMatchObject({
      code: 'INVOICY_TLS',
    });
  });
});

describe('what a service WSDL may import', () => {
  /**
   * A service whose WSDL imports a schema from `location`; its SOAP calls go on to the stand-in.
   * Answers the service's URL and how many requests the other origin received.
   */
  async function hostileService(location: (other: string) => string): Promise<{ url: string; otherHits: () => number }> {
    let hits = 0;
    const other = createHttp((_req, res) => {
      hits++;
      res.writeHead(200, { 'Content-Type': 'text/xml' }).end('<schema xmlns="http://www.w3.org/2001/XMLSchema"/>');
    });
    const service = createHttp(async (req, res) => {
      const body = await new Promise<Buffer>((done) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => done(Buffer.concat(chunks)));
      });
      const upstream = await fetch(`${standin.url}${/\?wsdl/i.test(req.url ?? '') ? '?WSDL' : ''}`, {
        method: req.method,
        headers: { 'content-type': String(req.headers['content-type'] ?? 'text/xml'), soapaction: String(req.headers['soapaction'] ?? '') },
        ...(req.method === 'POST' ? { body: body.toString('utf8') } : {}),
      });
      let text = await upstream.text();
      if (req.method === 'GET')
        text = text.replace(/(<schema[^>]*>)/, `$1<import namespace="urn:outro" schemaLocation="${location(otherUrl)}"/>`);
      res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'text/xml' }).end(text);
    });
    extra.push(other, service);
    const listen = async (server: Server) => {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return (server.address() as { port: number }).port;
    };
    const otherUrl = `http://127.0.0.1:${await listen(other)}/esquema.xsd`;
    return { url: `http://127.0.0.1:${await listen(service)}/InvoiCy/aCertificado.aspx`, otherHits: () => hits };
  }

  it('an import from another origin is never fetched: the bundled description serves the call', async () => {
    const hostile = await hostileService((other) => other);
    const answer = await call('check', '52998224725', undefined, hostile.url);
    expect(answer.wsdl).toBe('bundled');
    expect(answer.messages[0]!.descricao).toContain('pronto');
    expect(hostile.otherHits()).toBe(0);
  });

  it('an import naming a file on this computer ends in the bundled description too', async () => {
    const hostile = await hostileService(() => 'file:///etc/hostname');
    const answer = await call('check', '52998224725', undefined, hostile.url);
    expect(answer.wsdl).toBe('bundled');
  });

  it("an import from the service's own origin is still read", async () => {
    const hostile = await hostileService(() => 'esquema-local.xsd'); // relative: the service's origin
    const answer = await call('check', '52998224725', undefined, hostile.url);
    expect(answer.messages[0]!.descricao).toContain('pronto');
    expect(hostile.otherHits()).toBe(0);
  });
});

describe('InvoiCy settings', () => {
  it('keeps EmpPK and CK in the keychain only, URLs per environment, https required', async () => {
    const { mkdtemp, readFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { randomUUID } = await import('node:crypto');
    const { OsKeychain } = await import('#desktop/keychain');
    const { InvoicyService, DEFAULT_URLS } = await import('#desktop/invoicy/invoicy-service');
    const dir = await mkdtemp(resolve(tmpdir(), 'certdesk-invoicy-'));
    const keychain = new OsKeychain(`CertDesk-test-${randomUUID()}`);
    const service = await InvoicyService.open(dir, keychain);
    expect(await service.settings('homologacao')).toEqual({
      url: DEFAULT_URLS.homologacao,
      defaultUrl: DEFAULT_URLS.homologacao,
      hasEmpPK: false,
      hasCk: false,
    });
    await expect(service.call('homologacao', 'check', '52998224725')).rejects.toMatchObject({ code: 'INVOICY_NOT_CONFIGURED' });
    await expect(service.save('homologacao', { url: 'http://invoicy.example/x.aspx' })).rejects.toMatchObject({ code: 'INVALID_DATA' });
    const saved = await service.save('homologacao', { url: standin.url, empPK: keys.empPK, ck: keys.ck });
    expect(saved).toMatchObject({ url: standin.url, hasEmpPK: true, hasCk: true });
    expect((await service.settings('producao')).hasCk).toBe(false); // environments apart
    const onDisk = await readFile(resolve(dir, 'invoicy.json'), 'utf8');
    expect(onDisk).toContain(standin.url);
    expect(onDisk).not.toContain(keys.ck);
    expect(onDisk).not.toContain(keys.empPK);
    await makeReady('11222333000181', 'Segura2026');
    const download = await service.call('homologacao', 'download', '11222333000181');
    expect(download.messages[0]).toMatchObject({ codigo: 100 });
    expect(download.file).toMatch(/downloads\/certificado-11222333000181-.*\.pfx$/);
    await keychain.delete('invoicy:homologacao:emppk');
    await keychain.delete('invoicy:homologacao:ck');
    await rm(dir, { recursive: true, force: true });
  });
});
