/**
 * `npm run invoicy:server`: the stand-in InvoiCy certificate service on 127.0.0.1, for demos and the
 * end-to-end suite. Options: --port N (default 5299), --test-hooks (tests only: `POST /test/reset`
 * puts every certificate back in its starting state), --exit-on-stdin-close (stop when stdin closes:
 * whoever started it, the test suite, is gone). Demo keys (not secrets): EmpPK and CK below.
 * Certificates (README, "Demo"): 11.222.333/0001-81 pendente de senha, 529.982.247-25 pronto and
 * 44.555.666/0001-81 pendente de geração, both with the demo password below; 00.000.000/0001-91
 * answers code 999 and 33.000.167/0001-01 a SOAP Fault.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exitOnStdinClose } from '@certdesk/core/exit-on-stdin-close';
import { startStandin } from '../stand-ins/invoicy-soap-server';

export const DEMO_EMPPK = 'CERTDESK-DEMO-PK';
export const DEMO_CK = 'demo-ck-9099628c';
/** The password of the PFX files the demo certificates that are past `pendente de senha` download as. */
export const DEMO_PFX_PASSWORD = 'Demo2026';

// Unknown options are refused (node:util parseArgs), as browser mode and the cloud refuse them.
const { values } = parseArgs({
  options: { port: { type: 'string' }, 'test-hooks': { type: 'boolean' }, 'exit-on-stdin-close': { type: 'boolean' } },
  strict: true,
  allowPositionals: false,
});
const port = Number(values.port ?? '5299');
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Porta inválida: ${values.port}`);
  process.exit(2);
}
const certs = resolve(import.meta.dirname, '../tests/fixtures/certs'); // the test PKI of `npm run fixtures`
const standin = await startStandin({
  empPK: DEMO_EMPPK,
  ck: DEMO_CK,
  port,
  testHooks: values['test-hooks'] === true,
  demoPassword: DEMO_PFX_PASSWORD,
  keyPem: readFileSync(resolve(certs, 'ecnpj.key'), 'utf8'),
  certPem: readFileSync(resolve(certs, 'ecnpj.crt'), 'utf8'),
  certificates: { '11222333000181': 'pendente de senha', '52998224725': 'pronto', '44555666000181': 'pendente de geração' },
});
console.log(
  `InvoiCy (stand-in) em ${standin.url}\n  EmpPK: ${DEMO_EMPPK}\n  CK:    ${DEMO_CK}\n  Senha dos PFX de demonstração: ${DEMO_PFX_PASSWORD}`,
);
const stop = () => void standin.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
if (values['exit-on-stdin-close']) exitOnStdinClose(stop);
