/**
 * Every answer of the HTTP service goes out through `send`: never cached, checked against the
 * contract when it belongs to an operation, and a kept list answer (RawJson) sent as the bytes it
 * already is, gzipped when the client takes it.
 */
import type { FastifyReply } from 'fastify';
import { checkResponse } from '@certdesk/core/cloud-api/contract-validator';
import { RawJson } from './operations';

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
export function send(reply: FastifyReply, status: number, body: unknown, operationId?: string): FastifyReply {
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
