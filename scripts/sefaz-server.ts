/**
 * `npm run sefaz:server`: the SEFAZ stand-in (stand-ins/sefaz-server.ts) on 127.0.0.1, for demos.
 *   --port N (default 5499)   --slow-ms N (how long the `lento` client waits, default 25000)
 * Prints how to point `certdesk sefaz-status` at it and the client certificates it knows.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SefazClient } from './fixtures/sefaz-pki';
import { SEFAZ_PASSWORD } from './fixtures/sefaz-pki';
import { SEFAZ_FIXTURES, startSefazStandin } from '../stand-ins/sefaz-server';

const option = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const standin = await startSefazStandin({ port: option('port', 5499), slowMs: option('slow-ms', 25_000) });
const folder = relative(process.cwd(), SEFAZ_FIXTURES) || '.';
const clients = JSON.parse(readFileSync(join(SEFAZ_FIXTURES, 'clientes.json'), 'utf8')) as SefazClient[];
console.log(`SEFAZ (stand-in) em https://127.0.0.1:${standin.port} — atende todos os endereços da tabela de serviços.

Consulte com (senha dos PFX: ${SEFAZ_PASSWORD}):
  SENHA=${SEFAZ_PASSWORD} node bin/certdesk.mjs sefaz-status ${folder}/clientes/em-operacao.pfx --uf SP --env homologacao \\
    --password-env SENHA --connect-to 127.0.0.1:${standin.port} --trust-ca ${folder}/root.crt

Certificados de cliente (${folder}/clientes/):`);
for (const client of clients) console.log(`  ${client.file.padEnd(26)} ${client.what}`);
const stop = () => void standin.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
