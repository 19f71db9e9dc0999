/** The SEFAZ stand-in's client certificates (tests/fixtures/sefaz/, made by `npm run fixtures`) and a client pointed at a stand-in. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tlsCredentialsFromPfx, type TlsCredentials } from '@certdesk/core/pfx/tls-credentials';
import { SefazStatusClient, type StatusClientOptions } from '@certdesk/core/sefaz/status-client';
import type { SefazClient } from '../../../scripts/fixtures/sefaz-pki';
import type { SefazStandin } from '../../../stand-ins/sefaz-server';
import { FIXTURES } from '../../fixtures';

export const SEFAZ_DIR = join(FIXTURES, 'sefaz');
export const SEFAZ_PASSWORD = 'SenhaTeste123';
export const SEFAZ_CLIENTS = JSON.parse(readFileSync(join(SEFAZ_DIR, 'clientes.json'), 'utf8')) as SefazClient[];

export const clientPfx = (name: string) => join(SEFAZ_DIR, 'clientes', `${name}.pfx`);

const opened = new Map<string, TlsCredentials>();
/** The key and chain of a stand-in client certificate, opened once per test file. */
export function credentialsOf(name: string): TlsCredentials {
  if (!opened.has(name)) opened.set(name, tlsCredentialsFromPfx(readFileSync(clientPfx(name)), SEFAZ_PASSWORD));
  return opened.get(name)!;
}

/** A status client that sends the table's hosts to `standin` and trusts its root, and nothing else. */
export function clientFor(standin: SefazStandin, options: StatusClientOptions = {}): SefazStatusClient {
  return new SefazStatusClient({
    extraTrustAnchors: [standin.rootPem],
    connectOverride: standin.connectOverride,
    proxy: { kind: 'none' },
    ...options,
  });
}
