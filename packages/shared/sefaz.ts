/**
 * SEFAZ status checks: the names both sides use — states, modules, one code per outcome (the
 * renderer words each in its language; the core's Portuguese text travels beside it) and the shape
 * of a result. Pure TypeScript, no Node.
 */
import type { Environment } from './environment';

/** The 27 states (unidades federativas), as SEFAZ and IBGE spell them. */
export const UFS = [
  'AC',
  'AL',
  'AM',
  'AP',
  'BA',
  'CE',
  'DF',
  'ES',
  'GO',
  'MA',
  'MG',
  'MS',
  'MT',
  'PA',
  'PB',
  'PE',
  'PI',
  'PR',
  'RJ',
  'RN',
  'RO',
  'RR',
  'RS',
  'SC',
  'SE',
  'SP',
  'TO',
] as const;
export type Uf = (typeof UFS)[number];

export const isUf = (value: string): value is Uf => (UFS as readonly string[]).includes(value);

/** The document whose status service is asked: NF-e (model 55) or CT-e (model 57). */
export const SEFAZ_MODULES = ['nfe', 'cte'] as const;
export type SefazModule = (typeof SEFAZ_MODULES)[number];

/** tpAmb of the SEFAZ layouts: 1 produção, 2 homologação. */
export const TP_AMB: Record<Environment, 1 | 2> = { producao: 1, homologacao: 2 };

/**
 * Every way a check can end. `IN_OPERATION` is the one success; the `CERT_*` codes are SEFAZ's
 * rejections 280–286 of the certificate; the rest are named failures on the way there.
 */
export const SEFAZ_OUTCOMES = [
  'IN_OPERATION', // 107
  'PAUSED', // 108
  'PAUSED_NO_FORECAST', // 109
  'CERT_INVALID', // 280
  'CERT_VALIDITY', // 281
  'CERT_NO_CNPJ', // 282
  'CERT_CHAIN', // 283
  'CERT_REVOKED', // 284
  'CERT_NOT_ICP_BRASIL', // 285
  'CERT_CRL_UNAVAILABLE', // 286
  'CONSUMPTION_BLOCKED', // 656
  'OTHER_STATUS', // any other cStat, shown with SEFAZ's own text
  'TLS_REFUSED', // the server refused the handshake with this certificate
  'HTTP_FORBIDDEN', // 403, often an expired certificate
  'HTTP_ERROR', // another HTTP status without a SOAP answer
  'SOAP_FAULT',
  'BAD_ANSWER', // HTML, malformed XML, no retConsStatServ
  'ANSWER_TOO_LARGE',
  'NO_ANSWER', // the connection closed before any answer
  'CONNECT_TIMEOUT',
  'ANSWER_TIMEOUT',
  'DNS_FAILURE',
  'CONNECTION_FAILED', // refused, unreachable, reset before TLS
  'SERVER_CERT_UNTRUSTED', // SEFAZ's own certificate did not verify: the call was not made
  'TLS_FAILED', // another TLS failure (protocol, cipher)
  'PROXY_UNREACHABLE',
  'PROXY_AUTH_REQUIRED', // 407
  'PROXY_REFUSED', // CONNECT answered with another status
] as const;
export type SefazOutcomeCode = (typeof SEFAZ_OUTCOMES)[number];

/** What SEFAZ's retConsStatServ / retConsStatServCTe said, as written (null when absent). */
export interface SefazAnswer {
  tpAmb: number | null;
  verAplic: string | null;
  cStat: number;
  xMotivo: string;
  cUF: number | null;
  dhRecbto: string | null;
  /** Average answer time of the service over the last minutes, in seconds, as SEFAZ reports it. */
  tMed: number | null;
  dhRetorno: string | null;
  xObs: string | null;
}

export interface SefazStatusResult {
  code: SefazOutcomeCode;
  /** True only for IN_OPERATION: the service answered 107 to this certificate. */
  ok: boolean;
  cStat: number | null;
  /** One line in Portuguese, e.g. "Em operação (107) · resposta em 0,4 s". */
  text: string;
  /** What to do about it, in Portuguese (null when nothing is to be done). */
  action: string | null;
  /** Technical detail for support (an error code, HTTP status, fault text); never a secret. */
  detail: string | null;
  /** From sending the request to the whole answer, in milliseconds (null without an answer). */
  latencyMs: number | null;
  /** When the call was made, ISO 8601 UTC (for a reused answer: when it was first made). */
  checkedAt: string;
  /** True when this answer is one kept from an earlier call (SEFAZ blocks repeated checking). */
  reused: boolean;
  module: SefazModule;
  environment: Environment;
  tpAmb: 1 | 2;
  /** The state whose cUF the request carried, its code, and who served it (SP, SVRS, SVAN…). */
  uf: Uf;
  cUF: number;
  authorizer: string;
  url: string;
  httpStatus: number | null;
  /** The proxy the call went through, as host:port (never its credentials), or null. */
  proxy: string | null;
  answer: SefazAnswer | null;
}
