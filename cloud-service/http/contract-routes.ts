/**
 * The routes, made from openapi.json: every path and method becomes a Fastify route whose
 * parameters, query and body are checked by the document's own schemas (JSON Schema 2020-12 through
 * Ajv), and whose handler authenticates the caller and runs its operation (operations.ts). No route
 * is written by hand; an operation without a handler stops the start. app.ts assembles the rest.
 */
import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OPENAPI } from '@certdesk/core/cloud-api/contract-validator';
import { isUploadOperation } from '@certdesk/core/cloud-api/upload-body';
import type { Auth, Caller } from '../auth';
import type { OperationTable } from './operations';
import { send } from './send-answer';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020') as typeof import('ajv/dist/2020').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

export const API_PREFIX = '/api/v1';
/** Every body but an upload's is small; an install or a swap carries a PFX (≤ 10 MB) as base64. */
export const BODY_LIMIT = 64 * 1024;
const INSTALL_BODY_LIMIT = 15 * 1024 * 1024;

/** A refusal a route answers as is (app.ts's error handler sends its status and code). */
export class HttpError extends Error {
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

/** The contract's routes on `app`, with their validators; upload routes in a scope that keeps the body raw. */
export async function registerContractRoutes(app: FastifyInstance, options: { auth: Auth; operations: OperationTable }): Promise<void> {
  const bodyAjv = ajvFor(false);
  const paramAjv = ajvFor(true); // path and query values arrive as text: "10" is the integer 10
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : paramAjv).compile(rebase(schema)));

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
}
