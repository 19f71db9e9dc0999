/**
 * Asks one SEFAZ status service, with one certificate, whether it is in operation — and says what
 * came back in a structured result (code, cStat, Portuguese text and what to do, latency, time,
 * URL, authorizer). Every failure is a result too: nothing a server or network does throws.
 */
import type { Environment } from '@certdesk/shared/contract';
import type { SefazModule, SefazStatusResult, Uf } from '@certdesk/shared/sefaz';
import type { TlsCredentials } from '../pfx/tls-credentials';
import { CheckFailure } from './check-failure';
import { CSTAT_OUTCOMES, describeOutcome, type OutcomeFacts } from './outcome-texts';
import { proxyFor, type ProxyOption } from './proxy';
import { bundledServiceTable, statusServiceFor, type ServiceTable, type StatusService } from './service-table';
import { ANSWER_ELEMENT, statusRequest } from './soap-envelope';
import { parseStatusAnswer } from './status-answer';
import { postOverMutualTls, type ConnectOverride } from './transport';
import { secureContextFor } from './trust';

export interface StatusClientOptions {
  table?: ServiceTable;
  /**
   * Default: the environment's HTTPS_PROXY / NO_PROXY. A function is asked at each call (the
   * desktop's Settings may change the proxy while the app runs).
   */
  proxy?: ProxyOption | (() => ProxyOption);
  /** Where `proxy: environment` reads its variables (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** PEM certificates trusted besides the shipped and system roots: the stand-in's root in tests and demos only. */
  extraTrustAnchors?: readonly string[];
  connectOverride?: ConnectOverride;
  /** DNS + TCP + proxy + TLS handshake (default 10 s). */
  connectTimeoutMs?: number;
  /** From the request to the last byte of the answer (default 20 s). */
  answerTimeoutMs?: number;
  /** Largest answer read (default 256 KB; a status answer is about 1 KB). */
  maxAnswerBytes?: number;
  now?: () => Date;
}

export const DEFAULT_BUDGETS = { connectTimeoutMs: 10_000, answerTimeoutMs: 20_000, maxAnswerBytes: 256 * 1024 } as const;

export class SefazStatusClient {
  readonly table: ServiceTable;

  constructor(private readonly options: StatusClientOptions = {}) {
    this.table = options.table ?? bundledServiceTable();
  }

  /** Where a check of `module` for a branch in `uf` goes (throws INVALID_REQUEST for what the table lacks). */
  service(module: SefazModule, uf: Uf, environment: Environment): StatusService {
    return statusServiceFor(this.table, module, uf, environment);
  }

  async check(credentials: TlsCredentials, service: StatusService): Promise<SefazStatusResult> {
    const now = this.options.now ?? (() => new Date());
    const checkedAt = now();
    const url = new URL(service.url);
    const option = typeof this.options.proxy === 'function' ? this.options.proxy() : this.options.proxy;
    const proxy = proxyFor(option ?? { kind: 'environment' }, url.hostname, Number(url.port || 443), this.options.env ?? process.env);
    const base = {
      reused: false,
      checkedAt: checkedAt.toISOString(),
      module: service.module,
      environment: service.environment,
      tpAmb: service.tpAmb,
      uf: service.uf,
      cUF: service.cUF,
      authorizer: service.authorizer,
      url: service.url,
      proxy: proxy?.label ?? null,
    };
    const expiredOn = new Date(credentials.notAfter) < checkedAt ? credentials.notAfter : null;
    const request = statusRequest(service);
    try {
      const answer = await postOverMutualTls(url, request.contentType, request.body, {
        secureContext: secureContextFor(credentials, this.options.extraTrustAnchors),
        proxy,
        connectOverride: this.options.connectOverride,
        connectTimeoutMs: this.options.connectTimeoutMs ?? DEFAULT_BUDGETS.connectTimeoutMs,
        answerTimeoutMs: this.options.answerTimeoutMs ?? DEFAULT_BUDGETS.answerTimeoutMs,
        maxAnswerBytes: this.options.maxAnswerBytes ?? DEFAULT_BUDGETS.maxAnswerBytes,
      });
      const latencyMs = Math.round(answer.latencyMs);
      const common = { ...base, latencyMs, httpStatus: answer.status };
      const facts: OutcomeFacts = { latencyMs, status: answer.status, host: url.hostname, proxy: proxy?.label, expiredOn };
      if (answer.status === 403) return finish('HTTP_FORBIDDEN', common, facts, 'HTTP 403', null);
      const parsed = parseStatusAnswer(answer.body, ANSWER_ELEMENT[service.module], answer.contentType);
      if (parsed.kind === 'answer') {
        const { cStat, xMotivo } = parsed.answer;
        const code = CSTAT_OUTCOMES[cStat] ?? 'OTHER_STATUS';
        return finish(code, { ...common, answer: parsed.answer }, { ...facts, cStat, xMotivo }, null, cStat);
      }
      if (parsed.kind === 'fault')
        return finish('SOAP_FAULT', common, { ...facts, fault: parsed.text }, `HTTP ${answer.status}: ${parsed.text}`, null);
      if (answer.status !== 200) {
        return finish('HTTP_ERROR', common, facts, `HTTP ${answer.status}${parsed.kind === 'html' ? ', página HTML' : ''}`, null);
      }
      return finish('BAD_ANSWER', common, facts, parsed.kind === 'html' ? 'página HTML no lugar do SOAP' : parsed.reason, null);
    } catch (error) {
      if (!(error instanceof CheckFailure)) throw error;
      const facts: OutcomeFacts = {
        ...error.facts,
        host: error.facts.host ?? url.hostname,
        proxy: error.facts.proxy ?? proxy?.label,
        expiredOn,
      };
      return finish(error.code, { ...base, latencyMs: null, httpStatus: error.facts.status ?? null }, facts, error.detail, null);
    }
  }
}

type ResultBase = Omit<SefazStatusResult, 'code' | 'ok' | 'cStat' | 'text' | 'action' | 'detail' | 'answer'> & {
  answer?: SefazStatusResult['answer'];
};

function finish(
  code: SefazStatusResult['code'],
  base: ResultBase,
  facts: OutcomeFacts,
  detail: string | null,
  cStat: number | null,
): SefazStatusResult {
  const { text, action } = describeOutcome(code, facts);
  return { ...base, answer: base.answer ?? null, code, ok: code === 'IN_OPERATION', cStat, text, action, detail };
}
