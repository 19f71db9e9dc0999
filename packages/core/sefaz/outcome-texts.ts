/**
 * The Portuguese words of every outcome: one line saying what happened, and what to do about it.
 * The code travels beside them, so the English interface can word the same outcome its own way.
 */
import type { SefazOutcomeCode } from '@certdesk/shared/sefaz';
import type { FailureFacts } from './check-failure';

/** SEFAZ's cStat → outcome; any other cStat is OTHER_STATUS, shown with SEFAZ's own text. */
export const CSTAT_OUTCOMES: Record<number, SefazOutcomeCode> = {
  107: 'IN_OPERATION',
  108: 'PAUSED',
  109: 'PAUSED_NO_FORECAST',
  280: 'CERT_INVALID',
  281: 'CERT_VALIDITY',
  282: 'CERT_NO_CNPJ',
  283: 'CERT_CHAIN',
  284: 'CERT_REVOKED',
  285: 'CERT_NOT_ICP_BRASIL',
  286: 'CERT_CRL_UNAVAILABLE',
  656: 'CONSUMPTION_BLOCKED',
};

export interface OutcomeFacts extends FailureFacts {
  cStat?: number | null;
  xMotivo?: string | null;
  latencyMs?: number | null;
  fault?: string;
  /** The client certificate's end of validity, when it had passed at the time of the check. */
  expiredOn?: string | null;
}

/** "0,4 s": one decimal, comma, as pt-BR writes it. */
export function seconds(ms: number): string {
  if (ms < 50) return 'menos de 0,1 s';
  return `${(ms / 1000).toFixed(1).replace('.', ',')} s`;
}

const answeredIn = (facts: OutcomeFacts) => (facts.latencyMs != null ? ` · resposta em ${seconds(facts.latencyMs)}` : '');
const viaProxy = (facts: OutcomeFacts) => (facts.proxy ? ` (via proxy ${facts.proxy})` : '');
const rejected = (what: string, facts: OutcomeFacts) => `A SEFAZ recusou o certificado: ${what} (${facts.cStat})${answeredIn(facts)}`;
const dateBr = (iso: string) => new Date(iso).toLocaleDateString('pt-BR');

const TEXTS: Record<SefazOutcomeCode, (facts: OutcomeFacts) => { text: string; action: string | null }> = {
  IN_OPERATION: (f) => ({ text: `Em operação (107)${answeredIn(f)}`, action: null }),
  PAUSED: (f) => ({
    text: `Serviço paralisado momentaneamente (108)${answeredIn(f)}`,
    action: 'Parada de curto prazo anunciada pela SEFAZ, não é problema do certificado: aguarde alguns minutos e verifique de novo.',
  }),
  PAUSED_NO_FORECAST: (f) => ({
    text: `Serviço paralisado sem previsão (109)${answeredIn(f)}`,
    action:
      'A SEFAZ parou o serviço sem prazo de volta; o certificado não é a causa. Acompanhe o portal da SEFAZ e, para emitir, siga a orientação de contingência (SVC) dela.',
  }),
  CERT_INVALID: (f) => ({
    text: rejected('certificado transmissor inválido', f),
    action:
      'O certificado não serve para conexão com a SEFAZ (uso de chave ou formato não aceito). Confira se é um e-CNPJ A1 da ICP-Brasil; se for, peça um novo à sua autoridade certificadora.',
  }),
  CERT_VALIDITY: (f) => ({
    text: rejected('certificado fora da validade', f),
    action:
      'Confira as datas de validade em Inspecionar e o relógio deste computador; se o certificado venceu, renove-o e substitua-o nas filiais.',
  }),
  CERT_NO_CNPJ: (f) => ({
    text: rejected('certificado sem CNPJ', f),
    action: 'A SEFAZ exige o CNPJ no certificado de transmissão: use o e-CNPJ da empresa (um e-CPF não serve para este serviço).',
  }),
  CERT_CHAIN: (f) => ({
    text: rejected('erro na cadeia de certificação', f),
    action:
      'Exporte o PFX de novo incluindo a cadeia completa (autoridades intermediárias) e reinstale-o; se persistir, fale com a autoridade certificadora que o emitiu.',
  }),
  CERT_REVOKED: (f) => ({
    text: rejected('certificado revogado', f),
    action:
      'A autoridade certificadora revogou este certificado: ele não volta a funcionar. Emita um novo e substitua-o em todas as filiais que ele atende.',
  }),
  CERT_NOT_ICP_BRASIL: (f) => ({
    text: rejected('certificado fora da ICP-Brasil', f),
    action: 'A SEFAZ só aceita certificados ICP-Brasil: instale um e-CNPJ A1 emitido por uma autoridade certificadora credenciada.',
  }),
  CERT_CRL_UNAVAILABLE: (f) => ({
    text: rejected('a SEFAZ não conseguiu consultar a lista de revogação (LCR)', f),
    action:
      'Falha ao consultar a LCR da autoridade certificadora, do lado da SEFAZ: tente de novo mais tarde; se continuar, avise a autoridade certificadora que emitiu o certificado.',
  }),
  CONSUMPTION_BLOCKED: (f) => ({
    text: `Consumo indevido (656): a SEFAZ bloqueou consultas repetidas${answeredIn(f)}`,
    action:
      'Aguarde antes de consultar de novo — o bloqueio é temporário — e verifique se outro sistema (o ERP) não está consultando o status sem parar com este certificado.',
  }),
  OTHER_STATUS: (f) => ({
    text: `A SEFAZ respondeu ${f.cStat}: ${f.xMotivo || 'sem descrição'}${answeredIn(f)}`,
    action: 'Resposta diferente de "em operação": leia a mensagem da SEFAZ; se ela não disser o que fazer, tente de novo mais tarde.',
  }),
  TLS_REFUSED: (f) => ({
    text: `A SEFAZ recusou a conexão segura com este certificado (negociação TLS recusada)${viaProxy(f)}`,
    action:
      'Em geral o servidor não reconhece a cadeia do certificado (autoridade desconhecida ou fora da ICP-Brasil) ou o certificado venceu: confira em Inspecionar. Em rede com proxy que inspeciona HTTPS, peça exceção para os endereços da SEFAZ.',
  }),
  HTTP_FORBIDDEN: (f) => ({
    text: `A SEFAZ negou o acesso (HTTP 403)${f.expiredOn ? `: o certificado venceu em ${dateBr(f.expiredOn)}` : ''}`,
    action: f.expiredOn
      ? 'Renove o certificado e substitua-o nas filiais que ele atende.'
      : 'O servidor recusou o certificado apresentado; com frequência é um certificado vencido. Confira a validade em Inspecionar e renove-o se for o caso.',
  }),
  HTTP_ERROR: (f) => ({
    text: `O servidor respondeu HTTP ${f.status ?? '?'} sem a resposta do serviço`,
    action: 'Problema no serviço da SEFAZ ou no caminho até ele: tente de novo em alguns minutos.',
  }),
  SOAP_FAULT: (f) => ({
    text: `O serviço da SEFAZ respondeu com uma falha: ${f.fault ?? 'sem descrição'}`,
    action: 'Falha do lado da SEFAZ: tente de novo mais tarde. Se repetir, guarde o texto da falha para o suporte.',
  }),
  BAD_ANSWER: () => ({
    text: 'Resposta inesperada: não veio a resposta de status da SEFAZ',
    action:
      'Tente de novo. Se um proxy, firewall ou portal de acesso estiver respondendo no lugar da SEFAZ, peça ao administrador da rede a liberação dos endereços da SEFAZ.',
  }),
  ANSWER_TOO_LARGE: (f) => ({
    text: `Resposta maior que o limite de ${f.limitKb ?? '?'} KB: descartada`,
    action:
      'Uma resposta de status tem poucos KB: algo no caminho (proxy, portal) respondeu no lugar da SEFAZ. Peça a liberação dos endereços da SEFAZ.',
  }),
  NO_ANSWER: () => ({
    text: 'O servidor encerrou a conexão sem responder',
    action:
      'O servidor pode ter recusado o certificado ou estar instável: tente de novo; se repetir, confira a cadeia do certificado em Inspecionar.',
  }),
  CONNECT_TIMEOUT: (f) => ({
    text: `Tempo esgotado ao conectar em ${f.host ?? 'SEFAZ'}${f.seconds ? ` (${String(f.seconds).replace('.', ',')} s)` : ''}${viaProxy(f)}`,
    action: 'Confira a conexão com a internet, o firewall e o proxy; se estiverem bem, o serviço da SEFAZ pode estar fora do ar.',
  }),
  ANSWER_TIMEOUT: (f) => ({
    text: `A SEFAZ não respondeu em ${f.seconds ? `${String(f.seconds).replace('.', ',')} s` : 'tempo hábil'}`,
    action: 'Serviço lento ou sobrecarregado: tente de novo em alguns minutos.',
  }),
  DNS_FAILURE: (f) => ({
    text: `Endereço ${f.host ?? ''} não encontrado (DNS)`,
    action: 'Confira a conexão com a internet e o DNS; em rede corporativa sem acesso direto, configure o proxy.',
  }),
  CONNECTION_FAILED: (f) => ({
    text: `Não foi possível conectar em ${f.host ?? 'SEFAZ'}`,
    action: 'A porta 443 (HTTPS) pode estar bloqueada por firewall; em rede corporativa, configure o proxy.',
  }),
  SERVER_CERT_UNTRUSTED: (f) => ({
    text: `O certificado do servidor ${f.host ?? ''} não é confiável: a consulta não foi feita`,
    action:
      'Confira a data e a hora deste computador. Se a rede usa proxy que inspeciona HTTPS, peça exceção para os endereços da SEFAZ; o CertDesk não envia o certificado a um servidor que não se identificou.',
  }),
  TLS_FAILED: () => ({
    text: 'A negociação TLS com a SEFAZ falhou (versão ou cifra não aceitas)',
    action: 'Tente de novo; se persistir, informe o suporte com o detalhe técnico.',
  }),
  PROXY_UNREACHABLE: (f) => ({
    text: `Proxy ${f.proxy ?? ''} inacessível`,
    action: 'Confira o endereço e a porta do proxy nas Configurações (ou na variável HTTPS_PROXY).',
  }),
  PROXY_AUTH_REQUIRED: (f) => ({
    text: `O proxy ${f.proxy ?? ''} exige autenticação (HTTP 407)`,
    action: 'Informe usuário e senha do proxy nas Configurações; se já informou, confira-os com o administrador da rede.',
  }),
  PROXY_REFUSED: (f) => ({
    text: `O proxy ${f.proxy ?? ''} recusou o acesso à SEFAZ${f.status ? ` (HTTP ${f.status})` : ''}`,
    action: 'Peça ao administrador da rede a liberação dos endereços da SEFAZ (porta 443, HTTPS) no proxy.',
  }),
};

export function describeOutcome(code: SefazOutcomeCode, facts: OutcomeFacts): { text: string; action: string | null } {
  return TEXTS[code](facts);
}
