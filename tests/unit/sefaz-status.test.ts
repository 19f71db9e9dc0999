/**
 * The SEFAZ status client against the real stand-in over real mutual TLS: the table's real host
 * names sent to 127.0.0.1 and verified against the stand-in's certificate, each outcome from the
 * certificate it is shown, and every network failure named as such. No test reaches a real SEFAZ.
 */
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { connect as tlsConnect, createSecureContext } from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundledServiceTable, parseServiceTable } from '@certdesk/core/sefaz/service-table';
import { secureContextFor, type TrustMethod } from '@certdesk/core/sefaz/trust';
import { startSefazStandin, type SefazStandin } from '../../stand-ins/sefaz-server';
import { clientFor, clientPfx, credentialsOf, SEFAZ_CLIENTS, SEFAZ_PASSWORD } from './helpers/sefaz';

let standin: SefazStandin;
beforeAll(async () => {
  standin = await startSefazStandin({ slowMs: 10_000 });
});
afterAll(() => standin.close());
beforeEach(() => standin.reset());

describe('one status check per state, in homologação', () => {
  const cases = [
    {
      uf: 'SP',
      authorizer: 'SP',
      cUF: 35,
      url: 'https://homologacao.nfe.fazenda.sp.gov.br/ws/nfestatusservico4.asmx',
      host: 'homologacao.nfe.fazenda.sp.gov.br',
      path: '/ws/nfestatusservico4.asmx',
    },
    {
      uf: 'RS',
      authorizer: 'RS',
      cUF: 43,
      url: 'https://nfe-homologacao.sefazrs.rs.gov.br/ws/NfeStatusServico/NfeStatusServico4.asmx',
      host: 'nfe-homologacao.sefazrs.rs.gov.br',
      path: '/ws/NfeStatusServico/NfeStatusServico4.asmx',
    },
    {
      uf: 'SC',
      authorizer: 'SVRS',
      cUF: 42,
      url: 'https://nfe-homologacao.svrs.rs.gov.br/ws/NfeStatusServico/NfeStatusServico4.asmx',
      host: 'nfe-homologacao.svrs.rs.gov.br',
      path: '/ws/NfeStatusServico/NfeStatusServico4.asmx',
    },
    {
      uf: 'MA',
      authorizer: 'SVAN',
      cUF: 21,
      url: 'https://hom.sefazvirtual.fazenda.gov.br/NFeStatusServico4/NFeStatusServico4.asmx',
      host: 'hom.sefazvirtual.fazenda.gov.br',
      path: '/NFeStatusServico4/NFeStatusServico4.asmx',
    },
  ] as const;

  for (const c of cases) {
    it(`NF-e ${c.uf}: ${c.authorizer}'s address, host and cUF ${c.cUF}, answered 107`, async () => {
      const client = clientFor(standin);
      const result = await client.check(credentialsOf('em-operacao'), client.service('nfe', c.uf, 'homologacao'));
      expect(result).toMatchObject({
        code: 'IN_OPERATION',
        ok: true,
        cStat: 107,
        authorizer: c.authorizer,
        url: c.url,
        uf: c.uf,
        cUF: c.cUF,
        tpAmb: 2,
        environment: 'homologacao',
        reused: false,
        proxy: null,
        httpStatus: 200,
        answer: { cStat: 107, xMotivo: 'Serviço em Operação', tpAmb: 2, cUF: c.cUF, tMed: 1 },
      });
      expect(result.text).toMatch(/^Em operação \(107\) · resposta em (menos de 0,1|\d+,\d) s$/);
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
      expect(new Date(result.checkedAt).toISOString()).toBe(result.checkedAt);
      expect(standin.calls).toEqual([
        expect.objectContaining({
          sni: c.host,
          host: c.host,
          path: c.path,
          soapAction: 'http://www.portalfiscal.inf.br/nfe/wsdl/NFeStatusServico4/nfeStatusServicoNF',
          module: 'nfe',
          cUF: c.cUF,
          tpAmb: 2,
          clientCnpj: '10107000000149',
          answer: 'cStat 107',
        }),
      ]);
      expect(standin.calls[0]!.clientSubject).toContain('CN=EMPRESA EM OPERACAO LTDA:10107000000149');
    });
  }

  it('CT-e for MA goes to SVRS (CTeStatusServicoV4) with cUF 21; for PE to SVSP', async () => {
    const client = clientFor(standin);
    const ma = await client.check(credentialsOf('em-operacao'), client.service('cte', 'MA', 'homologacao'));
    const pe = await client.check(credentialsOf('em-operacao'), client.service('cte', 'PE', 'homologacao'));
    expect(ma).toMatchObject({ code: 'IN_OPERATION', authorizer: 'SVRS', cUF: 21 });
    expect(pe).toMatchObject({ code: 'IN_OPERATION', authorizer: 'SVSP', cUF: 26 });
    expect(standin.calls.map(({ host, path, soapAction, module, cUF }) => ({ host, path, soapAction, module, cUF }))).toEqual([
      {
        host: 'cte-homologacao.svrs.rs.gov.br',
        path: '/ws/CTeStatusServicoV4/CTeStatusServicoV4.asmx',
        soapAction: 'http://www.portalfiscal.inf.br/cte/wsdl/CTeStatusServicoV4/cteStatusServicoCT',
        module: 'cte',
        cUF: 21,
      },
      {
        host: 'homologacao.nfe.fazenda.sp.gov.br',
        path: '/CTeWS/WS/CTeStatusServicoV4.asmx',
        soapAction: 'http://www.portalfiscal.inf.br/cte/wsdl/CTeStatusServicoV4/cteStatusServicoCT',
        module: 'cte',
        cUF: 26,
      },
    ]);
  });

  it('produção sends tpAmb 1 to the production address', async () => {
    const client = clientFor(standin);
    const result = await client.check(credentialsOf('em-operacao'), client.service('nfe', 'SP', 'producao'));
    expect(result).toMatchObject({ code: 'IN_OPERATION', tpAmb: 1, url: 'https://nfe.fazenda.sp.gov.br/ws/nfestatusservico4.asmx' });
    expect(standin.calls[0]).toMatchObject({ host: 'nfe.fazenda.sp.gov.br', tpAmb: 1 });
  });
});

describe('each outcome, chosen by the certificate the stand-in is shown', () => {
  for (const client of SEFAZ_CLIENTS.filter((c) => c.behaviour !== 'slow')) {
    it(`${client.file}: ${client.what} → ${client.expected}`, async () => {
      const status = clientFor(standin);
      const result = await status.check(credentialsOf(client.file.replace('.pfx', '')), status.service('nfe', 'SP', 'homologacao'));
      expect(result.code).toBe(client.expected);
      expect(result.ok).toBe(client.expected === 'IN_OPERATION');
      expect(result.text.length).toBeGreaterThan(10);
      if (client.expected !== 'IN_OPERATION') expect(result.action).toBeTruthy();
    });
  }

  it('words the certificate rejections in Portuguese with the cStat', async () => {
    const status = clientFor(standin);
    const service = status.service('nfe', 'SP', 'homologacao');
    const revoked = await status.check(credentialsOf('revogado'), service);
    expect(revoked).toMatchObject({ cStat: 284, code: 'CERT_REVOKED' });
    expect(revoked.text).toMatch(/^A SEFAZ recusou o certificado: certificado revogado \(284\)/);
    expect(revoked.action).toContain('Emita um novo');
    const expired = await status.check(credentialsOf('vencido'), service);
    expect(expired).toMatchObject({ code: 'HTTP_FORBIDDEN', httpStatus: 403, cStat: null });
    expect(expired.text).toContain('HTTP 403');
    expect(expired.text).toContain('o certificado venceu em');
    const refused = await status.check(credentialsOf('ac-desconhecida'), service);
    expect(refused).toMatchObject({ code: 'TLS_REFUSED', httpStatus: null, latencyMs: null });
    // refused inside the handshake: the stand-in never saw a request
    expect(standin.calls.at(-1)).toMatchObject({ answer: 'handshake refused', path: null, sni: 'homologacao.nfe.fazenda.sp.gov.br' });
    const paused = await status.check(credentialsOf('paralisado-109'), service);
    expect(paused.text).toMatch(/^Serviço paralisado sem previsão \(109\)/);
  });

  it('an answer slower than the budget is ANSWER_TIMEOUT', async () => {
    const status = clientFor(standin, { answerTimeoutMs: 300 });
    const result = await status.check(credentialsOf('lento'), status.service('nfe', 'SP', 'homologacao'));
    expect(result).toMatchObject({ code: 'ANSWER_TIMEOUT', ok: false, latencyMs: null });
    expect(result.text).toBe('A SEFAZ não respondeu em 0,3 s');
  });

  it('another cStat is OTHER_STATUS with SEFAZ’s own text (410: a cUF the authorizer does not serve)', async () => {
    // A table whose MA row points at SP's service: the stand-in answers 410 as SP would.
    const data = structuredClone(bundledServiceTable());
    data.modules.nfe.authorizers.MA = 'SP';
    const status = clientFor(standin, { table: parseServiceTable(data) });
    const result = await status.check(credentialsOf('em-operacao'), status.service('nfe', 'MA', 'homologacao'));
    expect(result).toMatchObject({ code: 'OTHER_STATUS', cStat: 410, ok: false });
    expect(result.text).toContain('A SEFAZ respondeu 410: Rejeição: UF informada no campo cUF não é atendida pelo Web Service');
  });

  it('opens the legacy PFX (RC2-40, 3DES, MAC SHA-1) that Node’s own pfx option refuses, and checks with it', async () => {
    expect(() => createSecureContext({ pfx: readFileSync(clientPfx('em-operacao-legado')), passphrase: SEFAZ_PASSWORD })).toThrow();
    const status = clientFor(standin);
    const result = await status.check(credentialsOf('em-operacao-legado'), status.service('nfe', 'RS', 'homologacao'));
    expect(result.code).toBe('IN_OPERATION');
  });
});

describe('the server is verified, and failures on the way are named', () => {
  it('without the stand-in root the server is not trusted and nothing is sent', async () => {
    const status = clientFor(standin, { extraTrustAnchors: [] });
    const result = await status.check(credentialsOf('em-operacao'), status.service('nfe', 'SP', 'homologacao'));
    expect(result.code).toBe('SERVER_CERT_UNTRUSTED');
    expect(result.detail).toMatch(/^(UNABLE_TO_|SELF_SIGNED)/);
    expect(standin.calls).toEqual([]);
  });

  for (const how of ['add', 'ca'] as TrustMethod[]) {
    it(`trust given by '${how}': the stand-in's root is trusted only when passed`, async () => {
      const handshake = (anchors: string[]) =>
        new Promise<string>((done) => {
          const socket = tlsConnect({
            host: '127.0.0.1',
            port: standin.port,
            servername: 'nfe.svrs.rs.gov.br',
            secureContext: secureContextFor(credentialsOf('em-operacao'), anchors, how),
          });
          socket.once('secureConnect', () => done(socket.authorized ? 'verified' : 'not verified'));
          socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? 'error'));
          socket.once('secureConnect', () => socket.destroy());
        });
      expect(await handshake([standin.rootPem])).toBe('verified');
      expect(await handshake([])).toMatch(/^(UNABLE_TO_|SELF_SIGNED)/);
    });
  }

  it('a certificate for other names is not accepted for the table’s host', async () => {
    // The stand-in's certificate names the table's hosts; a host outside it fails name verification.
    const data = structuredClone(bundledServiceTable());
    data.modules.nfe.services.SP!.homologacao.url = 'https://sefaz.nome-errado.invalid/ws/nfestatusservico4.asmx';
    const status = clientFor(standin, {
      table: parseServiceTable(data),
      connectOverride: () => ({ host: '127.0.0.1', port: standin.port }),
    });
    const result = await status.check(credentialsOf('em-operacao'), status.service('nfe', 'SP', 'homologacao'));
    expect(result).toMatchObject({ code: 'SERVER_CERT_UNTRUSTED', detail: expect.stringContaining('ERR_TLS_CERT_ALTNAME_INVALID') });
    expect(standin.calls).toEqual([]);
  });

  let closedPort: number;
  let silent: NetServer;
  const held: Socket[] = [];
  beforeAll(async () => {
    const probe = createNetServer();
    await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise((done) => probe.close(done));
    // Accepts TCP and never speaks TLS: the connect budget is what ends the wait.
    silent = createNetServer((socket) => held.push(socket));
    await new Promise<void>((ready) => silent.listen(0, '127.0.0.1', ready));
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((done) => silent.close(done));
  });

  it('a refused connection is CONNECTION_FAILED', async () => {
    const status = clientFor(standin, { connectOverride: () => ({ host: '127.0.0.1', port: closedPort }) });
    const result = await status.check(credentialsOf('em-operacao'), status.service('nfe', 'SP', 'homologacao'));
    expect(result).toMatchObject({ code: 'CONNECTION_FAILED', detail: 'ECONNREFUSED' });
    expect(result.text).toBe('Não foi possível conectar em homologacao.nfe.fazenda.sp.gov.br');
  });

  it('a server that never completes the handshake is CONNECT_TIMEOUT', async () => {
    const port = (silent.address() as { port: number }).port;
    const status = clientFor(standin, { connectOverride: () => ({ host: '127.0.0.1', port }), connectTimeoutMs: 300 });
    const result = await status.check(credentialsOf('em-operacao'), status.service('nfe', 'SP', 'homologacao'));
    expect(result.code).toBe('CONNECT_TIMEOUT');
    expect(result.text).toBe('Tempo esgotado ao conectar em homologacao.nfe.fazenda.sp.gov.br (0,3 s)');
  });

  it('a host that does not resolve is DNS_FAILURE (the reserved .invalid name)', async () => {
    const data = structuredClone(bundledServiceTable());
    data.modules.nfe.services.SP!.homologacao.url = 'https://sefaz-que-nao-existe.invalid/ws/nfestatusservico4.asmx';
    const status = clientFor(standin, { table: parseServiceTable(data), connectOverride: () => null, connectTimeoutMs: 5000 });
    const result = await status.check(credentialsOf('em-operacao'), status.service('nfe', 'SP', 'homologacao'));
    expect(result.code).toBe('DNS_FAILURE');
    expect(result.text).toBe('Endereço sefaz-que-nao-existe.invalid não encontrado (DNS)');
  });
});
