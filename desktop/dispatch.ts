import { requestSchemas, type Channel, type Envelope, type HandlerTable, type ResponseOf } from '@certdesk/shared/contract';
import { CertdeskError, errorKind, toErrorPayload } from '@certdesk/core/errors';
import { logLine } from '@certdesk/core/log';

/**
 * Validates a payload against the channel's schema and runs its handler; the single place that
 * turns exceptions into `{ ok: false, error }`. Used by the Electron IPC layer and the browser mode,
 * so both ends behave the same.
 */
export async function dispatch<C extends Channel>(handlers: HandlerTable, channel: C, payload: unknown): Promise<Envelope<ResponseOf<C>>> {
  const schema = requestSchemas[channel];
  if (!schema) return { ok: false, error: { code: 'INVALID_REQUEST', message: 'Canal desconhecido.' } };
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
    return { ok: false, error: { code: 'INVALID_REQUEST', message: `Requisição inválida${where}.` } };
  }
  try {
    const handler = handlers[channel] as (request: unknown) => Promise<ResponseOf<C>>;
    return { ok: true, data: await handler(parsed.data) };
  } catch (error) {
    if (!(error instanceof CertdeskError)) {
      // Log the kind of failure only: handler errors may carry file contents or secrets.
      logLine(`[certdesk] ${channel} failed: ${errorKind(error)}`);
    }
    return { ok: false, error: toErrorPayload(error) };
  }
}

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(requestSchemas, name);
}

export { CertdeskError };
