/**
 * SOAP client of the InvoiCy certificate extension, driven by the service's own WSDL (`?WSDL` of the
 * configured URL) and falling back to the bundled copy when that cannot be read. Every failure
 * becomes a CertdeskError with a Portuguese message; answers are returned as they come. Redirects
 * follow secure-url.ts: the SOAP call (EmpPK, EmpCK, passwords) follows none; the WSDL only to an
 * address the URL policy accepts.
 */
import { Client, createClientAsync, HttpClient, WSDL } from 'soap';
import { CertdeskError } from '@certdesk/core/errors';
import { checkSecureUrl, isRedirect, mayFollowRedirect, redirectNotFollowed } from '../secure-url';
import { BUNDLED_WSDL } from './bundled-wsdl';
import { empCk, requestXml, type InvoicyOperation } from './request-documents';

export interface InvoicyMessage {
  codigo: number;
  descricao: string;
  documentos: string[];
}

export interface InvoicyAnswer {
  messages: InvoicyMessage[];
  /** The PFX found in a download answer (base64 in `Documento` or in a child element). */
  pfx: Buffer | null;
  /** Where the client description came from: the service's WSDL or the bundled copy. */
  wsdl: 'service' | 'bundled';
}

export interface InvoicyCredentials {
  url: string;
  empPK: string;
  ck: string;
  timeoutMs?: number;
}

/** An element's text whether the parser gave a string or an object holding `$value`. */
function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && '$value' in (value as object)) return String((value as { $value: unknown }).$value);
  return typeof value === 'object' ? '' : String(value);
}

const asArray = <T>(value: T | T[] | undefined | null): T[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];

/** What node-soap's HttpClient hands to axios, as far as the redirect policy touches it. */
interface TransportOptions {
  url: string;
  method: string;
  maxRedirects?: number;
  validateStatus?: ((status: number) => boolean) | null;
  beforeRedirect?: (next: unknown, response: { statusCode: number; headers: Record<string, string | undefined> }) => void;
}

const SERVICE = 'O serviço InvoiCy';

/**
 * node-soap's HTTP client under the redirect policy of secure-url.ts, for the WSDL (and anything
 * it imports) and for the SOAP call alike. A request with a body — the SOAP call, which carries
 * EmpPK, EmpCK and any password — follows no redirect; a GET without one follows a redirect only
 * to an address `checkSecureUrl` accepts, each hop checked. A 3xx answer that is not followed
 * fails (axios would otherwise hand it over as an answer) and becomes INVOICY_HTTP.
 */
class RedirectPolicyHttpClient extends HttpClient {
  override buildRequest(...args: Parameters<HttpClient['buildRequest']>): TransportOptions {
    const options = super.buildRequest(...args) as TransportOptions;
    const data: unknown = args[1];
    options.validateStatus = (status) => !isRedirect(status);
    if (options.method !== 'GET' || (data !== null && data !== undefined)) {
      options.maxRedirects = 0;
      return options;
    }
    let current = options.url;
    options.maxRedirects = 5;
    options.beforeRedirect = (_next, response) => {
      const location = response.headers['location'];
      if (!location || !mayFollowRedirect(location, current))
        throw redirectNotFollowed('INVOICY_HTTP', SERVICE, response.statusCode, location, current);
      current = new URL(location, current).href;
    };
    return options;
  }
}

/**
 * Where a WSDL may pull more of its description from (wsdl:import, xsd:import / include): only the
 * service's own origin, at an address the URL policy accepts. node-soap would otherwise read any
 * file path a WSDL names from this computer's disk and fetch any host it names — a WSDL is the
 * service's to write, not ours to trust. A refused import fails the service's WSDL, and the bundled
 * description (which imports nothing) is used instead.
 */
function importPolicy(service: string): (location: string) => string {
  const origin = new URL(service).origin;
  return (location) => {
    let target: URL | null;
    try {
      target = new URL(location);
    } catch {
      target = null;
    }
    if (!target || target.origin !== origin)
      throw new CertdeskError('INVOICY_HTTP', `A descrição do serviço InvoiCy importa algo de fora dele (${location}): ignorada.`);
    return checkSecureUrl(target.href, 'importado pela descrição da InvoiCy');
  };
}

function bundledClient(endpoint: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const httpClient = new RedirectPolicyHttpClient();
    const wsdl = new WSDL(BUNDLED_WSDL, endpoint, { httpClient, wsdl_options: { overrideImportLocation: importPolicy(endpoint) } });
    wsdl.onReady((error) => (error ? reject(error) : resolve(new Client(wsdl, endpoint, { httpClient }))));
  });
}

async function clientFor(url: string, timeoutMs: number): Promise<{ client: Client; wsdl: InvoicyAnswer['wsdl'] }> {
  try {
    const client = await createClientAsync(
      `${url}?WSDL`,
      {
        wsdl_options: { timeout: timeoutMs, overrideImportLocation: importPolicy(url) },
        disableCache: true,
        httpClient: new RedirectPolicyHttpClient(),
      },
      url,
    );
    return { client, wsdl: 'service' };
  } catch {
    // The service's WSDL is unreachable or unreadable: the bundled one describes the same operation.
    return { client: await bundledClient(url), wsdl: 'bundled' };
  }
}

/** Translate transport failures into messages an administrator can act on. */
function transportError(error: unknown, url: string): CertdeskError {
  const e = error as {
    code?: string;
    message?: string;
    config?: { url?: string };
    response?: { status?: number; data?: unknown; headers?: Record<string, string> };
    root?: { Envelope?: { Body?: { Fault?: { faultstring?: string; faultcode?: string } } } };
  };
  // First: a redirect's body may well be an HTML page or even a SOAP envelope.
  if (e.response?.status && isRedirect(e.response.status))
    return redirectNotFollowed('INVOICY_HTTP', SERVICE, e.response.status, e.response.headers?.['location'], e.config?.url ?? url);
  const fault = e.root?.Envelope?.Body?.Fault;
  if (fault)
    return new CertdeskError(
      'INVOICY_FAULT',
      `O serviço InvoiCy recusou a chamada (SOAP Fault ${fault.faultcode ?? ''}): ${fault.faultstring ?? 'sem descrição'}.`,
    );
  if (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' || /timeout/i.test(e.message ?? '')) {
    return new CertdeskError('INVOICY_TIMEOUT', 'O serviço InvoiCy não respondeu a tempo. Tente novamente em instantes.');
  }
  if (/CERT|SSL|TLS|self[- ]signed|UNABLE_TO_VERIFY/i.test(`${e.code ?? ''} ${e.message ?? ''}`)) {
    return new CertdeskError(
      'INVOICY_TLS',
      'Não foi possível estabelecer uma conexão segura (certificado TLS do servidor inválido). A verificação TLS nunca é desativada.',
    );
  }
  const body = typeof e.response?.data === 'string' ? e.response.data : '';
  if (/<html/i.test(body) || /text\/html/i.test(e.response?.headers?.['content-type'] ?? '')) {
    return new CertdeskError(
      'INVOICY_HTML',
      `O endereço respondeu com uma página HTML (HTTP ${e.response?.status ?? '?'}), não com SOAP: confira a URL do serviço.`,
    );
  }
  if (e.response?.status) return new CertdeskError('INVOICY_HTTP', `O serviço InvoiCy respondeu HTTP ${e.response.status}.`);
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || e.code === 'ECONNRESET') {
    return new CertdeskError('INVOICY_OFFLINE', 'Sem comunicação com o serviço InvoiCy: verifique a conexão e a URL configurada.');
  }
  return new CertdeskError('INVOICY_FAULT', `Resposta inválida do serviço InvoiCy (${e.message ?? 'erro desconhecido'}).`);
}

/** A PFX in an answer document: base64 directly, or inside a child element. */
export function findPfx(documents: string[]): Buffer | null {
  for (const doc of documents) {
    const candidates = [doc, ...[...doc.matchAll(/>([A-Za-z0-9+/=\s]{200,})</g)].map((m) => m[1]!)];
    for (const candidate of candidates) {
      const text = candidate.replace(/\s+/g, '');
      if (text.length < 200 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) continue;
      const bytes = Buffer.from(text, 'base64');
      if (bytes[0] === 0x30) return bytes;
    }
  }
  return null;
}

export async function callInvoicy(
  credentials: InvoicyCredentials,
  operation: InvoicyOperation,
  document: string,
  password?: string,
): Promise<InvoicyAnswer> {
  const xml = requestXml(operation, document, password);
  const timeout = credentials.timeoutMs ?? 20_000;
  let client: Client;
  let source: InvoicyAnswer['wsdl'];
  try {
    ({ client, wsdl: source } = await clientFor(credentials.url, timeout));
  } catch (error) {
    throw transportError(error, credentials.url);
  }
  const request = {
    Invoicyrecepcao: {
      Cabecalho: { EmpPK: credentials.empPK, EmpCK: empCk(credentials.ck, xml), EmpCO: '' },
      Informacoes: { Texto: '' },
      Dados: { DadosItem: [{ Documento: xml, Parametros: '' }] },
    },
  };
  let result: { Invoicyretorno?: { Mensagem?: { MensagemItem?: unknown } } };
  try {
    [result] = (await client.ExecuteAsync(request, { timeout })) as [typeof result];
  } catch (error) {
    throw transportError(error, credentials.url);
  }
  const items = asArray(result?.Invoicyretorno?.Mensagem?.MensagemItem as Record<string, unknown>[] | undefined);
  if (items.length === 0) throw new CertdeskError('INVOICY_FAULT', 'O serviço InvoiCy respondeu sem nenhuma mensagem.');
  const messages = items.map((item) => ({
    codigo: Number(item['Codigo']),
    descricao: String(item['Descricao'] ?? ''),
    documentos: asArray(
      (item['Documentos'] as { DocumentosItem?: unknown } | undefined)?.DocumentosItem as { Documento?: string }[] | undefined,
    ).map((d) => textOf(d?.Documento)),
  }));
  return { messages, pfx: operation === 'download' ? findPfx(messages.flatMap((m) => m.documentos)) : null, wsdl: source };
}
