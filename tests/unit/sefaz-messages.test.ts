/**
 * What the SEFAZ check is made of, piece by piece: the service table (data, validated), the SOAP
 * request, the reading of answers (status, faults, HTML, broken XML), and the key and chain the
 * PKCS#12 engine hands to TLS.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UFS } from '@certdesk/shared/sefaz';
import { tlsCredentialsFromPfx } from '@certdesk/core/pfx/tls-credentials';
import {
  bundledServiceTable,
  loadServiceTable,
  parseServiceTable,
  serviceHosts,
  statusServiceFor,
} from '@certdesk/core/sefaz/service-table';
import { statusRequest } from '@certdesk/core/sefaz/soap-envelope';
import { parseStatusAnswer } from '@certdesk/core/sefaz/status-answer';
import { PASSWORD, pfx } from '../fixtures';

const table = bundledServiceTable();

describe('the service table', () => {
  it('covers the 27 states with their IBGE codes and the authorizers the sources name', () => {
    expect(Object.keys(table.ufCodes).sort()).toEqual([...UFS].sort());
    expect(table.ufCodes).toMatchObject({ SP: 35, RS: 43, MA: 21, SC: 42, AM: 13, DF: 53, TO: 17 });
    expect(table.modules.nfe.authorizers).toMatchObject({ SP: 'SP', RS: 'RS', MA: 'SVAN', SC: 'SVRS', AM: 'AM', PE: 'PE', RJ: 'SVRS' });
    expect(table.modules.cte.authorizers).toMatchObject({ AP: 'SVSP', PE: 'SVSP', RR: 'SVSP', SP: 'SP', MG: 'MG', MA: 'SVRS' });
    expect(table.sources.nfe).toMatchObject({ repository: 'nfephp-org/sped-nfe', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(table.readAt).toMatch(/^\d{4}-\d\d-\d\d$/);
  });

  it('resolves a branch’s state to its authorizer’s address, operation and tpAmb', () => {
    expect(statusServiceFor(table, 'nfe', 'MA', 'producao')).toEqual({
      module: 'nfe',
      environment: 'producao',
      uf: 'MA',
      cUF: 21,
      tpAmb: 1,
      authorizer: 'SVAN',
      url: 'https://www.sefazvirtual.fazenda.gov.br/NFeStatusServico4/NFeStatusServico4.asmx',
      host: 'www.sefazvirtual.fazenda.gov.br',
      operation: 'NFeStatusServico4',
      method: 'nfeStatusServicoNF',
      version: '4.00',
    });
    expect(serviceHosts(table)).toContain('cte-homologacao.svrs.rs.gov.br');
  });

  it('refuses a table it cannot trust, whole, naming the problem', () => {
    const broken = (change: (t: ReturnType<typeof structuredClone<typeof table>>) => void) => {
      const copy = structuredClone(table);
      change(copy);
      return () => parseServiceTable(copy);
    };
    expect(broken((t) => (t.modules.nfe.services.SP!.homologacao.url = 'http://homologacao.nfe.fazenda.sp.gov.br/ws/x.asmx'))).toThrow(
      /modules\.nfe\.services\.SP\.homologacao\.url/,
    );
    expect(broken((t) => (t.modules.nfe.authorizers.SC = 'SVXX'))).toThrow(/SC é atendida por SVXX, que não tem endereço/);
    expect(broken((t) => delete (t.ufCodes as Partial<typeof t.ufCodes>).SP)).toThrow(/ufCodes\.SP/);
    expect(broken((t) => (t.modules.cte.services.SVRS!.producao.operation = 'x/../y'))).toThrow(/operation/);
    expect(broken((t) => Object.assign(t, { extra: 1 }))).toThrow(/Tabela de serviços da SEFAZ inválida/);
  });

  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'certdesk-sefaz-table-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads an updated copy from a file, and says what is wrong with a bad one', async () => {
    const updated = structuredClone(table);
    updated.modules.nfe.services.SVRS!.homologacao.url =
      'https://nfe-homologacao.svrs.rs.gov.br/ws/NfeStatusServico/NfeStatusServico4b.asmx';
    await writeFile(join(dir, 'ok.json'), JSON.stringify(updated));
    const loaded = await loadServiceTable(join(dir, 'ok.json'));
    expect(statusServiceFor(loaded, 'nfe', 'SC', 'homologacao').url).toMatch(/NfeStatusServico4b\.asmx$/);
    await writeFile(join(dir, 'bad.json'), '{ not json');
    await expect(loadServiceTable(join(dir, 'bad.json'))).rejects.toMatchObject({ code: 'INVALID_DATA' });
    await expect(loadServiceTable(join(dir, 'absent.json'))).rejects.toMatchObject({ code: 'UNREADABLE' });
  });
});

describe('the SOAP 1.2 requests', () => {
  it('NF-e: nfeDadosMsg > consStatServ with tpAmb, cUF and the action in the Content-Type', () => {
    const request = statusRequest(statusServiceFor(table, 'nfe', 'RS', 'homologacao'));
    expect(request.contentType).toBe(
      'application/soap+xml; charset=utf-8; action="http://www.portalfiscal.inf.br/nfe/wsdl/NFeStatusServico4/nfeStatusServicoNF"',
    );
    expect(request.body).toContain('xmlns:soap="http://www.w3.org/2003/05/soap-envelope"');
    expect(request.body).toContain(
      '<soap:Body><nfeDadosMsg xmlns="http://www.portalfiscal.inf.br/nfe/wsdl/NFeStatusServico4"><consStatServ xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00"><tpAmb>2</tpAmb><cUF>43</cUF><xServ>STATUS</xServ></consStatServ></nfeDadosMsg></soap:Body>',
    );
    expect(request.body).not.toContain('soap:Header');
  });

  it('CT-e: cteCabecMsg header and cteDadosMsg > consStatServCTe', () => {
    const request = statusRequest(statusServiceFor(table, 'cte', 'PE', 'producao'));
    expect(request.action).toBe('http://www.portalfiscal.inf.br/cte/wsdl/CTeStatusServicoV4/cteStatusServicoCT');
    expect(request.body).toContain(
      '<soap:Header><cteCabecMsg xmlns="http://www.portalfiscal.inf.br/cte/wsdl/CTeStatusServicoV4"><cUF>26</cUF><versaoDados>4.00</versaoDados></cteCabecMsg></soap:Header>',
    );
    expect(request.body).toContain(
      '<cteDadosMsg xmlns="http://www.portalfiscal.inf.br/cte/wsdl/CTeStatusServicoV4"><consStatServCTe xmlns="http://www.portalfiscal.inf.br/cte" versao="4.00"><tpAmb>1</tpAmb><cUF>26</cUF><xServ>STATUS</xServ></consStatServCTe></cteDadosMsg>',
    );
  });
});

describe('reading answers', () => {
  const envelope = (body: string) =>
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>${body}</soap:Body></soap:Envelope>`;

  it('finds retConsStatServ inside whatever wrapper the server uses', () => {
    // The answer as sped-nfe's docs show SP's (a 3.10-era wrapper, xMotivo with an entity).
    const answer = parseStatusAnswer(
      envelope(
        '<nfeStatusServicoNF2Result xmlns="http://www.portalfiscal.inf.br/nfe/wsdl/NfeStatusServico2"><retConsStatServ versao="3.10" xmlns="http://www.portalfiscal.inf.br/nfe"><tpAmb>2</tpAmb><verAplic>SP_NFE_PL_008i2</verAplic><cStat>107</cStat><xMotivo>Servi&#231;o em Opera&#231;&#227;o</xMotivo><cUF>35</cUF><dhRecbto>2017-05-24T10:12:47-03:00</dhRecbto><tMed>1</tMed></retConsStatServ></nfeStatusServicoNF2Result>',
      ),
      'retConsStatServ',
    );
    expect(answer).toEqual({
      kind: 'answer',
      answer: {
        tpAmb: 2,
        verAplic: 'SP_NFE_PL_008i2',
        cStat: 107,
        xMotivo: 'Serviço em Operação',
        cUF: 35,
        dhRecbto: '2017-05-24T10:12:47-03:00',
        tMed: 1,
        dhRetorno: null,
        xObs: null,
      },
    });
  });

  it('reads CT-e’s retConsStatServCTe, and only the answer’s own children', () => {
    const answer = parseStatusAnswer(
      envelope(
        '<cteStatusServicoCTResult><retConsStatServCTe versao="4.00" xmlns="http://www.portalfiscal.inf.br/cte"><tpAmb>1</tpAmb><verAplic>RS20240101</verAplic><cStat>109</cStat><xMotivo>Serviço Paralisado sem Previsão</xMotivo><cUF>43</cUF><dhRecbto>2026-01-01T10:00:00-03:00</dhRecbto><dhRetorno>2026-01-01T12:00:00-03:00</dhRetorno><xObs>Manutenção</xObs><extra><cStat>999</cStat></extra></retConsStatServCTe></cteStatusServicoCTResult>',
      ),
      'retConsStatServCTe',
    );
    expect(answer).toMatchObject({
      kind: 'answer',
      answer: { cStat: 109, dhRetorno: '2026-01-01T12:00:00-03:00', xObs: 'Manutenção', tMed: null },
    });
  });

  it('names faults, HTML pages and what is not XML', () => {
    expect(
      parseStatusAnswer(
        envelope(
          '<soap:Fault><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="pt-BR">Servidor indisponível</soap:Text></soap:Reason></soap:Fault>',
        ),
        'retConsStatServ',
      ),
    ).toEqual({ kind: 'fault', text: 'Servidor indisponível' });
    expect(
      parseStatusAnswer(
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>Ação desconhecida</faultstring></soap:Fault></soap:Body></soap:Envelope>',
        'retConsStatServ',
      ),
    ).toEqual({ kind: 'fault', text: 'Ação desconhecida' });
    expect(parseStatusAnswer('<!DOCTYPE html><html><body>Login</body></html>', 'retConsStatServ')).toEqual({ kind: 'html' });
    expect(parseStatusAnswer('<x/>', 'retConsStatServ', 'text/html; charset=utf-8')).toEqual({ kind: 'html' });
    expect(parseStatusAnswer(envelope('<retConsStatServ><cStat>10'), 'retConsStatServ')).toMatchObject({ kind: 'malformed' });
    expect(parseStatusAnswer(envelope('<retConsStatServ><cStat>abc</cStat></retConsStatServ>'), 'retConsStatServ')).toEqual({
      kind: 'malformed',
      reason: 'retConsStatServ sem cStat numérico',
    });
    expect(parseStatusAnswer(envelope('<outra/>'), 'retConsStatServ')).toEqual({
      kind: 'malformed',
      reason: 'sem retConsStatServ na resposta',
    });
    expect(parseStatusAnswer('', 'retConsStatServ')).toEqual({ kind: 'malformed', reason: 'resposta vazia' });
  });

  it('never expands an entity from outside the document', () => {
    const hostile = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><retConsStatServ><cStat>107</cStat><xMotivo>&e;</xMotivo></retConsStatServ>`;
    const parsed = parseStatusAnswer(hostile, 'retConsStatServ');
    expect(parsed.kind).toBe('malformed');
    expect(JSON.stringify(parsed)).not.toContain('root:');
  });
});

describe('the key and chain for TLS', () => {
  it('returns the key, the certificate and its chain from the file, leaf first, root left out', () => {
    const credentials = tlsCredentialsFromPfx(readFileSync(pfx('v15_chain_certfile.pfx')), PASSWORD);
    expect(credentials.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(credentials.certificateChain.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(credentials.fingerprint).toBe(credentials.inspection.certificate!.fingerprints.sha256);
    expect(credentials.notAfter).toBe('2045-01-01T00:00:00.000Z');
  });

  it('refuses with the inspector’s codes what cannot authenticate', () => {
    expect(() => tlsCredentialsFromPfx(readFileSync(pfx('v28_certs_only.pfx')), PASSWORD)).toThrow(
      expect.objectContaining({ code: 'NO_PRIVATE_KEY' }),
    );
    expect(() => tlsCredentialsFromPfx(readFileSync(pfx('v44_key_mismatch.pfx')), PASSWORD)).toThrow(
      expect.objectContaining({ code: 'KEY_MISMATCH' }),
    );
    expect(() => tlsCredentialsFromPfx(readFileSync(pfx('v01_default.pfx')), 'errada')).toThrow(
      expect.objectContaining({ code: 'WRONG_PASSWORD' }),
    );
    expect(() => tlsCredentialsFromPfx(readFileSync(pfx('v46_key_only.p12')), PASSWORD)).toThrow(
      expect.objectContaining({ code: 'NO_CERTIFICATE' }),
    );
  });
});
