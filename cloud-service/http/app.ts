/**
 * The HTTP service, built from the contract: every path and method of openapi.json becomes a Fastify
 * route whose parameters, query and body are validated by the document's own schemas (JSON Schema
 * 2020-12 through Ajv), and every answer is checked against the documented response before it
 * leaves. No route is written by hand; an operation without a handler stops the start.
 * Input never causes a 500: bad JSON, bad types, bad percent-encoding, unknown routes, oversize
 * bodies and data PostgreSQL refuses all answer 4xx with a Portuguese message.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { CertdeskError, errorKind, toErrorPayload } from '@certdesk/core/errors';
import { checkResponse, OPENAPI } from '@certdesk/core/cloud-api/contract-validator';
import { isUploadOperation, parseJsonBody } from '@certdesk/core/cloud-api/upload-body';
import { SignInError, type Auth, type Caller } from '../auth';
import { KekError } from '../crypto';
import { protectiveHeaders } from './protective-headers';
import { registerHealth, type ReadinessCheck } from './health';
import type { ServiceMetrics } from './metrics';
import { RawJson, type OperationTable } from './operations';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020') as typeof import('ajv/dist/2020').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

export const API_PREFIX = '/api/v1';
/** Every body but an upload's is small; an install or a swap carries a PFX (≤ 10 MB) as base64. */
const BODY_LIMIT = 64 * 1024;
const INSTALL_BODY_LIMIT = 15 * 1024 * 1024;

const STATUS: Partial<Record<string, number>> = {
  INVALID_REQUEST: 400,
  INVALID_DATA: 400,
  NOT_FOUND: 404,
  DUPLICATE_CERTIFICATE: 409,
  EXPIRED_DELETE_ONLY: 409,
  SWAP_REFUSED: 409,
  MANUAL_WITHOUT_LINK: 422,
  SETUP_REQUIRED: 409,
  CERTIFICATE_EXPIRED: 422,
  CERTIFICATE_NOT_YET_VALID: 422,
  CERTIFICATE_REVOKED: 422,
  NO_PRIVATE_KEY: 422,
  KEY_MISMATCH: 422,
  WRONG_PASSWORD: 422,
  PASSWORD_REQUIRED: 422,
  NOT_PKCS12: 422,
  CORRUPT: 422,
  EMPTY_FILE: 422,
  TOO_LARGE: 422,
  TOO_COMPLEX: 422,
  /** An upload past the inspection time limit (its worker was ended): the file's fault, never the server's. */
  TIMEOUT: 422,
  UNSUPPORTED_ALGORITHM: 422,
  BUSY: 429,
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface ContractParameter {
  name: string;
  in: 'path' | 'query';
  required?: boolean;
  schema: object;
}
interface ContractOperation {
  operationId: string;
  security?: unknown[];
  parameters?: ContractParameter[];
  requestBody?: { content: { 'application/json': { schema: object } } };
}

/** `#/components/…` refs resolve against the document registered under this id. */
const DOC_ID = 'certdesk-openapi';
const rebase = (schema: object): object => JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, `"${DOC_ID}#/components/`));

function ajvFor(coerce: boolean) {
  const ajv = new Ajv2020({ strict: false, allErrors: false, coerceTypes: coerce });
  addFormats(ajv);
  ajv.addSchema({ $id: DOC_ID, components: OPENAPI.components } as object);
  return ajv;
}

function objectOf(parameters: ContractParameter[]): object {
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema])),
    required: parameters.filter((p) => p.required).map((p) => p.name),
  };
}

const WHERE: Record<string, string> = { body: 'campo', params: 'parâmetro', querystring: 'parâmetro', headers: 'cabeçalho' };

export interface AppOptions {
  auth: Auth;
  operations: OperationTable;
  /**
   * The load balancers in front (addresses or CIDR ranges). The client's address is then the
   * rightmost X-Forwarded-For hop that is not one of them — never the leftmost, which the client
   * writes itself. None: the socket's address (X-Forwarded-For ignored).
   */
  trustedProxies?: string[];
  /** The JSON log (pino, with redaction: run-server.ts); none in tests. */
  logger?: FastifyBaseLogger;
  metrics: ServiceMetrics;
  /** What readiness checks (database, migrations, KEK). */
  readiness: ReadinessCheck;
  /** Routes of the test suite's own entry (tests/support/); the production server adds none. */
  extraRoutes?: (app: FastifyInstance) => void;
}

/** An incoming X-Request-Id is kept when it looks like one (a load balancer's); else a fresh UUID. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Request logs hold method, route, status and time; headers and bodies (tokens, passwords, PFX
    // bytes) are never serialized, and the logger redacts them should anything try (run-server.ts).
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    requestIdHeader: 'x-request-id',
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: BODY_LIMIT,
    trustProxy: options.trustedProxies?.length ? options.trustedProxies : false,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    return503OnClosing: true,
    // Bad percent-encoding in the path (FST_ERR_BAD_URL) and the like: our 400, not Fastify's shape.
    frameworkErrors: (_error, _req, reply) =>
      send(reply, 400, { code: 'INVALID_REQUEST', message: 'Requisição inválida: endereço malformado (codificação percentual inválida).' }),
  });
  app.addHook('onRequest', async (req, reply) => {
    reply.header('X-Request-Id', req.id);
  });
  // Stopping (SIGTERM): the answers still in flight close their connection, so the stop never waits
  // on a client's idle keep-alive connection; new requests get 503 (return503OnClosing).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(protectiveHeaders);
    if (closing) reply.header('Connection', 'close');
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    options.metrics.requestDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'desconhecida', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  registerHealth(app, options.readiness, () => closing);

  const bodyAjv = ajvFor(false);
  const paramAjv = ajvFor(true); // path and query values arrive as text: "10" is the integer 10
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : paramAjv).compile(rebase(schema)));

  // JSON only; an empty body is "no body" (the desktop sends Content-Type on every call).
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, text, done) => {
    try {
      done(null, parseJsonBody(String(text)));
    } catch (error) {
      done(error as Error);
    }
  });

  app.setErrorHandler(
    (
      error: Error & {
        validation?: { instancePath?: string; message?: string }[];
        validationContext?: string;
        statusCode?: number;
        code?: string;
      },
      req,
      reply,
    ) => {
      if (error instanceof KekError) {
        req.log.error({ expectedKekId: error.expectedKekId }, error.message);
        return send(reply, 503, { code: 'SERVER_KEY_UNAVAILABLE', message: error.message });
      }
      if (error instanceof HttpError) return send(reply, error.status, { code: error.code, message: error.message });
      if (error instanceof SignInError) {
        if (error.retryAfterSeconds) reply.header('Retry-After', String(error.retryAfterSeconds));
        const code = error.status === 429 ? 'TOO_MANY_ATTEMPTS' : error.status === 403 ? 'ACCOUNT_DISABLED' : 'UNAUTHENTICATED';
        return send(reply, error.status, { code, message: error.message });
      }
      if (error.validation) {
        const first = error.validation[0];
        const where = WHERE[error.validationContext ?? 'body'] ?? 'campo';
        return send(reply, 400, {
          code: 'INVALID_REQUEST',
          message: `Requisição inválida: ${where} ${first?.instancePath || '(corpo)'} ${first?.message ?? 'inválido'}.`,
        });
      }
      if (error instanceof CertdeskError) return send(reply, STATUS[error.code] ?? 400, toErrorPayload(error));
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
        return send(reply, 413, { code: 'TOO_LARGE', message: 'Requisição grande demais (o arquivo PFX pode ter até 10 MB).' });
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
        return send(reply, 415, { code: 'INVALID_REQUEST', message: 'Envie o corpo como application/json.' });
      // PostgreSQL data exceptions (class 22: bad text, out-of-range values) come from the input.
      if (typeof error.code === 'string' && /^22[0-9A-Z]{3}$/.test(error.code))
        return send(reply, 400, { code: 'INVALID_REQUEST', message: 'Requisição inválida: um valor não pôde ser gravado.' });
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
        return send(reply, error.statusCode, { code: 'INVALID_REQUEST', message: 'Requisição inválida.' });
      // The kind and the driver's code only: a message or detail may quote the data that failed.
      req.log.error({ errorKind: errorKind(error), errorCode: typeof error.code === 'string' ? error.code : undefined }, 'falha interna');
      return send(reply, 500, toErrorPayload(error));
    },
  );
  app.setNotFoundHandler((_req, reply) => send(reply, 404, { code: 'NOT_FOUND', message: 'Recurso inexistente.' }));

  // Routes whose JSON body is kept as its bytes (a Buffer; an empty one is "no body"): a scope of
  // their own, since content-type parsers belong to the scope they are added in.
  let rawBodyScope!: FastifyInstance;
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) =>
      done(null, (body as Buffer).length ? body : undefined),
    );
    rawBodyScope = scope;
  });
  for (const [path, methods] of Object.entries(OPENAPI.paths as Record<string, Record<string, ContractOperation>>)) {
    for (const [method, op] of Object.entries(methods)) {
      const parameters = op.parameters ?? [];
      const pathParams = parameters.filter((p) => p.in === 'path');
      const queryParams = parameters.filter((p) => p.in === 'query');
      const bodySchema = op.requestBody?.content['application/json'].schema;
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      const handler = options.operations[op.operationId];
      if (!handler && op.operationId !== 'signIn') throw new Error(`operação sem implementação: ${op.operationId}`);
      // A body that carries a PFX in base64 (an install, a swap: up to ~14 MB) is taken raw: it is
      // parsed and checked against the contract in the PFX worker that opens the file
      // (upload-inspector.ts), never here.
      const rawBody = isUploadOperation(op.operationId);
      const routes = rawBody ? rawBodyScope : app;
      routes.route({
        method: method.toUpperCase() as 'GET',
        url: API_PREFIX + path.replace(/\{(\w+)\}/g, ':$1'),
        bodyLimit: rawBody ? INSTALL_BODY_LIMIT : BODY_LIMIT,
        schema: {
          ...(pathParams.length ? { params: objectOf(pathParams) } : {}),
          ...(queryParams.length ? { querystring: objectOf(queryParams) } : {}),
          ...(bodySchema && !rawBody ? { body: bodySchema } : {}),
        },
        config: { operationId: op.operationId },
        handler: async (req: FastifyRequest, reply: FastifyReply) => {
          if (bodySchema && req.body === undefined) throw new HttpError(400, 'INVALID_REQUEST', 'Requisição inválida: corpo ausente.');
          if (op.operationId === 'signIn') {
            const body = req.body as { method: 'sso' | 'cloud'; email?: string; login?: string; password: string };
            return send(
              reply,
              200,
              await options.auth.signIn(body.method, body.email ?? body.login ?? '', body.password, req.ip),
              'signIn',
            );
          }
          const token = /^Bearer ([A-Za-z0-9_-]{16,200})$/.exec(String(req.headers.authorization ?? ''))?.[1];
          const environment = (req.params as Record<string, string>)['environment'] ?? null;
          const session = isPublic ? null : await options.auth.authenticateIn(token, environment);
          const caller: Caller | null = session?.caller ?? null;
          if (!caller) return send(reply, 401, { code: 'UNAUTHENTICATED', message: 'Sessão expirada ou inexistente: entre novamente.' });
          if (handler!.admin && caller.role !== 'administrator')
            return send(reply, 403, {
              code: 'FORBIDDEN',
              message: 'Somente administradores podem alterar certificados, filiais e módulos.',
            });
          const [status, body] = await handler!.run({
            params: req.params as Record<string, string>,
            query: req.query as Record<string, unknown>,
            body: req.body,
            caller,
            token: token!,
            revision: session!.revision,
            ifNoneMatch: typeof req.headers['if-none-match'] === 'string' ? req.headers['if-none-match'] : undefined,
          });
          return send(reply, status, body, op.operationId);
        },
      });
    }
  }
  options.extraRoutes?.(app);
  return app;
}

/** Whether an Accept-Encoding header admits gzip (absent, or "gzip;q=0", does not). */
function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((part) => {
    const [coding = '', ...params] = part
      .toLowerCase()
      .split(';')
      .map((p) => p.trim());
    const q = params.map((p) => /^q=([\d.]+)$/.exec(p)?.[1]).find((v) => v !== undefined);
    return (coding === 'gzip' || coding === 'x-gzip') && (q === undefined || Number(q) > 0);
  });
}

/**
 * Sends an answer, checked against the contract first when it belongs to an operation: an answer
 * off the contract is our bug, so the client gets a 500 rather than data it would refuse.
 */
function send(reply: FastifyReply, status: number, body: unknown, operationId?: string): FastifyReply {
  const id = operationId ?? (reply.request.routeOptions?.config as { operationId?: string } | undefined)?.operationId;
  if (body instanceof RawJson) {
    // Still no-store: no HTTP cache keeps a tenant's list; the desktop keeps it itself and asks
    // with If-None-Match whether the answer it holds is still the current one.
    reply.code(status).header('Cache-Control', 'no-store');
    if (body.etag) reply.header('ETag', body.etag).header('Vary', 'Accept-Encoding');
    if (status === 304) return reply.send();
    reply.type('application/json; charset=utf-8');
    if (body.gzip && acceptsGzip(reply.request.headers['accept-encoding'])) {
      return reply.header('Content-Encoding', 'gzip').header('Vary', 'Accept-Encoding').send(body.gzip);
    }
    return reply.send(body.text);
  }
  if (id && status < 500) {
    const problem = checkResponse(id, status, body);
    if (problem) {
      reply.log.error({ operationId: id, status, problem }, 'resposta fora do contrato');
      status = 500;
      body = { code: 'INTERNAL', message: 'Erro interno inesperado. Tente novamente.' };
    }
  }
  reply.code(status).header('Cache-Control', 'no-store');
  if (body === undefined) return reply.send();
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
}
