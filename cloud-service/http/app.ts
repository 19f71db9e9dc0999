/**
 * The HTTP service, built from the contract: every path and method of openapi.json becomes a route
 * validated by the document's own schemas (contract-routes.ts), and every answer is checked against
 * the documented response before it leaves (send-answer.ts). Here the service is assembled around
 * them: request ids, logs and metrics, protective headers, a graceful stop, and the error answers.
 * Input never causes a 500: bad JSON, bad types, bad percent-encoding, unknown routes, oversize
 * bodies and data PostgreSQL refuses all answer 4xx with a Portuguese message.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { CertdeskError, errorKind, toErrorPayload } from '@certdesk/core/errors';
import { parseJsonBody } from '@certdesk/core/cloud-api/upload-body';
import { SignInError, type Auth } from '../auth';
import { KekError } from '../crypto';
import { protectiveHeaders } from './protective-headers';
import { registerHealth, type ReadinessCheck } from './health';
import type { ServiceMetrics } from './metrics';
import type { OperationTable } from './operations';
import { API_PREFIX, BODY_LIMIT, HttpError, registerContractRoutes } from './contract-routes';
import { send } from './send-answer';

export { API_PREFIX };

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

  await registerContractRoutes(app, options);
  options.extraRoutes?.(app);
  return app;
}
