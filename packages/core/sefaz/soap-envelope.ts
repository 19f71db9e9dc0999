/**
 * The SOAP 1.2 request of the status services, as the public clients send them (nfephp-org
 * sped-nfe `Tools::sefazStatus`, sped-cte `Tools::sefazStatus`, sped-common `SoapBase`):
 *
 *   NF-e 4.00  Body: nfeDadosMsg(ns wsdl/NFeStatusServico4) > consStatServ(ns nfe, versao)
 *   CT-e 4.00  Header: cteCabecMsg(cUF, versaoDados); Body: cteDadosMsg(ns wsdl/CTeStatusServicoV4)
 *              > consStatServCTe(ns cte, versao)
 *
 * with tpAmb, cUF (the IBGE code of the branch's state, also when SVRS/SVAN serves it) and
 * xServ STATUS; Content-Type application/soap+xml with the action "<namespace>/<method>".
 */
import type { SefazModule } from '@certdesk/shared/sefaz';
import type { StatusService } from './service-table';

export const SOAP12_NAMESPACE = 'http://www.w3.org/2003/05/soap-envelope';

const PORTAL: Record<SefazModule, string> = {
  nfe: 'http://www.portalfiscal.inf.br/nfe',
  cte: 'http://www.portalfiscal.inf.br/cte',
};

const REQUEST_ELEMENT: Record<SefazModule, string> = { nfe: 'consStatServ', cte: 'consStatServCTe' };
const BODY_ELEMENT: Record<SefazModule, string> = { nfe: 'nfeDadosMsg', cte: 'cteDadosMsg' };

/** The answer element each service returns inside its result wrapper. */
export const ANSWER_ELEMENT: Record<SefazModule, string> = { nfe: 'retConsStatServ', cte: 'retConsStatServCTe' };

export interface StatusRequest {
  body: string;
  contentType: string;
  /** The SOAP action, also written into the Content-Type (SOAP 1.2 has no SOAPAction header). */
  action: string;
  namespace: string;
}

export function statusRequest(service: StatusService): StatusRequest {
  const portal = PORTAL[service.module];
  const namespace = `${portal}/wsdl/${service.operation}`;
  const action = `${namespace}/${service.method}`;
  const request =
    `<${REQUEST_ELEMENT[service.module]} xmlns="${portal}" versao="${service.version}">` +
    `<tpAmb>${service.tpAmb}</tpAmb><cUF>${service.cUF}</cUF><xServ>STATUS</xServ>` +
    `</${REQUEST_ELEMENT[service.module]}>`;
  // CT-e clients still send the 3.00-era header; the 4.00 services accept it and some expect it.
  const header =
    service.module === 'cte'
      ? `<soap:Header><cteCabecMsg xmlns="${namespace}"><cUF>${service.cUF}</cUF><versaoDados>${service.version}</versaoDados></cteCabecMsg></soap:Header>`
      : '';
  const body =
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:soap="${SOAP12_NAMESPACE}">` +
    header +
    `<soap:Body><${BODY_ELEMENT[service.module]} xmlns="${namespace}">${request}</${BODY_ELEMENT[service.module]}></soap:Body>` +
    '</soap:Envelope>';
  return { body, action, namespace, contentType: `application/soap+xml; charset=utf-8; action="${action}"` };
}
