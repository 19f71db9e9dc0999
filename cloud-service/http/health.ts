/**
 * Liveness and readiness for a process manager or load balancer, outside the versioned API and
 * without a session:
 * - GET /health/live   200 while the process serves requests at all;
 * - GET /health/ready  200 when the database answers, every migration this build knows is applied,
 *                      and the KEK opens the tenants' data keys; 503 with the failing check
 *                      otherwise, and while the instance is stopping (it drains, then exits).
 */
import type { FastifyInstance } from 'fastify';

export type CheckResult = 'ok' | string;
/** Each named check answers 'ok' or what is wrong (in Portuguese, for the operator). */
export type ReadinessCheck = () => Promise<Record<string, CheckResult>>;

export function registerHealth(app: FastifyInstance, readiness: ReadinessCheck, stopping: () => boolean): void {
  app.get('/health/live', { logLevel: 'warn' }, async (_req, reply) => reply.code(200).send({ status: 'live' }));
  app.get('/health/ready', { logLevel: 'warn' }, async (_req, reply) => {
    if (stopping()) return reply.code(503).send({ status: 'stopping', checks: {} });
    const checks = await readiness().catch((error: unknown) => ({ readiness: (error as Error).message }));
    const ready = Object.values(checks).every((result) => result === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks });
  });
}
