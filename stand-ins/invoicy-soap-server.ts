/**
 * A stand-in for the InvoiCy certificate extension (node-soap, the bundled WSDL) for the tests and
 * demos: certificates move from `pendente de senha` → `pendente de geração` → ready to download,
 * EmpCK is checked, and the documented messages are answered. Stand-in rules (not the real
 * service's): passwords need 8+ characters with a letter and a digit; CNPJ 00.000.000/0001-91
 * answers an unknown code (999); CNPJ 33.000.167/0001-01 answers a SOAP Fault. A certificate that
 * starts past `pendente de senha` had its password asked for before the stand-in started: it is
 * `demoPassword`, so a `pronto` one downloads at once (without it, it answers 402 until a password
 * is asked for, which its state no longer accepts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import forge from 'node-forge';
import { listen } from 'soap';
import { BUNDLED_WSDL } from '#desktop/invoicy/bundled-wsdl';
import { empCk } from '#desktop/invoicy/request-documents';

export type StandinStatus = 'pendente de senha' | 'pendente de geração' | 'pronto';

export interface StandinOptions {
  empPK: string;
  ck: string;
  /** Certificates known to the service, by CNPJ/CPF, with their state. */
  certificates: Record<string, StandinStatus>;
  /** Key and certificate (PEM) the "generated" PFX is made of. */
  keyPem: string;
  certPem: string;
  port?: number;
  /** false: `?WSDL` answers 404, so clients must use their bundled copy. */
  serveWsdl?: boolean;
  /** Tests only: `POST /test/reset` puts every certificate back in its starting state. */
  testHooks?: boolean;
  /** The password of the certificates that start `pendente de geração` or `pronto` (the PFX is protected with it). */
  demoPassword?: string;
}

export interface Standin {
  url: string;
  server: Server;
  state: Map<string, { status: StandinStatus; password: string | null }>;
  /** Every certificate back in the state it started in (what a test that drives it starts from). */
  reset(): void;
  close(): Promise<void>;
}

export const SOAP_PATH = '/aextensaocertificadosoap.aspx';

type Item = { Codigo: number; Descricao: string; Documentos: { DocumentosItem: ({ Documento: string } | { $xml: string })[] } };
/** Documents as plain strings are sent escaped; `{ cdata }` ones inside a CDATA section. */
const item = (codigo: number, descricao: string, documentos: (string | { cdata: string })[] = []): Item => ({
  Codigo: codigo,
  Descricao: descricao,
  Documentos: {
    DocumentosItem: documentos.map((d) =>
      typeof d === 'string' ? { Documento: d } : { $xml: `<Documento><![CDATA[${d.cdata}]]></Documento>` },
    ),
  },
});
const answer = (...items: Item[]) => ({ Invoicyretorno: { Mensagem: { MensagemItem: items } } });
const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? '';

export async function startStandin(options: StandinOptions): Promise<Standin> {
  const state = new Map<string, { status: StandinStatus; password: string | null }>();
  const reset = () => {
    state.clear();
    for (const [doc, status] of Object.entries(options.certificates))
      state.set(doc, { status, password: status === 'pendente de senha' ? null : (options.demoPassword ?? null) });
  };
  reset();

  const pfxFor = (password: string): string => {
    const p12 = forge.pkcs12.toPkcs12Asn1(
      forge.pki.privateKeyFromPem(options.keyPem),
      [forge.pki.certificateFromPem(options.certPem)],
      password,
      { algorithm: '3des' },
    );
    return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary').toString('base64');
  };

  const execute = (args: { Invoicyrecepcao?: { Cabecalho?: Record<string, string>; Dados?: { DadosItem?: unknown } } }) => {
    const header = args.Invoicyrecepcao?.Cabecalho ?? {};
    const dados = args.Invoicyrecepcao?.Dados?.DadosItem;
    const first = (Array.isArray(dados) ? dados[0] : dados) as { Documento?: string } | undefined;
    const xml = String(first?.Documento ?? '');
    if (header['EmpPK'] !== options.empPK || header['EmpCK'] !== empCk(options.ck, xml))
      return answer(item(173, 'Chave de Comunicação inválida'));
    const doc = tag(xml, 'CNPJCPF') || tag(xml, 'Documento');
    if (doc === '00000000000191') return answer(item(999, 'Serviço em manutenção programada. Tente mais tarde.'));
    if (doc === '33000167000101') throw { Fault: { faultcode: 'soap:Server', faultstring: 'Erro interno no processamento da requisição' } };
    const cert = state.get(doc);

    if (xml.startsWith('<CertificadoGerarSenha>')) {
      if (!cert || cert.status !== 'pendente de senha')
        return answer(item(400, 'Não identificado registro para o Username/CNPJ/CPF com status pendente de senha'));
      const password = tag(xml, 'Senha');
      if (password.length < 8 || !/[A-Za-z]/.test(password) || !/\d/.test(password))
        return answer(item(401, 'Senha informada incorreta, tente novamente'));
      cert.status = 'pendente de geração';
      cert.password = password;
      return answer(item(100, 'Senha enviada para validação no processo de geração de certificado'));
    }
    if (xml.startsWith('<ExtConsultarCertificado>')) {
      if (!cert) return answer(item(404, 'Certificado não encontrado para o CNPJ/CPF informado'));
      // The stand-in "generates" the certificate on the first check after the password.
      if (cert.status === 'pendente de geração') cert.status = 'pronto';
      const inner = `<ExtConsultarCertificadoRetorno><Situacao>${cert.status}</Situacao><ValidoAte>2045-01-01</ValidoAte></ExtConsultarCertificadoRetorno>`;
      return answer(item(100, `Situação do certificado: ${cert.status}`, [{ cdata: inner }]));
    }
    if (xml.startsWith('<CertificadoBaixar>')) {
      if (!cert || cert.status !== 'pronto' || !cert.password) return answer(item(402, 'Certificado ainda não disponível para download'));
      // Escaped inner XML (the other common form): node-soap escapes string values.
      return answer(
        item(100, 'Certificado disponível para download', [
          `<CertificadoBaixarRetorno><ArquivoPFX>${pfxFor(cert.password)}</ArquivoPFX></CertificadoBaixarRetorno>`,
        ]),
      );
    }
    return answer(item(215, 'Documento em formato não reconhecido'));
  };

  // node-soap handles requests given to this (never listening) server; the real one forwards to it.
  const soapHost = createServer();
  listen(soapHost, SOAP_PATH, { extensaocertificadosoap: { extensaocertificadosoapSoapPort: { Execute: execute } } }, BUNDLED_WSDL);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (options.testHooks && req.method === 'POST' && req.url === '/test/reset') {
      reset();
      res.writeHead(204).end();
      return;
    }
    if (options.serveWsdl === false && /\?wsdl/i.test(req.url ?? '')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not here');
      return;
    }
    soapHost.emit('request', req, res);
  });
  await new Promise<void>((ready) => server.listen(options.port ?? 0, '127.0.0.1', ready));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${SOAP_PATH}`,
    server,
    state,
    reset,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
