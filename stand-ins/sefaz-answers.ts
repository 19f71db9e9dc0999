/**
 * What the SEFAZ stand-in answers with, and where: the table's addresses as services (one address
 * may serve two authorizers), the SOAP 1.2 answers of the status services with SEFAZ's own texts,
 * SOAP Faults and the HTML pages an IIS front answers with.
 */
import type { ServerResponse } from 'node:http';
import type { ServiceTable } from '@certdesk/core/sefaz/service-table';

export interface ServiceEntry {
  module: 'nfe' | 'cte';
  authorizer: string;
  environment: 'homologacao' | 'producao';
  namespace: string;
  action: string;
  served: Set<number>;
}

export const PORTAL = { nfe: 'http://www.portalfiscal.inf.br/nfe', cte: 'http://www.portalfiscal.inf.br/cte' } as const;
export const RESULT = { nfe: 'nfeResultMsg', cte: 'cteStatusServicoCTResult' } as const;
export const ANSWER = { nfe: 'retConsStatServ', cte: 'retConsStatServCTe' } as const;
/** Texts of nfephp-org/sped-nfe storage/cstat.json. */
export const MOTIVO: Record<number, string> = {
  107: 'Serviço em Operação',
  108: 'Serviço Paralisado Momentaneamente (curto prazo)',
  109: 'Serviço Paralisado sem Previsão',
  252: 'Rejeição: Ambiente informado diverge do Ambiente de recebimento',
  280: 'Rejeição: Certificado Transmissor inválido',
  281: 'Rejeição: Certificado Transmissor Data Validade',
  282: 'Rejeição: Certificado Transmissor sem CNPJ',
  283: 'Rejeição: Certificado Transmissor - erro Cadeia de Certificação',
  284: 'Rejeição: Certificado Transmissor revogado',
  285: 'Rejeição: Certificado Transmissor difere ICP-Brasil',
  286: 'Rejeição: Certificado Transmissor erro no acesso a LCR',
  410: 'Rejeição: UF informada no campo cUF não é atendida pelo Web Service',
  656: 'Rejeição: Consumo Indevido',
};

export function servicesOf(table: ServiceTable): Map<string, ServiceEntry[]> {
  const services = new Map<string, ServiceEntry[]>();
  for (const module of ['nfe', 'cte'] as const) {
    const { authorizers, services: byAuthorizer } = table.modules[module];
    for (const [authorizer, environments] of Object.entries(byAuthorizer)) {
      const served = new Set(
        Object.entries(authorizers)
          .filter(([, a]) => a === authorizer)
          .map(([uf]) => table.ufCodes[uf as keyof ServiceTable['ufCodes']]),
      );
      for (const environment of ['homologacao', 'producao'] as const) {
        const endpoint = environments[environment];
        const url = new URL(endpoint.url);
        const key = `${url.hostname}${url.pathname.toLowerCase()}`;
        const namespace = `${PORTAL[module]}/wsdl/${endpoint.operation}`;
        const entry = { module, authorizer, environment, namespace, action: `${namespace}/${endpoint.method}`, served };
        services.set(key, [...(services.get(key) ?? []), entry]);
      }
    }
  }
  return services;
}

export const html = (res: ServerResponse, status: number, title: string): void =>
  void res
    .writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' })
    .end(`<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>`);

export const soap = (res: ServerResponse, status: number, body: string): void =>
  void res
    .writeHead(status, { 'Content-Type': 'application/soap+xml; charset=utf-8' })
    .end(
      `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>${body}</soap:Body></soap:Envelope>`,
    );

export const fault = (res: ServerResponse, code: 'Sender' | 'Receiver', text: string): void =>
  soap(
    res,
    500,
    `<soap:Fault><soap:Code><soap:Value>soap:${code}</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="pt-BR">${text}</soap:Text></soap:Reason></soap:Fault>`,
  );

/** Brasília time, as SEFAZ writes dhRecbto. */
export const brasilia = (date: Date) => `${new Date(date.getTime() - 3 * 3_600_000).toISOString().slice(0, 19)}-03:00`;
