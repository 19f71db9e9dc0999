import { describe, expect, it } from 'vitest';
import type { HandlerTable } from '@certdesk/shared/contract';
import { dispatch, isChannel } from '#desktop/dispatch';
import { CertdeskError } from '@certdesk/core/errors';

// Only the channels these tests call; dispatch never touches the others.
const table = (inspect: (request: unknown) => Promise<never>): HandlerTable =>
  ({
    'app:info': async () => ({
      name: 'CertDesk',
      version: '0',
      platform: 'linux',
      shell: 'browser',
      dataDir: '/tmp',
      logFile: '/tmp/logs/certdesk.log',
      now: '2026-12-07T12:00:00.000Z',
      preferenceResets: [],
    }),
    'settings:get': async () => ({ locale: 'pt-BR', theme: 'system', environment: 'producao' }),
    'settings:update': async () => ({ locale: 'en', theme: 'system', environment: 'producao' }),
    'pfx:inspect': inspect,
  }) as Partial<HandlerTable> as HandlerTable;

describe('dispatch: schema validation and the error envelope', () => {
  it('rejects payloads that do not match the schema, naming the field', async () => {
    const handlers = table(async () => {
      throw new Error('must not run');
    });
    expect(await dispatch(handlers, 'pfx:inspect', { path: 42, password: null })).toEqual({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: 'Requisição inválida (path).' },
    });
    expect(await dispatch(handlers, 'pfx:inspect', { path: '/x', password: null, extra: 1 })).toMatchObject({ ok: false });
    expect(await dispatch(handlers, 'settings:update', { locale: 'fr' })).toMatchObject({ ok: false });
  });

  it('passes CertdeskError codes through and hides anything else', async () => {
    const coded = table(async () => {
      throw new CertdeskError('WRONG_PASSWORD', 'Senha incorreta.');
    });
    expect(await dispatch(coded, 'pfx:inspect', { path: '/x', password: 'a' })).toEqual({
      ok: false,
      error: { code: 'WRONG_PASSWORD', message: 'Senha incorreta.' },
    });
    const leaky = table(async () => {
      throw new Error('secret=SenhaTeste123 at /home/user/cert.pfx');
    });
    const result = await dispatch(leaky, 'pfx:inspect', { path: '/x', password: 'a' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('SenhaTeste123');
  });

  it('knows its channels', () => {
    expect(isChannel('pfx:inspect')).toBe(true);
    expect(isChannel('toString')).toBe(false);
    expect(isChannel('__proto__')).toBe(false);
  });
});
