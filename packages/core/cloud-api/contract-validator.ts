/**
 * Checks requests and responses against the OpenAPI 3.1 document (openapi.json): the reference
 * server validates what it receives, the contract tests validate both directions.
 */
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import openapi from './openapi.json' with { type: 'json' };

// ajv ships CommonJS; createRequire gives the constructors without default-interop guesswork.
const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020') as typeof import('ajv/dist/2020').default;
const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;

type Operation = {
  operationId: string;
  requestBody?: { content: { 'application/json': { schema: object } } };
  responses: Record<string, { content?: { 'application/json': { schema: object } } }>;
};

const ajv = new Ajv2020({ strict: false, allErrors: false });
addFormats(ajv);
ajv.addSchema({ $id: 'certdesk-openapi', components: openapi.components } as object);

const operations = new Map<string, { method: string; path: string; op: Operation }>();
for (const [path, methods] of Object.entries(openapi.paths as Record<string, Record<string, Operation>>)) {
  for (const [method, op] of Object.entries(methods)) operations.set(op.operationId, { method, path, op });
}

const compiled = new Map<string, ValidateFunction>();
function validator(key: string, schema: object): ValidateFunction {
  let fn = compiled.get(key);
  if (!fn) {
    // Local refs (#/components/…) resolve against the registered document.
    const rewritten = JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"certdesk-openapi#/components/'));
    fn = ajv.compile(rewritten);
    compiled.set(key, fn);
  }
  return fn;
}

export function operation(operationId: string) {
  const found = operations.get(operationId);
  if (!found) throw new Error(`operação desconhecida: ${operationId}`);
  return found;
}

/** null when valid, else a short Portuguese description of the first problem. */
export function checkRequest(operationId: string, body: unknown): string | null {
  const schema = operation(operationId).op.requestBody?.content['application/json'].schema;
  if (!schema) return null;
  const fn = validator(`${operationId}:request`, schema);
  if (fn(body)) return null;
  const first = fn.errors?.[0];
  return `campo ${first?.instancePath || '(corpo)'} ${first?.message ?? 'inválido'}`;
}

export function checkResponse(operationId: string, status: number, body: unknown): string | null {
  const responses = operation(operationId).op.responses;
  // OpenAPI ranges ("4XX") cover statuses not listed one by one.
  const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`];
  if (!response) return `status ${status} não documentado para ${operationId}`;
  const schema = response.content?.['application/json']?.schema;
  if (!schema) return body === undefined || body === '' ? null : 'corpo não documentado';
  const fn = validator(`${operationId}:${status}`, schema);
  return fn(body) ? null : `${fn.errors?.[0]?.instancePath || '(corpo)'} ${fn.errors?.[0]?.message ?? ''}`;
}

export const OPENAPI = openapi;
